/**
 * Serving and GPU figures of every tenant a viewer may see at once, for the operations dashboard.
 *
 * One instant query covers every InferenceService (cluster templates joined with `or`, each part
 * marked with a `portal_stat` label), another every namespace's GPUs. Their text is the same for
 * every viewer, so the shared client answers all of them with one query per TTL; the series are
 * then kept to the viewer's tenants here, so no caller gets another tenant's figures.
 *
 * Latency is per InferenceService only: a quantile per revision would read every bucket series of
 * the cluster a second time, which at a few hundred services doubles a query of seconds. For a
 * canary's latency, ask servingMetrics for that one endpoint.
 */
import { tenantNamespace } from '../kubernetes/namespace';
import type { InstantSample, PrometheusApi } from './client';
import { instantAnswer, sharedPrometheus, slowlySharedPrometheus } from './shared-query';
import type { Freshness } from '../../freshness';
import { checkWindowSeconds, queryTemplates, renderQuery, type QueryTemplates } from './templates';

export interface RevisionServingStats {
  revision: string;
  /** Requests per second over the window. */
  requestRate: number;
  /** 5xx / all, 0–1. */
  errorRate: number;
}

export interface EndpointServingStats {
  tenant: string;
  /** The InferenceService. */
  service: string;
  /** All revisions together. */
  requestRate: number;
  errorRate: number;
  /** Over all revisions' requests. */
  p99Ms: number | null;
  /** Revisions with traffic in the window, by name. */
  revisions: RevisionServingStats[];
}

export interface TenantGpuUtilisation {
  tenant: string;
  /** GPUs allocated to the tenant's pods that reported within the window. */
  gpus: number;
  /** Mean utilisation of those GPUs over the window, 0–100; null without GPUs. */
  utilPercent: number | null;
}

export interface FleetMetricsApi {
  /** Every endpoint of the tenants with traffic in the window (seconds), by tenant and service. */
  serving(windowSeconds: number): Promise<{ endpoints: EndpointServingStats[] } & { freshness: Freshness }>;
  /** Every one of the tenants, by name, with its GPUs' mean utilisation over the window. */
  gpuUtilisation(windowSeconds: number): Promise<{ tenants: TenantGpuUtilisation[] } & { freshness: Freshness }>;
}

const STAT_LABEL = 'portal_stat';
const SERVING_STATS = ['requestRate', 'errorRate', 'p99'] as const;
type ServingStat = (typeof SERVING_STATS)[number];
type RevisionStat = 'requestRate' | 'errorRate';
const GPU_STATS = ['util', 'gpus'] as const;
type GpuStat = (typeof GPU_STATS)[number];

/** Knative names an InferenceService's predictor configuration "<service>-predictor". */
const PREDICTOR_SUFFIX = '-predictor';

function joined<S extends string>(parts: Record<S, string>): string {
  return Object.entries<string>(parts)
    .map(([stat, promql]) => `label_replace(${promql}, "${STAT_LABEL}", "${stat}", "", "")`)
    .join(' or ');
}

/** The one query for every endpoint's serving figures. Pure; exported for tests. */
export function fleetServingQuery(templates: QueryTemplates, windowSeconds: number): string {
  const variables = { windowSeconds };
  const parts: Record<ServingStat, string> = {
    requestRate: renderQuery(templates.clusterRevisionRequestRate, variables),
    errorRate: renderQuery(templates.clusterRevisionErrorRate, variables),
    p99: renderQuery(templates.clusterServiceLatencyQuantile, { ...variables, quantile: 0.99 }),
  };
  return joined(parts);
}

/** The one query for every namespace's GPUs. Pure; exported for tests. */
export function fleetGpuQuery(templates: QueryTemplates, windowSeconds: number): string {
  const variables = { windowSeconds };
  const parts: Record<GpuStat, string> = {
    util: renderQuery(templates.clusterNamespaceGpuUtilisation, variables),
    gpus: renderQuery(templates.clusterNamespaceGpuCount, variables),
  };
  return joined(parts);
}

const finiteOrNull = (value: number | undefined): number | null =>
  value !== undefined && Number.isFinite(value) ? value : null;

/** errors / requests within 0–1; 0 without requests. */
function share(errors: number | undefined, requests: number): number {
  return requests > 0 ? Math.min(1, Math.max(0, (errors ?? 0) / requests)) : 0;
}

interface ServiceStats {
  tenant: string;
  service: string;
  p99?: number;
  revisions: Map<string, Partial<Record<RevisionStat, number>>>;
}

/** Namespace → tenant, for the tenants asked about only. */
function tenantsByNamespace(tenants: readonly string[]): Map<string, string> {
  return new Map(tenants.map((tenant) => [tenantNamespace(tenant), tenant]));
}

/** The tenants' endpoints with traffic, from the serving query's answer. Pure; exported for tests. */
export function endpointServingStatsFrom(
  samples: readonly InstantSample[],
  tenants: readonly string[],
): EndpointServingStats[] {
  const tenantOf = tenantsByNamespace(tenants);
  const endpoints = new Map<string, ServiceStats>();
  for (const { metric, value } of samples) {
    const stat = SERVING_STATS.find((s) => s === metric[STAT_LABEL]);
    const tenant = tenantOf.get(metric.namespace_name ?? '');
    const configuration = metric.configuration_name ?? '';
    if (!stat || !tenant || !configuration.endsWith(PREDICTOR_SUFFIX) || configuration === PREDICTOR_SUFFIX) continue;
    const service = configuration.slice(0, -PREDICTOR_SUFFIX.length);
    const key = `${tenant}\u0000${service}`;
    const endpoint: ServiceStats = endpoints.get(key) ?? { tenant, service, revisions: new Map() };
    endpoints.set(key, endpoint);
    if (stat === 'p99') {
      endpoint.p99 = value;
    } else if (metric.revision_name) {
      endpoint.revisions.set(metric.revision_name, { ...endpoint.revisions.get(metric.revision_name), [stat]: value });
    }
  }
  return [...endpoints.values()]
    .map(({ tenant, service, p99, revisions }) => {
      const served = [...revisions.entries()]
        .filter(([, stats]) => (stats.requestRate ?? 0) > 0)
        .sort(([a], [b]) => a.localeCompare(b));
      const requestRate = served.reduce((sum, [, stats]) => sum + stats.requestRate!, 0);
      const errorsPerSecond = served.reduce((sum, [, stats]) => sum + (stats.errorRate ?? 0), 0);
      return {
        tenant,
        service,
        requestRate,
        errorRate: share(errorsPerSecond, requestRate),
        p99Ms: finiteOrNull(p99),
        revisions: served.map(([revision, stats]) => ({
          revision,
          requestRate: stats.requestRate!,
          errorRate: share(stats.errorRate, stats.requestRate!),
        })),
      };
    })
    .filter((endpoint) => endpoint.requestRate > 0)
    .sort((a, b) => a.tenant.localeCompare(b.tenant) || a.service.localeCompare(b.service));
}

/** Every tenant asked about with its GPUs, from the GPU query's answer. Pure; exported for tests. */
export function tenantGpuUtilisationFrom(
  samples: readonly InstantSample[],
  tenants: readonly string[],
): TenantGpuUtilisation[] {
  const tenantOf = tenantsByNamespace(tenants);
  const stats = new Map<string, { gpus?: number; util?: number }>();
  for (const { metric, value } of samples) {
    const stat = GPU_STATS.find((s) => s === metric[STAT_LABEL]);
    const tenant = tenantOf.get(metric.namespace ?? '');
    if (!stat || !tenant) continue;
    stats.set(tenant, { ...stats.get(tenant), [stat]: value });
  }
  return [...tenantOf.values()]
    .sort((a, b) => a.localeCompare(b))
    .map((tenant) => {
      const gpus = stats.get(tenant)?.gpus;
      const count = gpus !== undefined && Number.isFinite(gpus) ? gpus : 0;
      return { tenant, gpus: count, utilPercent: count > 0 ? finiteOrNull(stats.get(tenant)?.util) : null };
    });
}

/**
 * The fleet-wide serving query may take this long: it runs once for every viewer, in the
 * background once answered (measured: 20 s over 5,000 InferenceServices on a busy two-core
 * Prometheus, which the default 5 s never let answer).
 */
export const FLEET_QUERY_TIMEOUT_MS = 30_000;

/**
 * Serving and GPU figures of `tenants` (those the viewer may see). Without `api`, answers are
 * shared across viewers (sharedPrometheus; the GPU means, which move slowly, four times as long).
 */
export function fleetMetrics(
  tenants: readonly string[],
  api?: PrometheusApi,
  templates: QueryTemplates = queryTemplates(),
): FleetMetricsApi {
  const visible = [...new Set(tenants)];
  visible.forEach(tenantNamespace);
  const client = api ?? sharedPrometheus(undefined, { timeoutMs: FLEET_QUERY_TIMEOUT_MS });
  return {
    async serving(windowSeconds) {
      const { samples, ...age } = await instantAnswer(
        client,
        fleetServingQuery(templates, checkWindowSeconds(windowSeconds)),
      );
      return { ...age, endpoints: endpointServingStatsFrom(samples, visible) };
    },
    async gpuUtilisation(windowSeconds) {
      const { samples, ...age } = await instantAnswer(
        api ?? slowlySharedPrometheus(),
        fleetGpuQuery(templates, checkWindowSeconds(windowSeconds)),
      );
      return { ...age, tenants: tenantGpuUtilisationFrom(samples, visible) };
    },
  };
}
