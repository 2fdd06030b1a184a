/**
 * The pipelines page's read model: a tenant's pipeline runs (Argo Workflows) from the process's
 * shared watch cache, summed up as the operations dashboard sums them and listed by phase. When
 * the API server cannot be read the view says why instead of failing; data the watch could not
 * keep current carries the time it was last known current. Plain JSON.
 */
import { authorize, ForbiddenError, type Principal, type TenantAction } from '../auth/authorize';
import { tenantNamespace, watchedWorkflows } from '../integrations/kubernetes';
import { summarisePipelines, type PipelineSummary } from '../ops/pipelines';
import { kubernetesPanel, type Panel } from '../read-model/panel';
import { findTenant } from '../tenancy/service';
import type { PhaseFilter } from './phases';
import { listPipelineRuns, type PipelineRunList } from './runs';

/**
 * The page holds the runs behind the operations dashboard's pipelines row, which links to it:
 * whoever may see that row may open it.
 */
export const PIPELINES_READ: TenantAction = 'ops.read';

export interface PipelinesView {
  tenant: string;
  /** ISO time the view was read. */
  at: string;
  phase: PhaseFilter | null;
  pipelines: Panel<{ summary: PipelineSummary; list: PipelineRunList }>;
}

/** The runs of `tenantName` if `user` may read them; a tenant that does not exist is refused the same way. */
export async function tenantPipelines(
  user: Principal,
  tenantName: string,
  phase: PhaseFilter | null,
): Promise<PipelinesView> {
  const tenant = await findTenant(tenantName);
  if (!tenant) throw new ForbiddenError(PIPELINES_READ, { kind: 'tenant', tenant: tenantName });
  authorize(user, PIPELINES_READ, { kind: 'tenant', tenant: tenant.name, status: tenant.status });

  const now = new Date();
  const pipelines = await kubernetesPanel(`the pipeline runs of ${tenant.name}`, async () => {
    const snapshot = await watchedWorkflows().read(tenantNamespace(tenant.name));
    return {
      data: {
        summary: summarisePipelines(snapshot.items, now),
        list: listPipelineRuns(snapshot.items, { phase, now }),
      },
      snapshots: [snapshot],
    };
  });
  return { tenant: tenant.name, at: now.toISOString(), phase, pipelines };
}
