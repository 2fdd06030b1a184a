import { can } from '@/lib/auth/authorize';
import { getCurrentUser } from '@/lib/auth/session';
import { clusterGpuView } from '@/lib/quota/service';
import { listTenants } from '@/lib/tenancy/service';

export const dynamic = 'force-dynamic';

const answer = (body: unknown, status = 200) => Response.json(body, { status, headers: { 'cache-control': 'no-store' } });

/** The cluster GPU page's live data: platform admins and managers (`cluster.gpu.read`). */
export async function GET() {
  const user = await getCurrentUser();
  if (!user) return answer({ error: 'Your session has ended: sign in again.' }, 401);
  if (!can(user, 'cluster.gpu.read', { kind: 'platform' })) return answer({ error: 'You are not allowed to see the cluster’s GPUs.' }, 403);
  const tenants = await listTenants({ includeArchived: true });
  return answer(await clusterGpuView(tenants.map((t) => ({ name: t.name, displayName: t.displayName, archived: t.status === 'archived' }))));
}
