import Link from 'next/link';
import { JudgmentBadge, PanelMessage, ServingStatusBadge, versionLabel } from '@/components/deployments/labels';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { buttonClass } from '@/components/ui/styles';
import { can } from '@/lib/auth/authorize';
import { requireTenant } from '@/lib/auth/session';
import { listDeployments } from '@/lib/rollout/dashboard';

export const metadata = { title: 'Deployments' };

export default async function DeploymentsPage({ params }: { params: Promise<{ tenant: string }> }) {
  const { tenant: name } = await params;
  const { user, tenant } = await requireTenant(name, 'deployment.read');
  const deployments = await listDeployments(tenant.name);
  const mayRequest = can(user, 'promotion.request', { kind: 'tenant', tenant: tenant.name, status: tenant.status });

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
          An endpoint appears here once a promotion request for a model version is approved: the version is deployed as a canary and judged
          automatically. {mayRequest ? 'Request a promotion to start.' : 'Members of this tenant request promotions.'}
        </EmptyState>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-700 dark:bg-slate-900">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Endpoints of {tenant.name}</caption>
            <thead className="border-b border-slate-200 bg-slate-50 text-xs uppercase text-slate-600 dark:border-slate-700 dark:bg-slate-800 dark:text-slate-300">
              <tr>
                <th scope="col" className="px-3 py-2">Endpoint</th>
                <th scope="col" className="px-3 py-2">Model</th>
                <th scope="col" className="px-3 py-2">State</th>
                <th scope="col" className="px-3 py-2">Traffic</th>
                <th scope="col" className="px-3 py-2">Automatic judgment</th>
              </tr>
            </thead>
            <tbody>
              {deployments.data.map(({ endpoint, rollout }) => (
                <tr key={endpoint.name} className="border-b border-slate-100 align-top last:border-0 dark:border-slate-800" data-testid={`deployment-${endpoint.name}`}>
                  <th scope="row" className="whitespace-nowrap px-3 py-2 font-normal">
                    <Link className={buttonClass.link} href={`/t/${tenant.name}/deployments/${endpoint.name}`}>
                      {endpoint.name}
                    </Link>
                  </th>
                  <td className="whitespace-nowrap px-3 py-2">{endpoint.modelName ?? 'not recorded'}</td>
                  <td className="whitespace-nowrap px-3 py-2">
                    <ServingStatusBadge status={endpoint.status} />
                  </td>
                  <td className="whitespace-nowrap px-3 py-2">
                    {endpoint.canary
                      ? `canary ${versionLabel(endpoint.canary)} ${endpoint.canary.percent} % · stable ${versionLabel(endpoint.stable)} ${endpoint.stable.percent} %`
                      : `${versionLabel(endpoint.stable)} 100 %`}
                  </td>
                  <td className="px-3 py-2">
                    {rollout ? (
                      <div className="space-y-1">
                        <JudgmentBadge judgment={rollout.judgment} />
                        <p className="max-w-prose text-slate-700 dark:text-slate-300">{rollout.judgment.reason}</p>
                      </div>
                    ) : (
                      <span className="text-slate-600 dark:text-slate-400">
                        {endpoint.canary ? 'Not judged: the portal has no rollout for this canary' : 'No canary in progress'}
                      </span>
                    )}
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
