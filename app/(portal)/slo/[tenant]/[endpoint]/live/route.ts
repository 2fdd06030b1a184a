import { rangeParam } from '@/components/slo/format';
import { can } from '@/lib/auth/authorize';
import { getCurrentUser } from '@/lib/auth/session';
import { OBJECT_NAME } from '@/lib/integrations/kubernetes/namespace';
import { UserFacingError } from '@/lib/errors';
import { sloDetail, SloNotFoundError } from '@/lib/slo/service';
import { findTenant } from '@/lib/tenancy/service';

export const dynamic = 'force-dynamic';

const answer = (body: unknown, status = 200) => Response.json(body, { status, headers: { 'cache-control': 'no-store' } });

/**
 * An endpoint's SLO page live data, polled every 30 s. Authorized like the page: a session and
 * `slo.read` on the tenant (a tenant the user may not see is refused whether or not it exists).
 */
export async function GET(request: Request, { params }: { params: Promise<{ tenant: string; endpoint: string }> }) {
  const { tenant: tenantName, endpoint } = await params;
  const user = await getCurrentUser();
  if (!user) return answer({ error: 'Your session has ended: sign in again.' }, 401);
  const tenant = await findTenant(tenantName);
  if (!tenant || !can(user, 'slo.read', { kind: 'tenant', tenant: tenant.name, status: tenant.status })) {
    return answer({ error: 'You are not allowed to see the SLOs of this tenant.' }, 403);
  }
  if (endpoint.length > 253 || !OBJECT_NAME.test(endpoint)) return answer({ error: `There is no endpoint named ${endpoint} in ${tenant.name}.` }, 404);
  const range = rangeParam(new URL(request.url).searchParams.get('range'));
  try {
    return answer(await sloDetail(user, tenant.name, endpoint, range));
  } catch (error) {
    if (error instanceof SloNotFoundError) return answer({ error: error.message }, 404);
    if (error instanceof UserFacingError) return answer({ error: error.message }, 503);
    throw error;
  }
}
