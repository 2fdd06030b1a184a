import { getServerSession } from 'next-auth';
import { forbidden, redirect } from 'next/navigation';
import { cache } from 'react';
import { authOptions } from './options';
import { can, type Action, type Resource } from './authorize';
import { loadSessionUser, type SessionUser } from './users';
import { findTenant } from '../tenancy/service';

/** The signed-in user with roles fresh from the database, once per request. */
export const getCurrentUser = cache(async (): Promise<SessionUser | null> => {
  const session = await getServerSession(authOptions());
  if (!session?.userId) return null;
  return loadSessionUser(session.userId);
});

export async function requireUser(): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (!user) redirect('/signin');
  return user;
}

/** For page loaders: the user, if they may do `action` on `resource`; otherwise the 403 page. */
export async function requirePermission(action: Action, resource: Resource): Promise<SessionUser> {
  const user = await requireUser();
  if (!can(user, action, resource)) forbidden();
  return user;
}

/**
 * For tenant pages: the tenant and the user, or the 403 page. A tenant the user may not see
 * gives 403 whether or not it exists, so names cannot be probed.
 */
export async function requireTenant(tenantName: string, action: Action = 'tenant.view') {
  const user = await requireUser();
  const tenant = await findTenant(tenantName);
  if (!tenant || !can(user, action, { kind: 'tenant', tenant: tenant.name, status: tenant.status })) forbidden();
  return { user, tenant };
}
