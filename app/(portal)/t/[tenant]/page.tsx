import Link from 'next/link';
import { Badge, tenantStatusTone } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { buttonClass } from '@/components/ui/styles';
import { AdmissionGuardCard } from '@/components/admission/guard-status';
import { ChecksPanel } from '@/components/platform-health/checks-panel';
import { admissionGuardStatus } from '@/lib/admission/service';
import { tenantRoleOf } from '@/lib/auth/authorize';
import { checksAt } from '@/lib/platform-health/service';
import { readPanel } from '@/lib/read-model/panel';
import { listMembers } from '@/lib/tenancy/service';
import { openTenantPage, type TenantPageProps } from './tenant-page';

export default async function TenantOverviewPage({ params }: TenantPageProps) {
  const { user, tenant, may } = await openTenantPage(params);
  const [members, guard, checks] = await Promise.all([
    listMembers(tenant.name),
    admissionGuardStatus(tenant.name),
    may('health.tenant.read')
      ? readPanel('the platform health checks', () => checksAt(user, { kind: 'tenant', tenant: tenant.name }))
      : null,
  ]);
  const role = tenantRoleOf(user, tenant.name);
  return (
    <>
      <PageHeader
        title={tenant.displayName}
        description={
          tenant.description ||
          `Tenant ${tenant.name}: its namespace, MLflow workspace and storage prefix share this name.`
        }
        actions={<Badge tone={tenantStatusTone[tenant.status]}>{tenant.status}</Badge>}
      />
      {tenant.status === 'incomplete' ? (
        <p
          role="alert"
          className="mb-4 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
        >
          Provisioning did not finish: {tenant.provisioningError}. A platform admin can retry it from the tenants page.
        </p>
      ) : null}
      <div className="grid gap-4 md:grid-cols-2">
        <Card title="Your access">
          <p className="text-sm">
            {role ? (
              <>
                You are <strong>{role}</strong> of {tenant.name}.
              </>
            ) : (
              <>You see this tenant through your platform role ({user.platformRoles.join(', ')}).</>
            )}
          </p>
        </Card>
        <Card title="Members">
          {members.length === 0 ? (
            <EmptyState
              title="No members yet"
              action={
                may('member.manage') ? (
                  <Link className={buttonClass.primary} href={`/t/${tenant.name}/members`}>
                    Add members
                  </Link>
                ) : undefined
              }
            >
              People join through the identity-provider group <code>mlp:{tenant.name}:&lt;role&gt;</code> or when an
              admin adds them here.
            </EmptyState>
          ) : (
            <p className="text-sm">
              {members.length} {members.length === 1 ? 'person' : 'people'} —{' '}
              <Link className={buttonClass.link} href={`/t/${tenant.name}/members`}>
                see who
              </Link>
            </p>
          )}
        </Card>
        <AdmissionGuardCard status={guard} />
      </div>
      {checks ? (
        <div className="mt-4">
          <ChecksPanel checks={checks} />
        </div>
      ) : null}
    </>
  );
}
