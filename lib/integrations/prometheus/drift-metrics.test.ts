import { describe, expect, it } from 'vitest';
import type { InstantSample, PrometheusApi, RangeSeries } from './client';
import { clusterDriftScores, driftHistory, driftScoresFrom, driftSeriesFrom } from './drift-metrics';
import { DEFAULT_QUERY_TEMPLATES, mergeQueryTemplates } from './templates';

const sample = (namespace: string, service: string, feature: string, value: number): InstantSample => ({
  metric: { namespace, inference_service: service, feature },
  time: 1,
  value,
});

function recordingApi(samples: InstantSample[] = [], series: RangeSeries[] = []) {
  const queries: string[] = [];
  const api: PrometheusApi = {
    query: async (promql) => {
      queries.push(promql);
      return samples;
    },
    queryRange: async (promql) => {
      queries.push(promql);
      return series;
    },
  };
  return { api, queries };
}

describe('input drift scores', () => {
  it('reads every endpoint’s features from one cluster query, in order, skipping series without the labels', async () => {
    const { api, queries } = recordingApi([
      sample('pricing', 'price-elasticity', 'discount_pct', 0.33),
      sample('fraud', 'fraud-detector', 'amount', 0.05),
      { metric: { namespace: 'fraud', feature: 'x' }, time: 1, value: 0.9 },
      sample('fraud', 'fraud-detector', 'card_age_days', Number.NaN),
    ]);
    const { scores } = await clusterDriftScores(api, DEFAULT_QUERY_TEMPLATES);
    expect(queries).toEqual(['max by (namespace, inference_service, feature) (model_input_drift_score)']);
    expect(scores).toEqual([
      { tenant: 'fraud', endpoint: 'fraud-detector', feature: 'amount', score: 0.05 },
      { tenant: 'pricing', endpoint: 'price-elasticity', feature: 'discount_pct', score: 0.33 },
    ]);
  });

  it('charts one endpoint per feature, bound to its namespace, with an installation’s own template', async () => {
    const templates = mergeQueryTemplates(
      {
        inputDriftScores: 'max by (feature) (evidently_drift{exported_namespace="{{namespace}}", model="{{service}}"})',
      },
      'test',
    );
    const { api, queries } = recordingApi(
      [],
      [
        { metric: { feature: 'b' }, points: [{ time: 10, value: 0.2 }] },
        { metric: { feature: 'a' }, points: [{ time: 10, value: Number.NaN }] },
        { metric: {}, points: [{ time: 10, value: 0.4 }] },
      ],
    );
    const range = { start: new Date(0), end: new Date(3_600_000), stepSeconds: 60 };
    const { series } = await driftHistory('pricing', 'price-elasticity', range, api, templates);
    expect(queries).toEqual([
      'max by (feature) (evidently_drift{exported_namespace="pricing", model="price-elasticity"})',
    ]);
    expect(series).toEqual([{ feature: 'b', points: [{ t: 10_000, value: 0.2 }] }]);
    expect(driftSeriesFrom([])).toEqual([]);
    expect(driftScoresFrom([])).toEqual([]);
  });

  it('refuses a tenant template that does not select by namespace', () => {
    expect(() => mergeQueryTemplates({ inputDriftScores: 'model_input_drift_score' }, 'test')).toThrow(
      /inputDriftScores must select by \{\{namespace\}\}/,
    );
  });
});
