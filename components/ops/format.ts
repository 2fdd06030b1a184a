import type { BadgeTone } from '@/components/ui/badge';
import { asSentence } from '@/components/ui/panel-message';
import type { OpsStateFilter } from '@/lib/ops/board';
import type { AlertState, OpsSource, OpsView } from '@/lib/ops/view';

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

/** The state filter's choices in words. */
export const STATE_FILTER_LABELS: Record<OpsStateFilter, string> = {
  alert: 'With an alert',
  warning: 'With a warning',
  unknown: 'With rows without data',
  healthy: 'Needing no attention',
};

/** The dashboard's (or its live route's) address with its filters and page; the defaults are left out. */
export function opsAddress(
  path: string,
  { tenant, state, page }: { tenant: string | null; state: OpsStateFilter | null; page: number },
): string {
  const params = new URLSearchParams();
  if (tenant) params.set('tenant', tenant);
  if (state) params.set('state', state);
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}
