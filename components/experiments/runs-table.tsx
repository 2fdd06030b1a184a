import Link from 'next/link';
import type { MlflowRun } from '@/lib/integrations/mlflow';
import { runsQueryString, sortedBy, type ColumnRef, type RunsQuery } from '@/lib/experiments/runs-query';
import { formatDuration, formatMetric, formatTime } from './format';
import { RunStatus } from './run-status';
import { tableClass } from './table-styles';

function SortHeader({ label, kind, column, query, basePath }: { label: string; kind?: string; column: ColumnRef; query: RunsQuery; basePath: string }) {
  const active = query.sort.column.kind === column.kind && query.sort.column.key === column.key;
  const next = sortedBy(query, column);
  return (
    <th scope="col" className={tableClass.headCell} aria-sort={active ? (query.sort.direction === 'asc' ? 'ascending' : 'descending') : undefined}>
      <Link href={`${basePath}${runsQueryString(next)}`} className="inline-flex flex-col hover:underline" data-testid={`sort-${column.kind}.${column.key}`}>
        {kind ? <span className="text-[10px] font-normal uppercase tracking-wide">{kind}</span> : null}
        <span>
          {label}
          <span aria-hidden="true">{active ? (query.sort.direction === 'asc' ? ' ▲' : ' ▼') : ''}</span>
          <span className="sr-only">, sort {next.sort.direction === 'asc' ? 'ascending' : 'descending'}</span>
        </span>
      </Link>
    </th>
  );
}

/** One page of runs; the row checkboxes feed the surrounding CompareSelection form. */
export function RunsTable({
  tenant,
  runs,
  query,
  basePath,
  metricColumns,
  paramColumns,
}: {
  tenant: string;
  runs: MlflowRun[];
  query: RunsQuery;
  basePath: string;
  metricColumns: string[];
  paramColumns: string[];
}) {
  const header = { query, basePath };
  return (
    <div className={tableClass.frame}>
      <table className={tableClass.table} data-testid="runs-table">
        <caption className="sr-only">Runs, sorted by {query.sort.column.key} {query.sort.direction === 'asc' ? 'ascending' : 'descending'}</caption>
        <thead className={tableClass.head}>
          <tr>
            <th scope="col" className={tableClass.headCell}>
              <span className="sr-only">Select</span>
            </th>
            <SortHeader label="Run" column={{ kind: 'attributes', key: 'run_name' }} {...header} />
            <SortHeader label="Status" column={{ kind: 'attributes', key: 'status' }} {...header} />
            <SortHeader label="Started" column={{ kind: 'attributes', key: 'start_time' }} {...header} />
            <th scope="col" className={tableClass.headCell}>
              Duration
            </th>
            {metricColumns.map((key) => (
              <SortHeader key={`m-${key}`} label={key} kind="metric" column={{ kind: 'metrics', key }} {...header} />
            ))}
            {paramColumns.map((key) => (
              <SortHeader key={`p-${key}`} label={key} kind="param" column={{ kind: 'params', key }} {...header} />
            ))}
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => {
            const name = run.runName || run.runId;
            return (
              <tr key={run.runId} className={tableClass.row} data-testid={`run-row-${run.runId}`}>
                <td className={tableClass.cell}>
                  <input type="checkbox" name="runs" value={run.runId} aria-label={`Select run ${name}`} className="h-4 w-4" />
                </td>
                <th scope="row" className={`${tableClass.cell} whitespace-nowrap font-medium`}>
                  <Link href={`/t/${tenant}/runs/${run.runId}`} className="text-blue-700 hover:underline dark:text-blue-300">
                    {name}
                  </Link>
                </th>
                <td className={tableClass.cell}>
                  <RunStatus status={run.status} />
                </td>
                <td className={`${tableClass.cell} whitespace-nowrap`}>{formatTime(run.startTime)}</td>
                <td className={`${tableClass.cell} whitespace-nowrap`}>{formatDuration(run.startTime, run.endTime)}</td>
                {metricColumns.map((key) => (
                  <td key={`m-${key}`} className={tableClass.numeric} title={run.metrics[key] === undefined ? undefined : String(run.metrics[key])}>
                    {formatMetric(run.metrics[key])}
                  </td>
                ))}
                {paramColumns.map((key) => (
                  <td key={`p-${key}`} className={`${tableClass.cell} font-mono text-xs`}>
                    {run.params[key] ?? '—'}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
