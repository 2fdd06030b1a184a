/**
 * Rollback to any verified version on the real API server (pricing's endpoint, on its seeded
 * canary: v4 at 20 % over v3) and PostgreSQL, with the cluster's admission guard in force:
 * - the targets are the earlier versions that served the endpoint and passed their gates;
 * - a version that served without ever passing its gates is refused when asked for directly, and
 *   nothing changes at the API server;
 * - the reason is required;
 * - rolling back to v1 as erin serves v1's storageUri with v1's own evidence (the guard took it:
 *   the write is refused otherwise), recorded as a rollback naming v1 and its request, audited; the
 *   same idempotency key again does not act twice.
 * It leaves the endpoint on its seeded canary.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase, type TestDatabase } from '../../test/db';
import { restoreSeededCanary } from '../../test/seeded-canary';
import { loadStackEnv, requireSetting, seededTenant, type SeededTenant } from '../../test/stack';
import { recordDeployedVersion } from '../../stack/seed/model-history';
import { followSeededCanary } from '../../stack/seed/portal';
import { getDb } from '../db/client';
import type { Rollout } from '../db/generated/client';
import { UserFacingError } from '../errors';
import { inferenceServices, PORTAL_ACTOR, userActor, type InferenceService } from '../integrations/kubernetes';
import { stopSharedWatchCaches } from '../integrations/kubernetes/watch-cache';
import { ANNOTATIONS } from '../promotion/evidence';
import { modelUriOf } from '../promotion/gates';
import { DEFAULT_POLICY } from '../promotion/policy';
import { ROLLED_BACK_ANNOTATION, type Operator } from './actions';
import { rollbackTargetsOf, rollbackToVersion } from './rollback-to';
import { rollbackToVersionSchema } from './schemas';

loadStackEnv();

const TENANT = 'pricing';
const ENDPOINT = 'price-elasticity';
const erin: Operator = { actor: { name: 'erin' }, kube: userActor('erin', ['mlp:oncall']) };
const api = () => inferenceServices(TENANT, PORTAL_ACTOR);
let database: TestDatabase;
let seeded: SeededTenant;
let rollout: Rollout;
let v1Request = '';
let before: InferenceService;

const version = (v: string) => seededVersion(seeded, v);
function seededVersion(tenant: SeededTenant, v: string) {
  const found = tenant.versions.find((s) => s.version === v);
  if (!found) throw new Error(`MLflow: ${tenant.model} has no v${v} — reseed the local platform`);
  return found;
}

beforeAll(async () => {
  requireSetting('KUBERNETES_PORTAL_KUBECONFIG', 'Kubernetes');
  seeded = seededTenant(TENANT);
  database = await useTestDatabase();
  const tenant = await getDb().tenant.create({ data: { name: TENANT, displayName: 'Pricing', status: 'active' } });
  const [alice, bob] = await Promise.all(
    ['alice', 'bob'].map((username) => getDb().user.create({ data: { subject: username, username } })),
  );
  before = await restoreSeededCanary(seeded, ENDPOINT);
  const day = 86_400_000;
  const v1 = await getDb().$transaction((tx) =>
    recordDeployedVersion(
      tx,
      {
        tenantId: tenant.id,
        tenant: TENANT,
        endpoint: ENDPOINT,
        model: seeded.model,
        policy: DEFAULT_POLICY,
        policyVersion: 0,
        requester: { id: alice!.id, name: alice!.username },
        approver: { id: bob!.id, name: bob!.username },
      },
      version('1'),
      null,
      new Date(Date.now() - 30 * day),
      'First pricing model.',
    ),
  );
  v1Request = v1.requestId;
  // v2 served once without a promotion request of the portal: it never passed its gates here.
  await getDb().rollout.create({
    data: {
      tenantId: tenant.id,
      endpoint: ENDPOINT,
      modelName: seeded.model,
      version: '2',
      storageUri: modelUriOf(version('2').artifactUri),
      previousStorageUri: modelUriOf(version('1').artifactUri),
      previousVersion: '1',
      steps: [10, 100],
      currentPercent: 100,
      state: 'promoted',
      createdAt: new Date(Date.now() - 20 * day),
    },
  });
  rollout = await getDb().$transaction((tx) =>
    followSeededCanary(tx, { id: tenant.id, name: TENANT }, seeded, { endpoint: ENDPOINT, percent: 20, actor: 'test' }),
  );
});

afterAll(async () => {
  await stopSharedWatchCaches();
  if (seeded) await restoreSeededCanary(seeded, ENDPOINT);
  await getDb().$disconnect();
  await database?.drop();
});

const REASON = 'INC-4242: the new elasticity curve misprices long-tail products';

describe('rollback to a verified version', () => {
  it('offers the earlier versions that served the endpoint and passed their gates, and says why not the others', async () => {
    const found = (await rollbackTargetsOf(TENANT, ENDPOINT))!;
    expect(found.rolloutId).toBe(rollout.id);
    expect(found.serving).toEqual({ storageUri: seeded.challenger.storageUri, percent: 20, version: '4' });
    expect(found.targets.map((t) => [t.version, t.requestId, t.artifact.state])).toEqual([['1', v1Request, 'found']]);
    expect(found.refused).toEqual([
      { modelName: seeded.model, version: '4', reason: 'it serves the endpoint now' },
      {
        modelName: seeded.model,
        version: '2',
        reason: 'it never passed its gates: no promotion request of the portal approved it',
      },
    ]);
  });

  it('refuses a version that never passed its gates, called directly, and changes nothing at the API server', async () => {
    const attempt = rollbackToVersion(erin, TENANT, ENDPOINT, {
      rolloutId: rollout.id,
      version: '2',
      reason: REASON,
      idempotencyKey: crypto.randomUUID(),
    });
    await expect(attempt).rejects.toThrow(UserFacingError);
    await expect(attempt).rejects.toThrow(
      'v2 cannot be rolled back to on price-elasticity: it never passed its gates: no promotion request of the portal approved it.',
    );
    const after = (await api().get(ENDPOINT))!;
    expect(after.metadata.generation).toBe(before.metadata.generation);
    expect(after.spec).toEqual(before.spec);
    expect(await getDb().rolloutEvent.count({ where: { rolloutId: rollout.id, kind: 'intent' } })).toBe(0);
  });

  it('requires a reason', () => {
    const input = {
      tenant: TENANT,
      endpoint: ENDPOINT,
      rolloutId: rollout.id,
      idempotencyKey: crypto.randomUUID(),
      version: '1',
    };
    for (const reason of [undefined, '', '   ', 'too short']) {
      const parsed = rollbackToVersionSchema.safeParse({ ...input, reason });
      expect(parsed.success, String(reason)).toBe(false);
      expect(parsed.error?.issues.map((i) => i.path[0])).toEqual(['reason']);
    }
    expect(rollbackToVersionSchema.safeParse({ ...input, reason: 'x'.repeat(501) }).success).toBe(false);
    expect(rollbackToVersionSchema.safeParse({ ...input, reason: REASON }).success).toBe(true);
  });

  it('serves the chosen version with its own evidence, accepted by the admission guard, once per key', async () => {
    const key = crypto.randomUUID();
    const v1 = version('1');
    const outcome = await rollbackToVersion(erin, TENANT, ENDPOINT, {
      rolloutId: rollout.id,
      version: '1',
      reason: REASON,
      idempotencyKey: key,
    });
    expect(outcome).toEqual({
      changed: true,
      message: 'Rolled back price-elasticity to v1: it takes all traffic once its revision is ready.',
    });

    // erin's change went through the API server's admission guard: it carries v1's own evidence.
    const isvc = (await api().get(ENDPOINT))!;
    expect(isvc.metadata.generation).toBe(before.metadata.generation! + 1);
    expect(isvc.spec.predictor.model?.storageUri).toBe(modelUriOf(v1.artifactUri));
    expect(isvc.spec.predictor.canaryTrafficPercent).toBeUndefined();
    expect(isvc.metadata.annotations).toMatchObject({
      [ANNOTATIONS.request]: v1Request,
      [ANNOTATIONS.modelVersion]: '1',
      [ANNOTATIONS.runId]: v1.runId,
      [ANNOTATIONS.holdoutMetric]: `holdout_auc=${v1.metrics.holdout_auc.toFixed(4)}`,
      [ANNOTATIONS.approvers]: 'bob',
      [ANNOTATIONS.requester]: 'alice',
      [ANNOTATIONS.previousStorageUri]: seeded.challenger.storageUri,
      [ANNOTATIONS.previousVersion]: '4',
      [ROLLED_BACK_ANNOTATION]: '4',
    });

    const events = await getDb().rolloutEvent.findMany({ where: { rolloutId: rollout.id }, orderBy: { id: 'asc' } });
    const rollback = events.find((e) => e.kind === 'rollback')!;
    expect(rollback).toMatchObject({ actor: 'erin', decision: 'rolled-back', reason: `Rolled back to v1: ${REASON}` });
    expect(rollback.values).toMatchObject({ version: '4', previousVersion: '1', toRequestId: v1Request });
    expect(events.find((e) => e.kind === 'intent')).toMatchObject({
      idempotencyKey: key,
      idempotencyAction: 'rollback-to-version',
    });
    expect(await getDb().rollout.findUniqueOrThrow({ where: { id: rollout.id } })).toMatchObject({
      state: 'rolled_back',
      currentPercent: 0,
    });
    const audited = await getDb().auditEvent.findMany({ where: { action: 'deployment.rollback', tenant: TENANT } });
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({
      actor: 'erin',
      outcome: 'success',
      reason: `Rolled back to v1: ${REASON}`,
      targetId: `${TENANT}/${ENDPOINT}`,
    });
    expect(audited[0]!.after).toMatchObject({
      storageUri: modelUriOf(v1.artifactUri),
      version: '1',
      request: v1Request,
    });

    // The same key again: answered, not repeated.
    const again = await rollbackToVersion(erin, TENANT, ENDPOINT, {
      rolloutId: rollout.id,
      version: '1',
      reason: REASON,
      idempotencyKey: key,
    });
    expect(again).toEqual({ changed: false, message: `Already done: Rolled back to v1: ${REASON}` });
    expect((await api().get(ENDPOINT))!.metadata.generation).toBe(isvc.metadata.generation);
    expect(await getDb().auditEvent.count({ where: { action: 'deployment.rollback', tenant: TENANT } })).toBe(1);
    expect(await getDb().rolloutEvent.count({ where: { rolloutId: rollout.id, kind: 'intent' } })).toBe(1);

    // Now v1 serves: it is no longer a target, and v4 (served, but never through a request here) is not one either.
    const now = (await rollbackTargetsOf(TENANT, ENDPOINT))!;
    expect(now.targets).toEqual([]);
    expect(now.serving).toMatchObject({ storageUri: modelUriOf(v1.artifactUri), version: '1' });
  });
});
