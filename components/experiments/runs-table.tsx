import Link from 'next/link';
import { cellClass, DataTable, numericCellClass, rowClass, type Column } from '@/components/ui/table';
import type { MlflowRun } from '@/lib/integrations/mlflow';
import { runsQueryString, sortedBy, type ColumnRef, type RunsQuery } from '@/lib/experiments/runs-query';
import { formatDurationBetween, formatNumber, formatTime } from '@/lib/format';
import { RunStatus } from './run-status';

/** A column header that sorts the runs by its column; a metric's or param's key keeps its case, a metric's sits over its numbers. */
function sortColumn({
  label,
  kind,
  column,
  query,
  basePath,
}: {
  label: string;
  kind?: string;
  column: ColumnRef;
  query: RunsQuery;
  basePath: string;
}): Column {
  const active = query.sort.column.kind === column.kind && query.sort.column.key === column.key;
  const next = sortedBy(query, column);
  return {
    key: `${column.kind}.${column.key}`,
    numeric: column.kind === 'metrics',
    sort: active ? (query.sort.direction === 'asc' ? 'ascending' : 'descending') : undefined,
    label: (
      <Link
        href={`${basePath}${runsQueryString(next)}`}
        className="inline-flex flex-col hover:underline"
        data-testid={`sort-${column.kind}.${column.key}`}
      >
        {kind ? <span className="text-[10px] font-normal uppercase tracking-wide">{kind}</span> : null}
        <span className={kind ? 'normal-case' : undefined}>
          {label}
          <span aria-hidden="true">{active ? (query.sort.direction === 'asc' ? ' ▲' : ' ▼') : ''}</span>
          <span className="sr-only">, sort {next.sort.direction === 'asc' ? 'ascending' : 'descending'}</span>
        </span>
      </Link>
    ),
  };
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
  const columns: Column[] = [
    { key: 'select', label: <span className="sr-only">Select</span> },
    sortColumn({ label: 'Run', column: { kind: 'attributes', key: 'run_name' }, ...header }),
    sortColumn({ label: 'Status', column: { kind: 'attributes', key: 'status' }, ...header }),
    sortColumn({ label: 'Started', column: { kind: 'attributes', key: 'start_time' }, ...header }),
    'Duration',
    ...metricColumns.map((key) =>
      sortColumn({ label: key, kind: 'metric', column: { kind: 'metrics', key }, ...header }),
    ),
    ...paramColumns.map((key) => sortColumn({ label: key, kind: 'param', column: { kind: 'params', key }, ...header })),
  ];
  return (
    <DataTable
      caption={`Runs, sorted by ${query.sort.column.key} ${query.sort.direction === 'asc' ? 'ascending' : 'descending'}`}
      columns={columns}
      testId="runs-table"
    >
      {runs.map((run) => {
        const name = run.runName || run.runId;
        return (
          <tr key={run.runId} className={rowClass} data-testid={`run-row-${run.runId}`}>
            <td className={cellClass}>
              <input
                type="checkbox"
                name="runs"
                value={run.runId}
                aria-label={`Select run ${name}`}
                className="h-4 w-4"
              />
            </td>
            <th scope="row" className={`${cellClass} whitespace-nowrap font-medium`}>
              <Link
                href={`/t/${tenant}/runs/${run.runId}`}
                className="text-blue-700 hover:underline dark:text-blue-300"
              >
                {name}
              </Link>
            </th>
            <td className={cellClass}>
              <RunStatus status={run.status} />
            </td>
            <td className={`${cellClass} whitespace-nowrap`}>{formatTime(run.startTime)}</td>
            <td className={`${cellClass} whitespace-nowrap`}>{formatDurationBetween(run.startTime, run.endTime)}</td>
            {metricColumns.map((key) => (
              <td
                key={`m-${key}`}
                className={numericCellClass}
                title={run.metrics[key] === undefined ? undefined : String(run.metrics[key])}
              >
                {run.metrics[key] === undefined ? '—' : formatNumber(run.metrics[key])}
              </td>
            ))}
            {paramColumns.map((key) => (
              <td key={`p-${key}`} className={`${cellClass} font-mono text-xs`}>
                {run.params[key] ?? '—'}
              </td>
            ))}
          </tr>
        );
      })}
    </DataTable>
  );
}
