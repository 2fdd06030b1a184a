/**
 * Rollouts on the real Kubernetes API (pricing's endpoint, put into the seeded canary first):
 * - "never promote blind": a canary that has baked long enough, with every earlier check passed,
 *   is not promoted while Prometheus cannot be read (it points at a port where nothing listens) —
 *   the check pauses and says why, and the InferenceService is left alone;
 * - Promote moves the canary to the next step, then to 100 %, once per idempotency key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase, type TestDatabase } from '../../test/db';
import { getDb } from '../db/client';
import { inferenceServices, PORTAL_ACTOR } from '../integrations/kubernetes';
import { restoreSeededCanary } from '../../test/seeded-canary';
import { closedPort, loadStackEnv, requireSetting, seededTenant } from '../../test/stack';
import { followSeededCanary } from '../../stack/seed/portal';
import { recordRolloutEvent } from './events';
import { checkRollout, promoteRollout, WORKER } from './service';

loadStackEnv();

const TENANT = 'pricing';
const ENDPOINT = 'price-elasticity';
let database: TestDatabase;

beforeAll(async () => {
  requireSetting('KUBERNETES_PORTAL_KUBECONFIG', 'Kubernetes');
  process.env.PROMETHEUS_URL = `http://127.0.0.1:${await closedPort()}`;
  database = await useTestDatabase();
  tenantId = (await getDb().tenant.create({ data: { name: TENANT, displayName: 'Pricing', status: 'active' } })).id;
});

afterAll(async () => {
  // Left as seeded: the challenger's canary, which other tests and the demo expect.
  await restoreSeededCanary(seededTenant(TENANT), ENDPOINT);
  await getDb().$disconnect();
  await database?.drop();
});

/** Pricing's endpoint serving the seeded challenger as a 20 % canary, as the simulator reports it (from whatever the last run left). */
async function arrangeSeededCanary() {
  const seeded = seededTenant(TENANT);
  await restoreSeededCanary(seeded, ENDPOINT);
  return { seeded, api: inferenceServices(TENANT, PORTAL_ACTOR) };
}

let tenantId = '';

it('pauses instead of promoting when Prometheus cannot be read, and changes nothing', async () => {
  const { seeded, api } = await arrangeSeededCanary();
  const before = (await api.get(ENDPOINT))!;

  const rollout = await getDb().$transaction(async (tx) => {
    const started = await followSeededCanary(tx, { id: tenantId, name: TENANT }, seeded, {
      endpoint: ENDPOINT,
      percent: 50,
      actor: 'test',
    });
    // Baked for an hour at the last step below 100 %, every check passed: healthy metrics would promote now.
    await tx.rollout.update({ where: { id: started.id }, data: { stepStartedAt: new Date(Date.now() - 3_600_000) } });
    const sample = (revision: string) => ({
      revision,
      requests: 900,
      requestRate: 7.5,
      errorRate: 0.001,
      p50Ms: 30,
      p99Ms: 120,
    });
    const values = {
      check: 'pass' as const,
      metrics: {
        canary: sample('price-elasticity-predictor-00002'),
        stable: sample('price-elasticity-predictor-00001'),
      },
      thresholds: { maxErrorRate: 0.02, maxP99Ms: 500, minRequests: 100 },
      percent: 50,
      checksAtStep: 1,
    };
    for (let i = 0; i < 20; i++)
      await recordRolloutEvent(tx, started.id, 'worker', {
        kind: 'check',
        decision: 'pass',
        reason: 'healthy',
        values: { ...values, checksAtStep: i + 1 },
      });
    return started;
  });

  const live = await getDb().rollout.findUniqueOrThrow({
    where: { id: rollout.id },
    include: { tenant: { select: { name: true } } },
  });
  const decision = await checkRollout(live);
  expect(decision.action).toBe('pause');
  expect(decision.reason).toMatch(
    /^judgment paused: Prometheus cannot be reached at 127\.0\.0\.1:\d+; nothing is promoted while metrics cannot be read$/,
  );

  const after = (await api.get(ENDPOINT))!;
  // The simulator keeps writing status; what the portal would change is the spec.
  expect(after.metadata.generation).toBe(before.metadata.generation);
  expect(after.spec).toEqual(before.spec);
  const stored = await getDb().rollout.findUniqueOrThrow({ where: { id: rollout.id } });
  expect(stored).toMatchObject({ state: 'progressing', currentPercent: 50 });
  expect(stored.lastJudgment).toMatchObject({ action: 'pause' });
  const last = await getDb().rolloutEvent.findFirstOrThrow({
    where: { rolloutId: rollout.id },
    orderBy: { id: 'desc' },
  });
  expect(last).toMatchObject({ kind: 'pause', decision: 'paused' });
});

describe('promote', () => {
  it('steps the canary to the next step, then to 100 %, each click acting once', async () => {
    const { seeded, api } = await arrangeSeededCanary();
    await getDb().rollout.updateMany({
      where: { tenantId, endpoint: ENDPOINT, state: 'progressing' },
      data: { state: 'superseded' },
    });
    const rollout = await getDb().$transaction((tx) =>
      followSeededCanary(tx, { id: tenantId, name: TENANT }, seeded, {
        endpoint: ENDPOINT,
        percent: 20,
        actor: 'test',
      }),
    );

    const key = crypto.randomUUID();
    const [first, repeated] = await Promise.all(
      [1, 2].map(() => promoteRollout(WORKER, TENANT, rollout.id, { idempotencyKey: key, to: 'next', reason: 'test' })),
    );
    expect([first!.changed, repeated!.changed].sort()).toEqual([false, true]);
    expect((await api.get(ENDPOINT))!.spec.predictor.canaryTrafficPercent).toBe(25);
    expect(await getDb().rollout.findUniqueOrThrow({ where: { id: rollout.id } })).toMatchObject({
      state: 'progressing',
      currentPercent: 25,
    });

    expect(
      await promoteRollout(WORKER, TENANT, rollout.id, {
        idempotencyKey: crypto.randomUUID(),
        to: 'full',
        reason: 'test',
      }),
    ).toMatchObject({ changed: true });
    const promoted = (await api.get(ENDPOINT))!;
    expect(promoted.spec.predictor.canaryTrafficPercent).toBeUndefined();
    expect(promoted.spec.predictor.model?.storageUri).toBe(seeded.challenger.storageUri);
    expect(await getDb().rollout.findUniqueOrThrow({ where: { id: rollout.id } })).toMatchObject({
      state: 'promoted',
      currentPercent: 100,
    });
    const events = await getDb().rolloutEvent.findMany({
      where: { rolloutId: rollout.id, kind: { in: ['step', 'promote'] } },
      orderBy: { id: 'asc' },
      include: { intent: true },
    });
    expect(events.map((e) => e.decision)).toEqual(['stepped to 25 %', 'promoted']);
    // Each outcome names the intent committed before the cluster was written, which holds the click's key.
    expect(events.map((e) => [e.intent?.kind, e.intent?.decision, e.intent?.idempotencyAction])).toEqual([
      ['intent', 'pending', 'promote-next'],
      ['intent', 'pending', 'promote-full'],
    ]);
    expect(events[0]!.intent?.idempotencyKey).toBe(key);
    expect(events[0]!.values).toMatchObject({
      before: { storageUri: seeded.challenger.storageUri, canaryTrafficPercent: 20 },
      after: { storageUri: seeded.challenger.storageUri, canaryTrafficPercent: 25 },
    });
    expect(
      await getDb().rolloutEvent.count({ where: { rolloutId: rollout.id, kind: 'intent', outcome: { is: null } } }),
    ).toBe(0);
    expect(
      await getDb().auditEvent.count({
        where: { action: { in: ['deployment.step', 'deployment.promote'] }, tenant: TENANT },
      }),
    ).toBe(2);

    // A finished rollout is answered, not acted on.
    expect(await promoteRollout(WORKER, TENANT, rollout.id, { to: 'next', reason: 'test' })).toMatchObject({
      changed: false,
    });
  });
});
