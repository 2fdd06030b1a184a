import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../promotion/policy';
import { assessCheck, judge, type CheckOutcome, type JudgmentInput, type RevisionSample } from './judgment';

const START = new Date('2026-11-23T10:00:00Z');
const minutes = (n: number) => new Date(START.getTime() + n * 60_000);

function sample(overrides: Partial<RevisionSample> = {}): RevisionSample {
  return {
    revision: 'fraud-detector-predictor-00002',
    requests: 500,
    requestRate: 4.2,
    errorRate: 0.005,
    p50Ms: 40,
    p99Ms: 180,
    ...overrides,
  };
}

function input(overrides: Partial<JudgmentInput> & { canary?: RevisionSample | null } = {}): JudgmentInput {
  const { canary = sample(), ...rest } = overrides;
  return {
    policy: DEFAULT_POLICY,
    now: minutes(1),
    currentPercent: 10,
    stepStartedAt: START,
    metrics: { canary, stable: sample({ revision: 'fraud-detector-predictor-00001', requests: 4500 }) },
    earlierChecks: [],
    ...rest,
  };
}

describe('canary judgment', () => {
  it('pauses when metrics cannot be read, and never promotes blind', () => {
    const decision = judge(
      input({
        now: minutes(60),
        metrics: { unavailable: 'Prometheus did not answer within 5 s' },
        earlierChecks: Array<CheckOutcome>(20).fill('pass'),
      }),
    );
    expect(decision).toEqual({
      action: 'pause',
      reason: 'judgment paused: Prometheus did not answer within 5 s; nothing is promoted while metrics cannot be read',
    });
  });

  it('waits without judging while there is too little traffic', () => {
    const decision = judge(input({ canary: sample({ requests: 42 }) }));
    expect(decision).toMatchObject({ action: 'wait', check: 'insufficient' });
    expect(decision.reason).toContain('only 42 canary requests in the window, 100 needed');
  });

  it('treats a canary with no traffic at all as insufficient, not healthy', () => {
    expect(judge(input({ canary: null }))).toMatchObject({ action: 'wait', check: 'insufficient' });
  });

  it('rolls back at once above three times the error threshold', () => {
    const decision = judge(input({ canary: sample({ errorRate: 0.0601 }) }));
    expect(decision).toMatchObject({ action: 'rollback', check: 'fail' });
    expect(decision.reason).toBe('canary error rate 6.01 % is above 6.00 % (3× the threshold): rolled back at once');
  });

  it('does not roll back at once for an error rate between the threshold and three times it', () => {
    expect(judge(input({ canary: sample({ errorRate: 0.05 }) }))).toMatchObject({ action: 'wait', check: 'fail' });
  });

  it('fails a check on p99 latency and rolls back after three failures in a row', () => {
    const slow = sample({ p99Ms: 620 });
    expect(assessCheck(DEFAULT_POLICY, slow)).toEqual({ outcome: 'fail', reason: 'p99 620 ms above 500 ms' });
    expect(judge(input({ canary: slow, earlierChecks: ['pass', 'fail'] }))).toMatchObject({ action: 'wait' });
    expect(judge(input({ canary: slow, earlierChecks: ['pass', 'fail', 'fail'] }))).toMatchObject({
      action: 'rollback',
      reason: '3 checks in a row failed, the last: p99 620 ms above 500 ms',
    });
  });

  it('keeps baking while healthy, saying how long is left', () => {
    const decision = judge(input({ now: minutes(3) }));
    expect(decision).toMatchObject({ action: 'wait', check: 'pass' });
    expect(decision.reason).toContain('baking 7 more min at 10 %');
  });

  it('steps up after the baking period when enough checks passed', () => {
    const checks: CheckOutcome[] = [...Array<CheckOutcome>(18).fill('pass'), 'fail', 'insufficient'];
    expect(judge(input({ now: minutes(10), earlierChecks: checks }))).toEqual({
      action: 'step',
      to: 25,
      check: 'pass',
      reason: '95.0 % of 20 checks passed over 10 min: stepped up from 10 % to 25 %',
    });
  });

  it('rolls back after the baking period when too few checks passed', () => {
    const checks: CheckOutcome[] = ['pass', 'fail', 'pass', 'fail', 'pass', 'pass', 'pass', 'pass'];
    expect(judge(input({ now: minutes(11), earlierChecks: checks }))).toMatchObject({
      action: 'rollback',
      reason: '77.8 % of 9 checks passed during baking, 90.0 % required',
    });
  });

  it('keeps waiting after baking when no check ever had enough traffic', () => {
    expect(
      judge(input({ now: minutes(30), canary: sample({ requests: 3 }), earlierChecks: ['insufficient'] })),
    ).toMatchObject({ action: 'wait', check: 'insufficient' });
  });

  it('promotes from the last step below 100 %', () => {
    expect(
      judge(input({ now: minutes(12), currentPercent: 50, earlierChecks: Array<CheckOutcome>(9).fill('pass') })),
    ).toMatchObject({ action: 'promote', reason: '100.0 % of 10 checks passed over 10 min: promoted to 100 %' });
  });
});
