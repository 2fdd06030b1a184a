import type { ReactNode } from 'react';
import { InboxLink } from '@/components/notifications/inbox-link';
import { AppShell } from '@/components/shell/app-shell';
import { buildNavigation } from '@/components/shell/navigation';
import { requireUser } from '@/lib/auth/session';
import { unreadCount } from '@/lib/notifications/service';
import { countApprovable } from '@/lib/promotion/requests';
import { listVisibleTenants } from '@/lib/tenancy/service';

export default async function PortalLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  const [tenants, approvalsWaiting, unread] = await Promise.all([
    listVisibleTenants(user),
    countApprovable(user),
    unreadCount(user),
  ]);
  return (
    <AppShell
      user={user}
      navigation={buildNavigation(user, tenants, approvalsWaiting)}
      inbox={<InboxLink unread={unread} />}
    >
      {children}
    </AppShell>
  );
}
