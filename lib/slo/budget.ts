/**
 * Error budgets and burn rates (Google SRE workbook, "Alerting on SLOs"), from request counts.
 * Pure: no I/O.
 *
 * For an objective o over a window, the error budget is the share of requests allowed to be bad,
 * (1 − o). Over any window with `total` requests of which `bad` were bad:
 * - indicator (SLI) = good / total;
 * - budget remaining = 1 − bad / ((1 − o) × total): 1 untouched, 0 spent, below 0 overspent;
 * - burn rate = (bad / total) / (1 − o): 1 spends the budget exactly over the objective window.
 * Without requests there is nothing to judge: all are null, and null never fires an alert.
 *
 * Availability counts 5xx answers as bad; latency counts answers slower than the threshold.
 */
import type { SloCounts, SloHistoryMetricsPoint } from '../integrations/prometheus';
import { SLO_KINDS, type SloKind, type SloObjectives } from './definition';
import type { BurnRateView, SloHistoryPoint, SloSummary } from './view';

export interface BurnRateWindow {
  label: string;
  longWindowSeconds: number;
  shortWindowSeconds: number;
  /** Fires when both windows burn faster than this. */
  factor: number;
  severity: 'page' | 'ticket';
}

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;

/**
 * Multi-window, multi-burn-rate alerts for a 30-day-ish objective: 2 % of the budget in an hour
 * (14.4), 5 % in six hours (6), 10 % in three days (1). The short window makes an alert stop soon
 * after the burning does.
 */
export const BURN_RATE_WINDOWS: readonly BurnRateWindow[] = [
  { label: '1h / 5m', longWindowSeconds: HOUR, shortWindowSeconds: 5 * MINUTE, factor: 14.4, severity: 'page' },
  { label: '6h / 30m', longWindowSeconds: 6 * HOUR, shortWindowSeconds: 30 * MINUTE, factor: 6, severity: 'page' },
  { label: '3d / 6h', longWindowSeconds: 3 * DAY, shortWindowSeconds: 6 * HOUR, factor: 1, severity: 'ticket' },
];

export function objectiveWindowSeconds(objectives: Pick<SloObjectives, 'windowDays'>): number {
  return objectives.windowDays * DAY;
}

/** Every window the SLOs of these objectives need counts over: the burn-rate windows and each objective window, ascending. */
export function sloWindowsSeconds(objectives: readonly Pick<SloObjectives, 'windowDays'>[]): number[] {
  const windows = new Set([
    ...BURN_RATE_WINDOWS.flatMap((w) => [w.longWindowSeconds, w.shortWindowSeconds]),
    ...objectives.map(objectiveWindowSeconds),
  ]);
  return [...windows].sort((a, b) => a - b);
}

/** Every latency threshold of these objectives, ascending. */
export function sloThresholdsMs(objectives: readonly Pick<SloObjectives, 'latencyThresholdMs'>[]): number[] {
  return [...new Set(objectives.map((o) => o.latencyThresholdMs))].sort((a, b) => a - b);
}

/** good / total within 0–1; null without requests. */
export function indicator(good: number, total: number): number | null {
  return total > 0 ? Math.min(1, Math.max(0, good / total)) : null;
}

/** 1 − bad / ((1 − objective) × total); null without requests. */
export function budgetRemaining(bad: number, total: number, objective: number): number | null {
  return total > 0 ? 1 - bad / ((1 - objective) * total) : null;
}

/** (bad / total) / (1 − objective); null without requests. */
export function burnRate(bad: number, total: number, objective: number): number | null {
  return total > 0 ? bad / total / (1 - objective) : null;
}

/** Both windows burn faster than the factor (a window without requests never fires). */
export function isFiring(longRate: number | null, shortRate: number | null, factor: number): boolean {
  return longRate !== null && shortRate !== null && longRate > factor && shortRate > factor;
}

/**
 * The bad requests among `counts` for an SLO kind, within 0–requests (increase() extrapolates, so
 * counts from different series can disagree slightly).
 */
export function badRequests(counts: SloCounts, kind: SloKind, latencyThresholdMs: number): number {
  const bad = kind === 'availability' ? counts.errors : counts.requests - (counts.within[latencyThresholdMs] ?? 0);
  return Math.min(counts.requests, Math.max(0, bad));
}

function objectiveOf(kind: SloKind, objectives: SloObjectives): number {
  return kind === 'availability' ? objectives.availabilityObjective : objectives.latencyObjective;
}

const NO_COUNTS: SloCounts = { requests: 0, errors: 0, within: {} };

/**
 * One SLO of an endpoint from its counts per window (seconds; sloWindowsSeconds lists those
 * needed; a missing window counts as no requests). When the counts could not be read, pass `{}`
 * and say why in `problem`.
 */
export function sloSummary(
  tenant: string,
  endpoint: string,
  kind: SloKind,
  windows: Readonly<Record<number, SloCounts>>,
  objectives: SloObjectives,
  problem: string | null = null,
): SloSummary {
  const objective = objectiveOf(kind, objectives);
  const countsOver = (seconds: number) => windows[seconds] ?? NO_COUNTS;
  const rateOver = (seconds: number) => {
    const counts = countsOver(seconds);
    return burnRate(badRequests(counts, kind, objectives.latencyThresholdMs), counts.requests, objective);
  };
  const burnRates: BurnRateView[] = BURN_RATE_WINDOWS.map((w) => {
    const longRate = rateOver(w.longWindowSeconds);
    const shortRate = rateOver(w.shortWindowSeconds);
    return { ...w, longRate, shortRate, firing: isFiring(longRate, shortRate, w.factor) };
  });
  const total = countsOver(objectiveWindowSeconds(objectives));
  const bad = badRequests(total, kind, objectives.latencyThresholdMs);
  return {
    tenant,
    endpoint,
    kind,
    objective,
    windowDays: objectives.windowDays,
    latencyThresholdMs: kind === 'latency' ? objectives.latencyThresholdMs : null,
    sli: indicator(total.requests - bad, total.requests),
    budgetRemaining: budgetRemaining(bad, total.requests, objective),
    requests: total.requests,
    burnRates,
    alerting: burnRates.some((b) => b.firing),
    problem: problem ?? (total.requests <= 0 ? `No requests in the last ${objectives.windowDays} days` : null),
  };
}

/** Both SLOs of an endpoint (see sloSummary). */
export function sloSummaries(
  tenant: string,
  endpoint: string,
  windows: Readonly<Record<number, SloCounts>>,
  objectives: SloObjectives,
  problem: string | null = null,
): Record<SloKind, SloSummary> {
  return {
    availability: sloSummary(tenant, endpoint, 'availability', windows, objectives, problem),
    latency: sloSummary(tenant, endpoint, 'latency', windows, objectives, problem),
  };
}

/** Chart points: each with the budget left over the objective window that ends there. */
export function sloHistoryPoints(
  points: readonly SloHistoryMetricsPoint[],
  objectives: SloObjectives,
): SloHistoryPoint[] {
  return points.map(({ t, requestRate, errorRate, p95Ms, trailing }) => ({
    t,
    requestRate,
    errorRate,
    p95Ms,
    availabilityBudget: budgetRemaining(
      badRequests(trailing, 'availability', objectives.latencyThresholdMs),
      trailing.requests,
      objectives.availabilityObjective,
    ),
    latencyBudget: budgetRemaining(
      badRequests(trailing, 'latency', objectives.latencyThresholdMs),
      trailing.requests,
      objectives.latencyObjective,
    ),
  }));
}

/** Least budget left first; unknown budgets last; ties by tenant, endpoint, then availability before latency. */
export function sortWorstFirst(slos: readonly SloSummary[]): SloSummary[] {
  const budget = (slo: SloSummary) => slo.budgetRemaining ?? Infinity;
  return [...slos].sort(
    (a, b) =>
      Number(a.budgetRemaining === null) - Number(b.budgetRemaining === null) ||
      budget(a) - budget(b) ||
      a.tenant.localeCompare(b.tenant) ||
      a.endpoint.localeCompare(b.endpoint) ||
      SLO_KINDS.indexOf(a.kind) - SLO_KINDS.indexOf(b.kind),
  );
}
