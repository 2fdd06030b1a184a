import { rangeParam } from '@/components/slo/format';
import { OBJECT_NAME } from '@/lib/integrations/kubernetes/namespace';
import { UserFacingError } from '@/lib/errors';
import { sloDetail, SloNotFoundError } from '@/lib/slo/service';
import { liveAnswer, tenantLiveRoute } from '../../../../live-route';

export const dynamic = 'force-dynamic';

/** An endpoint's SLO page live data, polled every 30 s. */
export const GET = tenantLiveRoute<{ tenant: string; endpoint: string }>(
  'slo.read',
  'You are not allowed to see the SLOs of this tenant.',
  async ({ user, tenant, params, search }) => {
    const { endpoint } = params;
    if (endpoint.length > 253 || !OBJECT_NAME.test(endpoint))
      return liveAnswer({ error: `There is no endpoint named ${endpoint} in ${tenant.name}.` }, 404);
    try {
      return await sloDetail(user, tenant.name, endpoint, rangeParam(search.get('range')));
    } catch (error) {
      if (error instanceof SloNotFoundError) return liveAnswer({ error: error.message }, 404);
      if (error instanceof UserFacingError) return liveAnswer({ error: error.message }, 503);
      throw error;
    }
  },
);
