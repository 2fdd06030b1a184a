import Link from 'next/link';
import { Badge, tenantStatusTone } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { buttonClass } from '@/components/ui/styles';
import { can, tenantRoleOf } from '@/lib/auth/authorize';
import { requireUser } from '@/lib/auth/session';
import { listVisibleTenants } from '@/lib/tenancy/service';

export const metadata = { title: 'Home' };

export default async function HomePage() {
  const user = await requireUser();
  const tenants = await listVisibleTenants(user);
  const isAdmin = can(user, 'tenant.create', { kind: 'platform' });
  return (
    <>
      <PageHeader
        title={`Welcome, ${user.name ?? user.username}`}
        description="Your tenants on the machine-learning platform."
      />
      {tenants.length === 0 ? (
        <EmptyState
          title="You are not in any tenant yet"
          action={
            isAdmin ? (
              <Link href="/admin/tenants" className={buttonClass.primary}>
                Create a tenant
              </Link>
            ) : undefined
          }
        >
          {isAdmin
            ? 'Create the first tenant, then add its members.'
            : 'Ask a platform admin to add you to a tenant, or to put you in its identity-provider group (for example mlp:<tenant>:member). Then sign in again.'}
        </EmptyState>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {tenants.map((t) => {
            const role = tenantRoleOf(user, t.name);
            return (
              <li key={t.name}>
                <Link
                  href={`/t/${t.name}`}
                  className="block rounded-lg border border-slate-200 bg-white p-4 shadow-sm hover:border-blue-500 dark:border-slate-700 dark:bg-slate-900"
                >
                  <span className="flex items-center justify-between gap-2">
                    <span className="font-semibold">{t.displayName}</span>
                    <Badge tone={tenantStatusTone[t.status]}>{t.status}</Badge>
                  </span>
                  <span className="mt-1 block font-mono text-xs text-slate-600 dark:text-slate-400">{t.name}</span>
                  <span className="mt-2 block text-sm text-slate-700 dark:text-slate-300">
                    {role ? `You are ${role}` : `Through your platform role`} · {t.memberCount}{' '}
                    {t.memberCount === 1 ? 'member' : 'members'}
                  </span>
                </Link>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
