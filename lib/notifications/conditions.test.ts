import { describe, expect, it } from 'vitest';
import { BURN_RATE_WINDOWS } from '../slo/budget';
import { conditionChanges, driftKey, driftReadings, quotaKey, quotaReading, sloKey, sloReading } from './conditions';

const burnRates = (long: number | null, short: number | null) =>
  BURN_RATE_WINDOWS.map((w, i) => ({
    ...w,
    longRate: i === 0 ? long : 0,
    shortRate: i === 0 ? short : 0,
    firing: i === 0 && long !== null && short !== null && long > w.factor && short > w.factor,
  }));
const slo = (long: number | null, short: number | null) => ({
  tenant: 'fraud',
  endpoint: 'fraud-detector',
  kind: 'availability' as const,
  objective: 0.999,
  burnRates: burnRates(long, short),
});

describe('quotaReading', () => {
  it('opens above 90 % of the limit, with the numbers in its event', () => {
    const reading = quotaReading({ tenant: 'fraud', used: 15, hard: 16 });
    expect(reading).toMatchObject({ key: quotaKey('fraud'), opens: true, clears: false });
    expect(reading.event).toMatchObject({
      kind: 'quota.gpu_high',
      tenant: 'fraud',
      link: '/t/fraud/gpu',
      data: { used: 15, hard: 16, share: 0.9375, threshold: 0.9 },
    });
    expect(reading.event.title).toContain('15 of 16 GPUs');
  });

  it('does not open at exactly 90 %, and clears only at 85 % or below (no alert at every tick around 90 %)', () => {
    expect(quotaReading({ tenant: 'fraud', used: 9, hard: 10 })).toMatchObject({ opens: false, clears: false });
    expect(quotaReading({ tenant: 'fraud', used: 87, hard: 100 })).toMatchObject({ opens: false, clears: false });
    expect(quotaReading({ tenant: 'fraud', used: 85, hard: 100 })).toMatchObject({ opens: false, clears: true });
  });

  it('never opens without a limit (and clears one left open)', () => {
    expect(quotaReading({ tenant: 'fraud', used: 4, hard: null })).toMatchObject({ opens: false, clears: true });
    expect(quotaReading({ tenant: 'fraud', used: 0, hard: 0 })).toMatchObject({ opens: false });
  });
});

describe('sloReading', () => {
  it('opens while both windows of 1 h / 5 m burn faster than 14.4×', () => {
    const reading = sloReading(slo(20, 30));
    expect(reading).toMatchObject({ key: sloKey('fraud', 'fraud-detector', 'availability'), opens: true });
    expect(reading.event).toMatchObject({
      kind: 'slo.fast_burn',
      link: '/slo/fraud/fraud-detector',
      data: {
        endpoint: 'fraud-detector',
        objective: 'availability',
        target: 0.999,
        window: '1h / 5m',
        longBurnRate: 20,
        shortBurnRate: 30,
        factor: 14.4,
      },
    });
  });

  it('clears once the short window calms down, or without traffic', () => {
    expect(sloReading(slo(20, 3))).toMatchObject({ opens: false, clears: true });
    expect(sloReading(slo(null, null))).toMatchObject({ opens: false, clears: true });
  });
});

describe('conditionChanges: once per crossing', () => {
  const high = quotaReading({ tenant: 'fraud', used: 15, hard: 16 });
  const low = quotaReading({ tenant: 'fraud', used: 2, hard: 16 });
  const prefixes = [quotaKey('fraud')];

  it('opens a condition the first time, then not again while it holds', () => {
    expect(conditionChanges(new Set(), [high], prefixes)).toEqual({ opened: [high], cleared: [] });
    expect(conditionChanges(new Set([high.key]), [high], prefixes)).toEqual({ opened: [], cleared: [] });
  });

  it('clears it when it no longer holds, so that the next crossing opens it again', () => {
    expect(conditionChanges(new Set([high.key]), [low], prefixes)).toEqual({ opened: [], cleared: [high.key] });
    expect(conditionChanges(new Set(), [low], prefixes)).toEqual({ opened: [], cleared: [] });
  });

  it('leaves a condition alone when its source could not be read, and clears one whose subject is gone', () => {
    const burning = sloKey('fraud', 'gone-endpoint', 'latency');
    expect(conditionChanges(new Set([high.key, burning]), [], [])).toEqual({ opened: [], cleared: [] });
    expect(conditionChanges(new Set([burning]), [], ['slo.fast_burn:fraud/'])).toEqual({
      opened: [],
      cleared: [burning],
    });
  });
});

describe('driftReadings: once per drift episode', () => {
  const policies = new Map([['pricing', { maxInputDrift: 0.2, version: 2 }]]);
  const scores = (discount: number, other = 0.05) => [
    { tenant: 'pricing', endpoint: 'price-elasticity', feature: 'discount_pct', score: discount },
    { tenant: 'pricing', endpoint: 'price-elasticity', feature: 'base_price', score: other },
    { tenant: 'fraud', endpoint: 'fraud-detector', feature: 'amount', score: 0.9 },
  ];
  const key = driftKey('pricing', 'price-elasticity');
  const prefixes = ['model.drift:pricing/'];

  it('opens for an endpoint with a feature above its tenant’s threshold, naming the features and the policy', () => {
    const [reading, ...rest] = driftReadings(scores(0.33), policies);
    expect(rest).toEqual([]);
    expect(reading).toMatchObject({ key, tenant: 'pricing', opens: true, clears: false });
    expect(reading!.event).toEqual({
      kind: 'model.drift',
      tenant: 'pricing',
      subject: { type: 'endpoint', id: 'price-elasticity' },
      title:
        'pricing: the inputs of price-elasticity drift away from its training data (discount_pct 0.330; threshold 0.2)',
      link: '/t/pricing/deployments/price-elasticity',
      data: {
        endpoint: 'price-elasticity',
        threshold: 0.2,
        policyVersion: 2,
        features: [{ feature: 'discount_pct', score: 0.33 }],
      },
    });
  });

  it('emits once while the drift lasts, clears below 90 % of the threshold, and opens again on the next breach', () => {
    const drifting = driftReadings(scores(0.33), policies);
    expect(conditionChanges(new Set(), drifting, prefixes).opened.map((r) => r.key)).toEqual([key]);
    expect(conditionChanges(new Set([key]), drifting, prefixes)).toEqual({ opened: [], cleared: [] });
    // Just under the threshold: neither a new breach nor cleared, so hovering does not alert again.
    expect(conditionChanges(new Set([key]), driftReadings(scores(0.19), policies), prefixes)).toEqual({
      opened: [],
      cleared: [],
    });
    expect(conditionChanges(new Set([key]), driftReadings(scores(0.1), policies), prefixes)).toEqual({
      opened: [],
      cleared: [key],
    });
    expect(conditionChanges(new Set(), drifting, prefixes).opened.map((r) => r.key)).toEqual([key]);
  });

  it('clears an endpoint no longer scored, and leaves tenants without a policy unread', () => {
    expect(conditionChanges(new Set([key]), [], prefixes)).toEqual({ opened: [], cleared: [key] });
    expect(driftReadings(scores(0.33), new Map())).toEqual([]);
  });
});
