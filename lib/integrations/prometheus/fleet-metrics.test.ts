import { describe, expect, it } from 'vitest';
import type { InstantSample, PrometheusApi } from './client';
import {
  endpointServingStatsFrom,
  fleetGpuQuery,
  fleetMetrics,
  fleetServingQuery,
  tenantGpuUtilisationFrom,
} from './fleet-metrics';
import { DEFAULT_QUERY_TEMPLATES, mergeQueryTemplates } from './templates';

const revision = (namespace: string, service: string, name: string) => ({
  namespace_name: namespace,
  configuration_name: `${service}-predictor`,
  revision_name: name,
});
const sample = (stat: string, value: number, labels: Record<string, string>): InstantSample => ({
  metric: { ...labels, portal_stat: stat },
  time: 1,
  value,
});

const stable = revision('pricing', 'price-elasticity', 'price-elasticity-predictor-00001');
const canary = revision('pricing', 'price-elasticity', 'price-elasticity-predictor-00002');
const fraud = revision('fraud', 'fraud-detector', 'fraud-detector-predictor-00003');

const answer: InstantSample[] = [
  sample('requestRate', 16, stable),
  sample('errorRate', 0.016, stable),
  sample('requestRate', 4, canary),
  sample('errorRate', 0.4, canary),
  sample('p99', 400, { namespace_name: 'pricing', configuration_name: 'price-elasticity-predictor' }),
  sample('requestRate', 30, fraud),
  sample('p99', NaN, { namespace_name: 'fraud', configuration_name: 'fraud-detector-predictor' }),
  // A revision replaced before the window: no traffic.
  sample('requestRate', 0, revision('fraud', 'fraud-detector', 'fraud-detector-predictor-00002')),
  // Another tenant's endpoint, and a configuration that is not an InferenceService's predictor.
  sample('requestRate', 9, revision('forecast', 'demand-forecast', 'demand-forecast-predictor-00001')),
  sample('requestRate', 9, {
    namespace_name: 'fraud',
    configuration_name: 'batch-scorer',
    revision_name: 'batch-scorer-00001',
  }),
  sample('requestRate', 9, { namespace_name: 'fraud', configuration_name: '-predictor', revision_name: 'x' }),
  // An endpoint without traffic in the window.
  sample('requestRate', 0, revision('pricing', 'idle', 'idle-predictor-00001')),
  sample('util', 62.5, { namespace: 'fraud' }),
  sample('gpus', 2, { namespace: 'fraud' }),
  sample('util', 80, { namespace: 'forecast' }),
  sample('gpus', 1, { namespace: 'forecast' }),
  sample('util', 10, { namespace: 'mlp-shared' }),
  sample('gpus', 12, { namespace: 'mlp-shared' }),
];

function recordingApi(samples: InstantSample[]) {
  const queries: string[] = [];
  const api: PrometheusApi = {
    query: async (promql) => {
      queries.push(promql);
      return samples;
    },
    queryRange: async () => [],
  };
  return { api, queries };
}

describe('fleet serving', () => {
  it("gives each endpoint of the viewer's tenants with traffic, with its revisions", () => {
    expect(endpointServingStatsFrom(answer, ['pricing', 'fraud'])).toEqual([
      {
        tenant: 'fraud',
        service: 'fraud-detector',
        requestRate: 30,
        errorRate: 0,
        p99Ms: null,
        revisions: [{ revision: 'fraud-detector-predictor-00003', requestRate: 30, errorRate: 0 }],
      },
      {
        tenant: 'pricing',
        service: 'price-elasticity',
        requestRate: 20,
        errorRate: expect.closeTo(0.0208, 12),
        p99Ms: 400,
        revisions: [
          { revision: 'price-elasticity-predictor-00001', requestRate: 16, errorRate: expect.closeTo(0.001, 12) },
          { revision: 'price-elasticity-predictor-00002', requestRate: 4, errorRate: expect.closeTo(0.1, 12) },
        ],
      },
    ]);
  });

  it('gives nothing of tenants the viewer may not see', () => {
    expect(endpointServingStatsFrom(answer, ['fraud']).map((e) => e.tenant)).toEqual(['fraud']);
    expect(endpointServingStatsFrom(answer, [])).toEqual([]);
  });

  it('keeps error shares within 0–1 when rate() rounding puts errors above requests', () => {
    const [endpoint] = endpointServingStatsFrom(
      [sample('requestRate', 1, fraud), sample('errorRate', 1.0000001, fraud)],
      ['fraud'],
    );
    expect(endpoint!.errorRate).toBe(1);
    expect(endpoint!.revisions[0]!.errorRate).toBe(1);
  });
});

describe('fleet GPUs', () => {
  it('gives every tenant asked about, with its GPU count and mean utilisation', () => {
    expect(tenantGpuUtilisationFrom(answer, ['pricing', 'fraud', 'forecast'])).toEqual([
      { tenant: 'forecast', gpus: 1, utilPercent: 80 },
      { tenant: 'fraud', gpus: 2, utilPercent: 62.5 },
      { tenant: 'pricing', gpus: 0, utilPercent: null },
    ]);
    expect(tenantGpuUtilisationFrom(answer, ['fraud'])).toEqual([{ tenant: 'fraud', gpus: 2, utilPercent: 62.5 }]);
  });
});

describe('fleetMetrics', () => {
  it('asks the same queries whoever asks, and keeps the answers to their tenants', async () => {
    const { api, queries } = recordingApi(answer);
    const serving = await fleetMetrics(['fraud'], api).serving(300);
    const otherServing = await fleetMetrics(['pricing', 'forecast'], api).serving(300);
    const gpus = await fleetMetrics(['pricing', 'forecast'], api).gpuUtilisation(600);
    expect(serving.endpoints.map((e) => e.service)).toEqual(['fraud-detector']);
    expect(otherServing.endpoints.map((e) => `${e.tenant}/${e.service}`)).toEqual([
      'forecast/demand-forecast',
      'pricing/price-elasticity',
    ]);
    expect(gpus.tenants.map((t) => t.tenant)).toEqual(['forecast', 'pricing']);
    expect(queries).toEqual([
      fleetServingQuery(DEFAULT_QUERY_TEMPLATES, 300),
      fleetServingQuery(DEFAULT_QUERY_TEMPLATES, 300),
      fleetGpuQuery(DEFAULT_QUERY_TEMPLATES, 600),
    ]);
    for (const promql of queries) expect(promql).not.toMatch(/fraud|pricing|forecast/);
  });

  it('joins the parts of each query with or, each marked with its stat', () => {
    expect(fleetServingQuery(DEFAULT_QUERY_TEMPLATES, 300).split(' or ')).toEqual([
      'label_replace(sum by (namespace_name, configuration_name, revision_name) (rate(revision_request_count[300s])), "portal_stat", "requestRate", "", "")',
      'label_replace(sum by (namespace_name, configuration_name, revision_name) (rate(revision_request_count{response_code_class="5xx"}[300s])), "portal_stat", "errorRate", "", "")',
      'label_replace(histogram_quantile(0.99, sum by (namespace_name, configuration_name, le) (rate(revision_request_latencies_bucket[300s]))), "portal_stat", "p99", "", "")',
    ]);
    expect(fleetGpuQuery(DEFAULT_QUERY_TEMPLATES, 600).split(' or ')).toEqual([
      'label_replace(avg by (namespace) (avg_over_time(DCGM_FI_DEV_GPU_UTIL{pod!=""}[600s])), "portal_stat", "util", "", "")',
      'label_replace(count by (namespace) (avg_over_time(DCGM_FI_DEV_GPU_UTIL{pod!=""}[600s])), "portal_stat", "gpus", "", "")',
    ]);
  });

  it('refuses names that are not tenants and windows that are not whole seconds', async () => {
    const { api } = recordingApi([]);
    expect(() => fleetMetrics(['fraud', '../pricing'], api)).toThrow('is not a tenant name');
    await expect(fleetMetrics(['fraud'], api).serving(0)).rejects.toThrow('whole number of seconds');
    await expect(fleetMetrics(['fraud'], api).gpuUtilisation(1.5)).rejects.toThrow('whole number of seconds');
  });

  it('lets an installation override the cluster templates without a namespace', () => {
    const override =
      'sum by (namespace_name, configuration_name, revision_name) (rate(my_requests_total[{{windowSeconds}}s]))';
    const templates = mergeQueryTemplates({ clusterRevisionRequestRate: override }, 'test.json');
    expect(fleetServingQuery(templates, 60)).toContain('rate(my_requests_total[60s])');
    expect(() => mergeQueryTemplates({ clusterRevisionRequestRate: 'x{n="{{namespace}}"}' }, 'test.json')).toThrow(
      'clusterRevisionRequestRate uses {{namespace}}',
    );
  });
});
