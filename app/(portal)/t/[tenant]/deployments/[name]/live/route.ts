import { can } from '@/lib/auth/authorize';
import { getCurrentUser } from '@/lib/auth/session';
import { deploymentDashboard } from '@/lib/rollout/dashboard';
import { findTenant } from '@/lib/tenancy/service';

export const dynamic = 'force-dynamic';

const answer = (body: unknown, status = 200) => Response.json(body, { status, headers: { 'cache-control': 'no-store' } });

/**
 * The canary dashboard's live data, polled by the page every few seconds. Authorized like the
 * page: a session, and `deployment.read` on the tenant; a tenant the user may not see is refused
 * whether or not it exists, so names cannot be probed.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ tenant: string; name: string }> }) {
  const { tenant: tenantName, name } = await params;
  const user = await getCurrentUser();
  if (!user) return answer({ error: 'Your session has ended: sign in again.' }, 401);
  const tenant = await findTenant(tenantName);
  if (!tenant || !can(user, 'deployment.read', { kind: 'tenant', tenant: tenant.name, status: tenant.status })) {
    return answer({ error: 'You are not allowed to see the deployments of this tenant.' }, 403);
  }
  const dashboard = await deploymentDashboard(tenant.name, name);
  if (!dashboard) return answer({ error: `There is no endpoint named ${name} in ${tenant.name}.` }, 404);
  return answer(dashboard);
}
