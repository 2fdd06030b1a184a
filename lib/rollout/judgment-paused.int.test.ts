/**
 * "Never promote blind": a canary that has baked long enough, with every earlier check passed,
 * is not promoted while Prometheus cannot be read — the worker's check pauses and says why,
 * and the InferenceService is left alone. Runs against the real Kubernetes API (pricing's
 * endpoint, put into a canary first); Prometheus is pointed at a port where nothing listens.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { useTestDatabase, type TestDatabase } from '../../test/db';
import { getDb } from '../db/client';
import { inferenceServices, PORTAL_ACTOR, servingState } from '../integrations/kubernetes';
import { closedPort, loadStackEnv, requireSetting, seededTenant } from '../../test/stack';
import { followSeededCanary } from '../../stack/seed/portal';
import { appendEvent } from './records';
import { checkRollout } from './service';

loadStackEnv();

const TENANT = 'pricing';
const ENDPOINT = 'price-elasticity';
let database: TestDatabase;

beforeAll(async () => {
  requireSetting('KUBERNETES_PORTAL_KUBECONFIG', 'Kubernetes');
  process.env.PROMETHEUS_URL = `http://127.0.0.1:${await closedPort()}`;
  database = await useTestDatabase();
});

afterAll(async () => {
  await getDb().$disconnect();
  await database?.drop();
});

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error('the simulator did not report the canary in time');
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

it('pauses instead of promoting when Prometheus cannot be read, and changes nothing', async () => {
  const seeded = seededTenant(TENANT);
  const api = inferenceServices(TENANT, PORTAL_ACTOR);
  await api.update(ENDPOINT, (current) =>
    current.spec.predictor.canaryTrafficPercent === 20 && current.spec.predictor.model?.storageUri === seeded.challenger.storageUri
      ? null
      : { ...current, spec: { ...current.spec, predictor: { ...current.spec.predictor, canaryTrafficPercent: 20, model: { ...current.spec.predictor.model, storageUri: seeded.challenger.storageUri } } } },
  );
  await until(() => api.get(ENDPOINT), (isvc) => Boolean(isvc && servingState(isvc).canaryRevision));
  const before = (await api.get(ENDPOINT))!;

  const tenant = await getDb().tenant.create({ data: { name: TENANT, displayName: 'Pricing', status: 'active' } });
  const rollout = await getDb().$transaction(async (tx) => {
    const started = await followSeededCanary(tx, { id: tenant.id, name: TENANT }, seeded, { endpoint: ENDPOINT, percent: 50, actor: 'test' });
    // Baked for an hour at the last step below 100 %, every check passed: healthy metrics would promote now.
    await tx.rollout.update({ where: { id: started.id }, data: { stepStartedAt: new Date(Date.now() - 3_600_000) } });
    for (let i = 0; i < 20; i++) await appendEvent(tx, { rolloutId: started.id, kind: 'check', actor: 'worker', decision: 'pass', reason: 'healthy', values: { check: 'pass' } });
    return started;
  });

  const live = await getDb().rollout.findUniqueOrThrow({ where: { id: rollout.id }, include: { tenant: { select: { name: true } } } });
  const decision = await checkRollout(live);
  expect(decision.action).toBe('pause');
  expect(decision.reason).toMatch(/^judgment paused: Prometheus cannot be reached at 127\.0\.0\.1:\d+; nothing is promoted while metrics cannot be read$/);

  const after = (await api.get(ENDPOINT))!;
  // The simulator keeps writing status; what the portal would change is the spec.
  expect(after.metadata.generation).toBe(before.metadata.generation);
  expect(after.spec).toEqual(before.spec);
  const stored = await getDb().rollout.findUniqueOrThrow({ where: { id: rollout.id } });
  expect(stored).toMatchObject({ state: 'progressing', currentPercent: 50 });
  expect(stored.lastJudgment).toMatchObject({ action: 'pause' });
  const last = await getDb().rolloutEvent.findFirstOrThrow({ where: { rolloutId: rollout.id }, orderBy: { id: 'desc' } });
  expect(last).toMatchObject({ kind: 'pause', decision: 'paused' });
});
