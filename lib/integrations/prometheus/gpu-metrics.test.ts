import { describe, expect, it } from 'vitest';
import type { InstantSample, PrometheusApi } from './client';
import { clusterGpuMetrics, gpuDevicesFrom, gpuMetrics, utilisationSeriesFrom } from './gpu-metrics';
import { DEFAULT_QUERY_TEMPLATES, mergeQueryTemplates } from './templates';

const device = {
  namespace: 'fraud',
  pod: 'train-1',
  Hostname: 'gpu-a100-1',
  gpu: '0',
  UUID: 'GPU-1',
  modelName: 'NVIDIA A100',
};
const sample = (stat: string, value: number, labels: Record<string, string> = device): InstantSample => ({
  metric: { ...labels, portal_stat: stat },
  time: 1,
  value,
});

function recordingApi(samples: InstantSample[] = []) {
  const queries: string[] = [];
  const api: PrometheusApi = {
    query: async (promql) => {
      queries.push(promql);
      return samples;
    },
    queryRange: async (promql) => {
      queries.push(promql);
      return [];
    },
  };
  return { api, queries };
}

describe('GPU device metrics', () => {
  it('groups the four stats per GPU and pod', () => {
    const second = { ...device, gpu: '1', UUID: 'GPU-2' };
    expect(
      gpuDevicesFrom([
        sample('util', 71.5),
        sample('peak', 90),
        sample('used', 30000),
        sample('free', 10960),
        sample('util', 1, second),
        sample('peak', 2, second),
        sample('used', NaN, second),
      ]),
    ).toEqual([
      {
        namespace: 'fraud',
        pod: 'train-1',
        node: 'gpu-a100-1',
        gpu: '0',
        uuid: 'GPU-1',
        model: 'NVIDIA A100',
        utilPercent: 71.5,
        peakUtilPercent: 90,
        memoryUsedMiB: 30000,
        memoryTotalMiB: 40960,
      },
      {
        namespace: 'fraud',
        pod: 'train-1',
        node: 'gpu-a100-1',
        gpu: '1',
        uuid: 'GPU-2',
        model: 'NVIDIA A100',
        utilPercent: 1,
        peakUtilPercent: 2,
        memoryUsedMiB: null,
        memoryTotalMiB: null,
      },
    ]);
  });

  it('ignores series without a pod or a stat', () => {
    expect(gpuDevicesFrom([sample('util', 5, { ...device, pod: '' }), { metric: device, time: 1, value: 3 }])).toEqual(
      [],
    );
  });

  it("keeps a tenant's query to its namespace, in one round trip", async () => {
    const { api, queries } = recordingApi([sample('util', 50)]);
    const { devices } = await gpuMetrics('fraud', api).devices(600);
    expect(devices).toHaveLength(1);
    expect(queries).toHaveLength(1);
    expect(queries[0]).toContain('avg_over_time(DCGM_FI_DEV_GPU_UTIL{namespace="fraud", pod!=""}[600s])');
    expect(queries[0]).toContain('max_over_time(DCGM_FI_DEV_GPU_UTIL{namespace="fraud", pod!=""}[600s])');
    expect(queries[0]!.split(' or ')).toHaveLength(4);
    expect(() => gpuMetrics('../pricing', api)).toThrow('is not a tenant name');
    await expect(gpuMetrics('fraud', api).devices(0.5)).rejects.toThrow('whole number of seconds');
  });

  it('sees every allocated GPU for the platform pages', async () => {
    const { api, queries } = recordingApi();
    await clusterGpuMetrics(api).devices(300);
    expect(queries[0]).toContain('avg_over_time(DCGM_FI_DEV_GPU_UTIL{pod!=""}[300s])');
    expect(queries[0]).not.toContain('namespace=');
  });

  it('charts utilisation per pod', async () => {
    const { api, queries } = recordingApi();
    await gpuMetrics('pricing', api).utilisationHistory({ start: new Date(0), end: new Date(60_000), stepSeconds: 30 });
    expect(queries[0]).toBe('avg by (pod) (DCGM_FI_DEV_GPU_UTIL{namespace="pricing", pod!=""})');
    expect(
      utilisationSeriesFrom([
        {
          metric: { pod: 'b' },
          points: [
            { time: 10, value: 50 },
            { time: 20, value: NaN },
          ],
        },
        { metric: { pod: 'a' }, points: [{ time: 10, value: 1 }] },
        { metric: {}, points: [{ time: 10, value: 1 }] },
      ]),
    ).toEqual([
      { pod: 'a', points: [{ t: 10_000, value: 1 }] },
      { pod: 'b', points: [{ t: 10_000, value: 50 }] },
    ]);
  });
});

describe('GPU templates', () => {
  it('hold tenant templates to their namespace, and let cluster templates go without', () => {
    expect(() =>
      mergeQueryTemplates({ gpuUtilisation: 'avg_over_time(DCGM_FI_DEV_GPU_UTIL[{{windowSeconds}}s])' }, 'test.json'),
    ).toThrow('gpuUtilisation must select by {{namespace}}');
    const cluster = 'avg_over_time(DCGM_FI_DEV_GPU_UTIL{exported_pod!=""}[{{windowSeconds}}s])';
    expect(mergeQueryTemplates({ clusterGpuUtilisation: cluster }, 'test.json').clusterGpuUtilisation).toBe(cluster);
    expect(() => mergeQueryTemplates({ clusterGpuUtilisation: 'x{n="{{namespace}}"}' }, 'test.json')).toThrow(
      'clusterGpuUtilisation uses {{namespace}}',
    );
    expect(DEFAULT_QUERY_TEMPLATES.gpuMemoryUsed).toBe(
      'last_over_time(DCGM_FI_DEV_FB_USED{namespace="{{namespace}}", pod!=""}[{{windowSeconds}}s])',
    );
  });
});
