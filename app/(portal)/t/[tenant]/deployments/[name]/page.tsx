import Link from 'next/link';
import { notFound } from 'next/navigation';
import { DeploymentDashboard } from '@/components/deployments/deployment-dashboard';
import { PageHeader } from '@/components/ui/page-header';
import { buttonClass } from '@/components/ui/styles';
import { deploymentDashboard } from '@/lib/rollout/dashboard';
import { openTenantPage, type TenantPageProps } from '../../tenant-page';

type Props = TenantPageProps<{ name: string }>;

export async function generateMetadata({ params }: Props) {
  return { title: `${(await params).name} · Deployments` };
}

export default async function DeploymentPage({ params }: Props) {
  const { tenant, name, may } = await openTenantPage(params, 'deployment.read');
  const dashboard = await deploymentDashboard(tenant.name, name);
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
      <DeploymentDashboard tenant={tenant.name} initial={dashboard} mayOperate={may('deployment.operate')} />
    </>
  );
}
