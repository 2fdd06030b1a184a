import Link from 'next/link';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Time } from '@/components/ui/time';
import type { InboxEntry, NotificationKind } from '@/lib/notifications/service';
import { MarkReadButton } from './mark-read';

/** Bad news in red, things to act on in amber, the rest neutral: the label says it in words too. */
const KIND_TONES: Partial<Record<NotificationKind, BadgeTone>> = {
  'promotion.requested': 'info',
  'promotion.approved': 'good',
  'promotion.rejected': 'bad',
  'promotion.gate_failed': 'bad',
  'rollout.rolled_back.automatic': 'bad',
  'rollout.rolled_back.manual': 'warn',
  'judgment.paused': 'warn',
  'quota.gpu_high': 'warn',
  'slo.fast_burn': 'bad',
  'model.drift': 'warn',
};

/** The person's inbox items, newest first: unread ones marked (a dot, bold, and "Unread" for screen readers). */
export function InboxItems({ items }: { items: readonly InboxEntry[] }) {
  return (
    <ol
      aria-label="Inbox items"
      className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-700 dark:bg-slate-900"
    >
      {items.map((item) => {
        const unread = item.readAt === null;
        return (
          <li
            key={item.id}
            className="flex flex-wrap items-start justify-between gap-3 px-4 py-3"
            data-testid="inbox-item"
            data-unread={unread}
            data-kind={item.kind}
          >
            <div className="flex min-w-0 flex-1 gap-3">
              <span
                aria-hidden="true"
                className={`mt-1.5 h-2.5 w-2.5 shrink-0 rounded-full ${unread ? 'bg-blue-600 dark:bg-blue-400' : 'bg-transparent'}`}
              />
              <div className="min-w-0 space-y-1">
                <p className="flex flex-wrap items-center gap-2 text-xs text-slate-600 dark:text-slate-400">
                  {unread ? <span className="sr-only">Unread:</span> : null}
                  <Badge tone={KIND_TONES[item.kind] ?? 'neutral'}>{item.kindLabel}</Badge>
                  <span>{item.tenant}</span>
                  <span aria-hidden="true">·</span>
                  <Time at={item.occurredAt} />
                </p>
                <Link
                  href={item.link}
                  className={`block break-words text-sm text-blue-700 underline-offset-2 hover:underline dark:text-blue-300 ${unread ? 'font-semibold' : ''}`}
                >
                  {item.title}
                </Link>
              </div>
            </div>
            {unread ? <MarkReadButton itemId={item.id} title={item.title} /> : null}
          </li>
        );
      })}
    </ol>
  );
}
