import { describe, expect, it } from 'vitest';
import type { InstantSample, PrometheusApi, RangeSeries, TimeRange } from './client';
import {
  endpointSloCountsFrom,
  MIN_HISTORY_RATE_WINDOW_SECONDS,
  sloCountsQuery,
  sloHistoryFrom,
  sloHistoryQuery,
  sloMetrics,
} from './slo-metrics';
import { DEFAULT_QUERY_TEMPLATES } from './templates';

const service = (namespace: string, name: string) => ({
  namespace_name: namespace,
  configuration_name: `${name}-predictor`,
});
const count = (
  stat: string,
  windowSeconds: number,
  value: number,
  labels: Record<string, string>,
  le?: number,
): InstantSample => ({
  metric: {
    ...labels,
    portal_stat: stat,
    portal_window: String(windowSeconds),
    ...(le === undefined ? {} : { portal_le: String(le) }),
  },
  time: 1,
  value,
});

const fraud = service('fraud', 'fraud-detector');
const pricing = service('pricing', 'price-elasticity');
const DAYS_28 = 28 * 86_400;

function recordingApi(samples: InstantSample[] = [], series: RangeSeries[] = []) {
  const queries: { promql: string; range?: TimeRange }[] = [];
  const api: PrometheusApi = {
    query: async (promql) => {
      queries.push({ promql });
      return samples;
    },
    queryRange: async (promql, range) => {
      queries.push({ promql, range });
      return series;
    },
  };
  return { api, queries };
}

describe('SLO counts', () => {
  it('asks every window and threshold in one query, each part marked', () => {
    const promql = sloCountsQuery(DEFAULT_QUERY_TEMPLATES, [300, DAYS_28], [200]);
    const parts = promql.split(' or ');
    expect(parts).toHaveLength(6);
    expect(parts[0]).toBe(
      'label_replace(label_replace(sum by (namespace_name, configuration_name) (increase(revision_request_count[300s])), "portal_stat", "requests", "", ""), "portal_window", "300", "", "")',
    );
    expect(parts[5]).toBe(
      'label_replace(label_replace(label_replace(sum by (namespace_name, configuration_name) (increase(revision_request_latencies_bucket{le=~"200|200[.]0"}[2419200s])), "portal_stat", "within", "", ""), "portal_window", "2419200", "", ""), "portal_le", "200", "", "")',
    );
  });

  it("gives each endpoint of the viewer's tenants every window and threshold asked", () => {
    const samples = [
      count('requests', 300, 3000, fraud),
      count('errors', 300, 3, fraud),
      count('within', 300, 2950, fraud, 200),
      count('within', 300, 2990, fraud, 500),
      count('requests', DAYS_28, 1e6, fraud),
      count('requests', 300, 10, pricing),
      count('within', 300, NaN, pricing, 200),
      // Another tenant, a window and a threshold not asked, a configuration that is no predictor.
      count('requests', 300, 99, service('forecast', 'demand-forecast')),
      count('requests', 60, 99, fraud),
      count('within', 300, 99, fraud, 250),
      count('requests', 300, 99, { namespace_name: 'fraud', configuration_name: 'batch' }),
    ];
    expect(endpointSloCountsFrom(samples, ['pricing', 'fraud'], [300, DAYS_28], [200, 500])).toEqual([
      {
        tenant: 'fraud',
        service: 'fraud-detector',
        windows: {
          300: { requests: 3000, errors: 3, within: { 200: 2950, 500: 2990 } },
          [DAYS_28]: { requests: 1e6, errors: 0, within: { 200: 0, 500: 0 } },
        },
      },
      {
        tenant: 'pricing',
        service: 'price-elasticity',
        windows: {
          300: { requests: 10, errors: 0, within: { 200: 0, 500: 0 } },
          [DAYS_28]: { requests: 0, errors: 0, within: { 200: 0, 500: 0 } },
        },
      },
    ]);
  });

  it('leaves out endpoints without requests in any window', () => {
    expect(
      endpointSloCountsFrom([count('requests', 300, 0, fraud), count('errors', 300, 0, fraud)], ['fraud'], [300], []),
    ).toEqual([]);
  });

  it('asks the same query whoever asks, and keeps the answer to their tenants', async () => {
    const { api, queries } = recordingApi([count('requests', 300, 5, fraud), count('requests', 300, 7, pricing)]);
    const forFraud = await sloMetrics(['fraud'], api).counts([300, 300], [200]);
    const forPricing = await sloMetrics(['pricing'], api).counts([300], [200, 200]);
    expect(forFraud.endpoints.map((e) => e.tenant)).toEqual(['fraud']);
    expect(forPricing.endpoints.map((e) => e.tenant)).toEqual(['pricing']);
    expect(queries[0]!.promql).toBe(queries[1]!.promql);
    expect(queries[0]!.promql.split(' or ')).toHaveLength(3);
    await expect(sloMetrics(['fraud'], api).counts([], [200])).rejects.toThrow('at least one window');
    await expect(sloMetrics(['fraud'], api).counts([300], [0])).rejects.toThrow('positive number of milliseconds');
  });
});

describe('SLO history', () => {
  it("asks one range query over the endpoint's tenant-scoped series", () => {
    const promql = sloHistoryQuery(DEFAULT_QUERY_TEMPLATES, 'fraud', 'fraud-detector', {
      rateWindowSeconds: 900,
      objectiveWindowSeconds: DAYS_28,
      thresholdMs: 200,
    });
    const parts = promql.split(' or ');
    expect(parts.map((p) => p.match(/"portal_stat", "(\w+)"/)![1])).toEqual([
      'requests',
      'errors',
      'p95',
      'trailingRequests',
      'trailingErrors',
      'trailingWithin',
    ]);
    expect(parts[2]).toContain(
      'histogram_quantile(0.95, sum by (le) (rate(revision_request_latencies_bucket{namespace_name="fraud", configuration_name="fraud-detector-predictor"}[900s])))',
    );
    expect(parts[5]).toContain(
      'increase(revision_request_latencies_bucket{namespace_name="fraud", configuration_name="fraud-detector-predictor", le=~"200|200[.]0"}[2419200s])',
    );
  });

  it('gives a point per time with rates and the trailing counts', () => {
    const stat = (name: string, points: [number, number][]): RangeSeries => ({
      metric: { portal_stat: name },
      points: points.map(([time, value]) => ({ time, value })),
    });
    const points = sloHistoryFrom(
      [
        stat('requests', [
          [120, 900],
          [60, 0],
        ]),
        stat('errors', [[120, 9]]),
        stat('p95', [
          [60, NaN],
          [120, 150],
        ]),
        stat('trailingRequests', [
          [60, 1e6],
          [120, 1.0009e6],
        ]),
        stat('trailingErrors', [[120, 500]]),
        stat('trailingWithin', [[120, 990_000]]),
        stat('unknown', [[180, 1]]),
      ],
      { rateWindowSeconds: 900, thresholdMs: 200 },
    );
    expect(points).toEqual([
      {
        t: 60_000,
        requestRate: 0,
        errorRate: null,
        p95Ms: null,
        trailing: { requests: 1e6, errors: 0, within: { 200: 0 } },
      },
      {
        t: 120_000,
        requestRate: 1,
        errorRate: 0.01,
        p95Ms: 150,
        trailing: { requests: 1.0009e6, errors: 500, within: { 200: 990_000 } },
      },
    ]);
  });

  it('aligns the range to the step and rates over at least 15 minutes', async () => {
    const { api, queries } = recordingApi();
    const history = await sloMetrics(['fraud'], api).history('fraud', 'fraud-detector', {
      start: new Date(3_600_000 + 5),
      end: new Date(7_200_000 + 59_000),
      stepSeconds: 60,
      thresholdMs: 200,
      objectiveWindowSeconds: DAYS_28,
    });
    expect(queries[0]!.range).toEqual({ start: new Date(3_600_000), end: new Date(7_200_000), stepSeconds: 60 });
    expect(queries[0]!.promql).toContain(`[${MIN_HISTORY_RATE_WINDOW_SECONDS}s]`);
    expect(history).toMatchObject({
      start: new Date(3_600_000),
      end: new Date(7_200_000),
      stepSeconds: 60,
      rateWindowSeconds: MIN_HISTORY_RATE_WINDOW_SECONDS,
      points: [],
    });

    await sloMetrics(['fraud'], api).history('fraud', 'fraud-detector', {
      start: new Date(0),
      end: new Date(86_400_000),
      stepSeconds: 3600,
      thresholdMs: 200,
      objectiveWindowSeconds: DAYS_28,
    });
    expect(queries[1]!.promql).toContain('[3600s]');
  });

  it("refuses another tenant's endpoint and names that are not object names", async () => {
    const { api, queries } = recordingApi();
    const options = {
      start: new Date(0),
      end: new Date(60_000),
      stepSeconds: 60,
      thresholdMs: 200,
      objectiveWindowSeconds: DAYS_28,
    };
    await expect(sloMetrics(['fraud'], api).history('pricing', 'price-elasticity', options)).rejects.toThrow(
      '"pricing" is not one of the tenants',
    );
    await expect(sloMetrics(['fraud'], api).history('fraud', 'x"} or vector(1)', options)).rejects.toThrow(
      'not a valid InferenceService name',
    );
    expect(queries).toEqual([]);
  });
});
