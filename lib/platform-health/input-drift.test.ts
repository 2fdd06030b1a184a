import { describe, expect, it } from 'vitest';
import type { DriftScore } from '@/lib/integrations/prometheus/drift-metrics';
import { checkInputDrift, driftBreaches, type DriftPolicy } from './input-drift';

const score = (tenant: string, endpoint: string, feature: string, value: number): DriftScore => ({
  tenant,
  endpoint,
  feature,
  score: value,
});

const SCORES = [
  score('pricing', 'price-elasticity', 'base_price', 0.06),
  score('pricing', 'price-elasticity', 'discount_pct', 0.331),
  score('pricing', 'price-elasticity', 'competitor_price_ratio', 0.3372),
  score('fraud', 'fraud-detector', 'amount', 0.09),
  score('forecast', 'demand-forecast', 'lag_1w', 0.12),
];
const policies = (entries: Record<string, DriftPolicy>) => new Map(Object.entries(entries));
const DEFAULTS = policies({
  pricing: { maxInputDrift: 0.2, version: 3 },
  fraud: { maxInputDrift: 0.2, version: 0 },
  forecast: { maxInputDrift: 0.2, version: 1 },
});

describe('input-drift', () => {
  it('fires once per endpoint, naming each feature over its tenant’s threshold worst first, with the policy', () => {
    const [finding, ...rest] = checkInputDrift(SCORES, DEFAULTS);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      checkId: 'input-drift',
      severity: 'warning',
      tenant: 'pricing',
      subject: { kind: 'inference-service', name: 'price-elasticity' },
      title:
        'pricing/price-elasticity: 2 input features drift past 0.2 (competitor_price_ratio 0.337, discount_pct 0.331)',
    });
    expect(finding!.evidence).toEqual([
      { label: 'Endpoint', value: 'pricing/price-elasticity', href: '/t/pricing/deployments/price-elasticity' },
      { label: 'Feature competitor_price_ratio', value: 'drift score 0.337 > 0.2' },
      { label: 'Feature discount_pct', value: 'drift score 0.331 > 0.2' },
      { label: 'Threshold', value: '0.2 (policy version 3)', href: '/t/pricing/policy' },
    ]);
    expect(finding!.remedy).toMatch(/retrain on recent data/);
  });

  it('judges each endpoint by its own tenant’s threshold; a score at the threshold is not over it', () => {
    const strict = policies({
      fraud: { maxInputDrift: 0.05, version: 0 },
      forecast: { maxInputDrift: 0.12, version: 2 },
    });
    const findings = checkInputDrift(SCORES, strict);
    expect(findings.map((f) => [f.tenant, f.title])).toEqual([
      ['fraud', 'fraud/fraud-detector: 1 input feature drift past 0.05 (amount 0.090)'],
    ]);
    expect(findings[0]!.evidence.at(-1)).toEqual({
      label: 'Threshold',
      value: '0.05 (the default policy)',
      href: '/t/fraud/policy',
    });
  });

  it('clears when the scores fall back under the threshold, or the threshold is raised', () => {
    expect(
      checkInputDrift(
        SCORES.map((s) => ({ ...s, score: Math.min(s.score, 0.15) })),
        DEFAULTS,
      ),
    ).toEqual([]);
    expect(checkInputDrift(SCORES, policies({ pricing: { maxInputDrift: 0.35, version: 4 } }))).toEqual([]);
  });

  it('does not judge a tenant whose policy it was not given', () => {
    expect(driftBreaches(SCORES, new Map())).toEqual([]);
  });
});
