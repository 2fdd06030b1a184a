import Link from 'next/link';
import { SubscriptionForm, type TenantSubscriptionRows } from '@/components/notifications/subscription-form';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { buttonClass } from '@/components/ui/styles';
import { requireUser } from '@/lib/auth/session';
import { DEFAULT_AUDIENCE, type Audience } from '@/lib/notifications/kinds';
import { getSubscriptions } from '@/lib/notifications/service';

export const metadata = { title: 'Notification settings' };

const AUDIENCE_WORDS: Record<Audience, string> = {
  approvers: 'the tenant’s approvers (never the requester)',
  requester: 'whoever filed the promotion request',
  operators: 'those who operate the tenant’s deployments (its admins, on-call)',
  admins: 'the tenant’s admins',
  owners: 'the tenant’s model owners (its approvers and admins)',
};

export default async function NotificationSettingsPage() {
  const user = await requireUser();
  const subscriptions = await getSubscriptions(user);
  const tenants: TenantSubscriptionRows[] = subscriptions.map((t) => ({
    tenant: t.tenant,
    displayName: t.displayName,
    kinds: t.kinds.map((k) => {
      const audiences = DEFAULT_AUDIENCE[k.kind];
      const words = audiences.map((a) => AUDIENCE_WORDS[a]).join(' and ');
      return {
        ...k,
        audience: words.charAt(0).toUpperCase() + words.slice(1),
        concernsYou: k.concernsByDefault,
        forYou: !k.concernsByDefault
          ? 'That is not you here: by default you get none.'
          : audiences.length === 1 && audiences[0] === 'requester'
            ? 'You, for the requests you file.'
            : 'That includes you.',
      };
    }),
  }));
  return (
    <>
      <PageHeader
        title="Notification settings"
        description={
          <>
            What reaches your{' '}
            <Link href="/inbox" className={buttonClass.link}>
              inbox
            </Link>
            , per tenant and kind of event. Default: the events that concern you, as the second column says. All: every
            event of the kind in the tenant. None: not even those. You are never told of what you did yourself. A
            tenant’s admins send events to chat and other systems with its webhooks.
          </>
        }
      />
      {tenants.length === 0 ? (
        <EmptyState title="No tenant to hear from">
          You are not a member of any tenant yet. Once a tenant admin adds you, its events can reach you.
        </EmptyState>
      ) : (
        <SubscriptionForm tenants={tenants} />
      )}
    </>
  );
}
