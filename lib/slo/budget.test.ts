import { describe, expect, it } from 'vitest';
import type { SloCounts } from '../integrations/prometheus';
import {
  badRequests,
  BURN_RATE_WINDOWS,
  budgetRemaining,
  burnRate,
  indicator,
  isFiring,
  sloHistoryPoints,
  sloSummaries,
  sloSummary,
  sloThresholdsMs,
  sloWindowsSeconds,
  sortWorstFirst,
} from './budget';
import { DEFAULT_SLO_OBJECTIVES, type SloObjectives } from './definition';
import type { SloSummary } from './view';

const DAY = 86_400;
const OBJECTIVE_WINDOW = 28 * DAY;
const counts = (requests: number, errors: number, within200 = requests): SloCounts => ({
  requests,
  errors,
  within: { 200: within200 },
});

describe('the arithmetic', () => {
  it('spends half the budget with 500 errors in 1,000,000 requests at 99.9 %', () => {
    expect(budgetRemaining(500, 1_000_000, 0.999)).toBeCloseTo(0.5, 12);
    expect(indicator(1_000_000 - 500, 1_000_000)).toBe(0.9995);
    expect(burnRate(500, 1_000_000, 0.999)).toBeCloseTo(0.5, 12);
  });

  it('leaves the budget untouched without bad requests, spent at the objective, overspent below it', () => {
    expect(budgetRemaining(0, 1000, 0.999)).toBe(1);
    expect(budgetRemaining(1, 1000, 0.999)).toBeCloseTo(0, 12);
    expect(budgetRemaining(3, 1000, 0.999)).toBeCloseTo(-2, 12);
    expect(budgetRemaining(60, 1000, 0.95)).toBeCloseTo(-0.2, 12);
  });

  it('knows nothing without traffic', () => {
    expect(indicator(0, 0)).toBeNull();
    expect(budgetRemaining(0, 0, 0.999)).toBeNull();
    expect(burnRate(0, 0, 0.999)).toBeNull();
  });

  it('fires only when both windows burn faster than the factor', () => {
    // 14.4 × the 0.1 % budget = 1.44 % errors.
    expect(burnRate(1440, 100_000, 0.999)).toBeCloseTo(14.4, 9);
    expect(isFiring(burnRate(1441, 100_000, 0.999), burnRate(145, 10_000, 0.999), 14.4)).toBe(true);
    expect(isFiring(burnRate(1439, 100_000, 0.999), burnRate(145, 10_000, 0.999), 14.4)).toBe(false);
    expect(isFiring(burnRate(1441, 100_000, 0.999), burnRate(143, 10_000, 0.999), 14.4)).toBe(false);
    expect(isFiring(14.4, 14.4, 14.4)).toBe(false);
    expect(isFiring(14.41, 14.41, 14.4)).toBe(true);
    expect(isFiring(null, 100, 1)).toBe(false);
    expect(isFiring(100, null, 1)).toBe(false);
  });

  it('counts 5xx as bad for availability and slow answers for latency, within 0–requests', () => {
    expect(badRequests(counts(1000, 7, 900), 'availability', 200)).toBe(7);
    expect(badRequests(counts(1000, 7, 900), 'latency', 200)).toBe(100);
    // increase() extrapolates each series on its own: within can come out above all requests.
    expect(badRequests(counts(1000, 7, 1000.4), 'latency', 200)).toBe(0);
    // A threshold that was not counted: nothing counts as within it.
    expect(badRequests(counts(1000, 7, 900), 'latency', 300)).toBe(1000);
  });
});

describe('windows', () => {
  it('are the SRE workbook pairs', () => {
    expect(BURN_RATE_WINDOWS.map(({ label, factor, severity }) => [label, factor, severity])).toEqual([
      ['1h / 5m', 14.4, 'page'],
      ['6h / 30m', 6, 'page'],
      ['3d / 6h', 1, 'ticket'],
    ]);
    expect(BURN_RATE_WINDOWS[2]).toMatchObject({ longWindowSeconds: 3 * DAY, shortWindowSeconds: 6 * 3600 });
  });

  it('asked of Prometheus: burn-rate windows and each objective window, once each', () => {
    expect(sloWindowsSeconds([DEFAULT_SLO_OBJECTIVES, { windowDays: 7 }, { windowDays: 28 }])).toEqual([
      300,
      1800,
      3600,
      21_600,
      3 * DAY,
      7 * DAY,
      28 * DAY,
    ]);
    expect(sloWindowsSeconds([{ windowDays: 3 }])).toEqual([300, 1800, 3600, 21_600, 3 * DAY]);
    expect(sloThresholdsMs([DEFAULT_SLO_OBJECTIVES, { latencyThresholdMs: 100 }, { latencyThresholdMs: 200 }])).toEqual(
      [100, 200],
    );
  });
});

/** Counts over every window, the same error and slow shares in each. */
function steady(
  requestsPerSecond: number,
  errorShare: number,
  slowShare: number,
  objectives: SloObjectives = DEFAULT_SLO_OBJECTIVES,
): Record<number, SloCounts> {
  return Object.fromEntries(
    sloWindowsSeconds([objectives]).map((w) => {
      const requests = requestsPerSecond * w;
      return [
        w,
        {
          requests,
          errors: requests * errorShare,
          within: { [objectives.latencyThresholdMs]: requests * (1 - slowShare) },
        },
      ];
    }),
  );
}

describe('sloSummaries', () => {
  it('gives both SLOs of an endpoint from its counts', () => {
    const windows = { ...steady(10, 0.0005, 0.02), [OBJECTIVE_WINDOW]: counts(1_000_000, 500, 970_000) };
    const { availability, latency } = sloSummaries('fraud', 'fraud-detector', windows, DEFAULT_SLO_OBJECTIVES);
    expect(availability).toMatchObject({
      tenant: 'fraud',
      endpoint: 'fraud-detector',
      kind: 'availability',
      objective: 0.999,
      windowDays: 28,
      latencyThresholdMs: null,
      requests: 1_000_000,
      alerting: false,
      problem: null,
    });
    expect(availability.sli).toBe(0.9995);
    expect(availability.budgetRemaining).toBeCloseTo(0.5, 9);
    expect(availability.burnRates.map((b) => b.longRate)).toEqual([
      expect.closeTo(0.5, 9),
      expect.closeTo(0.5, 9),
      expect.closeTo(0.5, 9),
    ]);
    // 3 % slower than 200 ms against a 5 % allowance: 40 % of the budget left, burning at 0.4.
    expect(latency).toMatchObject({
      kind: 'latency',
      objective: 0.95,
      latencyThresholdMs: 200,
      requests: 1_000_000,
      alerting: false,
    });
    expect(latency.sli).toBeCloseTo(0.97, 12);
    expect(latency.budgetRemaining).toBeCloseTo(0.4, 9);
    expect(latency.burnRates[0]!.shortRate).toBeCloseTo(0.4, 9);
  });

  it('pages when the last hour and five minutes both burn over 14.4 ×', () => {
    const windows = steady(10, 0.0001, 0);
    windows[3600] = counts(36_000, 36_000 * 0.015);
    windows[300] = counts(3000, 3000 * 0.02);
    const slo = sloSummary('pricing', 'price-elasticity', 'availability', windows, DEFAULT_SLO_OBJECTIVES);
    expect(slo.burnRates[0]).toMatchObject({
      label: '1h / 5m',
      longRate: expect.closeTo(15, 9),
      shortRate: expect.closeTo(20, 9),
      firing: true,
      severity: 'page',
    });
    expect(slo.burnRates[1]!.firing).toBe(false);
    expect(slo.alerting).toBe(true);

    // Recovered: the last five minutes are clean, so the page stops although the hour still burns.
    windows[300] = counts(3000, 0);
    expect(sloSummary('pricing', 'price-elasticity', 'availability', windows, DEFAULT_SLO_OBJECTIVES)).toMatchObject({
      alerting: false,
    });
  });

  it('opens a ticket for a slow latency burn over three days', () => {
    const slo = sloSummary('forecast', 'demand-forecast', 'latency', steady(5, 0, 0.08), DEFAULT_SLO_OBJECTIVES);
    expect(slo.burnRates.map((b) => b.firing)).toEqual([false, false, true]);
    expect(slo.burnRates[2]!.longRate).toBeCloseTo(1.6, 9);
    expect(slo.budgetRemaining).toBeCloseTo(-0.6, 9);
    expect(slo.alerting).toBe(true);
  });

  it('follows the objectives: window, objective and threshold', () => {
    const objectives: SloObjectives = {
      availabilityObjective: 0.99,
      latencyObjective: 0.9,
      latencyThresholdMs: 300,
      windowDays: 7,
    };
    const windows = steady(1, 0.005, 0.05, objectives);
    const { availability, latency } = sloSummaries('fraud', 'fraud-detector', windows, objectives);
    expect(availability).toMatchObject({ windowDays: 7, objective: 0.99, requests: 7 * DAY });
    expect(availability.budgetRemaining).toBeCloseTo(0.5, 9);
    expect(latency).toMatchObject({ latencyThresholdMs: 300, objective: 0.9 });
    expect(latency.budgetRemaining).toBeCloseTo(0.5, 9);
  });

  it('says so when there was no traffic, and never fires', () => {
    const { availability, latency } = sloSummaries('fraud', 'idle', {}, DEFAULT_SLO_OBJECTIVES);
    for (const slo of [availability, latency]) {
      expect(slo).toMatchObject({
        sli: null,
        budgetRemaining: null,
        requests: 0,
        alerting: false,
        problem: 'No requests in the last 28 days',
      });
      expect(slo.burnRates.every((b) => b.longRate === null && b.shortRate === null && !b.firing)).toBe(true);
    }
  });

  it('carries why the counts are missing', () => {
    const { availability } = sloSummaries(
      'fraud',
      'fraud-detector',
      {},
      DEFAULT_SLO_OBJECTIVES,
      'Prometheus cannot be reached at 127.0.0.1:9090',
    );
    expect(availability).toMatchObject({
      budgetRemaining: null,
      problem: 'Prometheus cannot be reached at 127.0.0.1:9090',
    });
  });
});

describe('sloHistoryPoints', () => {
  it('turns the trailing counts of each point into budget left', () => {
    const points = sloHistoryPoints(
      [
        { t: 1000, requestRate: 10, errorRate: 0.001, p95Ms: 120, trailing: counts(1_000_000, 500, 970_000) },
        { t: 2000, requestRate: 0, errorRate: null, p95Ms: null, trailing: counts(0, 0, 0) },
      ],
      DEFAULT_SLO_OBJECTIVES,
    );
    expect(points).toEqual([
      {
        t: 1000,
        requestRate: 10,
        errorRate: 0.001,
        p95Ms: 120,
        availabilityBudget: expect.closeTo(0.5, 9),
        latencyBudget: expect.closeTo(0.4, 9),
      },
      { t: 2000, requestRate: 0, errorRate: null, p95Ms: null, availabilityBudget: null, latencyBudget: null },
    ]);
  });
});

describe('sortWorstFirst', () => {
  const slo = (tenant: string, endpoint: string, kind: SloSummary['kind'], budgetRemaining: number | null) =>
    ({ ...sloSummary(tenant, endpoint, kind, {}, DEFAULT_SLO_OBJECTIVES), budgetRemaining }) satisfies SloSummary;

  it('puts the least budget first, unknown budgets last, ties by tenant, endpoint and kind', () => {
    const sorted = sortWorstFirst([
      slo('fraud', 'b', 'latency', 0.5),
      slo('pricing', 'a', 'availability', null),
      slo('fraud', 'a', 'availability', null),
      slo('fraud', 'b', 'availability', 0.5),
      slo('forecast', 'z', 'latency', -0.3),
      slo('fraud', 'a', 'latency', 0.5),
      slo('pricing', 'x', 'availability', 1),
      slo('pricing', 'y', 'availability', 0),
    ]);
    expect(sorted.map((s) => [s.tenant, s.endpoint, s.kind, s.budgetRemaining])).toEqual([
      ['forecast', 'z', 'latency', -0.3],
      ['pricing', 'y', 'availability', 0],
      ['fraud', 'a', 'latency', 0.5],
      ['fraud', 'b', 'availability', 0.5],
      ['fraud', 'b', 'latency', 0.5],
      ['pricing', 'x', 'availability', 1],
      ['fraud', 'a', 'availability', null],
      ['pricing', 'a', 'availability', null],
    ]);
  });

  it('leaves its input as it was', () => {
    const input = [slo('b', 'e', 'availability', 1), slo('a', 'e', 'availability', 0)];
    sortWorstFirst(input);
    expect(input.map((s) => s.tenant)).toEqual(['b', 'a']);
  });
});
