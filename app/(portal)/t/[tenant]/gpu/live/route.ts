import { can } from '@/lib/auth/authorize';
import { getCurrentUser } from '@/lib/auth/session';
import { tenantGpuView } from '@/lib/quota/service';
import { findTenant } from '@/lib/tenancy/service';

export const dynamic = 'force-dynamic';

const answer = (body: unknown, status = 200) => Response.json(body, { status, headers: { 'cache-control': 'no-store' } });

/**
 * The tenant GPU page's live data, polled every few seconds. Authorized like the page: a session
 * and `gpu.read` on the tenant (a tenant the user may not see is refused whether or not it
 * exists); the quota form's facts only for people who may edit quotas.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ tenant: string }> }) {
  const { tenant: name } = await params;
  const user = await getCurrentUser();
  if (!user) return answer({ error: 'Your session has ended: sign in again.' }, 401);
  const tenant = await findTenant(name);
  if (!tenant || !can(user, 'gpu.read', { kind: 'tenant', tenant: tenant.name, status: tenant.status })) {
    return answer({ error: 'You are not allowed to see the GPUs of this tenant.' }, 403);
  }
  return answer(await tenantGpuView(tenant.name, { quotaEdit: can(user, 'quota.edit', { kind: 'platform' }) }));
}
