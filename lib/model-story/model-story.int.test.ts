/**
 * A model's story and a request's evidence pack against the running local platform: the seeded
 * fraud model's versions and runs from the real MLflow, a request filed and approved through the
 * real services (gates from MLflow, MinIO and Kubernetes), a canary's start and one automatic
 * judgment recorded as the rollout code records them. Nothing on the platform is changed (the
 * request is approved but not deployed). Fails, never skips, when a component is down.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMembers, createPerson, useTestDatabase, type TestDatabase } from '../../test/db';
import { closedPort, loadStackEnv, requireMlflow, requireSetting, seededTenant } from '../../test/stack';
import { ForbiddenError } from '../auth/authorize';
import { loadSessionUser, type SessionUser } from '../auth/users';
import { verifyAuditLog } from '../audit/log';
import { getDb } from '../db/client';
import { integrationConfig } from '../integrations/config';
import { mlflowFor } from '../integrations/mlflow';
import { DEFAULT_POLICY } from '../promotion/policy';
import { createPromotionRequest, decidePromotion } from '../promotion/requests';
import { recordRolloutEvent } from '../rollout/events';
import { startRollout } from '../rollout/records';
import { verifyPackRows, type PackAuditRow } from './evidence';
import { evidencePack } from './evidence-service';
import { modelStory } from './service';

loadStackEnv();

const TENANT = 'fraud';
let database: TestDatabase;
let fraud: ReturnType<typeof seededTenant>;
let alice: SessionUser;
let outsider: SessionUser;
let requestId = '';

beforeAll(async () => {
  await requireMlflow();
  requireSetting('KUBERNETES_PORTAL_KUBECONFIG', 'Kubernetes');
  fraud = seededTenant(TENANT);
  database = await useTestDatabase();
  const tenant = await getDb().tenant.create({ data: { name: TENANT, displayName: 'Fraud', status: 'active' } });
  const members = await createMembers(tenant.id, { alice: 'member', bob: 'approver' });
  alice = (await loadSessionUser(members.alice.id))!;
  outsider = await createPerson('mallory', []);
  // The regression gate compares with the champion: start from the seeded one, whatever an earlier run left.
  await mlflowFor(TENANT).setRegisteredModelAlias(fraud.model, 'champion', fraud.champion.version);

  const request = await createPromotionRequest(members.alice, TENANT, {
    modelName: fraud.model,
    version: fraud.challenger.version,
    modelCardUrl: 'https://wiki.example.com/fraud/model-card',
    notes: 'Retrained on November transactions.',
  });
  requestId = request.id;
  await decidePromotion(members.bob, TENANT, requestId, { decision: 'approve', comment: 'Looks right' });
  await getDb().$transaction(async (tx) => {
    const rollout = await startRollout(tx, {
      tenantId: tenant.id,
      tenant: TENANT,
      endpoint: request.endpoint,
      promotionRequestId: requestId,
      modelName: fraud.model,
      version: fraud.challenger.version,
      storageUri: fraud.challenger.storageUri,
      previousStorageUri: fraud.champion.storageUri,
      previousVersion: fraud.champion.version,
      steps: DEFAULT_POLICY.canarySteps,
      actor: 'bob',
    });
    await recordRolloutEvent(tx, rollout.id, 'worker', {
      kind: 'check',
      decision: 'pass',
      reason: 'canary error rate 0.4 % below 2 %, p99 180 ms below 500 ms',
      values: {
        check: 'pass',
        metrics: {
          canary: { revision: 'c', requests: 320, requestRate: 5.3, errorRate: 0.004, p50Ms: 40, p99Ms: 180 },
          stable: { revision: 's', requests: 2900, requestRate: 48, errorRate: 0.003, p50Ms: 38, p99Ms: 170 },
        },
        thresholds: { maxErrorRate: 0.02, maxP99Ms: 500, minRequests: 100 },
        percent: DEFAULT_POLICY.canarySteps[0]!,
        checksAtStep: 1,
      },
    });
  });
});

afterAll(async () => {
  await getDb().$disconnect();
  await database?.drop();
});

describe('the timeline of the seeded fraud model', () => {
  it('has every version’s registration and source run with its main metric from MLflow', async () => {
    const story = await modelStory(alice, TENANT, fraud.model);
    expect(story.mlflowProblem).toBeNull();
    expect(story.primaryMetric).toBe('holdout_auc');
    for (const seeded of fraud.versions) {
      expect(story.events.find((e) => e.id === `reg-${seeded.version}`)?.kind, `v${seeded.version}`).toBe(
        'registration',
      );
      const run = story.events.find((e) => e.id === `run-${seeded.version}`);
      expect(run?.numbers.runId, `v${seeded.version}`).toBe(seeded.runId);
      expect(run?.numbers.holdout_auc as number).toBeCloseTo(seeded.metrics.holdout_auc, 6);
    }
    expect(story.aliases).toContainEqual({ alias: 'champion', version: fraud.champion.version });
    const times = story.events.map((e) => e.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('has the request, its gates with their numbers, the approval that counts, the canary and its judgment', async () => {
    const story = await modelStory(alice, TENANT, fraud.model);
    const version = fraud.challenger.version;
    const mine = story.events.filter((e) => e.version === version);
    expect(mine.find((e) => e.id === `req-${requestId}`)).toMatchObject({ kind: 'request', actor: 'alice' });
    expect(mine.find((e) => e.id === `gate-${requestId}-threshold_holdout_auc`)?.numbers).toMatchObject({
      metric: 'holdout_auc',
      min: 0.85,
    });
    expect(mine.find((e) => e.kind === 'approval')).toMatchObject({ actor: 'bob', numbers: { counts: true } });
    expect(mine.find((e) => e.kind === 'deployment')?.summary).toContain('Canary started');
    expect(mine.find((e) => e.kind === 'judgment')).toMatchObject({
      actor: 'worker',
      numbers: { check: 'pass', 'canary.errorRate': 0.004, 'threshold.maxErrorRate': 0.02 },
    });
  });

  it('is refused to someone who is not a member of the tenant', async () => {
    await expect(modelStory(outsider, TENANT, fraud.model)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('loses only MLflow’s events when MLflow cannot be reached, and says why', async () => {
    const port = await closedPort();
    const mlflow = mlflowFor(TENANT, {
      ...integrationConfig('mlflow'),
      MLFLOW_TRACKING_URI: `http://127.0.0.1:${port}`,
    });
    const story = await modelStory(alice, TENANT, fraud.model, { mlflow });
    expect(story.mlflowProblem).toContain(`MLflow cannot be reached at 127.0.0.1:${port}`);
    expect(story.events.filter((e) => e.kind === 'run' || e.kind === 'registration')).toEqual([]);
    expect(new Set(story.events.map((e) => e.kind))).toEqual(
      new Set(['request', 'gate', 'approval', 'deployment', 'judgment']),
    );
  });
});

describe('the evidence pack', () => {
  it('carries each event’s audit row with the log’s own hashes, which the audit:verify logic accepts', async () => {
    const pack = (await evidencePack(alice, TENANT, requestId))!;
    expect(pack.request).toMatchObject({ id: requestId, requester: 'alice', status: 'deploying' });
    expect(pack.gates.length).toBeGreaterThan(0);
    expect(pack.approvals).toEqual([
      expect.objectContaining({ approver: 'bob', decision: 'approve', counts: true, audit: expect.anything() }),
    ]);
    expect(pack.rollout?.events.map((e) => e.kind)).toEqual(['start', 'check']);

    const logged = await getDb().auditEvent.findMany({ where: { targetId: requestId }, orderBy: { id: 'asc' } });
    expect(logged.map((r) => r.action)).toEqual(['promotion.request', 'promotion.approve']);
    for (const row of logged)
      expect(pack.auditEvents).toContainEqual(
        expect.objectContaining({ id: row.id.toString(), hash: row.hash, prevHash: row.prevHash, action: row.action }),
      );
    expect(pack.request.audit.map((a) => a.id)).toEqual([logged[0]!.id.toString()]);
    expect(pack.approvals[0]!.audit).toEqual({
      id: logged[1]!.id.toString(),
      hash: logged[1]!.hash,
      prevHash: logged[1]!.prevHash,
    });

    // As the auditor's copy would be: the downloaded JSON, checked against the log.
    const downloaded = JSON.parse(JSON.stringify(pack)) as { auditEvents: PackAuditRow[] };
    const byId = new Map(logged.map((r) => [r.id.toString(), r]));
    expect(verifyPackRows(downloaded.auditEvents, byId)).toEqual({ ok: true, checked: downloaded.auditEvents.length });
    expect(await verifyAuditLog()).toMatchObject({ ok: true });
    const tampered = downloaded.auditEvents.map((r, i) => (i === 0 ? { ...r, actor: 'someone else' } : r));
    expect(verifyPackRows(tampered, byId)).toMatchObject({ ok: false });
  });

  it('is refused to someone who is not a member, and is null for a request of no such id', async () => {
    await expect(evidencePack(outsider, TENANT, requestId)).rejects.toBeInstanceOf(ForbiddenError);
    expect(await evidencePack(alice, TENANT, '00000000-0000-4000-8000-000000000000')).toBeNull();
  });
});
