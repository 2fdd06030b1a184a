/**
 * Request rate, error rate and latency per revision of one tenant's InferenceService, for the
 * canary dashboard and the rollout worker. Each call is one round trip: the four templates
 * (request rate, 5xx rate, p50, p99) are joined with `or` into one query, each part marked with a
 * `portal_stat` label.
 */
import { tenantNamespace, checkObjectName } from '../kubernetes/namespace';
import { prometheusApi, type InstantSample, type PrometheusApi, type RangeSeries } from './client';
import { checkWindowSeconds, queryTemplates, renderQuery, type QueryTemplates } from './templates';

export interface RevisionMetrics {
  revision: string;
  /** Requests per second over the window. */
  requestRate: number;
  /** Requests in the window. */
  requests: number;
  /** 5xx / all, 0–1; 0 when there were no requests. */
  errorRate: number;
  p50Ms: number | null;
  p99Ms: number | null;
}

export interface RevisionHistoryPoint {
  /** Milliseconds since the epoch. */
  t: number;
  requestRate: number;
  /** null when there were no requests. */
  errorRate: number | null;
  p50Ms: number | null;
  p99Ms: number | null;
}

export interface RevisionHistory {
  revision: string;
  points: RevisionHistoryPoint[];
}

export interface ServingMetricsApi {
  /** Per revision over the last `windowSeconds` (at least 4 scrape intervals); revisions without traffic in the window are absent. */
  revisionMetrics(service: string, windowSeconds: number, at?: Date): Promise<RevisionMetrics[]>;
  /** Time series for charts; the rate window is `windowSeconds`, by default the step but at least MIN_HISTORY_WINDOW_SECONDS. */
  revisionHistory(
    service: string,
    range: { start: Date; end: Date; stepSeconds: number; windowSeconds?: number },
  ): Promise<RevisionHistory[]>;
}

/** Long enough for rate() over a few scrapes at common scrape intervals (15 s). */
export const MIN_HISTORY_WINDOW_SECONDS = 60;

const STAT_LABEL = 'portal_stat';
const STATS = ['requestRate', 'errorRate', 'p50', 'p99'] as const;
type Stat = (typeof STATS)[number];
type StatValues = Partial<Record<Stat, number>>;

/** The one query for all four stats of every revision of `service`. Pure; exported for tests. */
export function servingQuery(
  templates: QueryTemplates,
  namespace: string,
  service: string,
  windowSeconds: number,
): string {
  const variables = { namespace, service, windowSeconds };
  const parts: Record<Stat, string> = {
    requestRate: renderQuery(templates.revisionRequestRate, variables),
    errorRate: renderQuery(templates.revisionErrorRate, variables),
    p50: renderQuery(templates.revisionLatencyQuantile, { ...variables, quantile: 0.5 }),
    p99: renderQuery(templates.revisionLatencyQuantile, { ...variables, quantile: 0.99 }),
  };
  return STATS.map((stat) => `label_replace(${parts[stat]}, "${STAT_LABEL}", "${stat}", "", "")`).join(' or ');
}

function statOf(metric: Record<string, string>): Stat | undefined {
  return STATS.find((stat) => stat === metric[STAT_LABEL]);
}

const finiteOrNull = (value: number | undefined): number | null =>
  value !== undefined && Number.isFinite(value) ? value : null;

/** The 5xx share; errors without requests (rounding in rate()) count as no requests. */
function errorShare(values: StatValues): number | null {
  const requests = values.requestRate ?? 0;
  if (!(requests > 0)) return null;
  return Math.min(1, Math.max(0, (values.errorRate ?? 0) / requests));
}

/** Groups an instant answer by revision and turns it into RevisionMetrics. Pure; exported for tests. */
export function revisionMetricsFrom(samples: InstantSample[], windowSeconds: number): RevisionMetrics[] {
  const byRevision = new Map<string, StatValues>();
  for (const { metric, value } of samples) {
    const stat = statOf(metric);
    const revision = metric.revision_name;
    if (!stat || !revision) continue;
    byRevision.set(revision, { ...byRevision.get(revision), [stat]: value });
  }
  return [...byRevision.entries()]
    .filter(([, values]) => (values.requestRate ?? 0) > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([revision, values]) => ({
      revision,
      requestRate: values.requestRate!,
      requests: values.requestRate! * windowSeconds,
      errorRate: errorShare(values) ?? 0,
      p50Ms: finiteOrNull(values.p50),
      p99Ms: finiteOrNull(values.p99),
    }));
}

/** Groups a range answer by revision and time into chart points. Pure; exported for tests. */
export function revisionHistoryFrom(series: RangeSeries[]): RevisionHistory[] {
  const byRevision = new Map<string, Map<number, StatValues>>();
  for (const { metric, points } of series) {
    const stat = statOf(metric);
    const revision = metric.revision_name;
    if (!stat || !revision) continue;
    const byTime = byRevision.get(revision) ?? new Map<number, StatValues>();
    byRevision.set(revision, byTime);
    for (const { time, value } of points) byTime.set(time, { ...byTime.get(time), [stat]: value });
  }
  return [...byRevision.entries()]
    .map(([revision, byTime]) => ({
      revision,
      points: [...byTime.entries()]
        .filter(([, values]) => values.requestRate !== undefined)
        .sort(([a], [b]) => a - b)
        .map(([time, values]) => ({
          t: Math.round(time * 1000),
          requestRate: values.requestRate!,
          errorRate: errorShare(values),
          p50Ms: finiteOrNull(values.p50),
          p99Ms: finiteOrNull(values.p99),
        })),
    }))
    .filter((history) => history.points.some((p) => p.requestRate > 0))
    .sort((a, b) => a.revision.localeCompare(b.revision));
}

/** Serving metrics of `tenant`'s InferenceServices; every query is bound to the tenant's namespace. */
export function servingMetrics(
  tenant: string,
  api: PrometheusApi = prometheusApi(),
  templates: QueryTemplates = queryTemplates(),
): ServingMetricsApi {
  const namespace = tenantNamespace(tenant);
  const queryFor = (service: string, windowSeconds: number) =>
    servingQuery(templates, namespace, checkObjectName('InferenceService', service), checkWindowSeconds(windowSeconds));

  return {
    async revisionMetrics(service, windowSeconds, at) {
      return revisionMetricsFrom(await api.query(queryFor(service, windowSeconds), at), windowSeconds);
    },

    async revisionHistory(service, { start, end, stepSeconds, windowSeconds }) {
      const window = windowSeconds ?? Math.max(Math.ceil(stepSeconds), MIN_HISTORY_WINDOW_SECONDS);
      return revisionHistoryFrom(await api.queryRange(queryFor(service, window), { start, end, stepSeconds }));
    },
  };
}
