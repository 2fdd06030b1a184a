import { cellClass, DataTable, NoValue, numericCellClass, rowClass } from '@/components/ui/table';
import { formatNumber } from '@/lib/format';
import type { TrendPoint } from '@/lib/models/compare';
import { MetricTrendChart } from './metric-trend-chart';

/**
 * The primary metric of every version, as a chart (loaded in the browser) and as a table that
 * says the same to a screen reader or before the chart has arrived.
 */
export function MetricTrend({
  metric,
  points,
  threshold,
  a,
  b,
}: {
  metric: string;
  points: TrendPoint[];
  threshold: number | null;
  a: string;
  b: string;
}) {
  const logged = points.filter((p) => p.value !== null).length;
  return (
    <>
      <p className="mb-2 text-sm text-slate-600 dark:text-slate-300" data-testid="metric-trend-summary">
        <code className="font-mono">{metric}</code> of {logged} of {points.length} versions
        {threshold === null
          ? '; the policy sets no minimum for it.'
          : `; the policy requires at least ${threshold} (dashed line).`}{' '}
        The compared versions are marked A and B.
      </p>
      {logged > 0 ? (
        <MetricTrendChart height={260} metric={metric} points={points} threshold={threshold} a={a} b={b} />
      ) : (
        <p className="text-sm">No version’s run logged {metric}, so there is nothing to chart.</p>
      )}
      <details className="mt-3 text-sm">
        <summary className="cursor-pointer font-medium">The trend as a table</summary>
        <div className="mt-2 max-w-md">
          <DataTable
            caption={`${metric} of every version, oldest first`}
            columns={['Version', { label: metric, key: 'value', numeric: true }, 'Threshold']}
            testId="metric-trend-table"
          >
            {points.map((point) => (
              <tr key={point.version} className={rowClass}>
                <th scope="row" className={`${cellClass} font-normal`}>
                  v{point.version}
                  {point.version === a ? ' (A)' : ''}
                  {point.version === b ? ' (B)' : ''}
                </th>
                <td className={numericCellClass}>
                  {point.value === null ? <NoValue reason="not logged" /> : formatNumber(point.value)}
                </td>
                <td className={cellClass}>
                  {point.meetsThreshold === null ? (
                    <NoValue reason="not judged" />
                  ) : point.meetsThreshold ? (
                    'meets it'
                  ) : (
                    'below it'
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        </div>
      </details>
    </>
  );
}
