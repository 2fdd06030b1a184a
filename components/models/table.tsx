import type { ReactNode } from 'react';

export const cellClass = 'px-3 py-2 align-top';
export const rowClass = 'border-b border-slate-100 last:border-0 dark:border-slate-800';

/** The registry's tables: a caption for screen readers, column headers, rows from the caller. */
export function RegistryTable({ caption, columns, children }: { caption: string; columns: readonly ReactNode[]; children: ReactNode }) {
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase text-slate-600 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-300">
          <tr>
            {columns.map((column, index) => (
              <th key={index} scope="col" className="px-3 py-2 whitespace-nowrap">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** A dash for the eye and the reason for screen readers, where a cell has no value. */
export function NoValue({ reason }: { reason: string }) {
  return (
    <>
      <span aria-hidden="true" className="text-slate-500 dark:text-slate-400">
        —
      </span>
      <span className="sr-only">{reason}</span>
    </>
  );
}
