import type { Policy } from './policy';

/**
 * The gates a policy change weakens, in words: such a change waits for a second admin (never
 * its proposer), while one that only strengthens applies at once. Pure; the policy store decides
 * with it.
 */
export function policyWeakenings(before: Policy, after: Policy): string[] {
  const found: string[] = [];
  const weaker = (condition: boolean, text: string) => {
    if (condition) found.push(text);
  };

  weaker(
    after.requiredApprovals < before.requiredApprovals,
    `fewer approvals (${before.requiredApprovals} → ${after.requiredApprovals})`,
  );
  for (const threshold of before.thresholds) {
    const kept = after.thresholds.find((t) => t.metric === threshold.metric);
    if (!kept) found.push(`threshold removed (${threshold.metric} >= ${threshold.min})`);
    else weaker(kept.min < threshold.min, `threshold lowered (${threshold.metric} >= ${threshold.min} → ${kept.min})`);
  }
  weaker(
    after.primaryMetric !== before.primaryMetric,
    `regression compared on another metric (${before.primaryMetric} → ${after.primaryMetric})`,
  );
  weaker(
    after.regressionTolerance > before.regressionTolerance,
    `larger regression tolerance (−${before.regressionTolerance} → −${after.regressionTolerance})`,
  );
  weaker(before.requireSignature && !after.requireSignature, 'signature no longer required');
  weaker(before.requireModelCard && !after.requireModelCard, 'model card no longer required');
  weaker(before.requireNotes && !after.requireNotes, 'notes no longer required');
  weaker(after.bakeMinutes < before.bakeMinutes, `shorter bake (${before.bakeMinutes} → ${after.bakeMinutes} min)`);
  weaker(
    after.canarySteps[0]! > before.canarySteps[0]!,
    `larger first canary step (${before.canarySteps[0]} → ${after.canarySteps[0]} %)`,
  );
  weaker(
    after.canarySteps.length < before.canarySteps.length,
    `fewer canary steps (${before.canarySteps.join(', ')} → ${after.canarySteps.join(', ')})`,
  );
  weaker(
    after.maxErrorRate > before.maxErrorRate,
    `higher canary error-rate threshold (${before.maxErrorRate * 100} → ${after.maxErrorRate * 100} %)`,
  );
  weaker(after.maxP99Ms > before.maxP99Ms, `higher canary p99 threshold (${before.maxP99Ms} → ${after.maxP99Ms} ms)`);
  weaker(
    after.minRequests < before.minRequests,
    `fewer requests needed to judge (${before.minRequests} → ${after.minRequests})`,
  );
  weaker(
    after.immediateRollbackFactor > before.immediateRollbackFactor,
    `later immediate rollback (${before.immediateRollbackFactor}× → ${after.immediateRollbackFactor}×)`,
  );
  weaker(
    after.minPassRatio < before.minPassRatio,
    `fewer passing checks needed (${before.minPassRatio * 100} → ${after.minPassRatio * 100} %)`,
  );
  weaker(
    after.maxInputDrift > before.maxInputDrift,
    `higher input drift threshold (${before.maxInputDrift} → ${after.maxInputDrift})`,
  );
  return found;
}
