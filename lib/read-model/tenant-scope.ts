import { can, type Principal, type TenantAction } from '../auth/authorize';
import { UserFacingError } from '../errors';
import { listTenantsOncePerRender } from '../tenancy/service';

export interface TenantScope {
  /** Every active tenant the viewer may read this way, in name order (for the filter). */
  visible: { name: string; displayName: string }[];
  /** The tenants to show: the filter's one, or all visible. */
  selected: string[];
}

/**
 * The tenants a platform-wide dashboard shows to `principal`: those it may `action` (archived
 * ones are left out: they serve nothing). A filter naming a tenant the viewer may not see is
 * refused with the same words as one that does not exist, so the page reveals nothing.
 */
export async function dashboardTenants(
  principal: Principal,
  action: TenantAction,
  filter: string | null,
): Promise<TenantScope> {
  const tenants = await listTenantsOncePerRender();
  const visible = tenants
    .filter((t) => can(principal, action, { kind: 'tenant', tenant: t.name, status: t.status }))
    .map((t) => ({ name: t.name, displayName: t.displayName }));
  if (filter === null) return { visible, selected: visible.map((t) => t.name) };
  if (!visible.some((t) => t.name === filter))
    throw new UserFacingError(`There is no tenant “${filter}” among those you may see.`, 'tenant');
  return { visible, selected: [filter] };
}
