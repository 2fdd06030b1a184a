import Link from 'next/link';
import { cellClass, DataTable, numericCellClass, rowClass } from '@/components/ui/table';
import type { SideBySideRow } from '@/lib/experiments/compare';
import { formatNumber } from '@/lib/format';

/**
 * Params or metrics of the compared runs, one column per run. Rows whose values differ can carry
 * a "differs" marker (text, not only colour) and a tinted background.
 */
export function SideBySideTable<T extends string | number>({
  caption,
  rows,
  runs,
  tenant,
  numeric = false,
  markDifferences = true,
}: {
  caption: string;
  rows: SideBySideRow<T>[];
  runs: { runId: string; runName: string }[];
  tenant: string;
  numeric?: boolean;
  /** Off for metrics, whose values almost always differ. */
  markDifferences?: boolean;
}) {
  if (rows.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-400">None logged.</p>;
  const columns = [
    'Key',
    ...runs.map((run) => ({
      key: run.runId,
      numeric,
      label: (
        <Link href={`/t/${tenant}/runs/${run.runId}`} className="normal-case hover:underline">
          {run.runName || run.runId.slice(0, 8)}
        </Link>
      ),
    })),
  ];
  return (
    <DataTable caption={caption} columns={columns}>
      {rows.map((row) => {
        const marked = markDifferences && row.differs;
        return (
          <tr
            key={row.key}
            className={`${rowClass} ${marked ? 'bg-amber-50 dark:bg-amber-950/40' : ''}`}
            data-testid={`compare-row-${row.key}`}
            data-differs={row.differs}
          >
            <th scope="row" className={`${cellClass} font-mono text-xs font-normal`}>
              {row.key}
              {marked ? (
                <span className="ml-2 rounded bg-amber-200 px-1.5 py-0.5 font-sans text-[11px] font-semibold text-amber-950 dark:bg-amber-800 dark:text-amber-50">
                  differs
                </span>
              ) : null}
            </th>
            {row.values.map((value, i) => (
              <td key={runs[i]!.runId} className={numeric ? numericCellClass : `${cellClass} font-mono text-xs`}>
                {value === undefined ? (
                  <span title="not logged">—</span>
                ) : typeof value === 'number' ? (
                  formatNumber(value)
                ) : (
                  value
                )}
              </td>
            ))}
          </tr>
        );
      })}
    </DataTable>
  );
}
