'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

const TABS = [
  { label: 'Overview', path: '' },
  { label: 'Timeline', path: '/timeline' },
  { label: 'Compare', path: '/compare' },
] as const;

/** The model pages' tabs: plain links (deep-linkable, in the tab order), the current one marked with aria-current. */
export function ModelTabs({ base }: { base: string }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Model views" className="mb-4 border-b border-slate-200 print:hidden dark:border-slate-700">
      <ul className="-mb-px flex gap-1">
        {TABS.map((tab) => {
          const href = `${base}${tab.path}`;
          const current = decodeURIComponent(pathname) === decodeURIComponent(href);
          return (
            <li key={tab.label}>
              <Link
                href={href}
                aria-current={current ? 'page' : undefined}
                className={`inline-block rounded-t-md border-b-2 px-3 py-2 text-sm font-medium focus-visible:outline-2 focus-visible:outline-blue-600 ${
                  current
                    ? 'border-blue-700 text-blue-800 dark:border-blue-300 dark:text-blue-200'
                    : 'border-transparent text-slate-700 hover:border-slate-300 hover:text-slate-900 dark:text-slate-300 dark:hover:text-slate-100'
                }`}
              >
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
