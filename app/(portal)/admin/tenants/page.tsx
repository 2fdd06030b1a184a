import Link from 'next/link';
import { CreateTenantForm } from '@/components/admin/create-tenant-form';
import { LiveTenantSteps } from '@/components/admin/live-tenant-steps';
import { TenantRowActions } from '@/components/admin/tenant-row-actions';
import { Badge, tenantStatusTone } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { buttonClass } from '@/components/ui/styles';
import { cellClass, DataTable, NoValue, rowClass } from '@/components/ui/table';
import { requirePermission } from '@/lib/auth/session';
import { describeHard, hardFor } from '@/lib/tenancy/quota';
import { listTenantsWithProgress } from '@/lib/tenancy/service';
import { Time } from '@/components/ui/time';

export const metadata = { title: 'Tenants' };

export default async function TenantsAdminPage() {
  await requirePermission('tenant.create', { kind: 'platform' });
  const tenants = await listTenantsWithProgress();
  return (
    <>
      <PageHeader
        title="Tenants"
        description="Each tenant is a team on the platform. Creating one provisions, in order: its Kubernetes namespace, its GPU quota, role bindings for its IdP groups, its MLflow workspace and its object-storage prefix."
      />
      <Card title="Create a tenant" className="mb-6">
        <CreateTenantForm />
      </Card>
      {tenants.length === 0 ? (
        <EmptyState title="No tenants yet">Create the first one above; then add its members.</EmptyState>
      ) : (
        <DataTable
          caption="All tenants"
          columns={['Tenant', 'Status', 'Quota asked', 'On the platform', 'Members', 'Created', 'Actions']}
        >
          {tenants.map((t) => (
            <tr key={t.id} className={`${rowClass} align-top`} data-testid={`tenant-${t.name}`}>
              <td className={cellClass}>
                <span className="font-medium">{t.displayName}</span>{' '}
                <span className="font-mono text-xs text-slate-600 dark:text-slate-400">{t.name}</span>
                {/* The failing step says why in the steps column; this line is for tenants without recorded steps. */}
                {t.provisioningError && t.progress.steps.length === 0 ? (
                  <p className="text-xs text-amber-800 dark:text-amber-200">{t.provisioningError}</p>
                ) : null}
              </td>
              <td className={cellClass}>
                <Badge tone={tenantStatusTone[t.status]}>{t.status}</Badge>
              </td>
              <td className={`${cellClass} text-xs`}>
                {t.quotaRequest ? (
                  describeHard(hardFor(t.quotaRequest))
                ) : (
                  <NoValue reason="no quota asked for at creation" />
                )}
              </td>
              <td className={`${cellClass} min-w-80`}>
                <LiveTenantSteps tenant={t.name} initial={t.progress} />
              </td>
              <td className={cellClass}>
                {t.status === 'archived' ? (
                  t.memberCount
                ) : (
                  <Link
                    className={buttonClass.link}
                    href={`/t/${t.name}/members`}
                    aria-label={`${t.memberCount} members of ${t.name}: manage`}
                  >
                    {t.memberCount}
                  </Link>
                )}
              </td>
              <td className={`${cellClass} whitespace-nowrap`}>
                <Time at={t.createdAt} />
              </td>
              <td className={cellClass}>
                <TenantRowActions
                  name={t.name}
                  status={t.status}
                  operation={t.progress.operation}
                  running={t.progress.running}
                  retryable={
                    t.status === 'incomplete' ||
                    t.progress.interrupted ||
                    (t.status === 'provisioning' && !t.progress.running)
                  }
                />
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}
