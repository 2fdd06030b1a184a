/**
 * GPU metrics from NVIDIA's dcgm-exporter: utilisation (mean and peak over a window) and
 * framebuffer memory per GPU, attributed to the pod that holds it. A tenant's API is bound to its
 * namespace; the cluster API (platform pages only) sees every allocated GPU.
 *
 * Each call is one round trip: the four templates are joined with `or`, each part marked with a
 * `portal_stat` label. Without an explicit client, answers are shared across viewers
 * (sharedPrometheus), so a page viewed by many people costs Prometheus one query per window and
 * TTL, not one per view.
 */
import { tenantNamespace } from '../kubernetes/namespace';
import type { InstantSample, PrometheusApi, RangeSeries } from './client';
import { instantAnswer, rangeAnswer, sharedPrometheus } from './shared-query';
import type { Freshness } from '../../freshness';
import {
  checkWindowSeconds,
  queryTemplates,
  renderQuery,
  type QueryTemplateName,
  type QueryTemplates,
} from './templates';

export interface GpuDeviceMetrics {
  namespace: string;
  pod: string;
  /** The node (dcgm-exporter's `Hostname`). */
  node: string | null;
  /** The GPU's index on its node. */
  gpu: string;
  uuid: string | null;
  model: string | null;
  /** Mean utilisation over the window, 0–100. */
  utilPercent: number | null;
  /** Highest utilisation over the window, 0–100. */
  peakUtilPercent: number | null;
  memoryUsedMiB: number | null;
  /** Used + free. */
  memoryTotalMiB: number | null;
}

export interface UtilisationSeries {
  pod: string;
  /** `t` in milliseconds since the epoch; `value` 0–100. */
  points: { t: number; value: number }[];
}

/** GPUs' figures with when Prometheus answered (a shared answer may be older than now). */
export type GpuDevicesAnswer = { devices: GpuDeviceMetrics[] } & { freshness: Freshness };
export type UtilisationHistoryAnswer = { series: UtilisationSeries[] } & { freshness: Freshness };

export interface GpuMetricsApi {
  /** Every GPU of the tenant's pods that reported within the window (seconds). */
  devices(windowSeconds: number): Promise<GpuDevicesAnswer>;
  /** Mean utilisation per pod over a time range, for charts. */
  utilisationHistory(range: { start: Date; end: Date; stepSeconds: number }): Promise<UtilisationHistoryAnswer>;
}

export interface ClusterGpuMetricsApi {
  /** Every GPU attributed to a pod, in any namespace. */
  devices(windowSeconds: number): Promise<GpuDevicesAnswer>;
}

async function devicesAnswer(client: PrometheusApi, promql: string): Promise<GpuDevicesAnswer> {
  const { samples, ...age } = await instantAnswer(client, promql);
  return { devices: gpuDevicesFrom(samples), ...age };
}

const STAT_LABEL = 'portal_stat';
const STATS = ['util', 'peak', 'used', 'free'] as const;
type Stat = (typeof STATS)[number];

const TENANT_TEMPLATES: Record<Stat, QueryTemplateName> = {
  util: 'gpuUtilisation',
  peak: 'gpuPeakUtilisation',
  used: 'gpuMemoryUsed',
  free: 'gpuMemoryFree',
};
const CLUSTER_TEMPLATES: Record<Stat, QueryTemplateName> = {
  util: 'clusterGpuUtilisation',
  peak: 'clusterGpuPeakUtilisation',
  used: 'clusterGpuMemoryUsed',
  free: 'clusterGpuMemoryFree',
};

/** The one query for the four stats of every GPU. Pure; exported for tests. */
export function gpuDevicesQuery(
  templates: QueryTemplates,
  names: Record<Stat, QueryTemplateName>,
  variables: Record<string, string | number>,
): string {
  return STATS.map(
    (stat) => `label_replace(${renderQuery(templates[names[stat]], variables)}, "${STAT_LABEL}", "${stat}", "", "")`,
  ).join(' or ');
}

const finite = (value: number | undefined): number | null =>
  value !== undefined && Number.isFinite(value) ? value : null;

/** Groups an instant answer into one entry per GPU and pod. Pure; exported for tests. */
export function gpuDevicesFrom(samples: readonly InstantSample[]): GpuDeviceMetrics[] {
  const devices = new Map<string, { labels: Record<string, string>; values: Partial<Record<Stat, number>> }>();
  for (const { metric, value } of samples) {
    const stat = STATS.find((s) => s === metric[STAT_LABEL]);
    const { namespace, pod } = metric;
    if (!stat || !namespace || !pod) continue;
    const key = [namespace, pod, metric.Hostname ?? '', metric.gpu ?? '', metric.UUID ?? ''].join('\u0000');
    const entry = devices.get(key) ?? { labels: metric, values: {} };
    entry.values[stat] = value;
    devices.set(key, entry);
  }
  return [...devices.values()]
    .map(({ labels, values }) => {
      const used = finite(values.used);
      const free = finite(values.free);
      return {
        namespace: labels.namespace!,
        pod: labels.pod!,
        node: labels.Hostname ?? null,
        gpu: labels.gpu ?? '?',
        uuid: labels.UUID ?? null,
        model: labels.modelName ?? null,
        utilPercent: finite(values.util),
        peakUtilPercent: finite(values.peak),
        memoryUsedMiB: used,
        memoryTotalMiB: used !== null && free !== null ? used + free : null,
      };
    })
    .sort(
      (a, b) =>
        a.namespace.localeCompare(b.namespace) ||
        a.pod.localeCompare(b.pod) ||
        (a.node ?? '').localeCompare(b.node ?? '') ||
        a.gpu.localeCompare(b.gpu, 'en', { numeric: true }),
    );
}

/** Chart series per pod from a range answer. Pure; exported for tests. */
export function utilisationSeriesFrom(series: readonly RangeSeries[]): UtilisationSeries[] {
  return series
    .filter((s) => s.metric.pod)
    .map((s) => ({
      pod: s.metric.pod!,
      points: s.points
        .filter((p) => Number.isFinite(p.value))
        .map((p) => ({ t: Math.round(p.time * 1000), value: p.value })),
    }))
    .filter((s) => s.points.length > 0)
    .sort((a, b) => a.pod.localeCompare(b.pod));
}

/** GPU metrics of `tenant`'s pods; every query is bound to the tenant's namespace. */
export function gpuMetrics(
  tenant: string,
  api?: PrometheusApi,
  templates: QueryTemplates = queryTemplates(),
): GpuMetricsApi {
  const namespace = tenantNamespace(tenant);
  const client = api ?? sharedPrometheus();
  return {
    async devices(windowSeconds) {
      return devicesAnswer(
        client,
        gpuDevicesQuery(templates, TENANT_TEMPLATES, { namespace, windowSeconds: checkWindowSeconds(windowSeconds) }),
      );
    },
    async utilisationHistory({ start, end, stepSeconds }) {
      const { series, ...age } = await rangeAnswer(client, renderQuery(templates.gpuUtilisationByPod, { namespace }), {
        start,
        end,
        stepSeconds,
      });
      return { series: utilisationSeriesFrom(series), ...age };
    },
  };
}

/** GPU metrics of every allocated GPU, for the platform's pages. */
export function clusterGpuMetrics(
  api?: PrometheusApi,
  templates: QueryTemplates = queryTemplates(),
): ClusterGpuMetricsApi {
  const client = api ?? sharedPrometheus();
  return {
    async devices(windowSeconds) {
      return devicesAnswer(
        client,
        gpuDevicesQuery(templates, CLUSTER_TEMPLATES, { windowSeconds: checkWindowSeconds(windowSeconds) }),
      );
    },
  };
}
