/**
 * Promotion end to end against the running local platform (MLflow, MinIO, the Kubernetes API and
 * its simulator): gates from real registry data, approval rules, the deployment steps on the real
 * fraud/fraud-detector InferenceService, crash recovery and an idempotent rollback. It puts the
 * champion alias back and leaves the endpoint on its previous version (the demo and the browser
 * tests reset the seeded state when they start). Fails, never skips, when a component is down.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMembers, useTestDatabase, type TestDatabase } from '../../test/db';
import { getDb } from '../db/client';
import { inferenceServices, PORTAL_ACTOR, servingState } from '../integrations/kubernetes';
import { loadStackEnv, requireSetting, seededTenant } from '../../test/stack';
import { mlflowFor } from '../integrations/mlflow';
import { rollbackRollout, WORKER } from '../rollout/service';
import { ANNOTATIONS, deployPromotion } from './deploy';
import { gatesFor, gatherEvidence } from './evaluation';
import { DEFAULT_POLICY } from './policy';
import { createPromotionRequest, decidePromotion } from './requests';

loadStackEnv();

const TENANT = 'fraud';
const ENDPOINT = 'fraud-detector';
let database: TestDatabase;
let fraud: ReturnType<typeof seededTenant>;
const alice = { id: '', name: 'alice' };
const bob = { id: '', name: 'bob' };
const evidence = {
  modelCardUrl: 'https://wiki.example.com/fraud/model-card',
  notes: 'Retrained on October transactions; AUC up.',
};

beforeAll(async () => {
  requireSetting('MLFLOW_TRACKING_URI', 'MLflow');
  requireSetting('KUBERNETES_PORTAL_KUBECONFIG', 'Kubernetes');
  fraud = seededTenant(TENANT);
  database = await useTestDatabase();
  const tenant = await getDb().tenant.create({ data: { name: TENANT, displayName: 'Fraud', status: 'active' } });
  const members = await createMembers(tenant.id, { alice: 'member', bob: 'approver' });
  alice.id = members.alice.id;
  bob.id = members.bob.id;
  // Start from the seeded champion, whatever an earlier run left.
  await mlflowFor(TENANT).setRegisteredModelAlias(fraud.model, 'champion', fraud.champion.version);
});

afterAll(async () => {
  await mlflowFor(TENANT).setRegisteredModelAlias(fraud.model, 'champion', fraud.champion.version);
  await getDb().$disconnect();
  await database?.drop();
});

describe('gates from the real registry', () => {
  it('pass for the challenger, with the champion it is compared with', async () => {
    const found = await gatherEvidence(TENANT, fraud.model, fraud.challenger.version, DEFAULT_POLICY);
    expect(found.champion?.version).toBe(fraud.champion.version);
    expect(found.mlmodelExists).toBe(true);
    expect(found.signatureLogged).toBe(true);
    expect(gatesFor(found, DEFAULT_POLICY, evidence).filter((g) => !g.passed)).toEqual([]);
  });

  it('fail for the version logged without a signature, and say so', async () => {
    const found = await gatherEvidence(TENANT, fraud.model, '2', DEFAULT_POLICY);
    const signature = gatesFor(found, DEFAULT_POLICY, evidence).find((g) => g.id === 'signature')!;
    expect(signature).toMatchObject({ passed: false, blocking: true });
  });

  it('refuse a version that does not exist, and one that is not a number', async () => {
    await expect(gatherEvidence(TENANT, fraud.model, '999', DEFAULT_POLICY)).rejects.toThrow(
      `${fraud.model} has no version 999 in this tenant.`,
    );
    await expect(gatherEvidence(TENANT, fraud.model, '1; drop', DEFAULT_POLICY)).rejects.toThrow(
      '"1; drop" is not a model version number.',
    );
  });
});

describe('a request from filing to rollback', () => {
  let requestId = '';

  it('refuses a version whose blocking gate fails, recording nothing', async () => {
    await expect(
      createPromotionRequest(alice, TENANT, { modelName: fraud.model, version: '2', ...evidence }),
    ).rejects.toThrow(/cannot be submitted: .*Model signature logged/);
    expect(await getDb().promotionRequest.count()).toBe(0);
  });

  it('files a request whose gates pass, once', async () => {
    const request = await createPromotionRequest(alice, TENANT, {
      modelName: fraud.model,
      version: fraud.challenger.version,
      ...evidence,
    });
    requestId = request.id;
    expect(request).toMatchObject({
      status: 'pending',
      endpoint: ENDPOINT,
      storageUri: fraud.challenger.storageUri,
      requiredApprovals: 1,
    });
    await expect(
      createPromotionRequest(alice, TENANT, { modelName: fraud.model, version: fraud.challenger.version, ...evidence }),
    ).rejects.toThrow('already has an open promotion request');
  });

  it('never lets the requester decide, and needs a reason to reject', async () => {
    await expect(decidePromotion(alice, TENANT, requestId, { decision: 'approve', comment: '' })).rejects.toThrow(
      'You cannot approve or reject your own request.',
    );
    await expect(decidePromotion(bob, TENANT, requestId, { decision: 'reject', comment: '' })).rejects.toThrow(
      'Say why you reject the request.',
    );
    expect(await getDb().approval.count()).toBe(0);
  });

  it("deploys on bob's approval: alias, then the canary with its evidence, then the rollout", async () => {
    const decision = await decidePromotion(bob, TENANT, requestId, { decision: 'approve', comment: 'Looks good' });
    expect(decision).toMatchObject({ finallyApproved: true, status: 'deploying', counts: true });
    await expect(decidePromotion(bob, TENANT, requestId, { decision: 'approve', comment: '' })).rejects.toThrow(
      'already deploying',
    );

    expect(await deployPromotion(requestId, bob)).toEqual({ ok: true });
    const isvc = (await inferenceServices(TENANT, PORTAL_ACTOR).get(ENDPOINT))!;
    expect(isvc.spec.predictor.model?.storageUri).toBe(fraud.challenger.storageUri);
    expect(isvc.spec.predictor.canaryTrafficPercent).toBe(DEFAULT_POLICY.canarySteps[0]);
    expect(isvc.spec.predictor.minReplicas).toBeGreaterThanOrEqual(1);
    expect(isvc.metadata.annotations).toMatchObject({
      [ANNOTATIONS.request]: requestId,
      [ANNOTATIONS.runId]: fraud.challenger.runId,
      [ANNOTATIONS.approvers]: 'bob',
      [ANNOTATIONS.modelCard]: evidence.modelCardUrl,
      [ANNOTATIONS.previousStorageUri]: fraud.champion.storageUri,
    });
    expect(isvc.metadata.annotations[ANNOTATIONS.holdoutMetric]).toMatch(/^holdout_auc=0\.\d{4}$/);
    const model = await mlflowFor(TENANT).getRegisteredModel(fraud.model);
    expect(model.aliases).toContainEqual({ alias: 'champion', version: fraud.challenger.version });

    const rollout = await getDb().rollout.findUniqueOrThrow({ where: { promotionRequestId: requestId } });
    expect(rollout).toMatchObject({
      state: 'progressing',
      currentPercent: 10,
      previousStorageUri: fraud.champion.storageUri,
      previousVersion: fraud.champion.version,
    });
    expect((await getDb().promotionRequest.findUniqueOrThrow({ where: { id: requestId } })).status).toBe('deployed');
  });

  it('finishes a deployment interrupted after its first step without repeating the others', async () => {
    await getDb().promotionRequest.update({
      where: { id: requestId },
      data: { status: 'deploying', deployStep: 'alias' },
    });
    const before = (await inferenceServices(TENANT, PORTAL_ACTOR).get(ENDPOINT))!;
    expect(await deployPromotion(requestId, WORKER.actor)).toEqual({ ok: true });
    const after = (await inferenceServices(TENANT, PORTAL_ACTOR).get(ENDPOINT))!;
    expect(after.metadata.generation).toBe(before.metadata.generation);
    expect(await getDb().rollout.count({ where: { promotionRequestId: requestId } })).toBe(1);
  });

  it('rolls back once however often the same click arrives, restoring the previous version and alias', async () => {
    const rollout = await getDb().rollout.findUniqueOrThrow({ where: { promotionRequestId: requestId } });
    const key = crypto.randomUUID();
    const outcomes = await Promise.all(
      [1, 2, 3].map(() => rollbackRollout(WORKER, TENANT, rollout.id, { idempotencyKey: key, reason: 'test' })),
    );
    expect(outcomes.filter((o) => o.changed)).toHaveLength(1);

    const isvc = (await inferenceServices(TENANT, PORTAL_ACTOR).get(ENDPOINT))!;
    expect(isvc.spec.predictor.canaryTrafficPercent).toBe(0);
    expect(isvc.spec.predictor.model?.storageUri).toBe(fraud.champion.storageUri);
    expect(await getDb().rolloutEvent.count({ where: { rolloutId: rollout.id, kind: 'rollback' } })).toBe(1);
    expect(await getDb().auditEvent.count({ where: { action: 'deployment.rollback' } })).toBe(1);
    const model = await mlflowFor(TENANT).getRegisteredModel(fraud.model);
    expect(model.aliases).toContainEqual({ alias: 'champion', version: fraud.champion.version });
    expect(servingState(isvc).storageUri).toBe(fraud.champion.storageUri);
  });
});
