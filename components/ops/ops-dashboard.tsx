'use client';

import type { ReactNode } from 'react';
import { AsOf, pollFreshness } from '@/components/ui/as-of';
import { PanelMessage } from '@/components/ui/panel-message';
import { Stat } from '@/components/ui/stat';
import { Time } from '@/components/ui/time';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { buttonClass, inputClass } from '@/components/ui/styles';
import { cellClass, DataTable, NoValue, rowClass } from '@/components/ui/table';
import { useLiveData } from '@/components/ui/use-live-data';
import type { AlertState, OpsRow, OpsView } from '@/lib/ops/view';
import { OPS_AREA_LABELS, OPS_AREAS } from '@/lib/ops/areas';
import {
  groupByTenant,
  needingAttention,
  OPS_PAGE_SIZE,
  OPS_STATE_FILTERS,
  worstFirst,
  type OpsStateFilter,
  type TenantGroup,
} from '@/lib/ops/board';
import {
  missingSources,
  opsAddress,
  SOURCE_LABELS,
  STATE_FILTER_LABELS,
  STATE_LABELS,
  STATE_TONES,
  withTenantFilter,
} from './format';
import { TenantFilter } from '@/components/ui/tenant-filter';
import { ThresholdsList } from './thresholds-list';

// The dashboard's links are plain anchors: with hundreds on a page, next/link would prefetch every
// one in view, and rendering each costs more than the cell around it (about 4 ms of a 50-tenant page).

/** Often enough that a failing canary turns its row red within a minute of the metrics showing it. */
const REFRESH_MS = 10_000;

/** The state in colour and in words. */
export function StateBadge({ state }: { state: AlertState }) {
  return <Badge tone={STATE_TONES[state]}>{STATE_LABELS[state]}</Badge>;
}

/** Alerts in red, warnings in amber; the other states plain. */
const STATE_BACKGROUNDS: Record<AlertState, string> = {
  alert: 'bg-red-50 dark:bg-red-950/40',
  warning: 'bg-amber-50 dark:bg-amber-950/40',
  ok: '',
  unknown: '',
  idle: '',
};

/**
 * One tenant's area in full: state, signal, threshold, why, and where to act. `named` puts the
 * tenant in the row's header. Styled by `.ops-row` (app/globals.css) from its data-state.
 */
function Row({ row, at, named }: { row: OpsRow; at: string; named: boolean }) {
  const alert = row.state === 'alert';
  return (
    <tr
      className="ops-row"
      data-testid={`ops-row-${row.tenant}-${row.area}`}
      data-tenant={row.tenant}
      data-area={row.area}
      data-state={row.state}
    >
      <th scope="row">
        {/* The tenant in the row's name, so "fraud Canary" finds the row without its table. */}
        {named ? (
          <span className="block font-mono text-xs font-normal">{row.tenant}</span>
        ) : (
          <span className="sr-only">{row.tenant} </span>
        )}
        {OPS_AREA_LABELS[row.area]}
      </th>
      <td data-testid={`ops-state-${row.tenant}-${row.area}`} data-state={row.state}>
        <StateBadge state={row.state} />
      </td>
      <td>{row.signal || <NoValue reason="no signal" />}</td>
      <td>{row.threshold}</td>
      <td>
        {row.detail ? (
          <p className={alert ? 'font-medium text-red-900 dark:text-red-100' : undefined}>{row.detail}</p>
        ) : null}
        {row.problem ? <p className="text-amber-900 dark:text-amber-200">{row.problem}</p> : null}
        <AsOf freshness={row.outdated} now={at} inline />
        {!row.detail && !row.problem && !row.outdated ? <NoValue reason="nothing to add" /> : null}
      </td>
      <td>
        {row.link ? (
          <a className={buttonClass.link} href={row.link.href}>
            {row.link.label}
          </a>
        ) : (
          <NoValue reason="nothing to act on" />
        )}
      </td>
    </tr>
  );
}

const ROW_COLUMNS = ['Area', 'State', 'Signal', 'Threshold', 'Detail', 'Where to act'];

/** A tenant's seven rows in full: the view when the dashboard is filtered to one tenant. */
function TenantSection({ group, at }: { group: TenantGroup; at: string }) {
  const headingId = `ops-tenant-${group.name}`;
  return (
    <section aria-labelledby={headingId} className="space-y-2" data-testid={`ops-tenant-${group.name}`}>
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
        <h2 id={headingId} className="text-base font-semibold">
          {group.displayName}{' '}
          <span className="font-mono text-sm font-normal text-slate-600 dark:text-slate-400">{group.name}</span>
        </h2>
        {group.alerts > 0 ? (
          <Badge tone="bad">{`${group.alerts} alert${group.alerts === 1 ? '' : 's'}`}</Badge>
        ) : (
          <Badge tone="good">No alerts</Badge>
        )}
      </div>
      <DataTable caption={`Alert state of ${group.name} per area`} columns={ROW_COLUMNS}>
        {group.rows.map((row) => (
          <Row key={row.area} row={row} at={at} named={false} />
        ))}
      </DataTable>
    </section>
  );
}

/**
 * Every row in alert, with a warning or without data of the page's tenants, in full, above the
 * board. The tenants needing attention lead the pages, so all of them are on the first pages.
 */
function Attention({
  rows,
  at,
  note,
  nothingAnywhere,
}: {
  rows: OpsRow[];
  at: string;
  note: string | null;
  /** No tenant on any page needs attention. */
  nothingAnywhere: boolean;
}) {
  return (
    <section aria-labelledby="ops-attention-title" className="space-y-2" data-testid="ops-attention">
      <h2 id="ops-attention-title" className="text-base font-semibold">
        Needs attention
      </h2>
      {note ? (
        <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="ops-attention-note">
          {note}
        </p>
      ) : null}
      {rows.length ? (
        <DataTable
          caption="Rows in alert, with a warning or without data, of the tenants on this page"
          columns={ROW_COLUMNS}
        >
          {rows.map((row) => (
            <Row key={`${row.tenant}/${row.area}`} row={row} at={at} named />
          ))}
        </DataTable>
      ) : nothingAnywhere ? (
        <p className="text-sm text-slate-700 dark:text-slate-300">
          Nothing: every row is within its threshold and every source answered.
        </p>
      ) : null}
    </section>
  );
}

const CELL_CLASS = `${cellClass} min-w-32 align-top`;

/** A tenant's area on the board: its state as a link to where to act, and the signal under it. */
function BoardCell({ row }: { row: OpsRow }) {
  const badge = <StateBadge state={row.state} />;
  return (
    <td
      className={`${CELL_CLASS} ${STATE_BACKGROUNDS[row.state]}`}
      data-testid={`ops-cell-${row.tenant}-${row.area}`}
      data-state={row.state}
    >
      {row.link ? (
        <a href={row.link.href} className="rounded focus-visible:outline-2">
          {badge}
          <span className="sr-only"> — {row.link.label}</span>
        </a>
      ) : (
        badge
      )}
      <span className="mt-1 block text-xs text-slate-700 dark:text-slate-300">{row.signal}</span>
    </td>
  );
}

/**
 * Every tenant on one board, worst first: a row per tenant and a column per area, the column
 * saying what its cells are judged against (the thresholds are the platform's, the same for
 * every tenant). The tenant's name opens its six rows in full.
 */
function Board({
  groups,
  thresholds,
  pager,
}: {
  groups: TenantGroup[];
  thresholds: OpsView['areaThresholds'];
  pager: ReactNode;
}) {
  const columns = [
    'Tenant',
    ...OPS_AREAS.map((area) => ({
      key: area,
      label: (
        <>
          {OPS_AREA_LABELS[area]}
          <span
            className="block max-w-48 whitespace-normal text-xs font-normal normal-case"
            data-testid={`ops-threshold-${area}`}
          >
            {thresholds[area]}
          </span>
        </>
      ),
    })),
  ];
  return (
    <section aria-labelledby="ops-board-title" className="space-y-2" data-testid="ops-board">
      <h2 id="ops-board-title" className="text-base font-semibold">
        Every tenant
      </h2>
      <p className="text-sm text-slate-700 dark:text-slate-300">
        Worst first, {OPS_PAGE_SIZE} tenants a page. A state opens where to act; a tenant’s name shows its seven rows in
        full.
      </p>
      {pager}
      <DataTable caption="Alert state of every tenant per area" columns={columns}>
        {groups.map((group) => (
          <tr key={group.name} className={`${rowClass} align-top`} data-testid={`ops-tenant-row-${group.name}`}>
            <th scope="row" className={`${cellClass} font-medium`}>
              <a className={buttonClass.link} href={withTenantFilter('/ops', group.name)}>
                {group.displayName}
              </a>
              <span className="block font-mono text-xs font-normal text-slate-600 dark:text-slate-400">
                {group.name}
              </span>
            </th>
            {OPS_AREAS.map((area) => {
              const row = group.rows.find((r) => r.area === area);
              return row ? <BoardCell key={area} row={row} /> : <td key={area} className={CELL_CLASS} />;
            })}
          </tr>
        ))}
      </DataTable>
    </section>
  );
}

/** The pages of the board: where this one is among them, and the way to the worse and the better tenants. */
function Pages({ view }: { view: OpsView }) {
  const { page, pageCount, matching, tenant, state } = view;
  if (matching === 0) return null;
  const first = (page - 1) * OPS_PAGE_SIZE + 1;
  const last = Math.min(matching, page * OPS_PAGE_SIZE);
  const link = (to: number, label: string) => (
    <a className={buttonClass.link} href={opsAddress('/ops', { tenant, state, page: to })}>
      {label}
    </a>
  );
  return (
    <nav aria-label="Pages of tenants" className="flex flex-wrap items-center gap-4 text-sm" data-testid="ops-pages">
      {page > 1 ? link(page - 1, `← Worse tenants (page ${page - 1})`) : null}
      <span data-testid="ops-page-position">
        {pageCount > 1 ? `Page ${page} of ${pageCount}: ` : ''}tenants {first}–{last} of {matching}
      </span>
      {page < pageCount ? link(page + 1, `Better tenants (page ${page + 1}) →`) : null}
    </nav>
  );
}

/** Where the tenants needing attention are, over every page (none is ever left off a page for a healthy one). */
function attentionNote(view: OpsView): string | null {
  const needing = view.tenantCounts.all - view.tenantCounts.healthy;
  if (view.state !== null || needing === 0) return null;
  const pages = Math.ceil(needing / OPS_PAGE_SIZE);
  const where = pages <= 1 ? 'all on the first page' : `on pages 1–${pages}`;
  const shown = view.page <= pages ? ' Below, those of this page.' : ' None on this page: they lead the first pages.';
  return `${needing} of ${view.tenantCounts.all} tenants need attention, ${where}, worst first.${shown}`;
}

/**
 * The board's state filter: a GET form like the tenant filter, so it lives in the URL and works
 * without JavaScript; each choice says how many tenants it has over every page.
 */
function StateFilter({ view }: { view: OpsView }) {
  return (
    <form
      method="get"
      action="/ops"
      role="search"
      aria-label="Filter by state"
      className="flex flex-wrap items-end gap-3"
    >
      <div className="space-y-1">
        <label htmlFor="ops-state-filter" className="block text-sm font-medium">
          Tenants
        </label>
        <select id="ops-state-filter" name="state" defaultValue={view.state ?? ''} className={`${inputClass} min-w-56`}>
          <option value="">Every tenant ({view.tenantCounts.all})</option>
          {OPS_STATE_FILTERS.map((state: OpsStateFilter) => (
            <option key={state} value={state}>
              {STATE_FILTER_LABELS[state]} ({view.tenantCounts[state]})
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className={buttonClass.secondary}>
        Show
      </button>
    </form>
  );
}

/**
 * The operations dashboard: every tenant the viewer may see, one row per area with its alert
 * state, the signal and the threshold it is judged against, and where to act. Rendered on the
 * server, then polled every 10 s. `editor` is the thresholds form, for platform admins only.
 */
export function OpsDashboard({ initial, editor }: { initial: OpsView; editor: ReactNode }) {
  const { data, error } = useLiveData({
    queryKey: ['ops', initial.tenant, initial.state, initial.page],
    url: opsAddress('/ops/live', initial),
    initial,
    refreshMs: REFRESH_MS,
    isData: (body) => 'rows' in body && 'sources' in body,
  });
  const groups = groupByTenant({ tenants: data.tenants.listed, rows: data.rows });
  const { counts } = data;
  const missing = missingSources(data.sources);
  const rowCount = Object.values(counts).reduce((n, c) => n + c, 0);
  const unnamedAlerts = counts.alert - data.alerts.length;
  // With a state filter needing attention, only that state's rows are listed above the board.
  const attention = needingAttention(data.rows).filter(
    (r) => data.state === null || data.state === 'healthy' || r.state === data.state,
  );

  return (
    <div className="space-y-6">
      <AsOf freshness={pollFreshness(error, data.at)} />
      <div className="flex flex-wrap items-end gap-x-8 gap-y-3">
        <TenantFilter path="/ops" tenants={data.tenants} tenant={data.tenant} label="Filter by tenant" />
        {data.tenant === null && data.tenants.count > 0 ? <StateFilter view={data} /> : null}
      </div>

      {missing.length > 0 ? (
        <div role="status" className="space-y-2" data-testid="ops-missing-sources">
          {missing.map((m) => (
            <PanelMessage key={m.source}>
              <strong>{m.label} could not be read</strong> — {m.affects} (rows that need it say “No data”; the others
              are judged as usual). {m.message}
            </PanelMessage>
          ))}
        </div>
      ) : null}

      {data.outdated.length > 0 ? (
        <div role="status" className="space-y-2" data-testid="ops-outdated-sources">
          {data.outdated.map((o) => (
            <AsOf key={o.source} freshness={o} now={data.at}>
              The rows that need {SOURCE_LABELS[o.source]} show its last known numbers, marked as such.
            </AsOf>
          ))}
        </div>
      ) : null}

      {data.tenants.count === 0 ? (
        <EmptyState title="No tenant to watch yet">
          The dashboard shows the tenants you belong to (or all of them for on-call engineers, managers and platform
          admins). Ask a tenant admin to add you to a tenant, or a platform admin to create one.
        </EmptyState>
      ) : (
        <>
          <section aria-label="Summary" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5" data-testid="ops-summary">
            <Stat
              label="Alerts"
              testId="ops-alert-count"
              value={counts.alert}
              detail={
                data.alerts.length
                  ? data.alerts.map((r) => `${r.tenant} ${OPS_AREA_LABELS[r.area].toLowerCase()}`).join(', ') +
                    (unnamedAlerts > 0 ? ` and ${unnamedAlerts} more` : '')
                  : 'Nothing beyond its threshold.'
              }
            />
            <Stat
              label="Warnings"
              testId="ops-warning-count"
              value={counts.warning}
              detail={counts.warning ? 'Rows short of an alert but worth a look.' : 'No warnings.'}
            />
            <Stat
              label="No data"
              value={counts.unknown}
              detail={counts.unknown ? 'Rows whose source could not be read.' : 'Every source answered.'}
            />
            <Stat label="OK" value={counts.ok} detail={`of ${rowCount} rows; ${counts.idle} with nothing to judge`} />
            <Stat label="Updated" value={<Time at={data.at} />} detail="Refreshed every 10 seconds." />
          </section>
          {data.tenant === null ? (
            <>
              {data.state === 'healthy' ? null : (
                <Attention
                  rows={attention}
                  at={data.at}
                  note={attentionNote(data)}
                  nothingAnywhere={data.tenantCounts.all === data.tenantCounts.healthy}
                />
              )}
              {data.matching === 0 ? (
                <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="ops-no-match">
                  No tenant {STATE_FILTER_LABELS[data.state ?? 'healthy'].toLowerCase()}.{' '}
                  <a className={buttonClass.link} href={opsAddress('/ops', { tenant: null, state: null, page: 1 })}>
                    Show every tenant
                  </a>
                </p>
              ) : (
                <Board groups={worstFirst(groups)} thresholds={data.areaThresholds} pager={<Pages view={data} />} />
              )}
            </>
          ) : (
            groups.map((group) => <TenantSection key={group.name} group={group} at={data.at} />)
          )}
        </>
      )}

      <section aria-labelledby="ops-thresholds-title" className="space-y-3" data-testid="ops-thresholds">
        <h2 id="ops-thresholds-title" className="text-base font-semibold">
          Thresholds
        </h2>
        <ThresholdsList thresholds={data.thresholds} />
        {editor}
      </section>
    </div>
  );
}
