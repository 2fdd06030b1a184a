import { TenantPipelines } from '@/components/pipelines/pipeline-runs';
import { PageHeader } from '@/components/ui/page-header';
import { PIPELINE_WINDOW_MS } from '@/lib/ops/pipelines';
import { parsePhaseFilter } from '@/lib/pipelines/phase-param';
import { PIPELINES_READ, tenantPipelines } from '@/lib/pipelines/service';
import { openTenantPage, type TenantPageProps } from '../tenant-page';

export const metadata = { title: 'Pipelines' };

export default async function PipelinesPage({ params, searchParams }: TenantPageProps) {
  const { tenant, user } = await openTenantPage(params, PIPELINES_READ);
  const filter = parsePhaseFilter((await searchParams).phase);
  const view = await tenantPipelines(user, tenant.name, filter.ok ? filter.phase : null);

  return (
    <>
      <PageHeader
        title="Pipelines"
        description={`${tenant.displayName}: its pipeline runs (Argo Workflows in the namespace ${tenant.name}), newest first, and how the runs of the last ${PIPELINE_WINDOW_MS / 86_400_000} days went — as the operations dashboard judges them. Live: refreshed every 10 seconds.`}
      />
      <TenantPipelines initial={view} filterProblem={filter.ok ? null : filter.message} />
    </>
  );
}
