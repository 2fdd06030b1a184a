import { describe, expect, it } from 'vitest';
import { listsEveryTenant, TENANT_LIST_MAX, tenantChoices } from './choices';

const tenants = (n: number) =>
  Array.from({ length: n }, (_, i) => ({ name: `t-${String(i).padStart(3, '0')}`, displayName: `Tenant ${i}` }));

describe('tenant choices', () => {
  it('list every visible tenant up to the limit', () => {
    const choices = tenantChoices(tenants(TENANT_LIST_MAX), ['t-001']);
    expect(choices.count).toBe(TENANT_LIST_MAX);
    expect(choices.listed).toHaveLength(TENANT_LIST_MAX);
    expect(listsEveryTenant(choices)).toBe(true);
  });

  it('past the limit, list only the tenants the page shows, and count them all', () => {
    const choices = tenantChoices(tenants(500), ['t-042', 't-007', 'elsewhere']);
    expect(choices.count).toBe(500);
    expect(choices.listed.map((t) => t.name)).toEqual(['t-007', 't-042']);
    expect(listsEveryTenant(choices)).toBe(false);
  });
});
