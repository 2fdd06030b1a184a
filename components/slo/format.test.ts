import { describe, expect, it } from 'vitest';
import {
  budgetLevel,
  budgetText,
  burnRateText,
  burnVerdict,
  countText,
  firingWindows,
  objectiveText,
  rangeParam,
  sliLabel,
  sliText,
  sloDetailPath,
  sloTitle,
} from './format';

describe('SLO formatting', () => {
  it('writes objectives as people do, and indicators with one more decimal than the objective', () => {
    expect(objectiveText(0.999)).toBe('99.9 %');
    expect(objectiveText(0.95)).toBe('95 %');
    expect(sliText(0.998712, 0.999)).toBe('99.87 %');
    expect(sliText(0.99951, 0.9995)).toBe('99.951 %');
    expect(sliText(0.9, 0.95)).toBe('90.00 %');
    expect(sliText(null, 0.999)).toBe('no traffic');
  });

  it('titles each kind of SLO in words', () => {
    expect(sloTitle({ kind: 'availability', objective: 0.999, windowDays: 28, latencyThresholdMs: null })).toBe(
      '99.9 % availability over 28 d',
    );
    expect(sloTitle({ kind: 'latency', objective: 0.95, windowDays: 28, latencyThresholdMs: 200 })).toBe(
      '95 % within 200 ms over 28 d',
    );
    expect(sliLabel({ kind: 'latency', latencyThresholdMs: 200 })).toBe('Within 200 ms');
    expect(sliLabel({ kind: 'availability', latencyThresholdMs: null })).toBe('Availability');
  });

  it('shows budget left, overspent with a minus sign, and judges its level', () => {
    expect(budgetText(0.5823)).toBe('58.2 %');
    expect(budgetText(-0.12)).toBe('−12.0 %');
    expect(budgetText(-0.0001)).toBe('0.0 %');
    expect(budgetText(null)).toBe('unknown');
    expect([null, -0.5, 0, 0.1, 0.25, 1].map(budgetLevel)).toEqual([
      'unknown',
      'spent',
      'spent',
      'low',
      'healthy',
      'healthy',
    ]);
  });

  it('writes burn rates and says whether each pair would alert', () => {
    expect(burnRateText(14.4)).toBe('14.4×');
    expect(burnRateText(0.5)).toBe('0.50×');
    expect(burnRateText(null)).toBe('no traffic');
    expect(burnVerdict({ firing: true, longRate: 20, shortRate: 30 })).toBe('firing');
    expect(burnVerdict({ firing: false, longRate: 20, shortRate: 1 })).toBe('quiet');
    expect(burnVerdict({ firing: false, longRate: null, shortRate: null })).toBe('no-traffic');
    expect(
      firingWindows([
        { label: '1h / 5m', firing: true },
        { label: '6h / 30m', firing: false },
        { label: '3d / 6h', firing: true },
      ]),
    ).toEqual(['1h / 5m', '3d / 6h']);
  });

  it('reads the range from the query, falling back to one day', () => {
    expect(rangeParam('7d')).toBe('7d');
    expect(rangeParam(['28d'])).toBe('28d');
    expect(rangeParam('2w')).toBe('1d');
    expect(rangeParam(undefined)).toBe('1d');
  });

  it('formats counts and paths the same everywhere', () => {
    expect(countText(1234567)).toBe('1,234,567');
    expect(countText(18169497.637)).toBe('18,169,498');
    expect(sloDetailPath('forecast', 'demand-forecast', '/live')).toBe('/slo/forecast/demand-forecast/live');
  });
});
