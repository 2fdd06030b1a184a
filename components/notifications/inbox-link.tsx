'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { useLiveData } from '@/components/ui/use-live-data';

/** The unread count's query: whatever marks items read refreshes it (useQueryClient().invalidateQueries). */
export const UNREAD_QUERY_KEY = ['inbox-unread'] as const;
/** How often the badge asks; an action that changes the count refreshes it at once. */
const UNREAD_REFRESH_MS = 15_000;

const isCount = (body: object) => 'count' in body && typeof body.count === 'number';

/** The shell's link to /inbox with the unread count: rendered on the server, then polled. */
export function InboxLink({ unread }: { unread: number }) {
  const pathname = usePathname();
  const { data } = useLiveData<{ count: number }>({
    queryKey: UNREAD_QUERY_KEY,
    url: '/inbox/unread',
    initial: { count: unread },
    refreshMs: UNREAD_REFRESH_MS,
    isData: isCount,
  });
  const count = data.count;
  return (
    <Link
      href="/inbox"
      aria-label={count > 0 ? `Inbox, ${count} unread` : 'Inbox, nothing unread'}
      aria-current={pathname === '/inbox' ? 'page' : undefined}
      className="inline-flex items-center gap-1.5 rounded-md px-2 py-1 text-sm font-medium text-slate-700 hover:bg-slate-200 aria-[current=page]:bg-blue-100 aria-[current=page]:text-blue-900 dark:text-slate-200 dark:hover:bg-slate-800 dark:aria-[current=page]:bg-blue-900/50 dark:aria-[current=page]:text-blue-100"
      data-testid="inbox-link"
    >
      Inbox
      {count > 0 ? (
        <span
          className="rounded-full bg-blue-700 px-2 text-xs font-semibold text-white tabular-nums dark:bg-blue-500"
          data-testid="inbox-unread"
        >
          {count}
        </span>
      ) : null}
    </Link>
  );
}
