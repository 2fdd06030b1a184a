'use client';

import Link from 'next/link';
import { EmptyState } from '@/components/ui/empty-state';
import { buttonClass } from '@/components/ui/styles';
import { cellClass, DataTable, NoValue, numericCellClass, rowClass } from '@/components/ui/table';
import { useLiveData } from '@/components/ui/use-live-data';
import type { PipelineSummary } from '@/lib/ops/pipelines';
import { PHASE_FILTERS, type PhaseFilter } from '@/lib/pipelines/phases';
import type { PipelineRun, PipelineRunList } from '@/lib/pipelines/runs';
import type { PipelinesView } from '@/lib/pipelines/service';
import { PhaseBadge } from './phase-badge';
import { PanelMessage } from '@/components/ui/panel-message';
import { Stat } from '@/components/ui/stat';
import { Time } from '@/components/ui/time';
import { AsOf, pollFreshness } from '@/components/ui/as-of';
import { formatDuration, formatPercent } from '@/lib/format';

const FILTER_LABELS: Record<PhaseFilter, string> = {
  Running: 'Running',
  Pending: 'Pending',
  Succeeded: 'Succeeded',
  Failed: 'Failed or Error',
};
const NONE_MATCH: Record<PhaseFilter, string> = {
  Running: 'No run is running',
  Pending: 'No run is waiting to start',
  Succeeded: 'No run has succeeded',
  Failed: 'No run has failed',
};

const pipelinesHref = (tenant: string, phase: PhaseFilter | null) =>
  `/t/${encodeURIComponent(tenant)}/pipelines${phase ? `?phase=${phase}` : ''}`;
const runs = (count: number) => `${count} run${count === 1 ? '' : 's'}`;

function Summary({ summary }: { summary: PipelineSummary }) {
  const window = `the last ${Math.round(summary.windowMs / 86_400_000)} days`;
  return (
    <section aria-label="Summary" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4" data-testid="pipelines-summary">
      <Stat
        label="Finished"
        value={summary.finished}
        detail={`in ${window}: ${summary.succeeded} succeeded, ${summary.failed} failed or ended in Error`}
      />
      <Stat
        label="Success rate"
        value={summary.successRate === null ? '—' : formatPercent(summary.successRate)}
        detail={
          summary.successRate === null
            ? `no run finished in ${window}`
            : `of the ${runs(summary.finished)} finished in ${window}`
        }
      />
      <Stat
        label="Mean duration"
        value={summary.meanDurationMs === null ? '—' : formatDuration(summary.meanDurationMs)}
        detail={
          summary.meanDurationMs === null
            ? `no run finished in ${window}`
            : `start to finish, runs finished in ${window}`
        }
      />
      <Stat label="Running now" testId="pipelines-running" value={summary.running} detail="whenever they started" />
    </section>
  );
}

function PhaseFilterNav({ tenant, phase, list }: { tenant: string; phase: PhaseFilter | null; list: PipelineRunList }) {
  const options: { phase: PhaseFilter | null; label: string; count: number }[] = [
    { phase: null, label: 'All', count: list.total },
    ...PHASE_FILTERS.map((p) => ({ phase: p, label: FILTER_LABELS[p], count: list.counts[p] })),
  ];
  return (
    <nav aria-label="Filter runs by phase" className="flex flex-wrap gap-2 text-sm">
      {options.map((option) => (
        <Link
          key={option.label}
          href={pipelinesHref(tenant, option.phase)}
          aria-current={option.phase === phase ? 'page' : undefined}
          className={option.phase === phase ? buttonClass.primary : buttonClass.secondary}
        >
          {option.label} ({option.count})
        </Link>
      ))}
    </nav>
  );
}

// Cells wrap (but the run's name) so the table fits the page: one that scrolls sideways with nothing
// focusable in it cannot be scrolled with the keyboard.
function RunRow({ run }: { run: PipelineRun }) {
  return (
    <tr className={`${rowClass} align-top`} data-testid={`pipeline-run-${run.name}`} data-phase={run.phase ?? ''}>
      <th scope="row" className={`${cellClass} whitespace-nowrap font-mono text-xs font-normal`}>
        {run.name}
      </th>
      <td className={cellClass}>{run.template ?? <NoValue reason="not made from a WorkflowTemplate" />}</td>
      <td className={cellClass}>
        <PhaseBadge phase={run.phase} />
      </td>
      <td className={cellClass}>{run.startedAt ? <Time at={run.startedAt} /> : <NoValue reason="not started" />}</td>
      <td className={cellClass}>{run.finishedAt ? <Time at={run.finishedAt} /> : <NoValue reason="not finished" />}</td>
      <td className={numericCellClass}>
        {run.durationMs === null ? (
          <NoValue reason="not started" />
        ) : (
          `${formatDuration(run.durationMs)}${run.finishedAt ? '' : ' so far'}`
        )}
      </td>
      <td className={`${cellClass} break-words`}>{run.message}</td>
    </tr>
  );
}

function RunList({ tenant, phase, list }: { tenant: string; phase: PhaseFilter | null; list: PipelineRunList }) {
  if (list.total === 0) {
    return (
      <EmptyState title="No pipeline runs yet">
        Runs appear here once an Argo Workflow is submitted in the namespace <code>{tenant}</code>, e.g.{' '}
        <code>argo submit -n {tenant} --from workflowtemplate/&lt;template&gt;</code>, and stay listed as long as Argo
        keeps them.
      </EmptyState>
    );
  }
  if (list.matching === 0 && phase) {
    return (
      <EmptyState
        title={NONE_MATCH[phase]}
        action={
          <Link href={pipelinesHref(tenant, null)} className={buttonClass.primary}>
            Show every run
          </Link>
        }
      >
        Every run of {tenant} ({runs(list.total)}) is in another phase. Pick another phase above, or show every run.
      </EmptyState>
    );
  }
  const hidden = list.matching - list.runs.length;
  return (
    <div className="space-y-2">
      <DataTable
        caption={`Pipeline runs of ${tenant}${phase ? ` (${FILTER_LABELS[phase]})` : ''}, newest first`}
        columns={['Run', 'Template', 'Phase', 'Started', 'Finished', { label: 'Duration', numeric: true }, 'Message']}
        testId="pipeline-runs"
      >
        {list.runs.map((run) => (
          <RunRow key={run.name} run={run} />
        ))}
      </DataTable>
      <p className="text-sm text-slate-600 dark:text-slate-300" data-testid="pipelines-shown">
        {hidden > 0
          ? `Showing the newest ${list.runs.length} of ${runs(list.matching)}; ${hidden} older ${hidden === 1 ? 'is' : 'are'} not listed.${phase ? '' : ' Filter by phase to narrow the list.'}`
          : `${runs(list.matching)}${phase ? ` (${FILTER_LABELS[phase]})` : ''}, newest first.`}
      </p>
    </div>
  );
}

const REFRESH_MS = 10_000;

/**
 * A tenant's pipeline runs: how the last days went (as the operations dashboard judges them), the
 * phase filter, and the newest runs; or why they cannot be read. Rendered on the server with
 * `initial`, then kept live by polling the page's live route. `filterProblem` says why the filter
 * of the address was ignored.
 */
export function TenantPipelines({ initial, filterProblem }: { initial: PipelinesView; filterProblem: string | null }) {
  const { tenant, phase } = initial;
  const { data, error } = useLiveData({
    queryKey: ['pipelines', tenant, phase],
    url: `/t/${encodeURIComponent(tenant)}/pipelines/live${phase ? `?phase=${phase}` : ''}`,
    initial,
    refreshMs: REFRESH_MS,
    isData: (body) => 'pipelines' in body,
  });
  const { pipelines } = data;
  return (
    <div className="space-y-6">
      {filterProblem ? (
        <p
          role="alert"
          className="rounded-md border border-red-300 bg-red-50 p-3 text-sm text-red-900 dark:border-red-700 dark:bg-red-950 dark:text-red-100"
        >
          {filterProblem} Showing every run.
        </p>
      ) : null}
      <AsOf freshness={pollFreshness(error, data.at)} />
      {!pipelines.ok ? (
        <div role="status">
          <PanelMessage>The pipeline runs cannot be shown: {pipelines.message}</PanelMessage>
        </div>
      ) : (
        <>
          <AsOf freshness={pipelines.freshness} now={data.at} />
          <Summary summary={pipelines.data.summary} />
          <PhaseFilterNav tenant={tenant} phase={phase} list={pipelines.data.list} />
          <RunList tenant={tenant} phase={phase} list={pipelines.data.list} />
        </>
      )}
    </div>
  );
}
