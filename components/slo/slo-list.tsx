'use client';

import Link from 'next/link';
import { TenantFilter } from '@/components/ui/tenant-filter';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { buttonClass } from '@/components/ui/styles';
import { cellClass, DataTable, NoValue, numericCellClass, rowClass } from '@/components/ui/table';
import { useLiveData } from '@/components/ui/use-live-data';
import type { SloListView, SloSummary } from '@/lib/slo/view';
import { countText, firingWindows, sliLabel, sliText, sloDetailPath, sloTitle } from './format';
import { BudgetSummary } from './parts';
import { PanelMessage, asSentence } from '@/components/ui/panel-message';
import { Time } from '@/components/ui/time';
import { AsOf, pollFreshness } from '@/components/ui/as-of';

const REFRESH_MS = 15_000;

function BurnAlerts({ slo }: { slo: SloSummary }) {
  const firing = firingWindows(slo.burnRates);
  if (firing.length) {
    return (
      <span className="flex flex-col items-start gap-1">
        <Badge tone="bad">Burning too fast</Badge>
        <span className="text-xs">{firing.join(', ')}</span>
      </span>
    );
  }
  if (slo.requests === 0 || slo.burnRates.every((b) => b.longRate === null && b.shortRate === null))
    return <Badge tone="neutral">No traffic</Badge>;
  return <Badge tone="good">Quiet</Badge>;
}

function SloRow({ slo }: { slo: SloSummary }) {
  const loud = slo.alerting || (slo.budgetRemaining !== null && slo.budgetRemaining <= 0);
  // Without its numbers (Prometheus unreadable) the row keeps its objective and says why the rest is missing.
  const unknown = slo.problem !== null && slo.sli === null && slo.budgetRemaining === null;
  return (
    <tr
      className={`${rowClass} align-top ${loud ? 'bg-red-50 dark:bg-red-950/40' : ''}`}
      data-testid="slo-row"
      data-tenant={slo.tenant}
      data-endpoint={slo.endpoint}
      data-kind={slo.kind}
      data-alerting={slo.alerting}
    >
      <th
        scope="row"
        className={`${cellClass} border-l-4 font-normal ${loud ? 'border-red-600 dark:border-red-400' : 'border-transparent'}`}
      >
        {/* A plain anchor: next/link would prefetch all 50 endpoints' pages in view. */}
        <a className={buttonClass.link} href={sloDetailPath(slo.tenant, slo.endpoint)}>
          {slo.tenant} / {slo.endpoint}
        </a>
        <span className="block text-xs text-slate-600 dark:text-slate-400">
          {slo.kind === 'availability' ? 'Availability' : 'Latency'}
        </span>
      </th>
      <td className={cellClass}>{sloTitle(slo)}</td>
      <td className={cellClass}>
        {unknown ? (
          <>
            <NoValue reason="unknown" />
            <span className="block text-xs text-amber-900 dark:text-amber-200">{slo.problem}</span>
          </>
        ) : (
          <>
            <span className="font-mono tabular-nums">{sliText(slo.sli, slo.objective)}</span>
            <span className="block text-xs text-slate-600 dark:text-slate-400">{sliLabel(slo).toLowerCase()}</span>
          </>
        )}
      </td>
      <td className={`${cellClass} w-48`}>
        {unknown ? <NoValue reason="unknown" /> : <BudgetSummary budget={slo.budgetRemaining} />}
      </td>
      <td className={cellClass}>{unknown ? <NoValue reason="unknown" /> : <BurnAlerts slo={slo} />}</td>
      <td className={numericCellClass}>{unknown ? <NoValue reason="unknown" /> : countText(slo.requests)}</td>
    </tr>
  );
}

/** `path` with the tenant filter and page in its query. */
function pagePath(path: string, tenant: string | null, page: number): string {
  const params = new URLSearchParams();
  if (tenant) params.set('tenant', tenant);
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

function Pages({ tenant, page, pageCount }: { tenant: string | null; page: number; pageCount: number }) {
  if (pageCount <= 1) return null;
  return (
    <nav aria-label="Pages of SLOs" className="flex items-center gap-4 text-sm">
      {page > 1 ? (
        <Link className={buttonClass.link} href={pagePath('/slo', tenant, page - 1)}>
          ← Worse budgets (page {page - 1})
        </Link>
      ) : null}
      <span>
        Page {page} of {pageCount}
      </span>
      {page < pageCount ? (
        <Link className={buttonClass.link} href={pagePath('/slo', tenant, page + 1)}>
          Better budgets (page {page + 1}) →
        </Link>
      ) : null}
    </nav>
  );
}

/**
 * Every SLO the viewer may see, worst error budget first (as the service sorts them), with its
 * burn-rate alerts. Rendered on the server, then polled every 15 s.
 */
export function SloList({ initial }: { initial: SloListView }) {
  const { data, error } = useLiveData({
    queryKey: ['slo-list', initial.tenant, initial.page],
    url: pagePath('/slo/live', initial.tenant, initial.page),
    initial,
    refreshMs: REFRESH_MS,
    isData: (body) => 'slos' in body && 'problems' in body,
  });
  const { problems } = data;
  const { alerting, spent } = data;

  return (
    <div className="space-y-6">
      <AsOf freshness={pollFreshness(error, data.at)} />
      <TenantFilter path="/slo" tenants={data.tenants} tenant={data.tenant} label="Filter SLOs by tenant" />

      {problems.prometheus || problems.kubernetes || problems.outdated.length > 0 ? (
        <div role="status" className="space-y-2" data-testid="slo-problems">
          {problems.outdated.map((o) => (
            <AsOf key={o.source} freshness={o} now={data.at}>
              {o.source === 'prometheus'
                ? 'The SLOs show its last numbers.'
                : 'The list shows the endpoints known then.'}
            </AsOf>
          ))}
          {problems.prometheus ? (
            <PanelMessage>
              <strong>Prometheus could not be read</strong> — the endpoints are listed, but their availability, latency,
              budgets and burn rates are unknown. {asSentence(problems.prometheus)}
            </PanelMessage>
          ) : null}
          {problems.kubernetes ? (
            <PanelMessage>
              <strong>Kubernetes could not be read</strong> — the endpoints Prometheus knows are listed instead.{' '}
              {asSentence(problems.kubernetes)}
            </PanelMessage>
          ) : null}
        </div>
      ) : null}

      {data.slos.length === 0 ? (
        <EmptyState title="No endpoints with SLOs yet">
          Every model endpoint (KServe InferenceService) of a tenant you may see gets an availability and a latency SLO
          — 99.9 % availability and 95 % of requests within 200 ms over 28 days, unless a tenant admin sets others.
          Deploy a model through a promotion and its SLOs appear here.
        </EmptyState>
      ) : (
        <>
          <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="slo-summary">
            {data.total} SLOs, worst error budget first
            {data.pageCount > 1 ? ` (page ${data.page} of ${data.pageCount})` : ''}.{' '}
            {alerting ? <strong>{alerting} burning too fast.</strong> : 'None burning too fast.'}{' '}
            {spent ? <strong>{spent} with the budget spent.</strong> : null} Updated <Time at={data.at} />, refreshed
            every 15 seconds.
          </p>
          <DataTable
            caption="SLOs, worst error budget first"
            testId="slo-list"
            columns={[
              'Endpoint',
              'SLO',
              'SLI',
              'Budget remaining',
              'Burn-rate alerts',
              { label: 'Requests', numeric: true },
            ]}
          >
            {data.slos.map((slo) => (
              <SloRow key={`${slo.tenant}/${slo.endpoint}/${slo.kind}`} slo={slo} />
            ))}
          </DataTable>
          <Pages tenant={data.tenant} page={data.page} pageCount={data.pageCount} />
        </>
      )}
    </div>
  );
}
