/**
 * Automatic judgment of live canaries: one check of one rollout, recorded with the values that
 * drove it, then the action it decided — through the same rollback and promote people use
 * (./actions: intent, cluster write, outcome; never a cluster write inside a transaction).
 */
import { getDb } from '../db/client';
import type { Prisma } from '../db/generated/client';
import { inferenceServices, servingState, type InferenceService } from '../integrations/kubernetes';
import { servingMetrics } from '../integrations/prometheus';
import { getPolicy } from '../promotion/policy-store';
import { promoteRollout, rollbackRollout, WORKER } from './actions';
import { checkOutcomeOf, recordRolloutEvent, storedJudgmentSchema, type JudgmentValues } from './events';
import { judge, type CheckOutcome, type Decision, type RevisionSample } from './judgment';
import { judgmentPaused } from '../notifications/events';
import { emitNotification } from '../notifications/outbox';
import { requesterOf } from './records';

export {
  finishUnfinishedActions,
  promoteRollout,
  rollbackRollout,
  ROLLED_BACK_ANNOTATION,
  WORKER,
  type ActionHooks,
  type ActionOutcome,
  type Operator,
} from './actions';
export type { IdempotentAction } from './events';

// ---------------------------------------------------------------------------------------------
// Automatic judgment (one check of one live rollout; the worker calls it every interval)

export type LiveRollout = Prisma.RolloutGetPayload<{ include: { tenant: { select: { name: true } } } }>;

function toSample(
  metrics:
    | {
        revision: string;
        requests: number;
        requestRate: number;
        errorRate: number;
        p50Ms: number | null;
        p99Ms: number | null;
      }
    | undefined,
): RevisionSample | null {
  return metrics
    ? {
        revision: metrics.revision,
        requests: metrics.requests,
        requestRate: metrics.requestRate,
        errorRate: metrics.errorRate,
        p50Ms: metrics.p50Ms,
        p99Ms: metrics.p99Ms,
      }
    : null;
}

async function readCheckMetrics(
  rollout: LiveRollout,
  windowSeconds: number,
): Promise<{ canary: RevisionSample | null; stable: RevisionSample | null } | { unavailable: string }> {
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
    select: { kind: true, decision: true, reason: true, values: true },
  });
  // Read with the check's schema: a row that does not parse does not count as a check.
  const earlierChecks = earlier.map(checkOutcomeOf).filter((c): c is CheckOutcome => c !== null);
  const decision = judge({
    policy,
    now,
    currentPercent: rollout.currentPercent,
    stepStartedAt: rollout.stepStartedAt,
    metrics,
    earlierChecks,
  });
  const thresholds = {
    maxErrorRate: policy.maxErrorRate,
    maxP99Ms: policy.maxP99Ms,
    minRequests: policy.minRequests,
    immediateRollbackFactor: policy.immediateRollbackFactor,
    minPassRatio: policy.minPassRatio,
    bakeMinutes: policy.bakeMinutes,
    windowSeconds: policy.analysisWindowSeconds,
  };
  const shared = { metrics, thresholds, percent: rollout.currentPercent, checksAtStep: earlierChecks.length + 1 };
  const values: JudgmentValues = 'check' in decision ? { check: decision.check, ...shared } : shared;
  const judgment = storedJudgmentSchema.parse({
    action: decision.action,
    reason: decision.reason,
    at: now.toISOString(),
    values,
  });

  // Every check is part of the history, with the values that drove it; recorded before acting so
  // that a check never counts towards the step it moved the canary to.
  await getDb().$transaction(async (tx) => {
    await tx.rollout.update({
      where: { id: rollout.id },
      data: { lastJudgment: judgment as Prisma.InputJsonValue, lastCheckedAt: now },
    });
    if ('check' in decision) {
      await recordRolloutEvent(tx, rollout.id, WORKER.actor.name, {
        kind: 'check',
        decision: decision.check,
        reason: decision.reason,
        values: { ...shared, check: decision.check },
      });
    } else if ('unavailable' in metrics) {
      // People hear when judgment pauses, not at every check while it stays paused.
      const previous = await tx.rolloutEvent.findFirst({
        where: { rolloutId: rollout.id, kind: { in: ['check', 'pause'] } },
        orderBy: { id: 'desc' },
        select: { kind: true },
      });
      await recordRolloutEvent(tx, rollout.id, WORKER.actor.name, {
        kind: 'pause',
        decision: 'paused',
        reason: decision.reason,
        values: { ...shared, metrics },
      });
      if (previous?.kind !== 'pause')
        await emitNotification(tx, judgmentPaused(tenant, rollout, decision.reason), {
          requesterId: await requesterOf(tx, rollout),
        });
    }
  });
  // The same actions people take, under a key of this step's automatic judgment: acted on once.
  const key = `auto:${decision.action}@${rollout.stepStartedAt.toISOString()}`;
  if (decision.action === 'rollback') {
    await rollbackRollout(WORKER, tenant, rollout.id, {
      idempotencyKey: key,
      reason: decision.reason,
      judgment: values,
    });
  } else if (decision.action === 'step' || decision.action === 'promote') {
    await promoteRollout(WORKER, tenant, rollout.id, {
      idempotencyKey: key,
      to: decision.action === 'promote' ? 'full' : 'next',
      reason: decision.reason,
      judgment: values,
    });
  }
  return decision;
}
