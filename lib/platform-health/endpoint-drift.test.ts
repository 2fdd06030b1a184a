import { describe, expect, it } from 'vitest';
import { breachingFeatures } from './endpoint-drift';

const series = (feature: string, ...values: number[]) => ({
  feature,
  points: values.map((value, i) => ({ t: i * 3_600_000, value })),
});

describe('breachingFeatures', () => {
  it('names the features whose latest score is above the threshold, worst first', () => {
    expect(
      breachingFeatures(
        [
          series('base_price', 0.5, 0.06),
          series('discount_pct', 0.1, 0.31),
          series('competitor_price_ratio', 0.1, 0.34),
          series('promo_flag', 0.2),
          { feature: 'empty', points: [] },
        ],
        0.2,
      ),
    ).toEqual([
      { feature: 'competitor_price_ratio', score: 0.34 },
      { feature: 'discount_pct', score: 0.31 },
    ]);
  });
});
