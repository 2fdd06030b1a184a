import Link from 'next/link';
import { JudgmentBadge, ServingStatusBadge, versionLabel } from '@/components/deployments/labels';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { buttonClass } from '@/components/ui/styles';
import { cellClass, DataTable, rowClass } from '@/components/ui/table';
import { listDeployments } from '@/lib/rollout/dashboard';
import { openTenantPage, type TenantPageProps } from '../tenant-page';
import { PanelMessage } from '@/components/ui/panel-message';

export const metadata = { title: 'Deployments' };

export default async function DeploymentsPage({ params }: TenantPageProps) {
  const { tenant, may } = await openTenantPage(params, 'deployment.read');
  const deployments = await listDeployments(tenant.name);
  const mayRequest = may('promotion.request');

  return (
    <>
      <PageHeader
        title="Deployments"
        description={`The model endpoints (KServe InferenceServices) of ${tenant.displayName}: what each serves, canaries in progress and what automatic judgment decided.`}
      />
      {!deployments.ok ? (
        <PanelMessage>The endpoints could not be listed: {deployments.message}</PanelMessage>
      ) : deployments.data.length === 0 ? (
        <EmptyState
          title="No endpoints yet"
          action={
            <Link className={buttonClass.primary} href={`/t/${tenant.name}/promotions`}>
              Go to promotions
            </Link>
          }
        >
          An endpoint appears here once a promotion request for a model version is approved: the version is deployed as
          a canary and judged automatically.{' '}
          {mayRequest ? 'Request a promotion to start.' : 'Members of this tenant request promotions.'}
        </EmptyState>
      ) : (
        <DataTable
          caption={`Endpoints of ${tenant.name}`}
          columns={['Endpoint', 'Model', 'State', 'Traffic', 'Automatic judgment']}
        >
          {deployments.data.map(({ endpoint, rollout }) => (
            <tr key={endpoint.name} className={`${rowClass} align-top`} data-testid={`deployment-${endpoint.name}`}>
              <th scope="row" className={`${cellClass} whitespace-nowrap font-normal`}>
                <Link className={buttonClass.link} href={`/t/${tenant.name}/deployments/${endpoint.name}`}>
                  {endpoint.name}
                </Link>
              </th>
              <td className={`${cellClass} whitespace-nowrap`}>{endpoint.modelName ?? 'not recorded'}</td>
              <td className={`${cellClass} whitespace-nowrap`}>
                <ServingStatusBadge status={endpoint.status} />
              </td>
              <td className={`${cellClass} whitespace-nowrap`}>
                {endpoint.canary
                  ? `canary ${versionLabel(endpoint.canary)} ${endpoint.canary.percent} % · stable ${versionLabel(endpoint.stable)} ${endpoint.stable.percent} %`
                  : `${versionLabel(endpoint.stable)} 100 %`}
              </td>
              <td className={cellClass}>
                {rollout ? (
                  <div className="space-y-1">
                    <JudgmentBadge judgment={rollout.judgment} />
                    <p className="max-w-prose text-slate-700 dark:text-slate-300">{rollout.judgment.reason}</p>
                  </div>
                ) : (
                  <span className="text-slate-600 dark:text-slate-400">
                    {endpoint.canary
                      ? 'Not judged: the portal has no rollout for this canary'
                      : 'No canary in progress'}
                  </span>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}
