/**
 * The judgment of each area of the operations dashboard (PRODUCT.md capability 6): the area's
 * inputs and the platform's thresholds in, the row's state, its signal and threshold in words,
 * the worst item and where to act on it out. Pure: the service reads the inputs, and turns a
 * missing one into an `unknownRow`.
 */
import type { ServingState } from '../integrations/kubernetes';
import type { Freshness } from '../freshness';
import { formatDuration, formatNumber, formatPercent } from '../format';
import type { PhaseFilter } from '../pipelines/phases';
import { breachFeatureWords, type DriftBreach } from '../platform-health/input-drift';
import { CHECKS_ANCHOR, platformHealthHref } from '../platform-health/view';
import type { PipelineSummary } from './pipelines';
import type { OpsArea } from './areas';
import type { OpsThresholds } from './thresholds';
import type { ModelMetricTrend } from './training';
import type { OpsLink, OpsRow, OpsSource } from './view';

/** The upstreams each area is read from; any of them failing leaves the area unknown. */
export const OPS_AREA_SOURCES: Record<OpsArea, readonly OpsSource[]> = {
  pipelines: ['kubernetes'],
  training: ['mlflow'],
  registry: ['database'],
  serving: ['prometheus', 'kubernetes'],
  canary: ['prometheus', 'kubernetes'],
  infrastructure: ['prometheus', 'kubernetes'],
  health: ['health'],
};

/**
 * Where a row's link goes: the worst item's page, or the area's page of the tenant. Pipelines go to
 * the tenant's pipeline runs, only its failed ones when failures make the row alert.
 */
export type OpsTarget =
  | { kind: 'pipelines'; failed: boolean }
  | { kind: 'deployment'; service: string }
  | { kind: 'canary'; service: string }
  | { kind: 'deployments' }
  | { kind: 'model'; model: string }
  | { kind: 'models' }
  | { kind: 'promotion'; id: string }
  | { kind: 'promotions' }
  | { kind: 'gpu' }
  | { kind: 'health' }
  | { kind: 'checks' };

/** The pipelines page's filter that lists failed runs (Error included). */
const FAILED_RUNS: PhaseFilter = 'Failed';

export interface OpsJudgment extends Pick<OpsRow, 'state' | 'signal' | 'threshold' | 'detail'> {
  target: OpsTarget | null;
}

export function opsLink(tenant: string, target: OpsTarget): OpsLink {
  const base = `/t/${encodeURIComponent(tenant)}`;
  switch (target.kind) {
    case 'pipelines':
      return target.failed
        ? { href: `${base}/pipelines?phase=${FAILED_RUNS}`, label: `Open the failed pipeline runs of ${tenant}` }
        : { href: `${base}/pipelines`, label: `Open the pipeline runs of ${tenant}` };
    case 'deployment':
      return {
        href: `${base}/deployments/${encodeURIComponent(target.service)}`,
        label: `Open the deployment of ${target.service}`,
      };
    case 'canary':
      return {
        href: `${base}/deployments/${encodeURIComponent(target.service)}`,
        label: `Open the canary of ${target.service}`,
      };
    case 'deployments':
      return { href: `${base}/deployments`, label: `Open the deployments of ${tenant}` };
    case 'model':
      return { href: `${base}/models/${encodeURIComponent(target.model)}`, label: `Open the model ${target.model}` };
    case 'models':
      return { href: `${base}/models`, label: `Open the models of ${tenant}` };
    case 'promotion':
      return {
        href: `${base}/promotions/${encodeURIComponent(target.id)}`,
        label: 'Open the longest-waiting promotion request',
      };
    case 'promotions':
      return { href: `${base}/promotions`, label: `Open the promotion requests of ${tenant}` };
    case 'gpu':
      return { href: `${base}/gpu`, label: `Open the GPUs of ${tenant}` };
    case 'health':
      return { href: platformHealthHref(tenant), label: `Open the platform health findings of ${tenant}` };
    case 'checks':
      return { href: `${base}#${CHECKS_ANCHOR}`, label: `Open the checks of ${tenant}` };
  }
}

/** A judged row; `outdated` says when its inputs may be out of date, `problem` which part is missing. */
export function opsRow(
  tenant: string,
  area: OpsArea,
  judgment: OpsJudgment,
  inputs: { outdated?: Freshness | null; problem?: string | null } = {},
): OpsRow {
  const { target, ...judged } = judgment;
  return {
    tenant,
    area,
    ...judged,
    link: target ? opsLink(tenant, target) : null,
    problem: inputs.problem ?? null,
    outdated: inputs.outdated ?? null,
  };
}

/** A row whose inputs could not be read: `problem` says which and why. */
export function unknownRow(tenant: string, area: OpsArea, problem: string, thresholds: OpsThresholds): OpsRow {
  return {
    tenant,
    area,
    state: 'unknown',
    signal: 'no data',
    threshold: thresholdText(area, thresholds),
    detail: null,
    link: null,
    problem,
    outdated: null,
  };
}

// ---- words and numbers -------------------------------------------------------------------------

const rate = (perSecond: number) => `${Number(perSecond.toFixed(perSecond < 10 ? 2 : 1))} req/s`;
const ms = (value: number) => `${Math.round(value)} ms`;
const signed = (delta: number) => `${delta >= 0 ? '+' : '−'}${formatNumber(Math.abs(delta))}`;
const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

/** "a, b, c and 2 more". */
function listed(names: readonly string[], max = 3): string {
  const shown = names.slice(0, max).join(', ');
  return names.length > max ? `${shown} and ${names.length - max} more` : shown;
}

const PIPELINE_WINDOW_WORDS = (windowMs: number) =>
  windowMs % 86_400_000 === 0
    ? `the last ${plural(windowMs / 86_400_000, 'day')}`
    : `the last ${formatDuration(windowMs)}`;

/** What each area is judged against, in words. */
export function thresholdText(area: OpsArea, t: OpsThresholds): string {
  switch (area) {
    case 'pipelines':
      return `alert when success < ${formatPercent(t.pipelineSuccessMin)}`;
    case 'training':
      return `alert when a model's newest version is more than ${t.trainingRegressionTolerance} below the previous one`;
    case 'registry':
      return `alert when a request waits > ${t.registryWaitHoursMax} h`;
    case 'serving':
      return `alert when an endpoint's errors > ${formatPercent(t.servingErrorRateMax)} or p99 > ${t.servingP99MsMax} ms, or its model's inputs drift past the tenant policy's threshold`;
    case 'canary':
      return `alert when canary errors > ${t.canaryErrorRatioMax}× stable (stable counted as at least ${formatPercent(CANARY_STABLE_ERROR_FLOOR)}), judged from ${CANARY_MIN_REQUESTS} canary requests`;
    case 'infrastructure':
      return t.oomKillsPerDayMax === 0
        ? 'alert on any OOM kill in 24 h'
        : `alert when OOM kills in 24 h > ${t.oomKillsPerDayMax}`;
    case 'health':
      return 'alert on any critical finding, warning on any warning';
  }
}

// ---- pipelines ---------------------------------------------------------------------------------

export function judgePipelines(summary: PipelineSummary, thresholds: OpsThresholds): OpsJudgment {
  const threshold = thresholdText('pipelines', thresholds);
  const window = PIPELINE_WINDOW_WORDS(summary.windowMs);
  const running = summary.running > 0 ? ` · ${summary.running} running` : '';
  if (summary.successRate === null) {
    return {
      state: 'idle',
      signal: `no runs finished in ${window}${running}`,
      threshold,
      detail: `nothing to judge: no pipeline run finished in ${window}`,
      target: { kind: 'pipelines', failed: false },
    };
  }
  const mean = summary.meanDurationMs === null ? '' : ` · mean ${formatDuration(summary.meanDurationMs)}`;
  const latest = summary.recentFailures[0];
  const detail = latest
    ? `${summary.failed} of ${plural(summary.finished, 'run')} failed in ${window}; latest ${latest.name}${latest.template ? ` (${latest.template})` : ''}${latest.phase === 'Error' ? ' ended in Error' : ' failed'}${latest.message ? `: ${latest.message}` : ''}`
    : null;
  const alert = summary.successRate < thresholds.pipelineSuccessMin;
  return {
    state: alert ? 'alert' : 'ok',
    signal: `${formatPercent(summary.successRate)} of ${plural(summary.finished, 'run')} succeeded${mean}${running}`,
    threshold,
    detail,
    target: { kind: 'pipelines', failed: alert },
  };
}

// ---- training ----------------------------------------------------------------------------------

// Metric values are compared with this slack, so a drop of exactly the tolerance (0.97 → 0.95
// with 0.02) is not an alert by floating-point rounding.
const METRIC_EPSILON = 1e-9;

interface ModelComparison {
  model: string;
  newest: { version: string; value: number };
  previous: { version: string; value: number };
  delta: number;
}

function compareNewest(trend: ModelMetricTrend): ModelComparison | string {
  const [newest, ...older] = trend.versions;
  if (!newest) return `${trend.model} has no versions`;
  if (newest.value === null) return `${trend.model} v${newest.version} has no ${trend.metric}`;
  const previous = older.find((v) => v.value !== null);
  if (!previous) return `${trend.model} has no earlier version with ${trend.metric}`;
  return {
    model: trend.model,
    newest: { version: newest.version, value: newest.value },
    previous: { version: previous.version, value: previous.value! },
    delta: newest.value - previous.value!,
  };
}

/** Per model, its newest version against the previous one that logged the metric. */
export function judgeTraining(
  trends: readonly ModelMetricTrend[],
  metric: string,
  thresholds: OpsThresholds,
): OpsJudgment {
  const threshold = `${thresholdText('training', thresholds)} on ${metric}`;
  if (trends.length === 0)
    return {
      state: 'idle',
      signal: 'no registered models',
      threshold,
      detail: 'nothing to judge: the tenant has no registered models',
      target: { kind: 'models' },
    };
  const outcomes = trends.map(compareNewest);
  const compared = outcomes
    .filter((o): o is ModelComparison => typeof o !== 'string')
    .sort((a, b) => a.delta - b.delta);
  const skipped = outcomes.filter((o): o is string => typeof o === 'string');
  const notCompared = skipped.length > 0 ? `not compared: ${listed(skipped)}` : null;
  const worst = compared[0];
  if (!worst) {
    return {
      state: 'idle',
      signal: `${plural(trends.length, 'model')}, none with two versions logging ${metric}`,
      threshold,
      detail: `nothing to judge: ${listed(skipped)}`,
      target: { kind: 'models' },
    };
  }
  const describe = (c: ModelComparison) =>
    `${c.model} v${c.newest.version}: ${metric} ${formatNumber(c.newest.value)} vs ${formatNumber(c.previous.value)} for v${c.previous.version} (${signed(c.delta)})`;
  const regressions = compared.filter((c) => c.delta < -thresholds.trainingRegressionTolerance - METRIC_EPSILON);
  const signal = `${plural(compared.length, 'model')} compared on ${metric} · worst change ${signed(worst.delta)} (${worst.model})`;
  if (regressions.length > 0) {
    const more = regressions.length > 1 ? `; ${regressions.length} models regressed` : '';
    return {
      state: 'alert',
      signal,
      threshold,
      detail: `${describe(worst)}${more}`,
      target: { kind: 'model', model: worst.model },
    };
  }
  return { state: 'ok', signal, threshold, detail: notCompared, target: { kind: 'models' } };
}

// ---- registry ----------------------------------------------------------------------------------

export interface PendingPromotion {
  id: string;
  model: string;
  version: string;
  requestedAt: Date;
}

export function judgeRegistry(pending: readonly PendingPromotion[], now: Date, thresholds: OpsThresholds): OpsJudgment {
  const threshold = thresholdText('registry', thresholds);
  const oldest = pending.toSorted((a, b) => a.requestedAt.getTime() - b.requestedAt.getTime())[0];
  if (!oldest)
    return { state: 'ok', signal: 'no requests waiting', threshold, detail: null, target: { kind: 'promotions' } };
  const limitMs = thresholds.registryWaitHoursMax * 3_600_000;
  const waited = (p: PendingPromotion) => now.getTime() - p.requestedAt.getTime();
  const overdue = pending.filter((p) => waited(p) > limitMs).length;
  const more = overdue > 1 ? `; ${overdue} requests over ${thresholds.registryWaitHoursMax} h` : '';
  return {
    state: overdue > 0 ? 'alert' : 'ok',
    signal: `${plural(pending.length, 'request')} waiting · longest ${formatDuration(waited(oldest))}`,
    threshold,
    detail: `${oldest.model} v${oldest.version} has waited ${formatDuration(waited(oldest))}${more}`,
    target: { kind: 'promotion', id: oldest.id },
  };
}

// ---- serving -----------------------------------------------------------------------------------

/** One revision's traffic over the window (Prometheus). */
export interface RevisionTraffic {
  revision: string;
  requestRate: number;
  /** 5xx / all, 0–1. */
  errorRate: number;
  /** Requests in the window; when absent, requestRate × the window. */
  requests?: number;
}

/** One endpoint's traffic over the window, all revisions together and per revision. */
export interface EndpointTraffic {
  service: string;
  requestRate: number;
  /** 5xx / all, 0–1. */
  errorRate: number;
  p99Ms: number | null;
  revisions: readonly RevisionTraffic[];
}

interface EndpointCheck {
  service: string;
  requestRate: number;
  errorRate: number;
  p99Ms: number | null;
  problems: string[];
  /** How far past its worst threshold (1 = at it). */
  severity: number;
}

/**
 * Every InferenceService of the tenant (`endpoints`, by name) with its traffic; an endpoint
 * Prometheus has no traffic for is counted as idle, and traffic of an endpoint that no longer
 * exists is left out.
 */
export function judgeServing(
  endpoints: readonly string[],
  traffic: readonly EndpointTraffic[],
  thresholds: OpsThresholds,
): OpsJudgment {
  const threshold = thresholdText('serving', thresholds);
  if (endpoints.length === 0)
    return {
      state: 'idle',
      signal: 'no endpoints',
      threshold,
      detail: 'nothing to judge: the tenant serves no InferenceService',
      target: { kind: 'deployments' },
    };
  const byService = new Map(traffic.map((t) => [t.service, t]));
  const checks: EndpointCheck[] = [];
  const quiet: string[] = [];
  for (const service of endpoints.toSorted()) {
    const stats = byService.get(service);
    if (!stats || stats.requestRate <= 0) {
      quiet.push(service);
      continue;
    }
    const problems: string[] = [];
    if (stats.errorRate > thresholds.servingErrorRateMax) problems.push(`${formatPercent(stats.errorRate)} errors`);
    if (stats.p99Ms !== null && stats.p99Ms > thresholds.servingP99MsMax) problems.push(`p99 ${ms(stats.p99Ms)}`);
    const severity = Math.max(
      stats.errorRate / thresholds.servingErrorRateMax,
      (stats.p99Ms ?? 0) / thresholds.servingP99MsMax,
    );
    checks.push({
      service,
      requestRate: stats.requestRate,
      errorRate: stats.errorRate,
      p99Ms: stats.p99Ms,
      problems,
      severity,
    });
  }
  const count = plural(endpoints.length, 'endpoint');
  const noTraffic = quiet.length > 0 ? `no traffic: ${listed(quiet)}` : null;
  if (checks.length === 0)
    return {
      state: 'idle',
      signal: `${count} · no traffic`,
      threshold,
      detail: `nothing to judge: no requests in the window`,
      target: { kind: 'deployments' },
    };

  const total = checks.reduce((sum, c) => sum + c.requestRate, 0);
  const worstErrors = checks.reduce((a, b) => (b.errorRate > a.errorRate ? b : a));
  const withLatency = checks.filter((c) => c.p99Ms !== null);
  const worstLatency = withLatency.length > 0 ? withLatency.reduce((a, b) => (b.p99Ms! > a.p99Ms! ? b : a)) : null;
  const signal = [
    count,
    rate(total),
    `worst errors ${formatPercent(worstErrors.errorRate)} (${worstErrors.service})`,
    worstLatency ? `worst p99 ${ms(worstLatency.p99Ms!)} (${worstLatency.service})` : 'no latency data',
  ].join(' · ');

  const failing = checks.filter((c) => c.problems.length > 0).sort((a, b) => b.severity - a.severity);
  const worst = failing[0];
  if (!worst) return { state: 'ok', signal, threshold, detail: noTraffic, target: { kind: 'deployments' } };
  const more = failing.length > 1 ? `; ${failing.length} of ${count} over their thresholds` : '';
  return {
    state: 'alert',
    signal,
    threshold,
    detail: `${worst.service}: ${worst.problems.join(' and ')}${more}`,
    target: { kind: 'deployment', service: worst.service },
  };
}

/**
 * The serving row with the tenant's input drift breaches (lib/platform-health/input-drift.ts): a
 * model whose inputs drift past its policy's threshold makes the row alert even while its traffic
 * is healthy; an alert for traffic keeps its detail and link, and names the drift too. Drift of an
 * endpoint not in `endpoints` (no longer served) is left out.
 */
export function withInputDrift(
  judgment: OpsJudgment,
  endpoints: readonly string[],
  breaches: readonly DriftBreach[],
): OpsJudgment {
  const served = new Set(endpoints);
  const drifting = breaches
    .filter((b) => served.has(b.endpoint))
    .toSorted((a, b) => b.features[0]!.score / b.threshold - a.features[0]!.score / a.threshold);
  const worst = drifting[0];
  if (!worst) return judgment;
  const more = drifting.length > 1 ? `; ${drifting.length} endpoints' inputs drift` : '';
  const words = `${worst.endpoint}: input drift ${breachFeatureWords(worst)} > ${worst.threshold}${more}`;
  if (judgment.state === 'alert') return { ...judgment, detail: `${judgment.detail}; ${words}` };
  return { ...judgment, state: 'alert', detail: words, target: { kind: 'deployment', service: worst.endpoint } };
}

// ---- canary ------------------------------------------------------------------------------------

/** Fewer canary requests than this in the window are too few to compare error rates. */
export const CANARY_MIN_REQUESTS = 20;
/**
 * The stable error rate a canary is compared with is at least this, so that 0.05 % against 0.02 %
 * (one error against none, at low traffic) is not an alert.
 */
export const CANARY_STABLE_ERROR_FLOOR = 0.001;

export interface CanaryRevision {
  revision: string;
  requests: number;
  /** 0–1. */
  errorRate: number;
}

export interface CanaryEndpoint {
  service: string;
  /** 1–100. */
  canaryPercent: number;
  /** null: no traffic to that revision in the window. */
  canary: CanaryRevision | null;
  stable: CanaryRevision | null;
}

/**
 * The endpoints running a canary (a canary revision with a share of traffic; a rolled-back one
 * stays in the split at 0 % and is no canary), joined with their revisions' traffic.
 */
export function canaryEndpoints(
  services: readonly {
    name: string;
    state: Pick<ServingState, 'stableRevision' | 'canaryRevision' | 'canaryPercent'>;
  }[],
  traffic: readonly EndpointTraffic[],
  windowSeconds: number,
): CanaryEndpoint[] {
  const byService = new Map(traffic.map((t) => [t.service, t]));
  const revision = (service: string, name: string | undefined): CanaryRevision | null => {
    const stats = name === undefined ? undefined : byService.get(service)?.revisions.find((r) => r.revision === name);
    return stats
      ? {
          revision: stats.revision,
          requests: stats.requests ?? stats.requestRate * windowSeconds,
          errorRate: stats.errorRate,
        }
      : null;
  };
  return services
    .filter((s) => s.state.canaryRevision !== undefined && s.state.canaryPercent > 0)
    .map((s) => ({
      service: s.name,
      canaryPercent: s.state.canaryPercent,
      canary: revision(s.name, s.state.canaryRevision),
      stable: revision(s.name, s.state.stableRevision),
    }))
    .sort((a, b) => a.service.localeCompare(b.service));
}

export function judgeCanary(canaries: readonly CanaryEndpoint[], thresholds: OpsThresholds): OpsJudgment {
  const threshold = thresholdText('canary', thresholds);
  if (canaries.length === 0)
    return { state: 'idle', signal: 'no canary running', threshold, detail: null, target: { kind: 'deployments' } };
  const count = plural(canaries.length, 'canary', 'canaries');
  const judged = canaries
    .filter((c) => c.canary !== null && Math.round(c.canary.requests) >= CANARY_MIN_REQUESTS)
    .map((c) => {
      const stableRate = c.stable?.errorRate ?? 0;
      const limit = thresholds.canaryErrorRatioMax * Math.max(stableRate, CANARY_STABLE_ERROR_FLOOR);
      return { ...c, canaryRate: c.canary!.errorRate, stableRate, limit, over: c.canary!.errorRate > limit };
    })
    .sort((a, b) => b.canaryRate / b.limit - a.canaryRate / a.limit || a.service.localeCompare(b.service));
  const tooLittle = canaries
    .filter((c) => !judged.some((j) => j.service === c.service))
    .map((c) => `${c.service} (${Math.round(c.canary?.requests ?? 0)} of ${CANARY_MIN_REQUESTS} requests)`);
  const tooLittleWords = tooLittle.length > 0 ? `too little canary traffic: ${listed(tooLittle)}` : null;

  const worst = judged[0];
  if (!worst)
    return {
      state: 'idle',
      signal: `${count} live · too little canary traffic`,
      threshold,
      detail: tooLittleWords,
      target: { kind: 'canary', service: canaries[0]!.service },
    };
  const signal = `${count} live · worst: canary ${formatPercent(worst.canaryRate)} vs stable ${formatPercent(worst.stableRate)} errors`;
  const over = judged.filter((j) => j.over);
  if (over.length === 0)
    return {
      state: 'ok',
      signal,
      threshold,
      detail: tooLittleWords,
      target: { kind: 'canary', service: worst.service },
    };
  const more = over.length > 1 ? `; ${over.length} of ${count} over` : '';
  return {
    state: 'alert',
    signal,
    threshold,
    detail: `${worst.service}: canary ${formatPercent(worst.canaryRate)} errors vs stable ${formatPercent(worst.stableRate)} at ${worst.canaryPercent} % of traffic, limit ${formatPercent(worst.limit)}${more}`,
    target: { kind: 'canary', service: worst.service },
  };
}

// ---- infrastructure ----------------------------------------------------------------------------

export interface InfrastructureInput {
  /**
   * The tenant's GPUs that reported over the window and their mean utilisation (0–100, null
   * without GPUs); null when Prometheus could not be read.
   */
  gpus: { gpus: number; utilPercent: number | null } | null;
  /** Containers OOM-killed in the last 24 h (e.g. `oomKills` of lib/quota/workloads.ts). */
  oomKills: readonly { pod: string; finishedAt: string | null }[];
}

export function judgeInfrastructure({ gpus, oomKills }: InfrastructureInput, thresholds: OpsThresholds): OpsJudgment {
  const threshold = thresholdText('infrastructure', thresholds);
  const gpuWords =
    gpus === null
      ? 'GPU utilisation not available'
      : gpus.utilPercent === null || gpus.gpus === 0
        ? 'no GPUs reporting'
        : `GPU utilisation ${Math.round(gpus.utilPercent)} % over ${plural(gpus.gpus, 'GPU')}`;
  const pods = [
    ...new Set(oomKills.toSorted((a, b) => (b.finishedAt ?? '').localeCompare(a.finishedAt ?? '')).map((k) => k.pod)),
  ];
  return {
    state: oomKills.length > thresholds.oomKillsPerDayMax ? 'alert' : 'ok',
    signal: `${gpuWords} · ${plural(oomKills.length, 'OOM kill')} in 24 h`,
    threshold,
    detail: pods.length > 0 ? `OOM-killed, latest first: ${listed(pods)}` : null,
    target: { kind: 'gpu' },
  };
}
