import { recordAudit, type Actor } from '../audit/log';
import { getDb, type Tx } from '../db/client';
import type { Prisma } from '../db/generated/client';
import { UserFacingError } from '../errors';
import { inferenceServices, servingState, type InferenceService, type KubeActor } from '../integrations/kubernetes';
import { mlflowFor } from '../integrations/mlflow';
import { servingMetrics } from '../integrations/prometheus';
import { log } from '../observability/logger';
import { getPolicy } from '../promotion/policy-store';
import { nextStep } from '../promotion/policy';
import { rollbackAnnotations } from '../promotion/evidence';
import { judge, type CheckOutcome, type Decision, type RevisionSample } from './judgment';
import { appendEvent, lockEndpoint, useIdempotencyAction } from './records';

/** Who acts: the name kept in the audit log and rollout history, and the identity used at the Kubernetes API. */
export interface Operator {
  actor: Actor;
  kube: KubeActor;
}

/** Set on an InferenceService by a rollback: the version whose canary was rolled back. */
export const ROLLED_BACK_ANNOTATION = 'mlp.example.com/rolled-back-version';

export const WORKER: Operator = { actor: { name: 'worker' }, kube: { kind: 'portal' } };

export interface ActionOutcome {
  /** False when nothing was done because it had been done already (a repeated click, a finished rollout). */
  changed: boolean;
  message: string;
}

type Rollout = NonNullable<Awaited<ReturnType<typeof lockRollout>>>;

async function lockRollout(tx: Tx, tenant: string, rolloutId: string) {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT r.id FROM rollouts r JOIN tenants t ON t.id = r.tenant_id WHERE r.id = ${rolloutId}::uuid AND t.name = ${tenant} FOR UPDATE OF r`;
  if (rows.length === 0) return null;
  const rollout = await tx.rollout.findUniqueOrThrow({ where: { id: rolloutId } });
  await lockEndpoint(tx, tenant, rollout.endpoint);
  return rollout;
}

/** What an idempotency key was used for: the same key for another action is refused, not answered. */
export type IdempotentAction = 'rollback' | 'promote-next' | 'promote-full';

const ACTION_WORDS: Record<IdempotentAction, string> = { rollback: 'a rollback', 'promote-next': 'a promotion to the next step', 'promote-full': 'a promotion to 100 %' };

/**
 * Runs `act` on a live rollout under its lock; a repeated idempotency key or a finished rollout
 * is answered, not acted on. Keys belong to one rollout (so to one tenant) and one action: a key
 * is looked up only among this rollout's events, and one used for another action is refused.
 */
async function onLiveRollout(
  tenant: string,
  rolloutId: string,
  idempotency: { key: string | undefined; action: IdempotentAction },
  act: (tx: Tx, rollout: Rollout) => Promise<ActionOutcome>,
): Promise<ActionOutcome> {
  const { key, action } = idempotency;
  return getDb().$transaction(
    async (tx) => {
      const rollout = await lockRollout(tx, tenant, rolloutId);
      if (!rollout) throw new UserFacingError('There is no such rollout in this tenant.');
      if (key) {
        const earlier = await tx.rolloutEvent.findUnique({ where: { rolloutId_idempotencyKey: { rolloutId: rollout.id, idempotencyKey: key } } });
        if (earlier) {
          const used = earlier.idempotencyAction as IdempotentAction | null;
          if (used && used !== action) {
            throw new UserFacingError(`This request's key was already used for ${ACTION_WORDS[used] ?? 'another action'} of this rollout, so ${ACTION_WORDS[action]} was not done. Reload the page and try again.`);
          }
          return { changed: false, message: `Already done: ${earlier.reason}` };
        }
      }
      if (rollout.state !== 'progressing') {
        return { changed: false, message: `Nothing to do: this rollout is already ${rollout.state.replace('_', ' ')}.` };
      }
      // The event the action writes with the key records what the key was used for.
      useIdempotencyAction(tx, action);
      return act(tx, rollout);
    },
    { timeout: 20_000, maxWait: 10_000 },
  );
}

/** The rollout's history event and the audit event of one traffic change, in the caller's transaction. */
async function recordTrafficChange(
  tx: Tx,
  operator: Operator,
  tenant: string,
  rollout: Rollout,
  change: {
    action: string;
    kind: 'rollback' | 'promote' | 'step';
    decision: string;
    reason: string;
    before: IsvcTraffic | null;
    after: IsvcTraffic;
    values: Record<string, unknown>;
    idempotencyKey?: string;
  },
): Promise<void> {
  await appendEvent(tx, {
    rolloutId: rollout.id,
    kind: change.kind,
    actor: operator.actor.name,
    decision: change.decision,
    reason: change.reason,
    values: { ...change.values, before: change.before, after: change.after },
    idempotencyKey: change.idempotencyKey,
  });
  await recordAudit(tx, {
    actor: operator.actor,
    action: change.action,
    tenant,
    target: { type: 'inference-service', id: `${tenant}/${rollout.endpoint}` },
    before: change.before,
    after: change.after,
    outcome: 'success',
    reason: change.reason,
  });
}

type IsvcTraffic = ReturnType<typeof describeIsvc>;

function describeIsvc(isvc: InferenceService) {
  return { storageUri: isvc.spec.predictor.model?.storageUri ?? null, canaryTrafficPercent: isvc.spec.predictor.canaryTrafficPercent ?? null };
}

/**
 * Rollback: all traffic back to the previous stable version — canaryTrafficPercent 0 *and* the
 * previous storageUri, since a percentage alone does not bring back a scaled-to-zero revision.
 */
export async function rollbackRollout(
  operator: Operator,
  tenant: string,
  rolloutId: string,
  options: { idempotencyKey?: string; reason: string; values?: Record<string, unknown> },
): Promise<ActionOutcome> {
  const outcome = await onLiveRollout(tenant, rolloutId, { key: options.idempotencyKey, action: 'rollback' }, async (tx, rollout) => {
    if (!rollout.previousStorageUri) throw new UserFacingError('This rollout does not know the previous stable version, so it cannot be rolled back automatically.');
    let before: IsvcTraffic | null = null;
    const updated = await inferenceServices(tenant, operator.kube).update(rollout.endpoint, (current) => {
      before = describeIsvc(current);
      const predictor = current.spec.predictor;
      return {
        ...current,
        // The previous model's evidence comes back with it, so the cluster's admission guard sees what serves.
        metadata: { ...current.metadata, annotations: rollbackAnnotations(current.metadata.annotations, { key: ROLLED_BACK_ANNOTATION, version: rollout.version }) },
        spec: { ...current.spec, predictor: { ...predictor, canaryTrafficPercent: 0, model: { ...predictor.model, storageUri: rollout.previousStorageUri } } },
      };
    });
    await tx.rollout.update({ where: { id: rollout.id }, data: { state: 'rolled_back', currentPercent: 0, finishedAt: new Date() } });
    await recordTrafficChange(tx, operator, tenant, rollout, {
      action: 'deployment.rollback',
      kind: 'rollback',
      decision: 'rolled-back',
      reason: options.reason,
      before,
      after: describeIsvc(updated),
      values: { ...options.values, version: rollout.version, previousVersion: rollout.previousVersion },
      idempotencyKey: options.idempotencyKey,
    });
    return { changed: true, message: `Rolled back ${rollout.endpoint} to its previous version${rollout.previousVersion ? ` (v${rollout.previousVersion})` : ''}.` };
  });
  if (outcome.changed) await restoreAlias(tenant, rolloutId);
  return outcome;
}

/** After a rollback the registry's alias points at what serves again (unless someone moved it meanwhile). */
async function restoreAlias(tenant: string, rolloutId: string): Promise<void> {
  const rollout = await getDb().rollout.findUniqueOrThrow({ where: { id: rolloutId }, include: { promotionRequest: true } });
  if (!rollout.promotionRequest || !rollout.previousVersion) return;
  const alias = (rollout.promotionRequest.policy as { alias?: string }).alias ?? 'champion';
  try {
    const mlflow = mlflowFor(tenant);
    const model = await mlflow.getRegisteredModel(rollout.modelName);
    if (model.aliases.find((a) => a.alias === alias)?.version !== rollout.version) return;
    await mlflow.setRegisteredModelAlias(rollout.modelName, alias, rollout.previousVersion);
    await mlflow.setModelVersionTag(rollout.modelName, rollout.version, 'mlp.rolled_back_at', new Date().toISOString());
  } catch (error) {
    log.error('could not move the alias back after a rollback', { tenant, rollout: rolloutId, error });
    await getDb().rolloutEvent.create({
      data: { rolloutId, kind: 'rollback', actor: 'worker', decision: 'alias not restored', reason: `The ${alias} alias still points at v${rollout.version}: ${error instanceof Error ? error.message : String(error)}`, values: {} },
    });
  }
}

/** Promote: the next canary step, or straight to 100 %. */
export async function promoteRollout(
  operator: Operator,
  tenant: string,
  rolloutId: string,
  options: { idempotencyKey?: string; to: 'next' | 'full'; reason: string; values?: Record<string, unknown> },
): Promise<ActionOutcome> {
  return onLiveRollout(tenant, rolloutId, { key: options.idempotencyKey, action: options.to === 'full' ? 'promote-full' : 'promote-next' }, async (tx, rollout) => {
    const step = options.to === 'full' ? 100 : (nextStep(rollout.steps, rollout.currentPercent) ?? 100);
    let before: IsvcTraffic | null = null;
    const updated = await inferenceServices(tenant, operator.kube).update(rollout.endpoint, (current) => {
      if (current.spec.predictor.model?.storageUri !== rollout.storageUri) {
        throw new UserFacingError(`${rollout.endpoint} no longer serves v${rollout.version}: it was changed outside this rollout.`);
      }
      before = describeIsvc(current);
      // At 100 % the canary field goes: KServe then serves the latest revision alone.
      const { canaryTrafficPercent: _dropped, ...predictor } = current.spec.predictor;
      return { ...current, spec: { ...current.spec, predictor: step >= 100 ? predictor : { ...predictor, canaryTrafficPercent: step } } };
    });
    const promoted = step >= 100;
    await tx.rollout.update({
      where: { id: rollout.id },
      data: { currentPercent: step, stepStartedAt: new Date(), state: promoted ? 'promoted' : 'progressing', finishedAt: promoted ? new Date() : null },
    });
    await recordTrafficChange(tx, operator, tenant, rollout, {
      action: promoted ? 'deployment.promote' : 'deployment.step',
      kind: promoted ? 'promote' : 'step',
      decision: promoted ? 'promoted' : `stepped to ${step} %`,
      reason: options.reason,
      before,
      after: describeIsvc(updated),
      values: options.values ?? {},
      idempotencyKey: options.idempotencyKey,
    });
    return { changed: true, message: promoted ? `v${rollout.version} now serves all traffic on ${rollout.endpoint}.` : `v${rollout.version} now receives ${step} % of traffic.` };
  });
}

// ---------------------------------------------------------------------------------------------
// Automatic judgment (one check of one live rollout; the worker calls it every interval)

export type LiveRollout = Prisma.RolloutGetPayload<{ include: { tenant: { select: { name: true } } } }>;

function toSample(metrics: { revision: string; requests: number; requestRate: number; errorRate: number; p50Ms: number | null; p99Ms: number | null } | undefined): RevisionSample | null {
  return metrics ? { revision: metrics.revision, requests: metrics.requests, requestRate: metrics.requestRate, errorRate: metrics.errorRate, p50Ms: metrics.p50Ms, p99Ms: metrics.p99Ms } : null;
}

async function readCheckMetrics(rollout: LiveRollout, windowSeconds: number): Promise<{ canary: RevisionSample | null; stable: RevisionSample | null } | { unavailable: string }> {
  const tenant = rollout.tenant.name;
  let isvc: InferenceService | null;
  try {
    isvc = await inferenceServices(tenant, { kind: 'portal' }).get(rollout.endpoint);
  } catch (error) {
    return { unavailable: error instanceof Error ? error.message : String(error) };
  }
  if (!isvc) return { unavailable: `the InferenceService ${tenant}/${rollout.endpoint} does not exist` };
  const state = servingState(isvc);
  if (!state.canaryRevision) return { unavailable: `${rollout.endpoint} has no canary revision with traffic yet` };
  try {
    const revisions = await servingMetrics(tenant).revisionMetrics(rollout.endpoint, windowSeconds);
    return {
      canary: toSample(revisions.find((r) => r.revision === state.canaryRevision)),
      stable: toSample(revisions.find((r) => r.revision === state.stableRevision)),
    };
  } catch (error) {
    return { unavailable: error instanceof Error ? error.message : String(error) };
  }
}

export async function checkRollout(rollout: LiveRollout, now = new Date()): Promise<Decision> {
  const tenant = rollout.tenant.name;
  const { policy } = await getPolicy(tenant);
  const metrics = await readCheckMetrics(rollout, policy.analysisWindowSeconds);
  const earlier = await getDb().rolloutEvent.findMany({
    where: { rolloutId: rollout.id, kind: 'check', occurredAt: { gte: rollout.stepStartedAt } },
    orderBy: { id: 'asc' },
    select: { values: true },
  });
  const earlierChecks = earlier.map((e) => (e.values as { check?: CheckOutcome }).check).filter((c): c is CheckOutcome => c !== undefined);
  const decision = judge({ policy, now, currentPercent: rollout.currentPercent, stepStartedAt: rollout.stepStartedAt, metrics, earlierChecks });
  const thresholds = { maxErrorRate: policy.maxErrorRate, maxP99Ms: policy.maxP99Ms, minRequests: policy.minRequests, immediateRollbackFactor: policy.immediateRollbackFactor, minPassRatio: policy.minPassRatio, bakeMinutes: policy.bakeMinutes, windowSeconds: policy.analysisWindowSeconds };
  const values = { check: 'check' in decision ? decision.check : undefined, metrics, thresholds, percent: rollout.currentPercent, checksAtStep: earlierChecks.length + 1 };
  const judgment = { action: decision.action, reason: decision.reason, at: now.toISOString(), values };

  // Every check is part of the history, with the values that drove it; recorded before acting so
  // that a check never counts towards the step it moved the canary to.
  await getDb().$transaction([
    getDb().rollout.update({ where: { id: rollout.id }, data: { lastJudgment: toJson(judgment), lastCheckedAt: now } }),
    getDb().rolloutEvent.create({
      data: {
        rolloutId: rollout.id,
        kind: decision.action === 'pause' ? 'pause' : 'check',
        actor: 'worker',
        decision: decision.action === 'pause' ? 'paused' : (values.check ?? decision.action),
        reason: decision.reason,
        values: toJson(values),
      },
    }),
  ]);
  if (decision.action === 'rollback') {
    await rollbackRollout(WORKER, tenant, rollout.id, { reason: decision.reason, values });
  } else if (decision.action === 'step' || decision.action === 'promote') {
    await promoteRollout(WORKER, tenant, rollout.id, { to: decision.action === 'promote' ? 'full' : 'next', reason: decision.reason, values });
  }
  return decision;
}

function toJson(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}
