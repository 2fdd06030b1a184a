import { parsePhaseFilter } from '@/lib/pipelines/phases';
import { PIPELINES_READ, tenantPipelines } from '@/lib/pipelines/service';
import { liveAnswer, tenantLiveRoute } from '../../../../live-route';

export const dynamic = 'force-dynamic';

/** The pipelines page's live data (`?phase=` as on the page), polled every 10 s. */
export const GET = tenantLiveRoute(PIPELINES_READ, 'You are not allowed to see the pipeline runs of this tenant.', async ({ user, tenant, search }) => {
  const filter = parsePhaseFilter(search.get('phase') ?? undefined);
  if (!filter.ok) return liveAnswer({ error: filter.message }, 400);
  return tenantPipelines(user, tenant.name, filter.phase);
});
