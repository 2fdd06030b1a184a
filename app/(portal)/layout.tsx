import type { ReactNode } from 'react';
import { AppShell } from '@/components/shell/app-shell';
import { buildNavigation } from '@/components/shell/navigation';
import { requireUser } from '@/lib/auth/session';
import { listVisibleTenants } from '@/lib/tenancy/service';
import { signOutAction } from './actions';

export default async function PortalLayout({ children }: { children: ReactNode }) {
  const user = await requireUser();
  const tenants = await listVisibleTenants(user);
  return (
    <AppShell user={user} navigation={buildNavigation(user, tenants)} signOut={signOutAction}>
      {children}
    </AppShell>
  );
}
