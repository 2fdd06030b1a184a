import { can, type Action, type TenantAction } from '@/lib/auth/authorize';
import { requireTenant } from '@/lib/auth/session';

/** A query string as Next.js hands it to a page. */
export type SearchParams = Record<string, string | string[] | undefined>;

/** The props of a page under /t/[tenant]; `Segments` are the route's other dynamic segments. */
export interface TenantPageProps<
  Segments extends Record<string, string> = Record<never, never>,
  Search = SearchParams,
> {
  params: Promise<{ tenant: string } & Segments>;
  searchParams: Promise<Search>;
}

/**
 * How every page under /t/[tenant] starts: the signed-in user, the tenant of the URL if they may
 * do `action` in it (otherwise the 403 page, see `requireTenant`), the route's other segments,
 * and `may(action)` for what else the user may do in this tenant.
 */
export async function openTenantPage<Segments extends Record<string, string>>(
  params: Promise<{ tenant: string } & Segments>,
  action?: Action,
) {
  const { tenant: name, ...segments } = await params;
  const { user, tenant } = await requireTenant(name, action);
  const may = (other: TenantAction) => can(user, other, { kind: 'tenant', tenant: tenant.name, status: tenant.status });
  return { ...(segments as Omit<Segments, 'tenant'>), user, tenant, may };
}
