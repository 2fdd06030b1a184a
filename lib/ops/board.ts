/**
 * The every-tenant board in pages, worst first (PRODUCT.md capability 6 at 500 tenants): tenants
 * with rows needing attention — alert, then warning, then without data — lead, so they page among
 * themselves and none is ever cut off by tenants that are fine; healthy tenants follow. The counts
 * are over every page, whichever page is shown. Pure.
 */
import { UserFacingError } from '../errors';
import { pageOf } from '../read-model/paging';
import type { OpsArea } from './areas';
import type { AlertState, OpsRow } from './view';

/**
 * Tenants per page. Measured: 25 tenants all needing attention (their rows in full and on the board)
 * made a 314 KiB view; at 500 tenants the tenant filter adds 500 names.
 */
export const OPS_PAGE_SIZE = 20;

/** The rows someone should look at, worst first. */
export const ATTENTION_STATES = ['alert', 'warning', 'unknown'] as const satisfies readonly AlertState[];

/** `?state=`: tenants with a row in alert, with a warning, or without data; or tenants with none of these. */
export const OPS_STATE_FILTERS = [...ATTENTION_STATES, 'healthy'] as const;
export type OpsStateFilter = (typeof OPS_STATE_FILTERS)[number];

/** `?state=`: one of OPS_STATE_FILTERS, or null for every tenant; anything else is refused in words. */
export function opsStateFilterParam(value: string | string[] | null | undefined): OpsStateFilter | null {
  const first = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!first) return null;
  if ((OPS_STATE_FILTERS as readonly string[]).includes(first)) return first as OpsStateFilter;
  throw new UserFacingError(
    `There is no state “${first.slice(0, 60)}” to filter by (${OPS_STATE_FILTERS.join(', ')}).`,
    'state',
  );
}

export interface TenantGroup {
  name: string;
  displayName: string;
  rows: OpsRow[];
  alerts: number;
  warnings: number;
  /** Rows whose data could not be read. */
  unknown: number;
}

/** The rows per tenant, tenants in the given (name) order; a tenant without rows is left out. */
export function groupByTenant(view: {
  tenants: readonly { name: string; displayName: string }[];
  rows: readonly OpsRow[];
}): TenantGroup[] {
  const order = new Map(view.tenants.map((t, index) => [t.name, { index, displayName: t.displayName }]));
  const groups = new Map<string, TenantGroup>();
  for (const row of view.rows) {
    let group = groups.get(row.tenant);
    if (!group) {
      group = {
        name: row.tenant,
        displayName: order.get(row.tenant)?.displayName ?? row.tenant,
        rows: [],
        alerts: 0,
        warnings: 0,
        unknown: 0,
      };
      groups.set(row.tenant, group);
    }
    group.rows.push(row);
    if (row.state === 'alert') group.alerts++;
    if (row.state === 'warning') group.warnings++;
    if (row.state === 'unknown') group.unknown++;
  }
  const index = (name: string) => order.get(name)?.index ?? Number.MAX_SAFE_INTEGER;
  return [...groups.values()].sort((a, b) => index(a.name) - index(b.name) || a.name.localeCompare(b.name));
}

/** Tenants worst first, as on-call reads a board: most alerts, then most warnings, then most rows without data, then the given order. */
export function worstFirst(groups: readonly TenantGroup[]): TenantGroup[] {
  return groups
    .map((group, index) => ({ group, index }))
    .sort(
      (a, b) =>
        b.group.alerts - a.group.alerts ||
        b.group.warnings - a.group.warnings ||
        b.group.unknown - a.group.unknown ||
        a.index - b.index,
    )
    .map(({ group }) => group);
}

/** The rows someone should look at — alerts, then warnings, then rows without data — in the given order within each. */
export function needingAttention(rows: readonly OpsRow[]): OpsRow[] {
  return ATTENTION_STATES.flatMap((state) => rows.filter((r) => r.state === state));
}

/** How many rows are in each state. */
export function countStates(rows: readonly Pick<OpsRow, 'state'>[]): Record<AlertState, number> {
  const counts: Record<AlertState, number> = { alert: 0, warning: 0, ok: 0, unknown: 0, idle: 0 };
  for (const row of rows) counts[row.state]++;
  return counts;
}

/** Whether a tenant is kept by the state filter. */
function matches(group: TenantGroup, state: OpsStateFilter | null): boolean {
  switch (state) {
    case null:
      return true;
    case 'alert':
      return group.alerts > 0;
    case 'warning':
      return group.warnings > 0;
    case 'unknown':
      return group.unknown > 0;
    case 'healthy':
      return group.alerts + group.warnings + group.unknown === 0;
  }
}

/** The summary names this many alert rows; the count says how many there are in all. */
export const NAMED_ALERTS = 10;

export interface OpsBoardPage {
  /** The rows of the page's tenants, tenants worst first, each tenant's rows as given. */
  rows: OpsRow[];
  page: number;
  pageCount: number;
  /** Over every page, before the state filter: rows per state. */
  counts: Record<AlertState, number>;
  /** Over every page, before the state filter: tenants per state filter, and in all. */
  tenantCounts: Record<OpsStateFilter | 'all', number>;
  /** Tenants under the state filter, over every page. */
  matching: number;
  /** The first NAMED_ALERTS alert rows over every page, worst tenant first (`counts.alert` says how many in all). */
  alerts: { tenant: string; area: OpsArea }[];
}

/**
 * One page of the board: every tenant's rows (`rows`, tenants in `tenants`' order) grouped,
 * worst first, narrowed to the state filter, and page `page` (1-based, out of range reads as the
 * nearest) of OPS_PAGE_SIZE tenants.
 */
export function opsBoardPage(
  view: { tenants: readonly { name: string; displayName: string }[]; rows: readonly OpsRow[] },
  filter: { state: OpsStateFilter | null; page: number },
  pageSize = OPS_PAGE_SIZE,
): OpsBoardPage {
  const groups = worstFirst(groupByTenant(view));
  const tenantCounts = { all: groups.length, alert: 0, warning: 0, unknown: 0, healthy: 0 };
  for (const group of groups)
    for (const state of OPS_STATE_FILTERS) if (matches(group, state)) tenantCounts[state] += 1;
  const shown = pageOf(
    groups.filter((g) => matches(g, filter.state)),
    pageSize,
    filter.page,
  );
  const alerts: OpsBoardPage['alerts'] = [];
  for (const group of groups) {
    if (alerts.length >= NAMED_ALERTS || group.alerts === 0) break;
    for (const row of group.rows)
      if (row.state === 'alert' && alerts.length < NAMED_ALERTS) alerts.push({ tenant: row.tenant, area: row.area });
  }
  return {
    rows: shown.items.flatMap((g) => g.rows),
    page: shown.page,
    pageCount: shown.pageCount,
    counts: countStates(view.rows),
    tenantCounts,
    matching: shown.total,
    alerts,
  };
}
