import { cellClass, DataTable, NoValue, rowClass } from '@/components/ui/table';
import { versionColumn } from './version-column';
import { differencesOnly, type EntryChange, type EntryDiff } from '@/lib/models/compare';

/** Rows that differ stand out by colour and say how in words. */
const CHANGE_ROW: Record<EntryChange, string> = {
  same: 'bg-white dark:bg-slate-900',
  changed: 'bg-amber-50 dark:bg-amber-950',
  added: 'bg-amber-50 dark:bg-amber-950',
  removed: 'bg-amber-50 dark:bg-amber-950',
};

function changeText(change: EntryChange, a: string, b: string): string {
  if (change === 'added') return `only v${b}`;
  if (change === 'removed') return `only v${a}`;
  return change;
}

function Value({ value, version }: { value: string | null; version: string }) {
  if (value === null) return <NoValue reason={`not set on v${version}`} />;
  return <span className="font-mono break-all">{value}</span>;
}

/**
 * One kind of key–value pairs (params, version tags, run tags) of both versions, row by row;
 * with `onlyDifferences`, the rows that are the same are left out (and counted).
 */
export function EntriesDiff({
  title,
  what,
  rows,
  a,
  b,
  onlyDifferences,
  testId,
}: {
  title: string;
  /** Plural, e.g. "params". */
  what: string;
  rows: readonly EntryDiff[];
  a: string;
  b: string;
  onlyDifferences: boolean;
  testId: string;
}) {
  const differing = differencesOnly(rows);
  const shown = onlyDifferences ? differing : rows;
  const hidden = rows.length - shown.length;
  return (
    <section aria-labelledby={`${testId}-heading`} className="mt-4 first:mt-0">
      <h3 id={`${testId}-heading`} className="mb-1 text-sm font-semibold">
        {title}
      </h3>
      <p className="mb-2 text-sm text-slate-600 dark:text-slate-300" data-testid={`${testId}-summary`}>
        {rows.length === 0
          ? `Neither version has ${what}.`
          : `${differing.length} of ${rows.length} ${what} differ${hidden > 0 ? `; ${hidden} ${hidden === 1 ? 'that is the same is' : 'that are the same are'} hidden` : ''}.`}
      </p>
      {shown.length > 0 ? (
        <DataTable
          caption={`${title} of v${a} and v${b}`}
          columns={['Key', versionColumn(a, 'A'), versionColumn(b, 'B'), 'Change']}
          testId={testId}
        >
          {shown.map((row) => (
            <tr key={row.key} className={`${rowClass} ${CHANGE_ROW[row.change]}`} data-change={row.change}>
              <th scope="row" className={`${cellClass} sticky left-0 font-normal ${CHANGE_ROW[row.change]}`}>
                <span className="font-mono break-all">{row.key}</span>
              </th>
              <td className={cellClass}>
                <Value value={row.a} version={a} />
              </td>
              <td className={cellClass}>
                <Value value={row.b} version={b} />
              </td>
              <td
                className={`${cellClass} whitespace-nowrap ${row.change === 'same' ? 'text-slate-600 dark:text-slate-400' : 'font-medium'}`}
              >
                {changeText(row.change, a, b)}
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </section>
  );
}
