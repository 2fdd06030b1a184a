import { describe, expect, it } from 'vitest';
import { gateFailed, promotionRequested, rolloutOutcome } from './events';
import { NOTIFICATION_DATA } from './kinds';

const ROLLOUT = {
  id: '0b6c7d1e-1111-4c2e-9d3b-2f1e0a9b8c7d',
  endpoint: 'fraud-detector',
  modelName: 'fraud-model',
  version: '7',
  previousVersion: '6',
  promotionRequestId: null,
};
const GATES = [
  { id: 'threshold:auc', label: 'auc ≥ 0.85', passed: true, blocking: true, detail: 'auc 0.91' },
  { id: 'evidence', label: 'Evidence', passed: false, blocking: false, detail: 'no model card' },
];
const REQUEST = {
  id: '9a6c7d1e-2222-4c2e-9d3b-2f1e0a9b8c7d',
  modelName: 'fraud-model',
  version: '7',
  endpoint: 'fraud-detector',
  requesterName: 'alice',
  requiredApprovals: 2,
};

describe('rolloutOutcome', () => {
  const base = { actor: 'worker', reason: 'error rate 9 % over 6 %', fromPercent: 25 };

  it('tells an automatic rollback from a manual one, each with what its readers need', () => {
    const automatic = rolloutOutcome('fraud', ROLLOUT, {
      ...base,
      action: 'rollback',
      automatic: true,
      toPercent: 0,
      canary: { errorRate: 0.09, p99Ms: 120 },
    });
    expect(automatic).toMatchObject({
      kind: 'rollout.rolled_back.automatic',
      subject: { type: 'rollout', id: ROLLOUT.id },
      link: '/t/fraud/deployments/fraud-detector',
      title: 'fraud: fraud-detector was rolled back automatically from v7 to v6: error rate 9 % over 6 %',
      data: { previousVersion: '6', percent: 25, errorRate: 0.09, p99Ms: 120 },
    });
    const manual = rolloutOutcome('fraud', ROLLOUT, {
      ...base,
      actor: 'erin',
      action: 'rollback',
      automatic: false,
      toPercent: 0,
    });
    expect(manual).toMatchObject({ kind: 'rollout.rolled_back.manual', data: { actor: 'erin' } });
    expect(manual.title).toBe('fraud: erin rolled back fraud-detector from v7 to v6: error rate 9 % over 6 %');
    for (const event of [automatic, manual])
      expect(NOTIFICATION_DATA[event.kind].safeParse(event.data).success).toBe(true);
  });

  it('carries unreadable canary numbers as null, so the rollback it reports is still recorded', () => {
    const event = rolloutOutcome('fraud', ROLLOUT, {
      ...base,
      action: 'rollback',
      automatic: true,
      toPercent: 0,
      canary: { errorRate: Number.NaN, p99Ms: Number.POSITIVE_INFINITY },
    });
    expect(event.data).toMatchObject({ errorRate: null, p99Ms: null });
    expect(NOTIFICATION_DATA[event.kind].safeParse(event.data).success).toBe(true);
  });

  it('reports a step, and a promotion to 100 % as serving all traffic', () => {
    const step = rolloutOutcome('fraud', ROLLOUT, { ...base, action: 'step', automatic: true, toPercent: 50 });
    expect(step).toMatchObject({ kind: 'canary.step', data: { fromPercent: 25, toPercent: 50 } });
    expect(step.title).toContain('moved from 25 % to 50 % of traffic');
    const full = rolloutOutcome('fraud', ROLLOUT, {
      ...base,
      action: 'step',
      automatic: false,
      actor: 'erin',
      toPercent: 100,
    });
    expect(full.title).toContain('now serves all traffic on fraud-detector (erin:');
  });
});

describe('promotion events', () => {
  it('a filed request names its approvals and every gate', () => {
    const event = promotionRequested('fraud', REQUEST, GATES);
    expect(event.title).toBe('fraud: alice asks to promote fraud-model v7 to fraud-detector (2 approvals needed)');
    expect(event.data).toMatchObject({
      requiredApprovals: 2,
      gates: [
        { id: 'threshold:auc', passed: true },
        { id: 'evidence', passed: false },
      ],
    });
  });

  it('a failing gate: on a filed request, on a refused filing, and nothing when every gate passed', () => {
    expect(gateFailed('fraud', REQUEST, REQUEST, GATES)).toMatchObject({
      kind: 'promotion.gate_failed',
      link: `/t/fraud/promotions/${REQUEST.id}`,
      data: { requestId: REQUEST.id, filed: true, failed: [{ id: 'evidence', detail: 'no model card' }] },
    });
    const refused = gateFailed('fraud', REQUEST, null, GATES)!;
    expect(refused).toMatchObject({ link: '/t/fraud/promotions', data: { requestId: null, filed: false } });
    expect(refused.title).toBe(
      'fraud: the promotion of fraud-model v7 requested by alice was refused: Evidence — no model card',
    );
    expect(gateFailed('fraud', REQUEST, REQUEST, [GATES[0]!])).toBeNull();
  });
});
