import type { BadgeTone } from '@/components/ui/badge';
import { asSentence } from '@/components/ui/panel-message';
import type { AlertState, OpsRow, OpsSource, OpsView } from '@/lib/ops/view';

/** The state in words, so it never rests on colour alone. */
export const STATE_LABELS: Record<AlertState, string> = {
  alert: 'Alert',
  warning: 'Warning',
  ok: 'OK',
  unknown: 'No data',
  idle: 'Nothing to judge',
};
export const STATE_TONES: Record<AlertState, BadgeTone> = {
  alert: 'bad',
  warning: 'warn',
  ok: 'good',
  unknown: 'warn',
  idle: 'neutral',
};

export const SOURCE_LABELS: Record<OpsSource, string> = {
  kubernetes: 'Kubernetes',
  prometheus: 'Prometheus',
  mlflow: 'MLflow',
  database: 'The portal database',
  health: 'The platform health checks',
};

/** What each upstream's absence leaves unknown on the dashboard. */
export const SOURCE_AFFECTS: Record<OpsSource, string> = {
  kubernetes: 'pipelines, serving, canary and infrastructure are unknown',
  prometheus: 'serving, canary and GPU utilisation are unknown',
  mlflow: 'training trends are unknown',
  database: 'pending promotions are unknown',
  health: 'platform health is unknown',
};

export interface TenantGroup {
  name: string;
  displayName: string;
  rows: OpsRow[];
  alerts: number;
  warnings: number;
  /** Rows whose data could not be read. */
  unknown: number;
}

/** The rows per tenant, tenants in the view's (name) order; a tenant without rows is left out. */
export function groupByTenant(view: Pick<OpsView, 'tenants' | 'rows'>): TenantGroup[] {
  const displayNames = new Map(view.tenants.map((t) => [t.name, t.displayName]));
  const groups = new Map<string, TenantGroup>();
  for (const row of view.rows) {
    const group = groups.get(row.tenant) ?? {
      name: row.tenant,
      displayName: displayNames.get(row.tenant) ?? row.tenant,
      rows: [],
      alerts: 0,
      warnings: 0,
      unknown: 0,
    };
    group.rows.push(row);
    if (row.state === 'alert') group.alerts++;
    if (row.state === 'warning') group.warnings++;
    if (row.state === 'unknown') group.unknown++;
    groups.set(row.tenant, group);
  }
  const order = (name: string) => {
    const index = view.tenants.findIndex((t) => t.name === name);
    return index === -1 ? Number.MAX_SAFE_INTEGER : index;
  };
  return [...groups.values()].sort((a, b) => order(a.name) - order(b.name) || a.name.localeCompare(b.name));
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

/** The rows someone should look at — alerts, then warnings, then rows without data — in the view's order within each. */
export function needingAttention(rows: readonly OpsRow[]): OpsRow[] {
  return (['alert', 'warning', 'unknown'] as const).flatMap((state) => rows.filter((r) => r.state === state));
}

/** How many rows are in each state. */
export function countStates(rows: readonly Pick<OpsRow, 'state'>[]): Record<AlertState, number> {
  const counts: Record<AlertState, number> = { alert: 0, warning: 0, ok: 0, unknown: 0, idle: 0 };
  for (const row of rows) counts[row.state]++;
  return counts;
}

/** The upstreams that did not answer, with what is missing, in a fixed order. */
export function missingSources(
  sources: OpsView['sources'],
): { source: OpsSource; label: string; affects: string; message: string }[] {
  return (Object.keys(SOURCE_LABELS) as OpsSource[]).flatMap((source) => {
    const message = sources[source];
    return message
      ? [{ source, label: SOURCE_LABELS[source], affects: SOURCE_AFFECTS[source], message: asSentence(message) }]
      : [];
  });
}

/** A page or live route's address with the tenant filter (none: every tenant). */
export function withTenantFilter(path: string, tenant: string | null): string {
  return tenant ? `${path}?tenant=${encodeURIComponent(tenant)}` : path;
}

/** The `tenant` query parameter as the filter: absent, empty or repeated-and-empty means every tenant. */
export function tenantFilterParam(value: string | string[] | null | undefined): string | null {
  const first = Array.isArray(value) ? value[0] : value;
  return first?.trim() ? first.trim() : null;
}
