import { describe, expect, it } from 'vitest';
import type { Principal, TenantStatus } from '@/lib/auth/authorize';
import { buildNavigation, tenantMenu, tenantNamed } from './navigation';
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
/** Each visible tenant's menu links, as NavLinks shows them on that tenant's pages. */
const menuLinks = (p: Principal) => {
  const navigation = buildNavigation(p, tenants);
  return navigation.tenants.map((t) => tenantLinks(tenantMenu(navigation, t.name)!));
};

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
      menuLinks(p).map((links) => links.map((l) => l.href).filter((href) => href.endsWith('/pipelines')));
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
      menuLinks(p).map((links) => links.map((l) => l.href).filter((href) => href.endsWith(page)));
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

  it('sends each distinct set of tenant pages once, however many tenants share it', () => {
    const many = Array.from({ length: 500 }, (_, i): Tenant => ({
      name: `bench-${i}`,
      displayName: `Bench ${i}`,
      status: 'active',
    }));
    const navigation = buildNavigation(
      principal({ platformRoles: ['manager'], memberships: [{ tenant: 'bench-7', role: 'admin' }] }),
      many,
    );
    expect(navigation.tenants).toHaveLength(500);
    expect(navigation.pageSets).toHaveLength(2);
    expect(tenantMenu(navigation, 'bench-7')!.pages).toContain('/members');
    expect(tenantMenu(navigation, 'bench-8')!.pages).not.toContain('/members');
    expect(tenantMenu(navigation, 'bench-8')!.pages).toContain('/gpu');
    expect(tenantMenu(navigation, 'elsewhere')).toBeUndefined();
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

  it('finds a typed tenant by its name, its display name in any case, or the one name it starts', () => {
    const visible = [
      { name: 'bench-4', displayName: 'Bench four' },
      { name: 'bench-42', displayName: 'Bench forty-two' },
      { name: 'fraud', displayName: 'Fraud detection' },
    ];
    expect(tenantNamed(visible, ' bench-4 ')?.name).toBe('bench-4');
    expect(tenantNamed(visible, 'fraud DETECTION')?.name).toBe('fraud');
    expect(tenantNamed(visible, 'fr')?.name).toBe('fraud');
    expect(tenantNamed(visible, 'bench')).toBeUndefined(); // two start with it
    expect(tenantNamed(visible, 'pricing')).toBeUndefined();
    expect(tenantNamed(visible, '  ')).toBeUndefined();
  });
});
