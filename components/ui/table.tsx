import type { ReactNode } from 'react';

/**
 * A column header: its text, or a spec for a header that is more than text — right-aligned over
 * numbers (`numeric`), sortable (`sort` becomes `aria-sort`), or content other than a string
 * (then give a `key`).
 */
export type Column = string | ColumnSpec;
export interface ColumnSpec {
  label: ReactNode;
  key?: string;
  numeric?: boolean;
  sort?: 'ascending' | 'descending';
}

/** A body row; add `align-top` where cells hold several lines. */
export const rowClass = 'border-b border-slate-100 last:border-0 dark:border-slate-800';
/** A body cell (`<td>`, or `<th scope="row">` with `font-normal` or `font-medium`). */
export const cellClass = 'px-3 py-2';
/** A body cell holding a number: right-aligned, digits lined up (its column is `numeric`). */
export const numericCellClass = `${cellClass} text-right font-mono tabular-nums`;

const headCellClass = `${cellClass} whitespace-nowrap font-semibold`;

// The first column (what each row is) stays in view while a wide table scrolls sideways; its
// cells need the table's own background to cover the columns passing under them.
const stickyFirstColumn =
  '[&_tr>:first-child]:sticky [&_tr>:first-child]:left-0 [&_tr>:first-child]:z-[1] ' +
  '[&_tbody>tr>:first-child]:bg-white dark:[&_tbody>tr>:first-child]:bg-slate-900 ' +
  '[&_thead>tr>:first-child]:bg-slate-50 dark:[&_thead>tr>:first-child]:bg-slate-800';

/**
 * The portal's data table: bordered, a caption for screen readers, one header row from
 * `columns`, and the caller's `<tr>`s as the body. Headers are upper case; wrap names that must
 * keep their case (metric keys, run names) in `normal-case`. Too wide for its card (a 1280 px
 * screen, e2e/layout-1280.spec.ts), it scrolls sideways inside its own frame — a labelled region
 * keyboard users can focus and scroll with the arrow keys — with the first column kept in view;
 * the page itself never scrolls sideways.
 */
export function DataTable({
  caption,
  columns,
  children,
  testId,
}: {
  caption: string;
  columns: readonly Column[];
  children: ReactNode;
  testId?: string;
}) {
  return (
    <div
      role="region"
      aria-label={caption}
      tabIndex={0}
      data-testid="table-scroll"
      className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900"
    >
      <table className={`w-full text-left text-sm ${stickyFirstColumn}`} data-testid={testId}>
        <caption className="sr-only">{caption}</caption>
        <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase text-slate-600 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-300">
          <tr>
            {columns.map((column, index) => {
              const { label, key, numeric, sort }: ColumnSpec = typeof column === 'string' ? { label: column } : column;
              return (
                <th
                  key={key ?? (typeof label === 'string' ? label : index)}
                  scope="col"
                  aria-sort={sort}
                  className={numeric ? `${headCellClass} text-right` : headCellClass}
                >
                  {label}
                </th>
              );
            })}
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
