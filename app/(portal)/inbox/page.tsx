import Link from 'next/link';
import { InboxItems } from '@/components/notifications/inbox-items';
import { MarkReadButton } from '@/components/notifications/mark-read';
import { WaitingSections } from '@/components/notifications/waiting-sections';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { PageLinks } from '@/components/ui/page-links';
import { PanelMessage } from '@/components/ui/panel-message';
import { buttonClass } from '@/components/ui/styles';
import { requireUser } from '@/lib/auth/session';
import { listInbox, listInboxSchema, unreadCount } from '@/lib/notifications/service';
import { waitingOnYou } from '@/lib/notifications/waiting-view';
import { listVisibleTenants } from '@/lib/tenancy/service';
import type { SearchParams } from '../t/[tenant]/tenant-page';

export const metadata = { title: 'Inbox' };

const PAGE_SIZE = 50;

/** `?unread=1` shows unread items only; `?before=<item id>` the page after that item. Both deep-linkable. */
const inboxHref = (unreadOnly: boolean, before?: string) => {
  const query = new URLSearchParams({ ...(unreadOnly ? { unread: '1' } : {}), ...(before ? { before } : {}) });
  return `/inbox${query.size > 0 ? `?${query}` : ''}`;
};

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function InboxPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const user = await requireUser();
  const search = await searchParams;
  const unreadOnly = first(search.unread) === '1';
  const requested = listInboxSchema.safeParse({ unreadOnly, limit: PAGE_SIZE, before: first(search.before) });
  const query = requested.success ? requested.data : { unreadOnly, limit: PAGE_SIZE };
  const tenants = await listVisibleTenants(user);
  const [page, unread, waiting] = await Promise.all([
    listInbox(user, query),
    unreadCount(user),
    waitingOnYou(user, tenants),
  ]);

  return (
    <>
      <PageHeader
        title="Inbox"
        description="What waits on you, and the news of your tenants: newest first."
        actions={
          <Link href="/settings/notifications" className={buttonClass.secondary}>
            Notification settings
          </Link>
        }
      />
      <WaitingSections waiting={waiting} />
      <section aria-labelledby="news-heading" className="space-y-3">
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h2 id="news-heading" className="text-lg font-semibold">
            Your news{' '}
            <span className="text-sm font-normal text-slate-600 dark:text-slate-400" data-testid="inbox-unread-total">
              ({unread} unread)
            </span>
          </h2>
          <div className="flex flex-wrap items-center gap-2">
            <nav aria-label="Filter the inbox" className="flex gap-2 text-sm">
              {[
                { only: false, label: 'All' },
                { only: true, label: 'Unread only' },
              ].map((option) => (
                <Link
                  key={option.label}
                  href={inboxHref(option.only)}
                  aria-current={option.only === unreadOnly ? 'page' : undefined}
                  className={option.only === unreadOnly ? buttonClass.primary : buttonClass.secondary}
                >
                  {option.label}
                </Link>
              ))}
            </nav>
            {unread > 0 ? <MarkReadButton /> : null}
          </div>
        </div>
        {requested.success ? null : (
          <PanelMessage>
            That page of the inbox does not exist (the link is not valid): showing the newest items.
          </PanelMessage>
        )}
        {page.items.length > 0 ? (
          <InboxItems items={page.items} />
        ) : unreadOnly ? (
          <EmptyState
            title="Nothing unread"
            action={
              <Link href={inboxHref(false)} className={buttonClass.secondary}>
                Show every item
              </Link>
            }
          >
            You have read everything that arrived{query.before ? ' before this page' : ''}.
          </EmptyState>
        ) : (
          <EmptyState
            title={query.before ? 'No older items' : 'Your inbox is empty'}
            action={
              <Link href="/settings/notifications" className={buttonClass.primary}>
                Choose what you are told
              </Link>
            }
          >
            What concerns you arrives here: promotion requests waiting for your approval; the decision on each request
            you filed, a gate that failed, and every canary step or rollback of its rollout; automatic and manual
            rollbacks, paused judgment and SLO fast burns on endpoints you operate; GPU quota above 90 % in tenants you
            administer. In your notification settings you can follow every event of a kind in a tenant, or silence one.
          </EmptyState>
        )}
        <PageLinks
          label="Inbox pages"
          firstHref={query.before ? inboxHref(unreadOnly) : undefined}
          nextHref={page.nextBefore ? inboxHref(unreadOnly, page.nextBefore) : undefined}
          nextLabel="Older items"
        />
      </section>
    </>
  );
}
