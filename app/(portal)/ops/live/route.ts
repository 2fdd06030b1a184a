import { tenantFilterParam } from '@/components/ops/format';
import { getCurrentUser } from '@/lib/auth/session';
import { UserFacingError } from '@/lib/errors';
import { opsView } from '@/lib/ops/service';

export const dynamic = 'force-dynamic';

const answer = (body: unknown, status = 200) => Response.json(body, { status, headers: { 'cache-control': 'no-store' } });

/**
 * The operations dashboard's live data, polled every 10 s. The service scopes it to the tenants
 * the user may `ops.read`; a filter naming any other tenant is refused in the same words whether
 * or not it exists.
 */
export async function GET(request: Request) {
  const user = await getCurrentUser();
  if (!user) return answer({ error: 'Your session has ended: sign in again.' }, 401);
  const tenant = tenantFilterParam(new URL(request.url).searchParams.get('tenant'));
  try {
    return answer(await opsView(user, tenant));
  } catch (error) {
    if (error instanceof UserFacingError) return answer({ error: error.message }, 404);
    throw error;
  }
}
