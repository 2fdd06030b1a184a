import { can } from '@/lib/auth/authorize';
import { clusterGpuView } from '@/lib/quota/service';
import { listTenants } from '@/lib/tenancy/service';
import { liveAnswer, liveRoute } from '../../live-route';

export const dynamic = 'force-dynamic';

/** The cluster GPU page's live data: platform admins and managers (`cluster.gpu.read`). */
export const GET = liveRoute(async ({ user }) => {
  if (!can(user, 'cluster.gpu.read', { kind: 'platform' }))
    return liveAnswer({ error: 'You are not allowed to see the cluster’s GPUs.' }, 403);
  const tenants = await listTenants({ includeArchived: true });
  return clusterGpuView(
    tenants.map((t) => ({ name: t.name, displayName: t.displayName, archived: t.status === 'archived' })),
  );
});
