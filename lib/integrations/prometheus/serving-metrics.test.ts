import { describe, expect, it } from 'vitest';
import type { InstantSample } from './client';
import { revisionHistoryFrom, revisionMetricsFrom, servingMetrics, servingQuery } from './serving-metrics';
import { DEFAULT_QUERY_TEMPLATES } from './templates';

const CANARY = 'demand-forecast-predictor-00002';
const STABLE = 'demand-forecast-predictor-00001';
const sample = (revision: string, stat: string, value: number): InstantSample => ({
  metric: { revision_name: revision, portal_stat: stat },
  time: 1_800_000_000,
  value,
});

describe('servingQuery', () => {
  it('asks for all four stats of every revision in one tenant-scoped query', () => {
    const promql = servingQuery(DEFAULT_QUERY_TEMPLATES, 'forecast', 'demand-forecast', 120);
    expect(promql.split(' or ')).toHaveLength(4);
    for (const stat of ['requestRate', 'errorRate', 'p50', 'p99'])
      expect(promql).toContain(`"portal_stat", "${stat}", "", "")`);
    expect(promql.match(/namespace_name="forecast"/g)).toHaveLength(4);
    expect(promql).toContain('histogram_quantile(0.99,');
    expect(promql).toContain('[120s]');
  });
});

describe('revisionMetricsFrom', () => {
  it('groups by revision, derives requests and the 5xx share, and leaves out revisions without traffic', () => {
    const metrics = revisionMetricsFrom(
      [
        sample(CANARY, 'requestRate', 2),
        sample(CANARY, 'errorRate', 0.24),
        sample(CANARY, 'p50', 510),
        sample(CANARY, 'p99', 700),
        sample(STABLE, 'requestRate', 18),
        sample(STABLE, 'errorRate', 0),
        sample(STABLE, 'p50', 60),
        sample(STABLE, 'p99', NaN),
        sample('demand-forecast-predictor-00000', 'requestRate', 0),
        sample('demand-forecast-predictor-00000', 'p50', NaN),
      ],
      60,
    );
    expect(metrics).toEqual([
      { revision: STABLE, requestRate: 18, requests: 1080, errorRate: 0, p50Ms: 60, p99Ms: null },
      { revision: CANARY, requestRate: 2, requests: 120, errorRate: 0.12, p50Ms: 510, p99Ms: 700 },
    ]);
  });

  it('treats a missing 5xx series as no errors and ignores series it did not ask for', () => {
    expect(
      revisionMetricsFrom(
        [sample(STABLE, 'requestRate', 1), { metric: { revision_name: STABLE }, time: 0, value: 5 }],
        120,
      ),
    ).toEqual([{ revision: STABLE, requestRate: 1, requests: 120, errorRate: 0, p50Ms: null, p99Ms: null }]);
  });
});

describe('revisionHistoryFrom', () => {
  it('turns range series into chart points per revision, in ms, with null where there is nothing to show', () => {
    const series = (revision: string, stat: string, points: [number, number][]) => ({
      metric: { revision_name: revision, portal_stat: stat },
      points: points.map(([time, value]) => ({ time, value })),
    });
    const history = revisionHistoryFrom([
      series(CANARY, 'requestRate', [
        [1000, 0],
        [1060, 2],
      ]),
      series(CANARY, 'errorRate', [[1060, 0.5]]),
      series(CANARY, 'p99', [
        [1000, NaN],
        [1060, 650],
      ]),
      series(STABLE, 'requestRate', [[1000, 0]]),
    ]);
    expect(history).toEqual([
      {
        revision: CANARY,
        points: [
          { t: 1_000_000, requestRate: 0, errorRate: null, p50Ms: null, p99Ms: null },
          { t: 1_060_000, requestRate: 2, errorRate: 0.25, p50Ms: null, p99Ms: 650 },
        ],
      },
    ]);
  });
});

describe('servingMetrics', () => {
  it('refuses names that are not a tenant or an InferenceService, before asking Prometheus', async () => {
    const api = {
      query: () => Promise.reject(new Error('not to be called')),
      queryRange: () => Promise.reject(new Error('not to be called')),
    };
    expect(() => servingMetrics('../pricing', api)).toThrow('is not a tenant name');
    await expect(servingMetrics('forecast', api).revisionMetrics('x"} or up{a="', 60)).rejects.toThrow(
      'is not a valid InferenceService name',
    );
    await expect(servingMetrics('forecast', api).revisionMetrics('demand-forecast', 0.5)).rejects.toThrow(
      'whole number of seconds',
    );
  });
});
