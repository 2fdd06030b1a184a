import { recordAudit, recordAuditAlone, type Actor } from '../audit/log';
import { getDb } from '../db/client';
import { inferenceServices, type InferenceService } from '../integrations/kubernetes';
import { mlflowFor } from '../integrations/mlflow';
import { syncAdmissionParams } from '../admission/service';
import { log } from '../observability/logger';
import { startRollout } from '../rollout/records';
import type { Prisma } from '../db/generated/client';
import { primaryMetricValue, targetHealthGate, type GateResult } from './gates';
import { MODEL_LABEL } from './endpoint';
import { deployTargetHealth, sharedPlatformHealth, type HealthSource } from './evaluation';
import { ANNOTATIONS, deploymentAnnotations, requestEvidence } from './evidence';
import { countingApprovals, requestGates, requestPolicy } from './requests';

/**
 * What happens after the final approval, in three idempotent steps recorded on the request
 * (`deployStep`): move the MLflow alias and tags, put the version on the InferenceService as a
 * canary, start the rollout that the worker then judges. A crash between steps leaves the request
 * `deploying` at a known step; the worker (or an admin, after a failure) runs it again and each
 * step notices what is already done.
 */

export { ANNOTATIONS } from './evidence';

const STEPS = ['alias', 'canary', 'rollout'] as const;
type Step = (typeof STEPS)[number];

function done(request: { deployStep: string | null }, step: Step): boolean {
  return request.deployStep !== null && STEPS.indexOf(request.deployStep as Step) >= STEPS.indexOf(step);
}

function previousVersionOf(gates: GateResult[]): string | null {
  const champion = gates.find((g) => g.id === 'regression')?.values.championVersion;
  return typeof champion === 'string' ? champion : null;
}

type Request = NonNullable<Awaited<ReturnType<typeof loadRequest>>>;

async function loadRequest(requestId: string) {
  return getDb().promotionRequest.findUnique({
    where: { id: requestId },
    include: { approvals: true, tenant: { select: { name: true } } },
  });
}

async function setAliasAndTags(request: Request): Promise<void> {
  const policy = requestPolicy(request);
  const mlflow = mlflowFor(request.tenant.name);
  const approvers = countingApprovals(request.approvals).map((a) => a.approverName);
  await mlflow.setRegisteredModelAlias(request.modelName, policy.alias, request.version);
  await mlflow.setModelVersionTag(request.modelName, request.version, 'mlp.promotion_request', request.id);
  await mlflow.setModelVersionTag(request.modelName, request.version, 'mlp.approved_by', approvers.join(','));
  await mlflow.setModelVersionTag(request.modelName, request.version, 'mlp.promoted_at', new Date().toISOString());
}

/** Puts the version on the endpoint: a canary at the policy's first step, or the first deployment. */
async function deployCanary(request: Request): Promise<void> {
  const policy = requestPolicy(request);
  const gates = requestGates(request);
  const api = inferenceServices(request.tenant.name, { kind: 'portal' });
  const firstStep = policy.canarySteps[0]!;
  const evidence = requestEvidence({
    ...request,
    primaryMetric: policy.primaryMetric,
    primaryValue: primaryMetricValue(gates),
    approvers: countingApprovals(request.approvals).map((a) => a.approverName),
  });
  // The cluster's admission guard judges the evidence against the tenant's current threshold: its
  // parameters are brought up to date first (if that fails, the cluster has the last word).
  await syncAdmissionParams(request.tenant.name).catch((error: unknown) =>
    log.warn('could not bring the admission guard parameters up to date before a deployment', {
      tenant: request.tenant.name,
      error,
    }),
  );

  const existing = await api.get(request.endpoint);
  if (!existing) {
    await api.create({
      name: request.endpoint,
      labels: { [MODEL_LABEL]: request.modelName },
      annotations: deploymentAnnotations({}, evidence, {
        liveCanary: false,
        storageUri: undefined,
        version: previousVersionOf(gates),
      }),
      predictor: {
        minReplicas: 1,
        model: { modelFormat: { name: 'mlflow' }, protocolVersion: 'v2', storageUri: request.storageUri },
      },
    });
    return;
  }
  await api.update(request.endpoint, (current: InferenceService) => {
    if (current.metadata.annotations[ANNOTATIONS.request] === request.id) return null; // done before a crash
    const predictor = current.spec.predictor;
    // While a canary is live, what serves the rest of the traffic is the stable version it started from.
    const live =
      predictor.canaryTrafficPercent !== undefined &&
      predictor.canaryTrafficPercent > 0 &&
      predictor.canaryTrafficPercent < 100;
    const previousStorageUri =
      (live ? current.metadata.annotations[ANNOTATIONS.previousStorageUri] : undefined) ?? predictor.model?.storageUri;
    const annotations = deploymentAnnotations(current.metadata.annotations, evidence, {
      liveCanary: live,
      storageUri: previousStorageUri,
      version: previousVersionOf(gates),
    });
    return {
      ...current,
      metadata: { ...current.metadata, annotations },
      spec: {
        ...current.spec,
        predictor: {
          ...predictor,
          minReplicas: Math.max(1, predictor.minReplicas ?? 1),
          canaryTrafficPercent: firstStep >= 100 ? undefined : firstStep,
          model: { ...predictor.model, storageUri: request.storageUri },
        },
      },
    };
  });
}

async function finish(request: Request, actor: Actor): Promise<void> {
  const policy = requestPolicy(request);
  const isvc = await inferenceServices(request.tenant.name, { kind: 'portal' }).get(request.endpoint);
  const annotations = isvc?.metadata.annotations ?? {};
  await getDb().$transaction(async (tx) => {
    await startRollout(tx, {
      tenantId: request.tenantId,
      tenant: request.tenant.name,
      endpoint: request.endpoint,
      promotionRequestId: request.id,
      modelName: request.modelName,
      version: request.version,
      storageUri: request.storageUri,
      previousStorageUri: annotations[ANNOTATIONS.previousStorageUri] ?? '',
      previousVersion: annotations[ANNOTATIONS.previousVersion] ?? null,
      steps: policy.canarySteps,
      // A first deployment (no earlier version on the endpoint) serves all traffic at once.
      currentPercent: isvc?.spec.predictor.canaryTrafficPercent ?? 100,
      actor: actor.name,
    });
    await tx.promotionRequest.update({
      where: { id: request.id },
      data: { status: 'deployed', deployStep: 'rollout', deployError: null },
    });
    await recordAudit(tx, {
      actor,
      action: 'promotion.deploy',
      tenant: request.tenant.name,
      target: { type: 'inference-service', id: `${request.tenant.name}/${request.endpoint}` },
      before: { storageUri: annotations[ANNOTATIONS.previousStorageUri] ?? null },
      after: {
        storageUri: request.storageUri,
        canaryTrafficPercent: isvc?.spec.predictor.canaryTrafficPercent ?? null,
        alias: policy.alias,
        version: request.version,
        request: request.id,
      },
      outcome: 'success',
    });
  });
}

async function markStep(requestId: string, step: Step): Promise<void> {
  await getDb().promotionRequest.update({ where: { id: requestId }, data: { deployStep: step } });
}

/**
 * The target's platform health may have turned red since the request was filed: judged again before
 * anything is written, a failing target-health gate refuses the deployment (the request `failed`,
 * with the gate and its evidence kept, retryable once the cause is fixed). Returns the refusal.
 */
async function refusedByTarget(request: Request, actor: Actor, health: HealthSource): Promise<string | null> {
  const gate = targetHealthGate(await deployTargetHealth(request.tenant.name, request.endpoint, health));
  const deployGates = [gate] as unknown as Prisma.InputJsonValue;
  if (gate.passed) {
    await getDb().promotionRequest.update({ where: { id: request.id }, data: { deployGates } });
    return null;
  }
  const message = `Deployment refused: ${gate.detail}`;
  await getDb().$transaction(async (tx) => {
    await tx.promotionRequest.update({
      where: { id: request.id },
      data: { status: 'failed', deployError: message, deployGates },
    });
    await recordAudit(tx, {
      actor,
      action: 'promotion.deploy',
      tenant: request.tenant.name,
      target: { type: 'promotion-request', id: request.id },
      after: { endpoint: request.endpoint, gates: [{ id: gate.id, passed: gate.passed }], ...gate.values },
      outcome: 'denied',
      reason: message,
    });
  });
  log.warn('promotion deployment refused: its target is not healthy', {
    request: request.id,
    endpoint: `${request.tenant.name}/${request.endpoint}`,
  });
  return message;
}

/**
 * Runs (or resumes) the deployment of a finally approved request. Returns the error message on
 * failure. `health`: where the target-health gate reads the platform's findings (see evaluation.ts).
 */
export async function deployPromotion(
  requestId: string,
  actor: Actor,
  health: HealthSource = sharedPlatformHealth,
): Promise<{ ok: true } | { ok: false; error: string }> {
  let request = await loadRequest(requestId);
  if (!request || (request.status !== 'deploying' && request.status !== 'failed')) return { ok: true };
  if (request.status === 'failed') {
    await getDb().promotionRequest.update({
      where: { id: requestId },
      data: { status: 'deploying', deployError: null },
    });
  }
  // Where it stopped, in the message: the target's health check, then each step.
  let step: Step | 'target health' = 'target health';
  try {
    if (!done(request, 'canary')) {
      const refused = await refusedByTarget(request, actor, health);
      if (refused) return { ok: false, error: refused };
    }
    step = 'alias';
    if (!done(request, 'alias')) {
      await setAliasAndTags(request);
      await markStep(requestId, 'alias');
    }
    step = 'canary';
    if (!done(request, 'canary')) {
      await deployCanary(request);
      await markStep(requestId, 'canary');
    }
    step = 'rollout';
    request = (await loadRequest(requestId))!;
    await finish(request, actor);
    return { ok: true };
  } catch (error) {
    const message = `Deployment stopped at the ${step} step: ${error instanceof Error ? error.message : String(error)}`;
    log.error('promotion deployment failed', { request: requestId, step, error });
    await getDb().promotionRequest.update({
      where: { id: requestId },
      data: { status: 'failed', deployError: message },
    });
    await recordAuditAlone({
      actor,
      action: 'promotion.deploy',
      tenant: request.tenant.name,
      target: { type: 'promotion-request', id: requestId },
      outcome: 'failed',
      reason: message,
    });
    return { ok: false, error: message };
  }
}

/** Requests left `deploying` by a crash: the worker finishes them after a grace period. */
export async function findInterruptedDeployments(olderThanMs: number): Promise<string[]> {
  const rows = await getDb().promotionRequest.findMany({
    where: { status: 'deploying', updatedAt: { lt: new Date(Date.now() - olderThanMs) } },
    select: { id: true },
  });
  return rows.map((r) => r.id);
}
