import { can, type Action, type Principal, type TenantStatus } from '@/lib/auth/authorize';
import { TENANT_PAGES, type NavLink, type TenantPagePath } from './tenant-pages';

export type { NavLink };

export interface TenantNav {
  name: string;
  displayName: string;
  /**
   * The tenant's pages this person may open; the menu makes the links (tenantLinks). Paths, not
   * links, as the layout sends every visible tenant's to each page: people who see 50 tenants.
   */
  pages: TenantPagePath[];
}

export interface Navigation {
  tenants: TenantNav[];
  platform: NavLink[];
}

// Each page appears only to those the authorization module allows; later capabilities add theirs here.
const TENANT_PAGE_ACTIONS: Record<TenantPagePath, Action> = {
  '': 'tenant.view',
  '/experiments': 'experiment.read',
  // The runs behind the operations dashboard's pipelines row: the same readers.
  '/pipelines': 'ops.read',
  '/models': 'model.read',
  '/promotions': 'promotion.read',
  '/policy': 'promotion.read',
  '/deployments': 'deployment.read',
  '/gpu': 'gpu.read',
  '/members': 'member.read',
  '/tokens': 'token.manage',
  '/webhooks': 'notification.webhook.manage',
};

const PLATFORM_PAGES: { href: string; label: string; action: Action }[] = [
  { href: '/admin/tenants', label: 'Tenants', action: 'tenant.create' },
  { href: '/gpu', label: 'Cluster GPUs', action: 'cluster.gpu.read' },
  { href: '/admin/audit', label: 'Audit log', action: 'audit.read' },
  { href: '/platform/health', label: 'Platform health', action: 'health.read' },
];

/** Cross-tenant views (operations, SLOs): listed for whoever may use them in at least one tenant. */
const CROSS_TENANT_PAGES: { href: string; label: string; action: Action }[] = [
  { href: '/ops', label: 'Operations', action: 'ops.read' },
  { href: '/slo', label: 'SLOs', action: 'slo.read' },
];

/** Whether the person approves promotions anywhere (the requester check happens per request). */
function approvesSomewhere(principal: Principal, tenants: readonly { name: string; status: TenantStatus }[]): boolean {
  return tenants.some((t) =>
    can(principal, 'promotion.approve', { kind: 'promotion', tenant: t.name, status: t.status, requesterId: '' }),
  );
}

export function buildNavigation(
  principal: Principal,
  tenants: readonly { name: string; displayName: string; status: TenantStatus }[],
  /** Pending requests this person may approve. */
  approvalsWaiting = 0,
): Navigation {
  const approvals: NavLink[] = approvesSomewhere(principal, tenants)
    ? [{ href: '/approvals', label: 'Approvals', badge: approvalsWaiting }]
    : [];
  const crossTenant = CROSS_TENANT_PAGES.filter((p) =>
    tenants.some((t) => can(principal, p.action, { kind: 'tenant', tenant: t.name, status: t.status })),
  );
  return {
    tenants: tenants.map((t) => ({
      name: t.name,
      displayName: t.displayName,
      pages: TENANT_PAGES.filter((p) =>
        can(principal, TENANT_PAGE_ACTIONS[p.path], { kind: 'tenant', tenant: t.name, status: t.status }),
      ).map((p) => p.path),
    })),
    platform: [
      ...approvals,
      ...crossTenant.map(({ href, label }) => ({ href, label })),
      ...PLATFORM_PAGES.filter((p) => can(principal, p.action, { kind: 'platform' })).map(({ href, label }) => ({
        href,
        label,
      })),
    ],
  };
}
