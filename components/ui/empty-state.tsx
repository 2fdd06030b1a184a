import type { ReactNode } from 'react';

/** Says what is missing and what to do next — never just a blank area. */
export function EmptyState({ title, children, action }: { title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center dark:border-slate-600 dark:bg-slate-900">
      <h2 className="text-base font-semibold">{title}</h2>
      <div className="mx-auto mt-2 max-w-prose text-sm text-slate-600 dark:text-slate-300">{children}</div>
      {action ? <div className="mt-4">{action}</div> : null}
    </div>
  );
}
