/**
 * Rollback and promote with no cluster write inside a database transaction, on the real API server
 * and PostgreSQL (pricing's endpoint, put back into its seeded canary before each test):
 * - the database fails between the API server's write and the outcome's commit (the outcome's
 *   transaction loses its connection: pg_terminate_backend on its own backend) → the cluster has
 *   the change, the intent is pending and shown so on the dashboard, the worker's pass records it;
 * - a portal process is SIGKILLed right after the API server's write (then a running worker, the
 *   leader, finishes it), or right after the intent's commit → the worker records what the
 *   cluster shows, or applies it again as erin;
 * - an action the cluster no longer matches is reported failed with the reason, never guessed;
 * - a failed attempt can be tried again with the same key; two people at once act once.
 * It leaves the endpoint on its seeded canary.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { useTestDatabase, type TestDatabase } from '../../test/db';
import { restoreSeededCanary } from '../../test/seeded-canary';
import { closedPort, loadStackEnv, requireSetting, seededTenant } from '../../test/stack';
import { followSeededCanary } from '../../stack/seed/portal';
import { getDb } from '../db/client';
import type { Rollout } from '../db/generated/client';
import { inferenceServices, PORTAL_ACTOR, userActor, type InferenceService } from '../integrations/kubernetes';
import { stopSharedWatchCaches } from '../integrations/kubernetes/watch-cache';
import { eventually } from '../../test/stack';
import { deploymentDashboard } from './dashboard';
import { liveRollouts } from './records';
import { finishUnfinishedActions, promoteRollout, rollbackRollout, type Operator } from './service';
import { startWorker } from './worker';

loadStackEnv();

const TENANT = 'pricing';
const ENDPOINT = 'price-elasticity';
const CHILD = path.resolve(import.meta.dirname, '../../test/rollout-crash-child.ts');
const REASON = 'Rolled back by erin from the canary dashboard';
const erin: Operator = { actor: { name: 'erin' }, kube: userActor('erin', ['mlp:oncall']) };
const api = () => inferenceServices(TENANT, PORTAL_ACTOR);
let database: TestDatabase;
let tenantId = '';
let seeded: ReturnType<typeof seededTenant>;

beforeAll(async () => {
  requireSetting('KUBERNETES_PORTAL_KUBECONFIG', 'Kubernetes');
  // The dashboard's metrics panels are not what these tests look at: Prometheus is away.
  process.env.PROMETHEUS_URL = `http://127.0.0.1:${await closedPort()}`;
  seeded = seededTenant(TENANT);
  database = await useTestDatabase();
  tenantId = (await getDb().tenant.create({ data: { name: TENANT, displayName: 'Pricing', status: 'active' } })).id;
});

afterAll(async () => {
  await stopSharedWatchCaches();
  if (seeded) await restoreSeededCanary(seeded, ENDPOINT);
  await getDb().$disconnect();
  await database?.drop();
});

let rollout: Rollout;
let before: InferenceService;

beforeEach(async () => {
  before = await restoreSeededCanary(seeded, ENDPOINT);
  await getDb().rollout.updateMany({
    where: { tenantId, endpoint: ENDPOINT, state: 'progressing' },
    data: { state: 'superseded' },
  });
  rollout = await getDb().$transaction((tx) =>
    followSeededCanary(tx, { id: tenantId, name: TENANT }, seeded, { endpoint: ENDPOINT, percent: 20, actor: 'test' }),
  );
});

const rolledBack = () => ({ storageUri: seeded.champion.storageUri, canaryTrafficPercent: 0 });
const servingCanary = () => ({ storageUri: seeded.challenger.storageUri, canaryTrafficPercent: 20 });

async function served() {
  const isvc = (await api().get(ENDPOINT))!;
  return {
    storageUri: isvc.spec.predictor.model?.storageUri ?? null,
    canaryTrafficPercent: isvc.spec.predictor.canaryTrafficPercent ?? null,
    generation: isvc.metadata.generation,
  };
}

const history = () =>
  getDb().rolloutEvent.findMany({
    where: { rolloutId: rollout.id },
    orderBy: { id: 'asc' },
    include: { outcome: { select: { id: true, kind: true } } },
  });
const pendingIntents = () =>
  getDb().rolloutEvent.findMany({ where: { rolloutId: rollout.id, kind: 'intent', outcome: { is: null } } });
/** This test's rollback audit events (the database is shared by the file's tests). */
const rollbackAudits = () =>
  getDb().auditEvent.findMany({
    where: {
      action: 'deployment.rollback',
      tenant: TENANT,
      targetId: `${TENANT}/${ENDPOINT}`,
      occurredAt: { gte: rollout.createdAt },
    },
  });
const currentRollout = () => getDb().rollout.findUniqueOrThrow({ where: { id: rollout.id } });

/** Runs the crash child until it reports `stage`, then SIGKILLs it: the process dies there, as on a node failure. */
async function killChildAt(stage: 'after-intent' | 'after-write', key: string): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, TENANT, rollout.id, stage, key], {
    cwd: path.resolve(import.meta.dirname, '../..'),
    env: { ...process.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the child did not reach ${stage} within 45 s: ${stdout} ${stderr}`)),
      45_000,
    );
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.split('\n').includes(`stopped at ${stage}`)) {
        clearTimeout(timer);
        resolve();
      }
    });
    void exited.then(([code, signal]) => {
      clearTimeout(timer);
      reject(new Error(`the child exited (${code ?? signal}) before reaching ${stage}: ${stdout} ${stderr}`));
    });
  });
  child.kill('SIGKILL');
  const [code, signal] = await exited;
  expect({ code, signal }).toEqual({ code: null, signal: 'SIGKILL' });
}

describe('a rollback whose outcome cannot be committed', () => {
  it('leaves the change on the cluster and the intent pending, shown on the dashboard, until the worker records the outcome', async () => {
    const key = crypto.randomUUID();
    const outcome = await rollbackRollout(
      erin,
      TENANT,
      rollout.id,
      { idempotencyKey: key, reason: REASON },
      // The outcome's transaction loses its connection before it commits: a real database failure.
      {
        beforeOutcomeCommit: (tx) =>
          tx.$executeRaw`SELECT pg_terminate_backend(pg_backend_pid())`.then(() => undefined),
      },
    );
    expect(outcome).toEqual({
      changed: true,
      message:
        'Rolled back price-elasticity to its previous version (v' +
        seeded.champion.version +
        '). The rollout history could not record it yet; the worker records it within a minute.',
    });

    // The cluster has the change; the history has the intent and nothing else.
    expect(await served()).toMatchObject({ ...rolledBack(), generation: before.metadata.generation! + 1 });
    expect(await currentRollout()).toMatchObject({ state: 'progressing', currentPercent: 20 });
    const [intent] = await pendingIntents();
    expect(intent).toMatchObject({
      kind: 'intent',
      decision: 'pending',
      actor: 'erin',
      idempotencyKey: key,
      idempotencyAction: 'rollback',
      reason: REASON,
    });
    expect(intent!.values).toMatchObject({
      action: 'rollback',
      target: rolledBack(),
      from: { storageUri: seeded.challenger.storageUri, percent: 20 },
      kube: { kind: 'user', username: 'erin' },
    });
    expect((await history()).map((e) => e.kind)).toEqual(['start', 'intent']);
    expect(await rollbackAudits()).toHaveLength(0);

    // Visible, in words: the judgment panel and the timeline say an action is under way; judgment leaves the rollout alone.
    const dashboard = (await deploymentDashboard(TENANT, ENDPOINT))!;
    expect(dashboard.detail.rollout?.pendingAction).toMatchObject({
      action: 'rollback',
      label: 'Rollback',
      by: 'erin',
      reason: REASON,
    });
    expect(dashboard.detail.rollout?.judgment).toMatchObject({ state: 'acting', headline: 'Rollback under way' });
    expect(dashboard.detail.timeline[0]).toMatchObject({
      kind: 'intent',
      decision: 'pending',
      actor: 'erin',
      reason: expect.stringContaining('Its outcome is not recorded yet'),
    });
    expect((await liveRollouts()).map((r) => r.id)).not.toContain(rollout.id);

    // A repeated click is answered; nothing is written twice.
    expect(await rollbackRollout(erin, TENANT, rollout.id, { idempotencyKey: key, reason: REASON })).toEqual({
      changed: false,
      message: `Already under way: ${REASON}. The page shows the outcome once it is recorded.`,
    });

    // The worker's pass (what its tick runs) records what the cluster shows.
    expect(await finishUnfinishedActions(0)).toEqual([{ intent: intent!.id, outcome: 'done' }]);
    const events = await history();
    expect(events.map((e) => [e.kind, e.decision])).toEqual([
      ['start', 'canary started'],
      ['intent', 'pending'],
      ['rollback', 'rolled-back'],
    ]);
    expect(events[2]).toMatchObject({ actor: 'erin', reason: REASON, intentId: intent!.id });
    expect(events[2]!.values).toEqual({
      before: null,
      after: rolledBack(),
      version: seeded.challenger.version,
      previousVersion: seeded.champion.version,
      recordedBy: 'worker',
    });
    expect(await currentRollout()).toMatchObject({ state: 'rolled_back', currentPercent: 0 });
    expect(await rollbackAudits()).toEqual([
      expect.objectContaining({ actor: 'erin', outcome: 'success', after: rolledBack() }),
    ]);
    expect(await served()).toMatchObject({ generation: before.metadata.generation! + 1 });

    const settled = (await deploymentDashboard(TENANT, ENDPOINT))!;
    expect(settled.detail.rollout).toMatchObject({
      state: 'rolled_back',
      pendingAction: null,
      judgment: { state: 'finished', headline: 'Rolled back' },
    });
    expect(settled.detail.timeline.slice(0, 2).map((e) => [e.kind, e.decision])).toEqual([
      ['rollback', 'rolled-back'],
      ['intent', 'requested'],
    ]);
    expect(settled.detail.timeline[0]!.details).toContainEqual({
      label: 'Recorded by',
      value: 'the worker, after the process that acted stopped before recording the outcome',
    });
    // Settled once: another pass finds nothing.
    expect(await finishUnfinishedActions(0)).toEqual([]);
  });
});

describe('a portal process killed in the middle of a rollback', () => {
  it('right after the API server took the change: the running worker records the rollback with its values', async () => {
    const key = crypto.randomUUID();
    await killChildAt('after-write', key);

    expect(await served()).toMatchObject({ ...rolledBack(), generation: before.metadata.generation! + 1 });
    const [intent] = await pendingIntents();
    expect(intent).toMatchObject({ actor: 'erin', idempotencyKey: key, reason: REASON });
    expect(await currentRollout()).toMatchObject({ state: 'progressing', currentPercent: 20 });

    // The worker as `npm run worker` runs it: it takes the lead and, in its tick, settles the intent.
    const worker = startWorker({
      databaseUrl: database.url,
      intervalMs: 250,
      resumeDeploymentsAfterMs: 60_000,
      resumeActionsAfterMs: 1_000,
      name: 'crash-test',
    });
    try {
      await eventually(
        'the worker to record the outcome',
        30_000,
        async () => ({ done: (await pendingIntents()).length === 0, value: await history() }),
        100,
      );
    } finally {
      await worker.stop();
    }
    const events = await history();
    expect(events.map((e) => [e.kind, e.decision, e.outcome?.kind ?? null])).toEqual([
      ['start', 'canary started', null],
      ['intent', 'pending', 'rollback'],
      ['rollback', 'rolled-back', null],
    ]);
    expect(events[2]!.values).toEqual({
      before: null,
      after: rolledBack(),
      version: seeded.challenger.version,
      previousVersion: seeded.champion.version,
      recordedBy: 'worker',
    });
    expect(await currentRollout()).toMatchObject({ state: 'rolled_back', currentPercent: 0 });
    expect(await rollbackAudits()).toEqual([expect.objectContaining({ actor: 'erin', outcome: 'success' })]);
    // Nothing was written to the cluster again.
    expect((await served()).generation).toBe(before.metadata.generation! + 1);
  });

  it('right after its intent was committed: the worker applies it again, as erin', async () => {
    const key = crypto.randomUUID();
    await killChildAt('after-intent', key);

    expect(await served()).toMatchObject({ ...servingCanary(), generation: before.metadata.generation });
    const [intent] = await pendingIntents();
    expect(intent).toMatchObject({ idempotencyKey: key });

    expect(await finishUnfinishedActions(0)).toEqual([{ intent: intent!.id, outcome: 'done' }]);
    expect(await served()).toMatchObject({ ...rolledBack(), generation: before.metadata.generation! + 1 });
    const isvc = (await api().get(ENDPOINT))!;
    // As the portal writes a rollback: the rolled-back version named, the champion's evidence back.
    expect(isvc.metadata.annotations).toMatchObject({
      'mlp.example.com/rolled-back-version': seeded.challenger.version,
      'mlp.example.com/model-version': seeded.champion.version,
    });
    const events = await history();
    expect(events.at(-1)).toMatchObject({
      kind: 'rollback',
      decision: 'rolled-back',
      actor: 'erin',
      intentId: intent!.id,
    });
    expect(events.at(-1)!.values).toEqual({
      before: servingCanary(),
      after: rolledBack(),
      version: seeded.challenger.version,
      previousVersion: seeded.champion.version,
      recordedBy: 'worker',
      reapplied: true,
    });
    expect(await currentRollout()).toMatchObject({ state: 'rolled_back', currentPercent: 0 });
  });
});

describe('an unfinished action the cluster no longer matches', () => {
  it('is reported failed with what the cluster serves, and the rollout is judged again', async () => {
    const stopped = new Error('stopped after the intent');
    await expect(
      promoteRollout(
        erin,
        TENANT,
        rollout.id,
        { idempotencyKey: crypto.randomUUID(), to: 'next', reason: 'Stepped up by erin' },
        { afterIntent: () => Promise.reject(stopped) },
      ),
    ).rejects.toBe(stopped);
    // Meanwhile someone else moved the canary.
    await api().update(ENDPOINT, (isvc) => ({
      ...isvc,
      spec: { ...isvc.spec, predictor: { ...isvc.spec.predictor, canaryTrafficPercent: 30 } },
    }));

    const [intent] = await pendingIntents();
    expect(await finishUnfinishedActions(0)).toEqual([{ intent: intent!.id, outcome: 'failed' }]);
    const failed = (await history()).at(-1)!;
    expect(failed).toMatchObject({ kind: 'failed', decision: 'failed', actor: 'erin', intentId: intent!.id });
    expect(failed.reason).toBe(
      `Not done: the endpoint serves ${seeded.challenger.storageUri}, canary 30 %: neither what a promotion to the next step started from (${seeded.challenger.storageUri}, canary 20 %) ` +
        `nor what it asked for (${seeded.challenger.storageUri}, canary 25 %), so it was changed by something else meanwhile`,
    );
    expect(failed.values).toMatchObject({
      action: 'promote-next',
      observed: { storageUri: seeded.challenger.storageUri, canaryTrafficPercent: 30 },
      recordedBy: 'worker',
    });
    expect((await served()).canaryTrafficPercent).toBe(30);
    expect(await currentRollout()).toMatchObject({ state: 'progressing', currentPercent: 20 });
    expect(
      await getDb().auditEvent.findMany({
        where: { action: 'deployment.promote', tenant: TENANT, occurredAt: { gte: rollout.createdAt } },
      }),
    ).toEqual([expect.objectContaining({ actor: 'erin', outcome: 'failed' })]);
    expect((await liveRollouts()).map((r) => r.id)).toContain(rollout.id);
  });
});

describe('acting once', () => {
  it('tries a failed attempt again under the same key, and answers it once done', async () => {
    const key = crypto.randomUUID();
    // The rollout believes in another model than the endpoint serves: the cluster read refuses the promotion.
    await getDb().rollout.update({
      where: { id: rollout.id },
      data: { storageUri: 's3://mlflow-artifacts/workspaces/pricing/elsewhere/model' },
    });
    await expect(
      promoteRollout(erin, TENANT, rollout.id, { idempotencyKey: key, to: 'next', reason: 'Stepped up by erin' }),
    ).rejects.toThrow(
      `${ENDPOINT} no longer serves v${seeded.challenger.version}: it was changed outside this rollout.`,
    );
    expect((await history()).map((e) => [e.kind, e.decision])).toEqual([
      ['start', 'canary started'],
      ['intent', 'pending'],
      ['failed', 'failed'],
    ]);
    expect((await served()).generation).toBe(before.metadata.generation);

    await getDb().rollout.update({ where: { id: rollout.id }, data: { storageUri: seeded.challenger.storageUri } });
    expect(
      await promoteRollout(erin, TENANT, rollout.id, { idempotencyKey: key, to: 'next', reason: 'Stepped up by erin' }),
    ).toEqual({
      changed: true,
      message: `v${seeded.challenger.version} now receives 25 % of traffic.`,
    });
    expect(
      await promoteRollout(erin, TENANT, rollout.id, { idempotencyKey: key, to: 'next', reason: 'Stepped up by erin' }),
    ).toEqual({ changed: false, message: 'Already done: Stepped up by erin' });
    const intents = await getDb().rolloutEvent.findMany({
      where: { rolloutId: rollout.id, kind: 'intent' },
      orderBy: { id: 'asc' },
      include: { outcome: true },
    });
    expect(intents.map((i) => [i.idempotencyKey, i.outcome?.kind])).toEqual([
      [key, 'failed'],
      [`${key}#2`, 'step'],
    ]);
    expect(await served()).toMatchObject({ canaryTrafficPercent: 25, generation: before.metadata.generation! + 1 });
    expect(await currentRollout()).toMatchObject({ state: 'progressing', currentPercent: 25 });
  });

  it('lets one of two people acting at once change the endpoint; the other is answered', async () => {
    const frank: Operator = { actor: { name: 'frank' }, kube: userActor('frank', ['mlp:oncall']) };
    const outcomes = await Promise.all([
      rollbackRollout(erin, TENANT, rollout.id, { idempotencyKey: crypto.randomUUID(), reason: REASON }),
      promoteRollout(frank, TENANT, rollout.id, {
        idempotencyKey: crypto.randomUUID(),
        to: 'full',
        reason: 'Promoted to 100 % by frank',
      }),
    ]);
    expect(outcomes.filter((o) => o.changed)).toHaveLength(1);
    expect(outcomes.find((o) => !o.changed)!.message).toMatch(
      /^(Nothing done: .* is still under way\.|Nothing to do: this rollout is already (rolled back|promoted)\.)/,
    );
    expect((await served()).generation).toBe(before.metadata.generation! + 1);
    const actions = (await history()).filter((e) => ['rollback', 'promote', 'step'].includes(e.kind));
    expect(actions).toHaveLength(1);
    expect(
      await getDb().auditEvent.count({
        where: {
          action: { in: ['deployment.rollback', 'deployment.promote'] },
          tenant: TENANT,
          outcome: 'success',
          occurredAt: { gte: rollout.createdAt },
        },
      }),
    ).toBe(1);
  });
});
