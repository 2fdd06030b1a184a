import { describe, expect, it } from 'vitest';
import { compileTenantGroupPattern, groupsForRoles, mapGroupsToRoles, parsePlatformGroups } from './group-mapping';

const config = {
  tenantGroupPattern: 'mlp:{tenant}:{role}',
  platformGroups: parsePlatformGroups('mlp:platform-admins=platform-admin, mlp:oncall=oncall,mlp:managers=manager'),
};

describe('IdP groups → roles', () => {
  it('maps tenant groups to tenant roles', () => {
    const roles = mapGroupsToRoles(['mlp:fraud:approver', 'mlp:pricing:viewer'], config);
    expect(Object.fromEntries(roles.tenantRoles)).toEqual({ fraud: 'approver', pricing: 'viewer' });
    expect(roles.platformRoles).toEqual([]);
  });

  it('maps platform groups to platform roles', () => {
    expect(mapGroupsToRoles(['mlp:platform-admins', 'mlp:oncall'], config).platformRoles).toEqual([
      'platform-admin',
      'oncall',
    ]);
    expect(mapGroupsToRoles(['mlp:managers'], config).platformRoles).toEqual(['manager']);
  });

  it('keeps the strongest role when several groups name the same tenant', () => {
    const roles = mapGroupsToRoles(['mlp:fraud:viewer', 'mlp:fraud:admin', 'mlp:fraud:member'], config);
    expect(roles.tenantRoles.get('fraud')).toBe('admin');
  });

  it('ignores groups it does not know, unknown roles and invalid tenant names', () => {
    const roles = mapGroupsToRoles(
      ['engineering', 'mlp:fraud:owner', 'mlp:Fraud:member', 'mlp:-x:member', 'xmlp:fraud:member'],
      config,
    );
    expect(roles.tenantRoles.size).toBe(0);
    expect(roles.platformRoles).toEqual([]);
  });

  it('supports other naming schemes, with regex characters taken literally', () => {
    const pattern = compileTenantGroupPattern('/ml/{tenant}.{role}');
    expect(pattern.test('/ml/fraud.member')).toBe(true);
    expect(pattern.test('/ml/fraudXmember')).toBe(false);
    const roles = mapGroupsToRoles(['/ml/forecast.approver'], {
      tenantGroupPattern: '/ml/{tenant}.{role}',
      platformGroups: {},
    });
    expect(roles.tenantRoles.get('forecast')).toBe('approver');
  });

  it('rejects a broken configuration with a message that says what is expected', () => {
    expect(() => parsePlatformGroups('mlp:admins=superuser')).toThrow(/<group>=<platform-admin\|oncall\|manager>/);
    expect(() => parsePlatformGroups('=oncall')).toThrow();
    expect(() => compileTenantGroupPattern('mlp:{tenant}')).toThrow(/\{role\}/);
  });
});

describe('groupsForRoles', () => {
  const config = {
    tenantGroupPattern: 'mlp:{tenant}:{role}',
    platformGroups: parsePlatformGroups('mlp:platform-admins=platform-admin,mlp:oncall=oncall'),
  };

  it('reads the mapping backwards, so mapping the groups again gives the same roles', () => {
    const principal = {
      platformRoles: ['oncall' as const],
      memberships: [{ tenant: 'fraud', role: 'approver' as const }],
    };
    const groups = groupsForRoles(principal, config);
    expect(groups).toEqual(['mlp:oncall', 'mlp:fraud:approver']);
    const mapped = mapGroupsToRoles(groups, config);
    expect(mapped.platformRoles).toEqual(['oncall']);
    expect([...mapped.tenantRoles]).toEqual([['fraud', 'approver']]);
  });

  it('gives no groups to someone without roles', () => {
    expect(groupsForRoles({ platformRoles: [], memberships: [] }, config)).toEqual([]);
  });
});
