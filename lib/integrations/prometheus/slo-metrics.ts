/**
 * The counts behind service level objectives (availability and latency, lib/slo): requests, 5xx
 * requests and requests answered within a latency threshold, per InferenceService, over windows.
 *
 * `counts` answers every endpoint of the viewer's tenants over every window in one instant query
 * (cluster templates joined with `or`, each part marked with `portal_stat`, `portal_window` and
 * `portal_le` labels), the same text for every viewer so that its answer is shared; the series are
 * kept to the viewer's tenants here. `history` is one endpoint's range query, tenant-scoped.
 *
 * Counts come from `increase()`, which extrapolates to the window's edges: they are estimates (not
 * whole numbers), and requests within a threshold can come out a hair above all requests.
 */
import { checkObjectName, tenantNamespace } from '../kubernetes/namespace';
import type { InstantSample, PrometheusApi, RangeSeries } from './client';
import { alignRange, instantAnswer, rangeAnswer, slowlySharedPrometheus } from './shared-query';
import type { Freshness } from '../../freshness';
import { checkWindowSeconds, queryTemplates, renderQuery, type QueryTemplates } from './templates';

export interface SloCounts {
  requests: number;
  /** 5xx requests. */
  errors: number;
  /** Requests answered within each asked threshold (ms). */
  within: Record<number, number>;
}

export interface EndpointSloCounts {
  tenant: string;
  /** The InferenceService. */
  service: string;
  /** Per asked window (seconds); every asked window and threshold is present, 0 without requests. */
  windows: Record<number, SloCounts>;
}

export interface SloHistoryOptions {
  start: Date;
  end: Date;
  stepSeconds: number;
  /** The latency objective's threshold, for `trailing.within`. */
  thresholdMs: number;
  /** The objective window the trailing counts cover. */
  objectiveWindowSeconds: number;
  /** The window of each point's rates and p95; by default the step, at least MIN_HISTORY_RATE_WINDOW_SECONDS. */
  rateWindowSeconds?: number;
}

export interface SloHistoryMetricsPoint {
  /** Milliseconds since the epoch. */
  t: number;
  /** Requests per second over the rate window. */
  requestRate: number;
  /** 5xx share over the rate window; null without requests. */
  errorRate: number | null;
  p95Ms: number | null;
  /** Over the objective window ending at `t`; `within` has the one threshold asked. */
  trailing: SloCounts;
}

/** `freshness`: when the query was sent (shared answers may be a few seconds old). */
export interface SloHistorySeries {
  freshness: Freshness;
  /** The range as queried: aligned to the step. */
  start: Date;
  end: Date;
  stepSeconds: number;
  rateWindowSeconds: number;
  points: SloHistoryMetricsPoint[];
}

export interface SloMetricsApi {
  /** Every endpoint of the tenants with requests in any of the windows (seconds), by tenant and service. */
  counts(
    windowsSeconds: readonly number[],
    thresholdsMs: readonly number[],
  ): Promise<{ endpoints: EndpointSloCounts[] } & { freshness: Freshness }>;
  /** One endpoint's history for charts, the range aligned to the step. */
  history(tenant: string, service: string, options: SloHistoryOptions): Promise<SloHistorySeries>;
}

/** Rates over less than 15 minutes are noisy for SLO trends, and unsound where history is kept at 5-minute resolution. */
export const MIN_HISTORY_RATE_WINDOW_SECONDS = 900;

const STAT_LABEL = 'portal_stat';
const WINDOW_LABEL = 'portal_window';
const THRESHOLD_LABEL = 'portal_le';
const PREDICTOR_SUFFIX = '-predictor';

/** Adds constant labels to every series of `promql`. */
function marked(promql: string, labels: Record<string, string | number>): string {
  return Object.entries(labels).reduce(
    (query, [name, value]) => `label_replace(${query}, "${name}", "${value}", "", "")`,
    promql,
  );
}

function checkThresholdMs(thresholdMs: number): number {
  if (!(Number.isFinite(thresholdMs) && thresholdMs > 0))
    throw new Error(`A latency threshold is a positive number of milliseconds, not ${thresholdMs}`);
  return thresholdMs;
}

/** The one query for every endpoint's counts over every window. Pure; exported for tests. */
export function sloCountsQuery(
  templates: QueryTemplates,
  windowsSeconds: readonly number[],
  thresholdsMs: readonly number[],
): string {
  return windowsSeconds
    .flatMap((windowSeconds) => [
      marked(renderQuery(templates.clusterServiceRequests, { windowSeconds }), {
        [STAT_LABEL]: 'requests',
        [WINDOW_LABEL]: windowSeconds,
      }),
      marked(renderQuery(templates.clusterServiceErrors, { windowSeconds }), {
        [STAT_LABEL]: 'errors',
        [WINDOW_LABEL]: windowSeconds,
      }),
      ...thresholdsMs.map((thresholdMs) =>
        marked(renderQuery(templates.clusterServiceRequestsWithin, { windowSeconds, thresholdMs }), {
          [STAT_LABEL]: 'within',
          [WINDOW_LABEL]: windowSeconds,
          [THRESHOLD_LABEL]: thresholdMs,
        }),
      ),
    ])
    .join(' or ');
}

const emptyCounts = (thresholdsMs: readonly number[]): SloCounts => ({
  requests: 0,
  errors: 0,
  within: Object.fromEntries(thresholdsMs.map((ms) => [ms, 0])),
});

/** The tenants' endpoints' counts from the counts query's answer. Pure; exported for tests. */
export function endpointSloCountsFrom(
  samples: readonly InstantSample[],
  tenants: readonly string[],
  windowsSeconds: readonly number[],
  thresholdsMs: readonly number[],
): EndpointSloCounts[] {
  const tenantOf = new Map(tenants.map((tenant) => [tenantNamespace(tenant), tenant]));
  const endpoints = new Map<string, EndpointSloCounts>();
  for (const { metric, value } of samples) {
    const tenant = tenantOf.get(metric.namespace_name ?? '');
    const configuration = metric.configuration_name ?? '';
    const windowSeconds = Number(metric[WINDOW_LABEL]);
    const stat = metric[STAT_LABEL];
    if (
      !tenant ||
      !configuration.endsWith(PREDICTOR_SUFFIX) ||
      configuration === PREDICTOR_SUFFIX ||
      !windowsSeconds.includes(windowSeconds) ||
      !Number.isFinite(value)
    )
      continue;
    const service = configuration.slice(0, -PREDICTOR_SUFFIX.length);
    const key = `${tenant}\u0000${service}`;
    const endpoint = endpoints.get(key) ?? {
      tenant,
      service,
      windows: Object.fromEntries(windowsSeconds.map((w) => [w, emptyCounts(thresholdsMs)])),
    };
    endpoints.set(key, endpoint);
    const counts = endpoint.windows[windowSeconds]!;
    if (stat === 'requests') counts.requests = value;
    else if (stat === 'errors') counts.errors = value;
    else if (stat === 'within') {
      const thresholdMs = Number(metric[THRESHOLD_LABEL]);
      if (thresholdsMs.includes(thresholdMs)) counts.within[thresholdMs] = value;
    }
  }
  return [...endpoints.values()]
    .filter((endpoint) => Object.values(endpoint.windows).some((counts) => counts.requests > 0))
    .sort((a, b) => a.tenant.localeCompare(b.tenant) || a.service.localeCompare(b.service));
}

const HISTORY_STATS = ['requests', 'errors', 'p95', 'trailingRequests', 'trailingErrors', 'trailingWithin'] as const;
type HistoryStat = (typeof HISTORY_STATS)[number];

/** One endpoint's history in one range query. Pure; exported for tests. */
export function sloHistoryQuery(
  templates: QueryTemplates,
  namespace: string,
  service: string,
  {
    rateWindowSeconds,
    objectiveWindowSeconds,
    thresholdMs,
  }: { rateWindowSeconds: number; objectiveWindowSeconds: number; thresholdMs: number },
): string {
  const recent = { namespace, service, windowSeconds: rateWindowSeconds };
  const trailing = { namespace, service, windowSeconds: objectiveWindowSeconds };
  const parts: Record<HistoryStat, string> = {
    requests: renderQuery(templates.serviceRequests, recent),
    errors: renderQuery(templates.serviceErrors, recent),
    p95: renderQuery(templates.serviceLatencyQuantile, { ...recent, quantile: 0.95 }),
    trailingRequests: renderQuery(templates.serviceRequests, trailing),
    trailingErrors: renderQuery(templates.serviceErrors, trailing),
    trailingWithin: renderQuery(templates.serviceRequestsWithin, { ...trailing, thresholdMs }),
  };
  return HISTORY_STATS.map((stat) => marked(parts[stat], { [STAT_LABEL]: stat })).join(' or ');
}

const finiteOrNull = (value: number | undefined): number | null =>
  value !== undefined && Number.isFinite(value) ? value : null;
const finiteOrZero = (value: number | undefined): number => finiteOrNull(value) ?? 0;

/** Chart points from the history query's answer, in time order. Pure; exported for tests. */
export function sloHistoryFrom(
  series: readonly RangeSeries[],
  { rateWindowSeconds, thresholdMs }: { rateWindowSeconds: number; thresholdMs: number },
): SloHistoryMetricsPoint[] {
  const byTime = new Map<number, Partial<Record<HistoryStat, number>>>();
  for (const { metric, points } of series) {
    const stat = HISTORY_STATS.find((s) => s === metric[STAT_LABEL]);
    if (!stat) continue;
    for (const { time, value } of points) byTime.set(time, { ...byTime.get(time), [stat]: value });
  }
  return [...byTime.entries()]
    .sort(([a], [b]) => a - b)
    .map(([time, stats]) => {
      const requests = finiteOrZero(stats.requests);
      return {
        t: Math.round(time * 1000),
        requestRate: requests / rateWindowSeconds,
        errorRate: requests > 0 ? Math.min(1, Math.max(0, finiteOrZero(stats.errors) / requests)) : null,
        p95Ms: finiteOrNull(stats.p95),
        trailing: {
          requests: finiteOrZero(stats.trailingRequests),
          errors: finiteOrZero(stats.trailingErrors),
          within: { [thresholdMs]: finiteOrZero(stats.trailingWithin) },
        },
      };
    });
}

/**
 * SLO counts of `tenants` (those the viewer may see). Without `api`, answers are shared across
 * viewers (slowlySharedPrometheus: windows of 5 minutes to 28 days move slowly).
 */
export function sloMetrics(
  tenants: readonly string[],
  api?: PrometheusApi,
  templates: QueryTemplates = queryTemplates(),
): SloMetricsApi {
  const visible = [...new Set(tenants)];
  visible.forEach(tenantNamespace);
  const client = api ?? slowlySharedPrometheus();
  return {
    async counts(windowsSeconds, thresholdsMs) {
      const windows = [...new Set(windowsSeconds.map(checkWindowSeconds))].sort((a, b) => a - b);
      const thresholds = [...new Set(thresholdsMs.map(checkThresholdMs))].sort((a, b) => a - b);
      if (windows.length === 0) throw new Error('SLO counts need at least one window');
      const { samples, ...age } = await instantAnswer(client, sloCountsQuery(templates, windows, thresholds));
      return { ...age, endpoints: endpointSloCountsFrom(samples, visible, windows, thresholds) };
    },

    async history(
      tenant,
      service,
      { start, end, stepSeconds, thresholdMs, objectiveWindowSeconds, rateWindowSeconds },
    ) {
      if (!visible.includes(tenant))
        throw new Error(`"${tenant}" is not one of the tenants these SLO metrics were opened for`);
      const windows = {
        rateWindowSeconds: checkWindowSeconds(
          rateWindowSeconds ?? Math.max(Math.ceil(stepSeconds), MIN_HISTORY_RATE_WINDOW_SECONDS),
        ),
        objectiveWindowSeconds: checkWindowSeconds(objectiveWindowSeconds),
        thresholdMs: checkThresholdMs(thresholdMs),
      };
      const promql = sloHistoryQuery(
        templates,
        tenantNamespace(tenant),
        checkObjectName('InferenceService', service),
        windows,
      );
      const range = alignRange({ start, end, stepSeconds });
      const { series, ...age } = await rangeAnswer(client, promql, range);
      return {
        ...age,
        ...range,
        rateWindowSeconds: windows.rateWindowSeconds,
        points: sloHistoryFrom(series, windows),
      };
    },
  };
}
