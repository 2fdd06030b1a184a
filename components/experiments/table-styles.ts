/** The look of the data tables on the experiment pages, matching the members table. */
export const tableClass = {
  frame: 'relative overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900',
  table: 'w-full text-left text-sm',
  head: 'border-b border-slate-200 bg-slate-50 text-xs text-slate-600 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-300',
  headCell: 'px-3 py-2 font-semibold',
  row: 'border-b border-slate-100 last:border-0 dark:border-slate-800',
  cell: 'px-3 py-2',
  numeric: 'px-3 py-2 text-right font-mono tabular-nums',
} as const;
