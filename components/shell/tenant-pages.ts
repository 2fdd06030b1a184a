/** A link of the menu. */
export interface NavLink {
  href: string;
  label: string;
  /** A count worth acting on, e.g. requests waiting for this person's approval. */
  badge?: number;
}

/** A tenant's pages in menu order: the path under /t/<tenant> and the label it is listed under. */
export const TENANT_PAGES = [
  { path: '', label: 'Overview' },
  { path: '/experiments', label: 'Experiments' },
  { path: '/pipelines', label: 'Pipelines' },
  { path: '/models', label: 'Models' },
  { path: '/promotions', label: 'Promotions' },
  { path: '/policy', label: 'Policy' },
  { path: '/deployments', label: 'Deployments' },
  { path: '/gpu', label: 'GPUs' },
  { path: '/members', label: 'Members' },
  { path: '/tokens', label: 'Service tokens' },
  { path: '/webhooks', label: 'Webhooks' },
] as const;

export type TenantPagePath = (typeof TENANT_PAGES)[number]['path'];

/** The menu's links to `tenant`'s pages that it lists. */
export function tenantLinks(tenant: { name: string; pages: readonly TenantPagePath[] }): NavLink[] {
  return TENANT_PAGES.filter((page) => tenant.pages.includes(page.path)).map((page) => ({
    href: `/t/${tenant.name}${page.path}`,
    label: page.label,
  }));
}
