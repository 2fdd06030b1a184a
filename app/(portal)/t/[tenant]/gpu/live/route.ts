import { can } from '@/lib/auth/authorize';
import { tenantGpuView } from '@/lib/quota/service';
import { tenantLiveRoute } from '../../../../live-route';

export const dynamic = 'force-dynamic';

/** The tenant GPU page's live data, polled every few seconds; the quota form's facts only for people who may edit quotas. */
export const GET = tenantLiveRoute(
  'gpu.read',
  'You are not allowed to see the GPUs of this tenant.',
  ({ user, tenant }) => tenantGpuView(tenant.name, { quotaEdit: can(user, 'quota.edit', { kind: 'platform' }) }),
);
