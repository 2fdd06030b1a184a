import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ProblemPage } from '@/components/experiments/problem-panel';
import { rangeParam } from '@/components/slo/format';
import { ObjectivesForm } from '@/components/slo/objectives-form';
import { ObjectivesList } from '@/components/slo/objectives-list';
import { SloDetailDashboard } from '@/components/slo/slo-detail-dashboard';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { buttonClass } from '@/components/ui/styles';
import { can } from '@/lib/auth/authorize';
import { requireTenant } from '@/lib/auth/session';
import { OBJECT_NAME } from '@/lib/integrations/kubernetes/namespace';
import { UserFacingError } from '@/lib/errors';
import { sloDetail, SloNotFoundError } from '@/lib/slo/service';

interface Props {
  params: Promise<{ tenant: string; endpoint: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

export async function generateMetadata({ params }: Props) {
  return { title: `${(await params).endpoint} · SLOs` };
}

export default async function SloDetailPage({ params, searchParams }: Props) {
  const { tenant: tenantName, endpoint } = await params;
  // A tenant the user may not see is a 403 whether or not it exists (see requireTenant).
  const { user, tenant } = await requireTenant(tenantName, 'slo.read');
  // Endpoint names are Kubernetes object names: nothing else can exist, and they need no escaping.
  if (endpoint.length > 253 || !OBJECT_NAME.test(endpoint)) notFound();
  const range = rangeParam((await searchParams).range);
  let view;
  try {
    view = await sloDetail(user, tenant.name, endpoint, range);
  } catch (error) {
    if (error instanceof SloNotFoundError) notFound();
    if (!(error instanceof UserFacingError)) throw error;
    return (
      <ProblemPage heading={endpoint} title="The SLOs of this endpoint cannot be shown" message={error.message}>
        <Link href={`/slo?tenant=${encodeURIComponent(tenant.name)}`} className={buttonClass.link}>
          Back to the SLOs of {tenant.name}
        </Link>
      </ProblemPage>
    );
  }
  const mayDeploymentRead = can(user, 'deployment.read', {
    kind: 'tenant',
    tenant: tenant.name,
    status: tenant.status,
  });

  return (
    <>
      <PageHeader
        title={endpoint}
        description={`Service level objectives of ${endpoint} in ${tenant.displayName}: what is promised, how much error budget is left, and how fast it burns.`}
        actions={
          <>
            <Link href={`/slo?tenant=${encodeURIComponent(tenant.name)}`} className={buttonClass.secondary}>
              All SLOs of {tenant.name}
            </Link>
            {mayDeploymentRead ? (
              <Link href={`/t/${tenant.name}/deployments/${endpoint}`} className={buttonClass.secondary}>
                Canary dashboard
              </Link>
            ) : null}
          </>
        }
      />
      <div className="space-y-8">
        <SloDetailDashboard initial={view} />
        <Card title="Objectives">
          {view.canEdit ? (
            <ObjectivesForm
              tenant={tenant.name}
              endpoint={endpoint}
              objectives={view.objectives}
              version={view.version}
              latencyBuckets={view.latencyBuckets}
            />
          ) : (
            <ObjectivesList
              objectives={view.objectives}
              version={view.version}
              updatedBy={view.updatedBy}
              updatedAt={view.updatedAt}
            />
          )}
        </Card>
      </div>
    </>
  );
}
