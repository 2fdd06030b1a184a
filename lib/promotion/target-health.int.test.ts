/**
 * The target-health gate against the running local platform: the real fraud/fraud-detector
 * InferenceService turned red for real — the MLmodel file of the model it serves is taken out of
 * object storage, so KServe could not load it (a critical artifact-missing finding) — then fixed by
 * putting the file back. A request filed while the target was green is refused at deploy time,
 * writing nothing to MLflow or Kubernetes; a filing onto the red target is refused with the finding
 * as evidence; once the cause is fixed the retried deployment is judged again and goes through. The
 * checks are gathered afresh each time (not the 30-second shared answer). Puts the MLmodel file,
 * the champion alias and the endpoint's version back in afterAll. Fails, never skips, when a
 * component is down.
 */
import { GetObjectCommand, PutObjectCommand, DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minioS3Client } from '../../stack/components/minio';
import { stackContext } from '../../stack/lib/context';
import { createMembers, useTestDatabase, type TestDatabase } from '../../test/db';
import { eventually, loadStackEnv, requireObjectStorage, requireSetting, seededTenant } from '../../test/stack';
import { getDb } from '../db/client';
import { inferenceServices, PORTAL_ACTOR } from '../integrations/kubernetes';
import { mlflowFor } from '../integrations/mlflow';
import { gatherPlatformHealth } from '../platform-health/gather';
import { rollbackRollout, WORKER } from '../rollout/service';
import { ANNOTATIONS, deployPromotion } from './deploy';
import { deployTargetHealth, type HealthSource } from './evaluation';
import { targetHealthGate, type GateResult } from './gates';
import { createPromotionRequest, decidePromotion, GatesRefusedError, requestDeployGates } from './requests';

loadStackEnv();

const TENANT = 'fraud';
const ENDPOINT = 'fraud-detector';
/** A fresh gathering every time: the test waits for the checks to see what it changed. */
/** The finding's link on the platform health page. */
const FINDING = new RegExp(
  `^/platform/health\\?tenant=${TENANT}#artifact-missing:${TENANT}:inference-service:${ENDPOINT}:`,
);
const fresh: HealthSource = () => gatherPlatformHealth();

let database: TestDatabase;
let fraud: ReturnType<typeof seededTenant>;
let s3: S3Client;
/** The MLmodel file of the model the endpoint serves, and its content (put back in afterAll). */
let mlmodel: { Bucket: string; Key: string };
let mlmodelBody: Uint8Array | undefined;
let removed = false;
const alice = { id: '', name: 'alice' };
const bob = { id: '', name: 'bob' };
const evidence = {
  modelCardUrl: 'https://wiki.example.com/fraud/model-card',
  notes: 'Retrained on October transactions; AUC up.',
};

async function removeMlmodel(): Promise<void> {
  removed = true;
  await s3.send(new DeleteObjectCommand(mlmodel));
}

async function restoreMlmodel(): Promise<void> {
  if (!removed || !mlmodelBody) return;
  await s3.send(new PutObjectCommand({ ...mlmodel, Body: mlmodelBody, ContentType: 'text/yaml' }));
  removed = false;
}

/** Gathers the checks afresh until the target's gate is as wanted. */
function targetGate(passed: boolean): Promise<GateResult> {
  return eventually(
    `the target-health gate of ${TENANT}/${ENDPOINT} to ${passed ? 'pass' : 'fail'}`,
    20_000,
    async () => {
      const gate = targetHealthGate(await deployTargetHealth(TENANT, ENDPOINT, fresh));
      return { done: gate.passed === passed, value: gate };
    },
    500,
  );
}

beforeAll(async () => {
  requireSetting('MLFLOW_TRACKING_URI', 'MLflow');
  requireSetting('KUBERNETES_PORTAL_KUBECONFIG', 'Kubernetes');
  await requireObjectStorage();
  fraud = seededTenant(TENANT);
  s3 = minioS3Client(stackContext());
  const served = (await inferenceServices(TENANT, PORTAL_ACTOR).get(ENDPOINT))?.spec.predictor.model?.storageUri;
  const location = served && /^s3:\/\/([^/]+)\/(.+)$/.exec(served);
  if (!location)
    throw new Error(`Kubernetes: ${TENANT}/${ENDPOINT} serves no s3:// model (${served}); re-seed the local platform`);
  mlmodel = { Bucket: location[1]!, Key: `${location[2]}/MLmodel` };
  mlmodelBody = await (await s3.send(new GetObjectCommand(mlmodel))).Body!.transformToByteArray();
  database = await useTestDatabase();
  const tenant = await getDb().tenant.create({ data: { name: TENANT, displayName: 'Fraud', status: 'active' } });
  const members = await createMembers(tenant.id, { alice: 'member', bob: 'approver' });
  alice.id = members.alice.id;
  bob.id = members.bob.id;
  await mlflowFor(TENANT).setRegisteredModelAlias(fraud.model, 'champion', fraud.champion.version);
});

afterAll(async () => {
  await restoreMlmodel();
  s3?.destroy();
  const rollout = await getDb().rollout.findFirst({ where: { state: 'progressing' } });
  if (rollout)
    await rollbackRollout(WORKER, TENANT, rollout.id, { idempotencyKey: crypto.randomUUID(), reason: 'test cleanup' });
  await mlflowFor(TENANT).setRegisteredModelAlias(fraud.model, 'champion', fraud.champion.version);
  await getDb().$disconnect();
  await database?.drop();
});

describe('the target-health gate on the real fraud/fraud-detector', () => {
  let requestId = '';

  it('passes while the target is green, and is recorded with the request', async () => {
    await targetGate(true);
    const request = await createPromotionRequest(
      alice,
      TENANT,
      { modelName: fraud.model, version: fraud.challenger.version, ...evidence },
      { kind: 'browser' },
      fresh,
    );
    requestId = request.id;
    const gate = (request.gates as unknown as GateResult[]).find((g) => g.id === 'target-health');
    expect(gate).toMatchObject({
      passed: true,
      blocking: true,
      values: { endpoint: `${TENANT}/${ENDPOINT}`, exists: true },
    });
  });

  it('refuses the deployment once the target turned red, saying why, writing nothing to MLflow or Kubernetes', async () => {
    await removeMlmodel();
    const red = await targetGate(false);
    expect(red.evidence).toContainEqual(expect.objectContaining({ href: expect.stringMatching(FINDING) }));

    const before = (await inferenceServices(TENANT, PORTAL_ACTOR).get(ENDPOINT))!;
    const decision = await decidePromotion(bob, TENANT, requestId, { decision: 'approve', comment: 'Looks good' });
    expect(decision.finallyApproved).toBe(true);
    const outcome = await deployPromotion(requestId, bob, fresh);
    expect(outcome.ok).toBe(false);
    const error = outcome.ok ? '' : outcome.error;
    expect(error).toMatch(
      /^Deployment refused: fraud\/fraud-detector has 1 critical platform-health finding: fraud\/fraud-detector \((stable|canary) revision\): no MLmodel file at s3:\/\//,
    );

    const request = await getDb().promotionRequest.findUniqueOrThrow({ where: { id: requestId } });
    expect(request).toMatchObject({ status: 'failed', deployError: error, deployStep: null });
    const [gate] = requestDeployGates(request);
    expect(gate).toMatchObject({ id: 'target-health', passed: false, values: { critical: 1 } });
    expect(gate!.evidence).toContainEqual({
      label: 'Model artifact missing (critical)',
      value: expect.stringContaining(`no MLmodel file at s3://${mlmodel.Bucket}/${mlmodel.Key}`),
      href: expect.stringMatching(FINDING),
    });

    const after = (await inferenceServices(TENANT, PORTAL_ACTOR).get(ENDPOINT))!;
    expect(after.metadata.generation).toBe(before.metadata.generation);
    expect(after.metadata.annotations[ANNOTATIONS.request]).not.toBe(requestId);
    const model = await mlflowFor(TENANT).getRegisteredModel(fraud.model);
    expect(model.aliases).toContainEqual({ alias: 'champion', version: fraud.champion.version });
    expect(await getDb().rollout.count()).toBe(0);
    const audit = await getDb().auditEvent.findFirstOrThrow({ where: { action: 'promotion.deploy' } });
    expect(audit).toMatchObject({ outcome: 'denied', reason: error });
  });

  it('refuses a filing onto the red target, with the finding in the gate’s evidence', async () => {
    const filing = createPromotionRequest(
      alice,
      TENANT,
      { modelName: fraud.model, version: fraud.challenger.version, ...evidence },
      { kind: 'browser' },
      fresh,
    );
    const refusal = await filing.then(
      () => null,
      (error: unknown) => error,
    );
    expect(refusal).toBeInstanceOf(GatesRefusedError);
    const gate = (refusal as GatesRefusedError).gates.find((g) => g.id === 'target-health')!;
    expect(gate.passed).toBe(false);
    expect(gate.evidence).toContainEqual(expect.objectContaining({ href: expect.stringMatching(FINDING) }));
    expect((refusal as Error).message).toContain(
      'Target endpoint’s platform checks — fraud/fraud-detector has 1 critical',
    );
  });

  it('deploys when retried once the cause is fixed: judged again, the gate passes', async () => {
    await restoreMlmodel();
    await targetGate(true);
    expect(await deployPromotion(requestId, bob, fresh)).toEqual({ ok: true });

    const request = await getDb().promotionRequest.findUniqueOrThrow({ where: { id: requestId } });
    expect(request).toMatchObject({ status: 'deployed', deployError: null });
    expect(requestDeployGates(request)).toEqual([expect.objectContaining({ id: 'target-health', passed: true })]);
    const isvc = (await inferenceServices(TENANT, PORTAL_ACTOR).get(ENDPOINT))!;
    expect(isvc.metadata.annotations[ANNOTATIONS.request]).toBe(requestId);
    expect(isvc.spec.predictor.model?.storageUri).toBe(fraud.challenger.storageUri);
  });
});
