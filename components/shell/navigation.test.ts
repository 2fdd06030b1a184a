import { describe, expect, it } from 'vitest';
import type { Principal, TenantStatus } from '@/lib/auth/authorize';
import { buildNavigation } from './navigation';
import { tenantLinks } from './tenant-pages';

type Tenant = { name: string; displayName: string; status: TenantStatus };
const tenants: Tenant[] = [
  { name: 'fraud', displayName: 'Fraud detection', status: 'active' },
  { name: 'pricing', displayName: 'Pricing', status: 'active' },
];

const principal = (overrides: Partial<Principal>): Principal => ({
  id: 'u1',
  platformRoles: [],
  memberships: [],
  ...overrides,
});
const platformLinks = (p: Principal, visible = tenants) => buildNavigation(p, visible).platform.map((l) => l.href);

describe('navigation', () => {
  it('lists Operations and SLOs for a viewer of one tenant', () => {
    expect(platformLinks(principal({ memberships: [{ tenant: 'pricing', role: 'viewer' }] }))).toEqual([
      '/ops',
      '/slo',
    ]);
  });

  it('lists them for managers and on-call engineers, beside their other platform pages', () => {
    expect(platformLinks(principal({ platformRoles: ['manager'] }))).toEqual([
      '/ops',
      '/slo',
      '/gpu',
      '/platform/health',
    ]);
    expect(platformLinks(principal({ platformRoles: ['oncall'] }))).toEqual(['/ops', '/slo', '/platform/health']);
    expect(platformLinks(principal({ platformRoles: ['platform-admin'] }))).toEqual([
      '/ops',
      '/slo',
      '/admin/tenants',
      '/gpu',
      '/admin/audit',
      '/platform/health',
    ]);
  });

  it('links platform health for platform admins, on-call and managers only, not for tenant members', () => {
    expect(platformLinks(principal({ memberships: [{ tenant: 'fraud', role: 'admin' }] }))).not.toContain(
      '/platform/health',
    );
  });

  it("links a tenant's pipeline runs for whoever may read its operations", () => {
    const pipelineLinks = (p: Principal) =>
      buildNavigation(p, tenants).tenants.map((t) =>
        tenantLinks(t)
          .map((l) => l.href)
          .filter((href) => href.endsWith('/pipelines')),
      );
    expect(pipelineLinks(principal({ memberships: [{ tenant: 'pricing', role: 'viewer' }] }))).toEqual([
      [],
      ['/t/pricing/pipelines'],
    ]);
    expect(pipelineLinks(principal({ platformRoles: ['manager'] }))).toEqual([
      ['/t/fraud/pipelines'],
      ['/t/pricing/pipelines'],
    ]);
  });

  // A platform admin manages tenants, not their pipelines' tokens nor where their events are sent.
  it.each(['/tokens', '/webhooks'])("links a tenant's %s page for its admins only", (page) => {
    const adminLinks = (p: Principal) =>
      buildNavigation(p, tenants).tenants.map((t) =>
        tenantLinks(t)
          .map((l) => l.href)
          .filter((href) => href.endsWith(page)),
      );
    expect(
      adminLinks(
        principal({
          memberships: [
            { tenant: 'fraud', role: 'admin' },
            { tenant: 'pricing', role: 'approver' },
          ],
        }),
      ),
    ).toEqual([[`/t/fraud${page}`], []]);
    expect(adminLinks(principal({ platformRoles: ['platform-admin'] }))).toEqual([[], []]);
  });

  it('leaves them out for someone without a tenant to see', () => {
    expect(platformLinks(principal({}))).toEqual([]);
    // Platform health is the platform's too (its component versions): it stays without tenants.
    expect(platformLinks(principal({ platformRoles: ['oncall'] }), [])).toEqual(['/platform/health']);
    expect(
      platformLinks(principal({ memberships: [{ tenant: 'fraud', role: 'admin' }] }), [
        { name: 'fraud', displayName: 'Fraud', status: 'archived' },
      ]),
    ).toEqual([]);
  });
});
