/**
 * What the SLO pages show. Plain JSON, so pages and live routes send the same shape.
 */
import type { Freshness } from '../freshness';
import type { SloKind, SloObjectives } from './definition';
import type { TenantChoices } from '../tenancy/choices';

export interface BurnRateView {
  /** e.g. "1h / 5m". */
  label: string;
  longWindowSeconds: number;
  shortWindowSeconds: number;
  /** The standard multiplier: 14.4, 6 or 1. */
  factor: number;
  severity: 'page' | 'ticket';
  /** Burn rate over each window (1 = spending the budget exactly over the objective window); null without traffic. */
  longRate: number | null;
  shortRate: number | null;
  /** Both windows burn faster than `factor`. */
  firing: boolean;
}

export interface SloSummary {
  tenant: string;
  endpoint: string;
  kind: SloKind;
  /** 0–1, e.g. 0.999. */
  objective: number;
  windowDays: number;
  /** For latency SLOs: the threshold a request must be answered within. */
  latencyThresholdMs: number | null;
  /** The indicator over the objective window: non-5xx share, or share within the threshold; null without traffic. */
  sli: number | null;
  /** Share of the error budget left (1 = untouched, 0 = spent, below 0 = overspent); null without traffic. */
  budgetRemaining: number | null;
  /** Requests in the objective window. */
  requests: number;
  burnRates: BurnRateView[];
  /** Some burn-rate alert fires. */
  alerting: boolean;
  /** Why numbers are missing. */
  problem: string | null;
}

/** A manager reads the worst first: the list comes in pages, so that a platform of 500 endpoints is not one page of 1,000 rows. */
export const SLO_PAGE_SIZE = 50;

export interface SloListView {
  at: string;
  /** The tenants the viewer may filter by. */
  tenants: TenantChoices;
  tenant: string | null;
  /** One page of every SLO the viewer may see, sorted by budget remaining, worst first (unknown budgets last). */
  slos: SloSummary[];
  /** 1-based; pages of SLO_PAGE_SIZE. */
  page: number;
  pageCount: number;
  /** Over every page: SLOs, those burning too fast, those with the budget spent. */
  total: number;
  alerting: number;
  spent: number;
  /**
   * Why the numbers (Prometheus) or the endpoint list (Kubernetes) are missing, null when each
   * answered; and the sources whose last known data is shown because they did not answer since.
   */
  problems: {
    prometheus: string | null;
    kubernetes: string | null;
    outdated: ({ source: 'kubernetes' | 'prometheus' } & Freshness)[];
  };
}

export interface SloHistoryPoint {
  /** Milliseconds since the epoch. */
  t: number;
  requestRate: number;
  /** 5xx share at that time; null without requests. */
  errorRate: number | null;
  p95Ms: number | null;
  /** Budget left at that time over the trailing objective window, per SLO kind; null without traffic. */
  availabilityBudget: number | null;
  latencyBudget: number | null;
}

export const SLO_RANGES = ['1h', '6h', '1d', '7d', '28d'] as const;
export type SloRange = (typeof SLO_RANGES)[number];

export interface SloDetailView {
  at: string;
  tenant: string;
  endpoint: string;
  objectives: SloObjectives;
  /** 0 while the endpoint runs on the defaults. */
  version: number;
  updatedBy: string | null;
  updatedAt: string | null;
  availability: SloSummary;
  latency: SloSummary;
  range: SloRange;
  /** null when Prometheus could not be read (see `historyProblem`). */
  history: SloHistoryPoint[] | null;
  historyProblem: string | null;
  /** The viewer may edit these objectives (tenant admins, platform admins). */
  canEdit: boolean;
  /** The latency thresholds the form may offer (the histogram's buckets). */
  latencyBuckets: number[];
  /** Why the endpoint's existence cannot be checked (neither Kubernetes nor Prometheus could say), or null. */
  unverified: string | null;
  /** The numbers are Prometheus's last answer, kept because it did not answer since: why, and from when. */
  outdated: Freshness | null;
}
