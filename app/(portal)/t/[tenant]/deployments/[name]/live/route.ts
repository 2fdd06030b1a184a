import { deploymentDashboard } from '@/lib/rollout/dashboard';
import { liveAnswer, tenantLiveRoute } from '../../../../../live-route';

export const dynamic = 'force-dynamic';

/** The canary dashboard's live data, polled by the page every few seconds. */
export const GET = tenantLiveRoute<{ tenant: string; name: string }>(
  'deployment.read',
  'You are not allowed to see the deployments of this tenant.',
  async ({ tenant, params }) => {
    const dashboard = await deploymentDashboard(tenant.name, params.name);
    return dashboard ?? liveAnswer({ error: `There is no endpoint named ${params.name} in ${tenant.name}.` }, 404);
  },
);
