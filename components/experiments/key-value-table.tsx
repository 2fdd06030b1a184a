import { cellClass, DataTable, numericCellClass, rowClass } from '@/components/ui/table';

/** Params, metrics or tags of one run: a two-column table. */
export function KeyValueTable({
  caption,
  rows,
  valueHeader = 'Value',
  numeric = false,
}: {
  caption: string;
  rows: [string, string][];
  valueHeader?: string;
  numeric?: boolean;
}) {
  if (rows.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-400">None logged.</p>;
  return (
    <DataTable caption={caption} columns={['Key', { label: valueHeader, numeric }]}>
      {rows.map(([key, value]) => (
        <tr key={key} className={rowClass}>
          <th scope="row" className={`${cellClass} font-mono text-xs font-normal`}>
            {key}
          </th>
          <td className={numeric ? numericCellClass : `${cellClass} break-all font-mono text-xs`}>{value}</td>
        </tr>
      ))}
    </DataTable>
  );
}
