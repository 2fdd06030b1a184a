'use client';

import Link from 'next/link';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { cellClass, DataTable, numericCellClass, rowClass } from '@/components/ui/table';
import { useLiveData } from '@/components/ui/use-live-data';
import { SLO_RANGES, type SloDetailView, type SloRange, type SloSummary } from '@/lib/slo/view';
import {
  budgetText,
  burnRateText,
  countText,
  firingWindows,
  objectiveText,
  RANGE_LABELS,
  sliLabel,
  sliText,
  sloDetailPath,
} from './format';
import { HistoryCharts } from './history-charts';
import { BudgetSummary, BurnBadge } from './parts';
import { PanelMessage, asSentence } from '@/components/ui/panel-message';
import { Stat } from '@/components/ui/stat';
import { Time } from '@/components/ui/time';
import { AsOf, pollFreshness } from '@/components/ui/as-of';

/** Burn rates move by the minute; the history behind the charts is heavier to read. */
const REFRESH_MS = 30_000;

function SloSection({ slo }: { slo: SloSummary }) {
  const kindTitle = slo.kind === 'availability' ? 'Availability' : 'Latency';
  const firing = firingWindows(slo.burnRates);
  const headingId = `slo-${slo.kind}-title`;
  return (
    <section
      aria-labelledby={headingId}
      className="space-y-3"
      data-testid={`slo-${slo.kind}`}
      data-alerting={slo.alerting}
    >
      <div className="flex flex-wrap items-center gap-3">
        <h2 id={headingId} className="text-base font-semibold">
          {kindTitle} SLO
        </h2>
        {firing.length ? <Badge tone="bad">{`Burning too fast: ${firing.join(', ')}`}</Badge> : null}
      </div>
      {slo.problem ? <PanelMessage>{asSentence(slo.problem)}</PanelMessage> : null}
      <div className="grid gap-4 sm:grid-cols-3">
        <Stat
          label="Objective"
          testId={`slo-${slo.kind}-objective`}
          value={objectiveText(slo.objective)}
          detail={
            slo.kind === 'availability'
              ? `of requests without a server error (5xx), over ${slo.windowDays} days`
              : `of requests answered within ${slo.latencyThresholdMs} ms, over ${slo.windowDays} days`
          }
        />
        <Stat
          label={sliLabel(slo)}
          testId={`slo-${slo.kind}-sli`}
          value={sliText(slo.sli, slo.objective)}
          detail={`${countText(slo.requests)} requests in the last ${slo.windowDays} days`}
        />
        <Stat
          label="Budget remaining"
          testId={`slo-${slo.kind}-budget`}
          value={budgetText(slo.budgetRemaining)}
          detail={<BudgetSummary budget={slo.budgetRemaining} showNumber={false} />}
        />
      </div>
      {slo.burnRates.length > 0 ? (
        <DataTable
          caption={`Burn rates of the ${slo.kind} SLO`}
          testId={`burn-rates-${slo.kind}`}
          columns={[
            'Windows (long / short)',
            'Severity',
            { label: 'Alerts above', numeric: true },
            { label: 'Long window', numeric: true },
            { label: 'Short window', numeric: true },
            'Alert',
          ]}
        >
          {slo.burnRates.map((burn) => (
            <tr
              key={burn.label}
              className={`${rowClass} ${burn.firing ? 'bg-red-50 dark:bg-red-950/40' : ''}`}
              data-window={burn.label}
              data-firing={burn.firing}
            >
              <th scope="row" className={`${cellClass} font-medium normal-case`}>
                {burn.label}
              </th>
              <td className={cellClass}>{burn.severity === 'page' ? 'Page' : 'Ticket'}</td>
              <td className={numericCellClass}>{burn.factor}×</td>
              <td className={numericCellClass}>{burnRateText(burn.longRate)}</td>
              <td className={numericCellClass}>{burnRateText(burn.shortRate)}</td>
              <td className={cellClass}>
                <BurnBadge burn={burn} />
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </section>
  );
}

/** The chart range as links, so every range is an address. */
function RangePicker({ tenant, endpoint, range }: { tenant: string; endpoint: string; range: SloRange }) {
  return (
    <nav aria-label="Time range" className="flex flex-wrap gap-1" data-testid="slo-range-picker">
      {SLO_RANGES.map((r) => (
        <Link
          key={r}
          href={`${sloDetailPath(tenant, endpoint)}?range=${r}`}
          scroll={false}
          aria-current={r === range ? 'page' : undefined}
          className={`rounded-md border px-3 py-1.5 text-sm ${
            r === range
              ? 'border-blue-700 bg-blue-700 font-medium text-white dark:border-blue-500 dark:bg-blue-600'
              : 'border-slate-300 bg-white text-slate-800 hover:bg-slate-100 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100 dark:hover:bg-slate-700'
          }`}
        >
          {RANGE_LABELS[r]}
        </Link>
      ))}
    </nav>
  );
}

/**
 * One endpoint's SLOs: for each, the objective, the indicator and the budget left, then the
 * multi-window burn rates and whether each pair would alert; below, the history over a chosen
 * range. Rendered on the server, then polled every 30 s.
 */
export function SloDetailDashboard({ initial }: { initial: SloDetailView }) {
  const { tenant, endpoint, range } = initial;
  const { data, error } = useLiveData({
    queryKey: ['slo-detail', tenant, endpoint, range],
    url: `${sloDetailPath(tenant, endpoint, '/live')}?range=${range}`,
    initial,
    refreshMs: REFRESH_MS,
    isData: (body) => 'availability' in body && 'latency' in body,
  });

  return (
    <div className="space-y-8">
      <AsOf freshness={pollFreshness(error, data.at)} />
      {data.unverified ? (
        <div role="status" data-testid="slo-unverified">
          <PanelMessage>
            <strong>{asSentence(data.unverified)}</strong> The objectives below are the portal’s own; the numbers need
            Prometheus.
          </PanelMessage>
        </div>
      ) : null}
      <AsOf freshness={data.outdated} now={data.at}>
        The numbers are Prometheus’s last answer.
      </AsOf>
      <p className="text-sm text-slate-600 dark:text-slate-300">
        Updated <Time at={data.at} />, refreshed every 30 seconds.
      </p>
      <SloSection slo={data.availability} />
      <SloSection slo={data.latency} />
      <section aria-labelledby="slo-history-title" className="space-y-3" data-testid="slo-history">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="slo-history-title" className="text-base font-semibold">
            History over the last {RANGE_LABELS[data.range]}
          </h2>
          <RangePicker tenant={tenant} endpoint={endpoint} range={data.range} />
        </div>
        {data.history === null ? (
          <PanelMessage>
            The charts cannot be drawn: {asSentence(data.historyProblem ?? 'Prometheus could not be read')}
          </PanelMessage>
        ) : data.history.length === 0 ? (
          <EmptyState title="No traffic in this range">
            Prometheus has no requests of {endpoint} in the last {RANGE_LABELS[data.range]}. Pick a longer range, or
            send the endpoint some requests.
          </EmptyState>
        ) : (
          <HistoryCharts points={data.history} range={data.range} objectives={data.objectives} />
        )}
      </section>
    </div>
  );
}
