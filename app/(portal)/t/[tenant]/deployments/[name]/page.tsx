import Link from 'next/link';
import { notFound } from 'next/navigation';
import { DeploymentDashboard } from '@/components/deployments/deployment-dashboard';
import { PageHeader } from '@/components/ui/page-header';
import { buttonClass } from '@/components/ui/styles';
import { can } from '@/lib/auth/authorize';
import { requireTenant } from '@/lib/auth/session';
import { deploymentDashboard } from '@/lib/rollout/dashboard';
import { promoteDeploymentAction, rollbackDeploymentAction } from './actions';

type Params = { params: Promise<{ tenant: string; name: string }> };

export async function generateMetadata({ params }: Params) {
  return { title: `${(await params).name} · Deployments` };
}

export default async function DeploymentPage({ params }: Params) {
  const { tenant: tenantName, name } = await params;
  const { user, tenant } = await requireTenant(tenantName, 'deployment.read');
  const dashboard = await deploymentDashboard(tenant.name, name);
  if (!dashboard) notFound();
  const { serving, rollout } = dashboard.detail;
  const modelName = (serving.ok ? serving.data?.modelName : null) ?? rollout?.modelName;
  const mayOperate = can(user, 'deployment.operate', { kind: 'tenant', tenant: tenant.name, status: tenant.status });

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
        actions={mayOperate ? { rollback: rollbackDeploymentAction, promote: promoteDeploymentAction } : null}
      />
    </>
  );
}
