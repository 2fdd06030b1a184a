import { ForbiddenError } from '@/lib/auth/authorize';
import { parsePhaseFilter } from '@/lib/pipelines/phase-param';
import { tenantPipelines } from '@/lib/pipelines/service';
import { liveAnswer, liveRoute } from '../../../../live-route';

export const dynamic = 'force-dynamic';

/**
 * The pipelines page's live data (`?phase=` as on the page), polled every 10 s. The service
 * authorizes (one tenant lookup per poll), refusing a tenant the user may not see in the same
 * words whether or not it exists.
 */
export const GET = liveRoute<{ tenant: string }>(async ({ user, params, search }) => {
  const filter = parsePhaseFilter(search.get('phase') ?? undefined);
  if (!filter.ok) return liveAnswer({ error: filter.message }, 400);
  try {
    return await tenantPipelines(user, params.tenant, filter.phase);
  } catch (error) {
    if (error instanceof ForbiddenError)
      return liveAnswer({ error: 'You are not allowed to see the pipeline runs of this tenant.' }, 403);
    throw error;
  }
});
