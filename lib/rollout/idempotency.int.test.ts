/**
 * Idempotency keys of rollback and promote belong to one rollout (so one tenant) and one action;
 * they live on the action's intent (lib/rollout/actions.ts). Only the portal's database is used:
 * every call here is answered before Kubernetes would be.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase, type TestDatabase } from '../../test/db';
import { getDb } from '../db/client';
import type { Rollout } from '../db/generated/client';
import { recordRolloutEvent, type IdempotentAction } from './events';
import { promoteRollout, rollbackRollout, type Operator } from './service';

const erin: Operator = { actor: { name: 'erin' }, kube: { kind: 'portal' } };
let database: TestDatabase;

async function rollout(tenant: string, state: 'progressing' | 'rolled_back') {
  const row = await getDb().tenant.upsert({
    where: { name: tenant },
    create: { name: tenant, displayName: tenant, status: 'active' },
    update: {},
  });
  return getDb().rollout.create({
    data: {
      tenantId: row.id,
      endpoint: `${tenant}-endpoint`,
      modelName: `${tenant}-model`,
      version: '2',
      storageUri: `s3://bucket/${tenant}/2`,
      previousStorageUri: `s3://bucket/${tenant}/1`,
      previousVersion: '1',
      steps: [10, 50, 100],
      currentPercent: state === 'progressing' ? 10 : 0,
      state,
    },
  });
}

/** An intent as the actions record it, with `key` used for `action`. */
function recordIntent(r: Rollout, key: string, action: IdempotentAction, reason: string) {
  return getDb().$transaction((tx) =>
    recordRolloutEvent(
      tx,
      r.id,
      'erin',
      {
        kind: 'intent',
        decision: 'pending',
        reason,
        values: {
          action,
          target:
            action === 'rollback'
              ? { storageUri: r.previousStorageUri, canaryTrafficPercent: 0 }
              : { storageUri: r.storageUri, canaryTrafficPercent: 50 },
          from: { storageUri: r.storageUri, percent: r.currentPercent },
          version: r.version,
          previousVersion: r.previousVersion,
          kube: { kind: 'user', username: 'erin', groups: ['mlp:oncall'] },
        },
      },
      { idempotency: { key, action } },
    ),
  );
}

const traffic = {
  before: { storageUri: 's3://bucket/x/2', canaryTrafficPercent: 10 },
  after: { storageUri: 's3://bucket/x/2', canaryTrafficPercent: 50 },
};

beforeAll(async () => {
  database = await useTestDatabase();
});
afterAll(async () => {
  await getDb().$disconnect();
  await database.drop();
});

describe('idempotency keys', () => {
  it("never answer a call in one tenant with another tenant's action", async () => {
    const key = randomUUID();
    const fraud = await rollout('fraud', 'rolled_back');
    await recordIntent(fraud, key, 'rollback', 'SECRET fraud incident 4711');
    const pricing = await rollout('pricing', 'rolled_back');
    for (const call of [
      () => rollbackRollout(erin, 'pricing', pricing.id, { idempotencyKey: key, reason: 'pricing rollback' }),
      () => promoteRollout(erin, 'pricing', pricing.id, { idempotencyKey: key, to: 'full', reason: 'pricing promote' }),
    ]) {
      const outcome = await call();
      expect(outcome).toEqual({ changed: false, message: 'Nothing to do: this rollout is already rolled back.' });
      expect(outcome.message).not.toContain('SECRET');
    }
  });

  it('may be used again on another rollout: uniqueness is per rollout', async () => {
    const key = randomUUID();
    const [a, b] = [await rollout('forecast', 'progressing'), await rollout('vision', 'progressing')];
    for (const r of [a, b]) await recordIntent(r, key, 'promote-next', 'r');
    await expect(recordIntent(a, key, 'promote-next', 'again')).rejects.toThrow(/Unique constraint failed/);
  });

  it('answer a repeated action, and refuse the same key for another action', async () => {
    const key = randomUUID();
    const live = await rollout('ads', 'progressing');
    const intent = await recordIntent(live, key, 'promote-next', 'Stepped up by erin');
    await getDb().$transaction((tx) =>
      recordRolloutEvent(
        tx,
        live.id,
        'erin',
        { kind: 'step', decision: 'stepped to 50 %', reason: 'Stepped up by erin', values: traffic },
        { intentId: intent.id },
      ),
    );
    expect(
      await getDb().rolloutEvent.findFirstOrThrow({ where: { rolloutId: live.id, idempotencyKey: key } }),
    ).toMatchObject({ kind: 'intent', idempotencyAction: 'promote-next' });

    expect(await promoteRollout(erin, 'ads', live.id, { idempotencyKey: key, to: 'next', reason: 'again' })).toEqual({
      changed: false,
      message: 'Already done: Stepped up by erin',
    });
    await expect(
      rollbackRollout(erin, 'ads', live.id, { idempotencyKey: key, reason: 'rollback with the same key' }),
    ).rejects.toThrow(
      "This request's key was already used for a promotion to the next step of this rollout, so a rollback was not done. Reload the page and try again.",
    );
    await expect(
      promoteRollout(erin, 'ads', live.id, { idempotencyKey: key, to: 'full', reason: 'full with the same key' }),
    ).rejects.toThrow(/already used for a promotion to the next step/);
    // Nothing moved.
    expect(await getDb().rollout.findUniqueOrThrow({ where: { id: live.id } })).toMatchObject({
      state: 'progressing',
      currentPercent: 10,
    });
  });

  it('answer a key still under way without acting, and keep other keys off the rollout meanwhile', async () => {
    const key = randomUUID();
    const live = await rollout('media', 'progressing');
    await recordIntent(live, key, 'rollback', 'Rolled back by erin from the canary dashboard');
    expect(await rollbackRollout(erin, 'media', live.id, { idempotencyKey: key, reason: 'again' })).toEqual({
      changed: false,
      message:
        'Already under way: Rolled back by erin from the canary dashboard. The page shows the outcome once it is recorded.',
    });
    // One action at a time: a second person's click (another key) is answered, not acted on.
    const other = await promoteRollout(erin, 'media', live.id, {
      idempotencyKey: randomUUID(),
      to: 'full',
      reason: 'promote meanwhile',
    });
    expect(other.changed).toBe(false);
    expect(other.message).toMatch(
      /^Nothing done: a rollback asked for by erin at \d{4}-\d\d-\d\d \d\d:\d\d UTC is still under way\./,
    );
    expect(await getDb().rolloutEvent.count({ where: { rolloutId: live.id } })).toBe(1);
  });

  it('answer a key used before intents existed (on the action event itself) as done', async () => {
    const key = randomUUID();
    const live = await rollout('legacy', 'progressing');
    // A row as the portal wrote it before intents: written directly, as no writer would now.
    await getDb().rolloutEvent.create({
      data: {
        rolloutId: live.id,
        kind: 'step',
        actor: 'erin',
        decision: 'stepped to 50 %',
        reason: 'Stepped up by erin',
        values: traffic,
        idempotencyKey: key,
        idempotencyAction: 'promote-next',
      },
    });
    expect(await promoteRollout(erin, 'legacy', live.id, { idempotencyKey: key, to: 'next', reason: 'again' })).toEqual(
      { changed: false, message: 'Already done: Stepped up by erin' },
    );
    await expect(rollbackRollout(erin, 'legacy', live.id, { idempotencyKey: key, reason: 'x' })).rejects.toThrow(
      /already used for a promotion to the next step/,
    );
  });

  it('are looked up in the rollout of the tenant named, never found through another tenant', async () => {
    const fraud = await rollout('fraud', 'progressing');
    await expect(
      rollbackRollout(erin, 'pricing', fraud.id, { idempotencyKey: randomUUID(), reason: 'x' }),
    ).rejects.toThrow('There is no such rollout in this tenant.');
  });
});
