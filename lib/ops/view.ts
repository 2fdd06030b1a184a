/**
 * What the operations dashboard shows: one row per tenant and area, each judged against the
 * platform's thresholds. Plain JSON, so the page and its live route send the same shape.
 */
import type { Freshness } from '../freshness';
import type { OpsStateFilter } from './board';
import type { OpsArea } from './areas';
import type { OpsThresholds } from './thresholds';
import type { TenantChoices } from '../tenancy/choices';

/**
 * - ok: judged and within its threshold;
 * - alert: judged and beyond it;
 * - warning: judged, short of an alert but worth a look (platform health with warnings, no critical finding);
 * - unknown: the data it needs could not be read (the row says which and why);
 * - idle: nothing to judge (no canary running, no finished pipelines, no models).
 */
export type AlertState = 'ok' | 'alert' | 'warning' | 'unknown' | 'idle';

export interface OpsLink {
  href: string;
  /** Says where it goes: "Open the canary of demand-forecast". */
  label: string;
}

export interface OpsRow {
  tenant: string;
  area: OpsArea;
  state: AlertState;
  /** The signal's numbers in words, e.g. "86 % of 14 runs succeeded · mean 38 min". */
  signal: string;
  /** What the state is judged against, in words, e.g. "alert when success < 95 %". */
  threshold: string;
  /** Why it is in this state: the worst item, e.g. "demand-forecast: canary 12.1 % errors vs stable 0.1 %". */
  detail: string | null;
  /** Where to act: the worst item's page, or the area's page of the tenant. */
  link: OpsLink | null;
  /** Which data is missing and why (state unknown, or a part of the row left out). */
  problem: string | null;
  /** Set when the row was judged on data that may be out of date: as of when, and why. */
  outdated: Freshness | null;
}

/** `health`: the platform health checks' shared answer (lib/platform-health/gather.ts), itself read from every upstream. */
export type OpsSource = 'kubernetes' | 'prometheus' | 'mlflow' | 'database' | 'health';

export interface OpsView {
  /** ISO time the view was assembled. */
  at: string;
  /** The tenants the viewer may see (for the filter; past its list's length, those of the page's rows), in name order. */
  tenants: TenantChoices;
  /** The tenant filter in force, or null for every visible tenant. */
  tenant: string | null;
  /**
   * The rows of the page's tenants (OpsBoardPage): tenants worst first, each with its rows in
   * OPS_AREAS order. Filtered to one tenant, that tenant's rows.
   */
  rows: OpsRow[];
  /** The state filter in force, or null for every tenant. */
  state: OpsStateFilter | null;
  /** 1-based; pages of OPS_PAGE_SIZE tenants. */
  page: number;
  pageCount: number;
  /** Over every page (every tenant of the tenant filter, before the state filter): rows per state. */
  counts: Record<AlertState, number>;
  /** Over every page, before the state filter: tenants per state filter, and in all. */
  tenantCounts: Record<OpsStateFilter | 'all', number>;
  /** Tenants under the state filter, over every page. */
  matching: number;
  /** The first few alert rows over every page, worst tenant first (`counts.alert` says how many). */
  alerts: { tenant: string; area: OpsArea }[];
  /** Per upstream: null when it answered, else what is missing in words. */
  sources: Record<OpsSource, string | null>;
  /** Upstreams whose last known data is shown because they did not answer since: why, and from when. */
  outdated: ({ source: OpsSource } & Freshness)[];
  thresholds: { values: OpsThresholds; version: number; updatedBy: string | null; updatedAt: string | null };
  /** Each area's threshold in words, as every tenant's row of it is judged (training adds its metric per tenant). */
  areaThresholds: Record<OpsArea, string>;
  /** The viewer may change the thresholds (platform admins). */
  canEditThresholds: boolean;
}
