import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, policySchema } from './policy';
import { policyWeakenings } from './policy-weakenings';

const policy = (changes: Record<string, unknown>) => policySchema.parse({ ...DEFAULT_POLICY, ...changes });

describe('policy weakenings', () => {
  it('finds none in an unchanged or stricter policy', () => {
    expect(policyWeakenings(DEFAULT_POLICY, DEFAULT_POLICY)).toEqual([]);
    const stricter = policy({
      requiredApprovals: 2,
      thresholds: [
        { metric: 'holdout_auc', min: 0.9 },
        { metric: 'cv_f1_mean', min: 0.8 },
        { metric: 'recall', min: 0.5 },
      ],
      regressionTolerance: 0.01,
      bakeMinutes: 20,
      canarySteps: [5, 10, 25, 50, 100],
      maxErrorRate: 0.01,
      maxP99Ms: 300,
      minRequests: 200,
      immediateRollbackFactor: 2,
      minPassRatio: 0.95,
      maxInputDrift: 0.1,
    });
    expect(policyWeakenings(DEFAULT_POLICY, stricter)).toEqual([]);
  });

  it('names every gate the issue lists when it is weakened', () => {
    const weaker = policy({
      requiredApprovals: 1,
      thresholds: [{ metric: 'holdout_auc', min: 0.8 }],
      regressionTolerance: 0.05,
      requireSignature: false,
      requireModelCard: false,
      requireNotes: false,
      bakeMinutes: 5,
      canarySteps: [50, 100],
    });
    expect(policyWeakenings(policy({ requiredApprovals: 2 }), weaker)).toEqual([
      'fewer approvals (2 → 1)',
      'threshold lowered (holdout_auc >= 0.85 → 0.8)',
      'threshold removed (cv_f1_mean >= 0.8)',
      'larger regression tolerance (−0.02 → −0.05)',
      'signature no longer required',
      'model card no longer required',
      'notes no longer required',
      'shorter bake (10 → 5 min)',
      'larger first canary step (10 → 50 %)',
      'fewer canary steps (10, 25, 50, 100 → 50, 100)',
    ]);
  });

  it('treats looser canary judgment and another regression metric as weaker', () => {
    const weaker = policy({
      primaryMetric: 'cv_f1_mean',
      maxErrorRate: 0.05,
      maxP99Ms: 900,
      minRequests: 10,
      immediateRollbackFactor: 5,
      minPassRatio: 0.6,
    });
    expect(policyWeakenings(DEFAULT_POLICY, weaker)).toEqual([
      'regression compared on another metric (holdout_auc → cv_f1_mean)',
      'higher canary error-rate threshold (2 → 5 %)',
      'higher canary p99 threshold (500 → 900 ms)',
      'fewer requests needed to judge (100 → 10)',
      'later immediate rollback (3× → 5×)',
      'fewer passing checks needed (90 → 60 %)',
    ]);
  });

  it('treats a higher input drift threshold as weaker: drift past the old one would go unreported', () => {
    expect(policyWeakenings(DEFAULT_POLICY, policy({ maxInputDrift: 0.35 }))).toEqual([
      'higher input drift threshold (0.2 → 0.35)',
    ]);
    expect(policyWeakenings(policy({ maxInputDrift: 0.35 }), DEFAULT_POLICY)).toEqual([]);
  });
});
