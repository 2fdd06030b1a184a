import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLICY,
  formatThresholdLines,
  nextStep,
  parseThresholdLines,
  policySchema,
  readPolicy,
} from './policy';

describe('promotion policy', () => {
  it('defaults to the field defaults of the product brief', () => {
    expect(DEFAULT_POLICY).toMatchObject({
      thresholds: [
        { metric: 'holdout_auc', min: 0.85 },
        { metric: 'cv_f1_mean', min: 0.8 },
      ],
      regressionTolerance: 0.02,
      requiredApprovals: 1,
      staleAfterHours: 24,
      canarySteps: [10, 25, 50, 100],
      maxErrorRate: 0.02,
      maxP99Ms: 500,
      minRequests: 100,
      immediateRollbackFactor: 3,
      minPassRatio: 0.9,
      maxInputDrift: 0.2,
    });
  });

  it.each([
    [{ maxErrorRate: 0 }, 'maxErrorRate'],
    [{ maxErrorRate: 1.5 }, 'maxErrorRate'],
    [{ requiredApprovals: 0 }, 'requiredApprovals'],
    [{ requiredApprovals: 1.5 }, 'requiredApprovals'],
    [{ canarySteps: [10, 5, 100] }, 'canarySteps'],
    [{ canarySteps: [10, 50] }, 'canarySteps'],
    [{ regressionTolerance: -0.1 }, 'regressionTolerance'],
    [{ staleAfterHours: 48, expireAfterHours: 24 }, 'expireAfterHours'],
    [
      {
        thresholds: [
          { metric: 'auc', min: 0.8 },
          { metric: 'auc', min: 0.9 },
        ],
      },
      'thresholds',
    ],
    [{ alias: 'bad alias' }, 'alias'],
    [{ maxInputDrift: 0 }, 'maxInputDrift'],
    [{ maxInputDrift: 1.2 }, 'maxInputDrift'],
  ])('refuses %j, naming %s', (settings, field) => {
    const result = policySchema.safeParse(settings);
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path[0])).toContain(field);
  });

  it('reads a stored policy with defaults for settings it lacks, and the defaults for a broken one', () => {
    expect(readPolicy({ requiredApprovals: 2 })).toEqual({ ...DEFAULT_POLICY, requiredApprovals: 2 });
    expect(readPolicy({ requiredApprovals: 'two' })).toEqual(DEFAULT_POLICY);
  });

  it('round-trips thresholds through their form text and rejects malformed lines', () => {
    const text = 'holdout_auc >= 0.9\ncv_f1_mean>=0.75\n\n';
    expect(parseThresholdLines(text)).toEqual([
      { metric: 'holdout_auc', min: 0.9 },
      { metric: 'cv_f1_mean', min: 0.75 },
    ]);
    expect(formatThresholdLines(parseThresholdLines(text))).toBe('holdout_auc >= 0.9\ncv_f1_mean >= 0.75');
    expect(() => parseThresholdLines('holdout_auc > 0.9')).toThrow('should look like holdout_auc >= 0.85');
  });

  it('finds the next canary step', () => {
    expect(nextStep([10, 25, 50, 100], 10)).toBe(25);
    expect(nextStep([10, 25, 50, 100], 20)).toBe(25);
    expect(nextStep([10, 25, 50, 100], 100)).toBeNull();
  });
});
