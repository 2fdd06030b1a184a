/**
 * Idempotency keys of rollback and promote belong to one rollout (so one tenant) and one action.
 * Only the portal's database is used: every call here is answered before Kubernetes would be.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase, type TestDatabase } from '../../test/db';
import { getDb } from '../db/client';
import { appendEvent, useIdempotencyAction } from './records';
import { promoteRollout, rollbackRollout, type Operator } from './service';

const erin: Operator = { actor: { name: 'erin' }, kube: { kind: 'portal' } };
let database: TestDatabase;

async function rollout(tenant: string, state: 'progressing' | 'rolled_back') {
  const row = await getDb().tenant.upsert({ where: { name: tenant }, create: { name: tenant, displayName: tenant, status: 'active' }, update: {} });
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
    await getDb().$transaction((tx) =>
      appendEvent(tx, { rolloutId: fraud.id, kind: 'rollback', actor: 'erin', decision: 'rolled-back', reason: 'SECRET fraud incident 4711', values: {}, idempotencyKey: key }),
    );
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
    for (const r of [a, b]) {
      await getDb().$transaction((tx) => appendEvent(tx, { rolloutId: r.id, kind: 'step', actor: 'erin', decision: 'stepped to 50 %', reason: 'r', values: {}, idempotencyKey: key }));
    }
    await expect(
      getDb().$transaction((tx) => appendEvent(tx, { rolloutId: a.id, kind: 'step', actor: 'erin', decision: 'again', reason: 'r', values: {}, idempotencyKey: key })),
    ).rejects.toThrow();
  });

  it('answer a repeated action, and refuse the same key for another action', async () => {
    const key = randomUUID();
    const live = await rollout('ads', 'progressing');
    await getDb().$transaction(async (tx) => {
      useIdempotencyAction(tx, 'promote-next');
      await appendEvent(tx, { rolloutId: live.id, kind: 'step', actor: 'erin', decision: 'stepped to 50 %', reason: 'Stepped up by erin', values: {}, idempotencyKey: key });
    });
    expect(await getDb().rolloutEvent.findFirstOrThrow({ where: { rolloutId: live.id, idempotencyKey: key } })).toMatchObject({ idempotencyAction: 'promote-next' });

    expect(await promoteRollout(erin, 'ads', live.id, { idempotencyKey: key, to: 'next', reason: 'again' })).toEqual({ changed: false, message: 'Already done: Stepped up by erin' });
    await expect(rollbackRollout(erin, 'ads', live.id, { idempotencyKey: key, reason: 'rollback with the same key' })).rejects.toThrow(
      "This request's key was already used for a promotion to the next step of this rollout, so a rollback was not done. Reload the page and try again.",
    );
    await expect(promoteRollout(erin, 'ads', live.id, { idempotencyKey: key, to: 'full', reason: 'full with the same key' })).rejects.toThrow(/already used for a promotion to the next step/);
    // Nothing moved.
    expect(await getDb().rollout.findUniqueOrThrow({ where: { id: live.id } })).toMatchObject({ state: 'progressing', currentPercent: 10 });
  });

  it('are looked up in the rollout of the tenant named, never found through another tenant', async () => {
    const fraud = await rollout('fraud', 'progressing');
    await expect(rollbackRollout(erin, 'pricing', fraud.id, { idempotencyKey: randomUUID(), reason: 'x' })).rejects.toThrow('There is no such rollout in this tenant.');
  });
});
