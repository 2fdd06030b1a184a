import { can, type TenantAction } from '@/lib/auth/authorize';
import { getCurrentUser } from '@/lib/auth/session';
import type { SessionUser } from '@/lib/auth/users';
import { findTenant } from '@/lib/tenancy/service';

/**
 * Live routes: the JSON a page polls to stay current (components/ui/use-live-data.ts). Never
 * cached; a refusal or failure is `{ error }` in words the page shows as they are.
 */
export const liveAnswer = (body: unknown, status = 200) =>
  Response.json(body, { status, headers: { 'cache-control': 'no-store' } });

export interface LiveRequest<Params> {
  user: SessionUser;
  params: Params;
  search: URLSearchParams;
}

/** The GET handler of a live route, for signed-in users; `read` answers with the body, or with a Response of its own. */
export function liveRoute<Params = Record<string, never>>(read: (request: LiveRequest<Params>) => Promise<unknown>) {
  return async function GET(request: Request, context: { params: Promise<Params> }): Promise<Response> {
    const user = await getCurrentUser();
    if (!user) return liveAnswer({ error: 'Your session has ended: sign in again.' }, 401);
    const body = await read({ user, params: await context.params, search: new URL(request.url).searchParams });
    return body instanceof Response ? body : liveAnswer(body);
  };
}

type Tenant = NonNullable<Awaited<ReturnType<typeof findTenant>>>;

/**
 * The live route of a tenant's page, authorized like the page: `action` on the tenant of the URL.
 * A tenant the user may not see is refused in the same words whether or not it exists, so names
 * cannot be probed.
 */
export function tenantLiveRoute<Params extends { tenant: string }>(
  action: TenantAction,
  refusal: string,
  read: (request: LiveRequest<Params> & { tenant: Tenant }) => Promise<unknown>,
) {
  return liveRoute<Params>(async (request) => {
    const tenant = await findTenant(request.params.tenant);
    if (!tenant || !can(request.user, action, { kind: 'tenant', tenant: tenant.name, status: tenant.status }))
      return liveAnswer({ error: refusal }, 403);
    return read({ ...request, tenant });
  });
}
