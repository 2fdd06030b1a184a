import Link from 'next/link';
import { CreateTenantForm } from '@/components/admin/create-tenant-form';
import { TenantRowActions } from '@/components/admin/tenant-row-actions';
import { Badge, tenantStatusTone } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { buttonClass } from '@/components/ui/styles';
import { requirePermission } from '@/lib/auth/session';
import { listTenants } from '@/lib/tenancy/service';
import { archiveTenantAction, createTenantAction, retryProvisioningAction } from './actions';

export const metadata = { title: 'Tenants' };

export default async function TenantsAdminPage() {
  await requirePermission('tenant.create', { kind: 'platform' });
  const tenants = await listTenants({ includeArchived: true });
  return (
    <>
      <PageHeader title="Tenants" description="Each tenant is a team on the platform, with its own namespace, GPU quota, MLflow workspace and storage prefix." />
      <Card title="Create a tenant" className="mb-6">
        <CreateTenantForm action={createTenantAction} />
      </Card>
      {tenants.length === 0 ? (
        <EmptyState title="No tenants yet">Create the first one above; then add its members.</EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">All tenants</caption>
            <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase text-slate-600 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-300">
              <tr>
                <th scope="col" className="px-3 py-2">Tenant</th>
                <th scope="col" className="px-3 py-2">Status</th>
                <th scope="col" className="px-3 py-2">Members</th>
                <th scope="col" className="px-3 py-2">Created</th>
                <th scope="col" className="px-3 py-2">Actions</th>
              </tr>
            </thead>
            <tbody>
              {tenants.map((t) => (
                <tr key={t.id} className="border-b border-slate-100 last:border-0 dark:border-slate-800" data-testid={`tenant-${t.name}`}>
                  <td className="px-3 py-2">
                    <span className="font-medium">{t.displayName}</span>{' '}
                    <span className="font-mono text-xs text-slate-600 dark:text-slate-400">{t.name}</span>
                    {t.provisioningError ? <p className="text-xs text-amber-800 dark:text-amber-200">{t.provisioningError}</p> : null}
                  </td>
                  <td className="px-3 py-2">
                    <Badge tone={tenantStatusTone[t.status]}>{t.status}</Badge>
                  </td>
                  <td className="px-3 py-2">
                    {t.status === 'archived' ? (
                      t.memberCount
                    ) : (
                      <Link className={buttonClass.link} href={`/t/${t.name}/members`} aria-label={`${t.memberCount} members of ${t.name}: manage`}>
                        {t.memberCount}
                      </Link>
                    )}
                  </td>
                  <td className="px-3 py-2 whitespace-nowrap">{t.createdAt.toISOString().slice(0, 10)}</td>
                  <td className="px-3 py-2">
                    <TenantRowActions name={t.name} status={t.status} archive={archiveTenantAction} retry={retryProvisioningAction} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
