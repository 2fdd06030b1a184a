import type { z } from 'zod';
import type { Policy } from '../promotion/policy';
import { formatFixedPercent } from '../format';
import { nextStep } from '../promotion/policy';
import type { checkMetricsSchema, checkOutcomeSchema, revisionSampleSchema } from './events';

/**
 * Canary judgment: given one check's metrics and the checks before it at the current step, what
 * the rollout should do now. Pure, so every rule is unit-tested and every decision can be
 * recorded with exactly the values that drove it.
 */

/** One revision's numbers over the analysis window (recorded with every check: lib/rollout/events.ts). */
export type RevisionSample = z.output<typeof revisionSampleSchema>;

export type JudgmentPolicy = Pick<
  Policy,
  | 'canarySteps'
  | 'bakeMinutes'
  | 'maxErrorRate'
  | 'maxP99Ms'
  | 'minRequests'
  | 'immediateRollbackFactor'
  | 'minPassRatio'
  | 'analysisWindowSeconds'
>;

export type CheckOutcome = z.output<typeof checkOutcomeSchema>;

export interface JudgmentInput {
  policy: JudgmentPolicy;
  now: Date;
  currentPercent: number;
  stepStartedAt: Date;
  /** The metrics of this check, or why they could not be read. */
  metrics: z.output<typeof checkMetricsSchema>;
  /** Outcomes of earlier checks at this step, oldest first. */
  earlierChecks: readonly CheckOutcome[];
}

export type Decision =
  | { action: 'pause'; reason: string }
  | { action: 'rollback'; reason: string; check: CheckOutcome }
  | { action: 'wait'; reason: string; check: CheckOutcome }
  | { action: 'step'; to: number; reason: string; check: CheckOutcome }
  | { action: 'promote'; reason: string; check: CheckOutcome };

/** Failed checks in a row that roll a canary back before its baking period ends. */
const CONSECUTIVE_FAILURES_TO_ROLL_BACK = 3;

/** One check against the thresholds, with the reason in words. */
export function assessCheck(
  policy: JudgmentPolicy,
  canary: RevisionSample | null,
): { outcome: CheckOutcome; reason: string } {
  const requests = Math.round(canary?.requests ?? 0);
  if (!canary || requests < policy.minRequests) {
    return {
      outcome: 'insufficient',
      reason: `only ${requests} canary requests in the window, ${policy.minRequests} needed to judge`,
    };
  }
  const problems: string[] = [];
  if (canary.errorRate > policy.maxErrorRate)
    problems.push(
      `error rate ${formatFixedPercent(canary.errorRate)} above ${formatFixedPercent(policy.maxErrorRate)}`,
    );
  if (canary.p99Ms !== null && canary.p99Ms > policy.maxP99Ms)
    problems.push(`p99 ${Math.round(canary.p99Ms)} ms above ${policy.maxP99Ms} ms`);
  if (problems.length > 0) return { outcome: 'fail', reason: problems.join(' and ') };
  const p99 = canary.p99Ms === null ? 'no latency data' : `p99 ${Math.round(canary.p99Ms)} ms`;
  return {
    outcome: 'pass',
    reason: `error rate ${formatFixedPercent(canary.errorRate)}, ${p99} over ${requests} requests`,
  };
}

export function judge(input: JudgmentInput): Decision {
  const { policy } = input;
  if ('unavailable' in input.metrics) {
    return {
      action: 'pause',
      reason: `judgment paused: ${input.metrics.unavailable}; nothing is promoted while metrics cannot be read`,
    };
  }
  const { canary } = input.metrics;
  const check = assessCheck(policy, canary);

  const immediateLimit = policy.maxErrorRate * policy.immediateRollbackFactor;
  if (check.outcome === 'fail' && canary && canary.errorRate > immediateLimit) {
    return {
      action: 'rollback',
      check: 'fail',
      reason: `canary error rate ${formatFixedPercent(canary.errorRate)} is above ${formatFixedPercent(immediateLimit)} (${policy.immediateRollbackFactor}× the threshold): rolled back at once`,
    };
  }

  const checks = [...input.earlierChecks, check.outcome];
  const trailingFailures = checks.length - 1 - checks.findLastIndex((c) => c !== 'fail');
  if (trailingFailures >= CONSECUTIVE_FAILURES_TO_ROLL_BACK) {
    return {
      action: 'rollback',
      check: check.outcome,
      reason: `${trailingFailures} checks in a row failed, the last: ${check.reason}`,
    };
  }

  const bakedMs = input.now.getTime() - input.stepStartedAt.getTime();
  const bakeMs = policy.bakeMinutes * 60_000;
  if (bakedMs < bakeMs) {
    const left = Math.ceil((bakeMs - bakedMs) / 60_000);
    return {
      action: 'wait',
      check: check.outcome,
      reason: `${check.outcome === 'pass' ? 'healthy' : check.outcome === 'fail' ? 'failed' : 'not enough traffic'}: ${check.reason}; baking ${left} more min at ${input.currentPercent} %`,
    };
  }

  const judged = checks.filter((c) => c !== 'insufficient');
  if (judged.length === 0) {
    return {
      action: 'wait',
      check: check.outcome,
      reason: `baking period over but no check had enough traffic: ${check.reason}`,
    };
  }
  const passRatio = judged.filter((c) => c === 'pass').length / judged.length;
  if (passRatio < policy.minPassRatio) {
    return {
      action: 'rollback',
      check: check.outcome,
      reason: `${formatFixedPercent(passRatio)} of ${judged.length} checks passed during baking, ${formatFixedPercent(policy.minPassRatio)} required`,
    };
  }
  const to = nextStep(policy.canarySteps, input.currentPercent);
  const summary = `${formatFixedPercent(passRatio)} of ${judged.length} checks passed over ${policy.bakeMinutes} min`;
  if (to === null || to >= 100)
    return { action: 'promote', check: check.outcome, reason: `${summary}: promoted to 100 %` };
  return {
    action: 'step',
    to,
    check: check.outcome,
    reason: `${summary}: stepped up from ${input.currentPercent} % to ${to} %`,
  };
}
