/**
 * Which tenants a page lists for a tenant to be picked (a filter, the switcher). Pure: imported
 * by client components too.
 */

/**
 * Up to this many tenants, a tenant is picked from a list (a `<select>`); beyond it, its name is
 * typed. Each list is sent whole in the page: at 500 tenants the switcher and the operations
 * filter made 150 KB of every /ops view.
 */
export const TENANT_LIST_MAX = 50;

export interface TenantName {
  name: string;
  displayName: string;
}

export interface TenantChoices {
  /** The tenants the viewer may pick from. */
  count: number;
  /**
   * Every one of them, in name order, when there are at most TENANT_LIST_MAX; else only those
   * the page shows (whose display names it needs), and the filter's name is typed.
   */
  listed: TenantName[];
}

export function tenantChoices(visible: readonly TenantName[], shown: Iterable<string> = []): TenantChoices {
  if (visible.length <= TENANT_LIST_MAX) return { count: visible.length, listed: [...visible] };
  const wanted = new Set(shown);
  return { count: visible.length, listed: visible.filter((t) => wanted.has(t.name)) };
}

/** Whether the choices are the whole list (a `<select>`), not a typed name. */
export const listsEveryTenant = (choices: TenantChoices): boolean => choices.count <= TENANT_LIST_MAX;
