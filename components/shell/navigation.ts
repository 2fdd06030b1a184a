import { can, type Action, type Principal, type TenantStatus } from '@/lib/auth/authorize';

export interface NavLink {
  href: string;
  label: string;
  /** A count worth acting on, e.g. requests waiting for this person's approval. */
  badge?: number;
}

export interface TenantNav {
  name: string;
  displayName: string;
  links: NavLink[];
}

export interface Navigation {
  tenants: TenantNav[];
  platform: NavLink[];
}

// Each entry appears only to those the authorization module allows; later capabilities add theirs here.
const TENANT_PAGES: { path: string; label: string; action: Action }[] = [
  { path: '', label: 'Overview', action: 'tenant.view' },
  { path: '/experiments', label: 'Experiments', action: 'experiment.read' },
  { path: '/models', label: 'Models', action: 'model.read' },
  { path: '/promotions', label: 'Promotions', action: 'promotion.read' },
  { path: '/policy', label: 'Policy', action: 'promotion.read' },
  { path: '/deployments', label: 'Deployments', action: 'deployment.read' },
  { path: '/gpu', label: 'GPUs', action: 'gpu.read' },
  { path: '/members', label: 'Members', action: 'member.read' },
];

const PLATFORM_PAGES: { href: string; label: string; action: Action }[] = [
  { href: '/admin/tenants', label: 'Tenants', action: 'tenant.create' },
  { href: '/gpu', label: 'Cluster GPUs', action: 'cluster.gpu.read' },
  { href: '/admin/audit', label: 'Audit log', action: 'audit.read' },
];

/** Cross-tenant views (operations, SLOs): listed for whoever may use them in at least one tenant. */
const CROSS_TENANT_PAGES: { href: string; label: string; action: Action }[] = [
  { href: '/ops', label: 'Operations', action: 'ops.read' },
  { href: '/slo', label: 'SLOs', action: 'slo.read' },
];

/** Whether the person approves promotions anywhere (the requester check happens per request). */
function approvesSomewhere(principal: Principal, tenants: readonly { name: string; status: TenantStatus }[]): boolean {
  return tenants.some((t) => can(principal, 'promotion.approve', { kind: 'promotion', tenant: t.name, status: t.status, requesterId: '' }));
}

export function buildNavigation(
  principal: Principal,
  tenants: readonly { name: string; displayName: string; status: TenantStatus }[],
  /** Pending requests this person may approve. */
  approvalsWaiting = 0,
): Navigation {
  const approvals: NavLink[] = approvesSomewhere(principal, tenants) ? [{ href: '/approvals', label: 'Approvals', badge: approvalsWaiting }] : [];
  const crossTenant = CROSS_TENANT_PAGES.filter((p) => tenants.some((t) => can(principal, p.action, { kind: 'tenant', tenant: t.name, status: t.status })));
  return {
    tenants: tenants.map((t) => ({
      name: t.name,
      displayName: t.displayName,
      links: TENANT_PAGES.filter((p) => can(principal, p.action, { kind: 'tenant', tenant: t.name, status: t.status })).map((p) => ({
        href: `/t/${t.name}${p.path}`,
        label: p.label,
      })),
    })),
    platform: [
      ...approvals,
      ...crossTenant.map(({ href, label }) => ({ href, label })),
      ...PLATFORM_PAGES.filter((p) => can(principal, p.action, { kind: 'platform' })).map(({ href, label }) => ({ href, label })),
    ],
  };
}
