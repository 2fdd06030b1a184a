import { tableClass } from './table-styles';

/** Params, metrics or tags of one run: a two-column table. */
export function KeyValueTable({ caption, rows, valueHeader = 'Value', numeric = false }: { caption: string; rows: [string, string][]; valueHeader?: string; numeric?: boolean }) {
  if (rows.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-400">None logged.</p>;
  return (
    <div className={tableClass.frame}>
      <table className={tableClass.table}>
        <caption className="sr-only">{caption}</caption>
        <thead className={tableClass.head}>
          <tr>
            <th scope="col" className={tableClass.headCell}>
              Key
            </th>
            <th scope="col" className={`${tableClass.headCell} ${numeric ? 'text-right' : ''}`}>
              {valueHeader}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([key, value]) => (
            <tr key={key} className={tableClass.row}>
              <th scope="row" className={`${tableClass.cell} font-mono text-xs font-normal`}>
                {key}
              </th>
              <td className={numeric ? tableClass.numeric : `${tableClass.cell} break-all font-mono text-xs`}>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
