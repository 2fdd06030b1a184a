import Link from 'next/link';
import { notFound } from 'next/navigation';
import { DeploymentDashboard } from '@/components/deployments/deployment-dashboard';
import { DriftPanel } from '@/components/deployments/drift-panel';
import { ChecksPanel } from '@/components/platform-health/checks-panel';
import { PageHeader } from '@/components/ui/page-header';
import { buttonClass } from '@/components/ui/styles';
import { endpointDrift } from '@/lib/platform-health/endpoint-drift';
import { checksAt } from '@/lib/platform-health/service';
import { readPanel } from '@/lib/read-model/panel';
import { deploymentDashboard } from '@/lib/rollout/dashboard';
import { rollbackTargetsOf } from '@/lib/rollout/rollback-to';
import { openTenantPage, type TenantPageProps } from '../../tenant-page';

type Props = TenantPageProps<{ name: string }>;

export async function generateMetadata({ params }: Props) {
  return { title: `${(await params).name} · Deployments` };
}

export default async function DeploymentPage({ params }: Props) {
  const { user, tenant, name, may } = await openTenantPage(params, 'deployment.read');
  const [dashboard, drift, checks, rollbackTargets] = await Promise.all([
    deploymentDashboard(tenant.name, name),
    endpointDrift(tenant.name, name),
    may('health.tenant.read')
      ? readPanel('the platform health checks', () =>
          checksAt(user, { kind: 'endpoint', tenant: tenant.name, endpoint: name }),
        )
      : null,
    may('deployment.operate')
      ? readPanel('the versions it can be rolled back to', () => rollbackTargetsOf(tenant.name, name))
      : null,
  ]);
  if (!dashboard) notFound();
  const { serving, rollout } = dashboard.detail;
  const modelName = (serving.ok ? serving.data?.modelName : null) ?? rollout?.modelName;

  return (
    <>
      <PageHeader
        title={name}
        description={`Canary dashboard of ${tenant.displayName}${modelName ? `, serving the model ${modelName}` : ''}. Live: refreshed every few seconds.`}
        actions={
          <Link href={`/t/${tenant.name}/deployments`} className={buttonClass.secondary}>
            All deployments
          </Link>
        }
      />
      <DeploymentDashboard
        tenant={tenant.name}
        initial={dashboard}
        mayOperate={may('deployment.operate')}
        rollbackTargets={rollbackTargets}
      />
      <div className="mt-6">
        <DriftPanel drift={drift} />
      </div>
      {checks ? (
        <div className="mt-6">
          <ChecksPanel checks={checks} />
        </div>
      ) : null}
    </>
  );
}
