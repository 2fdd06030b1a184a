import { describe, expect, it } from 'vitest';
import {
  approverSinceAfter,
  can,
  authorize,
  ForbiddenError,
  PLATFORM_ACTIONS,
  TENANT_ACTIONS,
  type Action,
  type Principal,
  type PlatformRole,
  type TenantRole,
  TOKEN_SCOPE_ACTIONS,
  TOKEN_SCOPES,
  tokenAllows,
  canManageToken,
  type TokenScope,
} from './authorize';

// The expected matrix is written out by hand, independently of the tables in authorize.ts:
// changing who may do what must change this file too.

function tenantUser(role: TenantRole): Principal {
  return { id: `u-${role}`, platformRoles: [], memberships: [{ tenant: 'fraud', role }] };
}
function platformUser(role: PlatformRole): Principal {
  return { id: `p-${role}`, platformRoles: [role], memberships: [] };
}

const ACTIVE_FRAUD = { kind: 'tenant', tenant: 'fraud', status: 'active' } as const;
const ARCHIVED_FRAUD = { kind: 'tenant', tenant: 'fraud', status: 'archived' } as const;
const PRICING = { kind: 'tenant', tenant: 'pricing', status: 'active' } as const;
const PLATFORM = { kind: 'platform' } as const;

/** Tenant actions allowed in an active tenant the principal belongs to (or, for platform roles, any tenant). */
const EXPECTED_TENANT: Record<string, Action[]> = {
  viewer: [
    'tenant.view',
    'member.read',
    'experiment.read',
    'model.read',
    'promotion.read',
    'deployment.read',
    'gpu.read',
    'ops.read',
    'health.tenant.read',
    'slo.read',
  ],
  member: [
    'tenant.view',
    'member.read',
    'experiment.read',
    'model.read',
    'promotion.read',
    'deployment.read',
    'gpu.read',
    'ops.read',
    'health.tenant.read',
    'slo.read',
    'artifact.download',
    'promotion.request',
  ],
  approver: [
    'tenant.view',
    'member.read',
    'experiment.read',
    'model.read',
    'promotion.read',
    'deployment.read',
    'gpu.read',
    'ops.read',
    'health.tenant.read',
    'slo.read',
    'artifact.download',
    'promotion.request',
    'promotion.approve',
  ],
  admin: [
    'tenant.view',
    'member.read',
    'experiment.read',
    'model.read',
    'promotion.read',
    'deployment.read',
    'gpu.read',
    'ops.read',
    'health.tenant.read',
    'slo.read',
    'artifact.download',
    'promotion.request',
    'promotion.approve',
    'member.manage',
    'policy.edit',
    'deployment.operate',
    'slo.edit',
    'token.manage',
    'notification.webhook.manage',
  ],
  'platform-admin': [
    'tenant.view',
    'member.read',
    'member.manage',
    'experiment.read',
    'model.read',
    'promotion.read',
    'policy.edit',
    'deployment.read',
    'deployment.operate',
    'gpu.read',
    'ops.read',
    'health.tenant.read',
    'slo.read',
    'slo.edit',
  ],
  oncall: [
    'tenant.view',
    'model.read',
    'promotion.read',
    'deployment.read',
    'deployment.operate',
    'gpu.read',
    'ops.read',
    'health.tenant.read',
    'slo.read',
  ],
  manager: [
    'tenant.view',
    'promotion.read',
    'deployment.read',
    'gpu.read',
    'ops.read',
    'health.tenant.read',
    'slo.read',
  ],
};

const EXPECTED_PLATFORM: Record<string, Action[]> = {
  viewer: [],
  member: [],
  approver: [],
  admin: [],
  'platform-admin': [
    'admin.access',
    'tenant.create',
    'tenant.archive',
    'quota.edit',
    'rolemapping.edit',
    'audit.read',
    'ops.thresholds.edit',
    'cluster.gpu.read',
    'health.read',
  ],
  oncall: ['health.read'],
  manager: ['cluster.gpu.read', 'health.read'],
};

const PRINCIPALS: Record<string, Principal> = {
  viewer: tenantUser('viewer'),
  member: tenantUser('member'),
  approver: tenantUser('approver'),
  admin: tenantUser('admin'),
  'platform-admin': platformUser('platform-admin'),
  oncall: platformUser('oncall'),
  manager: platformUser('manager'),
};

function resourceFor(action: Action, tenant: typeof ACTIVE_FRAUD | typeof ARCHIVED_FRAUD | typeof PRICING) {
  // Approval is judged on a promotion someone else requested.
  return action === 'promotion.approve'
    ? { ...tenant, kind: 'promotion' as const, requesterId: 'someone-else' }
    : tenant;
}

describe('can(): role × action matrix', () => {
  for (const [who, principal] of Object.entries(PRINCIPALS)) {
    for (const action of TENANT_ACTIONS) {
      const expected = EXPECTED_TENANT[who]!.includes(action);
      it(`${who} ${expected ? 'may' : 'may not'} ${action} in their active tenant`, () => {
        expect(can(principal, action, resourceFor(action, ACTIVE_FRAUD))).toBe(expected);
      });
    }
    for (const action of PLATFORM_ACTIONS) {
      const expected = EXPECTED_PLATFORM[who]!.includes(action);
      it(`${who} ${expected ? 'may' : 'may not'} ${action} on the platform`, () => {
        expect(can(principal, action, PLATFORM)).toBe(expected);
      });
    }
  }
});

describe('can(): tenant boundaries', () => {
  it('tenant roles give nothing in another tenant', () => {
    for (const role of ['viewer', 'member', 'approver', 'admin'] as const) {
      for (const action of TENANT_ACTIONS) {
        expect(can(tenantUser(role), action, resourceFor(action, PRICING)), `${role} ${action} in pricing`).toBe(false);
      }
    }
  });

  it('platform roles reach every tenant with the same rights', () => {
    for (const who of ['platform-admin', 'oncall', 'manager'] as const) {
      for (const action of TENANT_ACTIONS) {
        expect(can(PRINCIPALS[who], action, resourceFor(action, PRICING))).toBe(EXPECTED_TENANT[who]!.includes(action));
      }
    }
  });

  it('in an archived tenant only platform admins may look, and nobody may change anything', () => {
    const readOnly: Action[] = [
      'tenant.view',
      'member.read',
      'experiment.read',
      'model.read',
      'promotion.read',
      'deployment.read',
      'gpu.read',
    ];
    for (const [who, principal] of Object.entries(PRINCIPALS)) {
      for (const action of TENANT_ACTIONS) {
        const expected = who === 'platform-admin' && readOnly.includes(action);
        expect(can(principal, action, resourceFor(action, ARCHIVED_FRAUD)), `${who} ${action}`).toBe(expected);
      }
    }
  });

  it('combines a membership with platform roles', () => {
    const erin: Principal = {
      id: 'erin',
      platformRoles: ['oncall'],
      memberships: [{ tenant: 'fraud', role: 'viewer' }],
    };
    expect(can(erin, 'deployment.operate', PRICING)).toBe(true);
    expect(can(erin, 'experiment.read', ACTIVE_FRAUD)).toBe(true);
    expect(can(erin, 'experiment.read', PRICING)).toBe(false);
  });
});

describe('can(): denials that no role overrides', () => {
  it('denies everything to nobody', () => {
    for (const action of [...TENANT_ACTIONS, ...PLATFORM_ACTIONS]) {
      expect(can(null, action, action.startsWith('tenant.') ? ACTIVE_FRAUD : PLATFORM)).toBe(false);
      expect(can(undefined, action, ACTIVE_FRAUD)).toBe(false);
    }
  });

  it('never lets a requester approve their own promotion', () => {
    const both: Principal = {
      id: 'bob',
      platformRoles: ['platform-admin'],
      memberships: [{ tenant: 'fraud', role: 'admin' }],
    };
    expect(
      can(both, 'promotion.approve', { kind: 'promotion', tenant: 'fraud', status: 'active', requesterId: 'bob' }),
    ).toBe(false);
    expect(
      can(both, 'promotion.approve', { kind: 'promotion', tenant: 'fraud', status: 'active', requesterId: 'alice' }),
    ).toBe(true);
    // Approving needs the request itself, so the requester can be checked.
    expect(can(both, 'promotion.approve', ACTIVE_FRAUD)).toBe(false);
  });

  it('does not accept a tenant action on the platform or a platform action on a tenant', () => {
    const frank = PRINCIPALS['platform-admin']!;
    expect(can(frank, 'tenant.view', PLATFORM)).toBe(false);
    expect(can(frank, 'tenant.create', ACTIVE_FRAUD)).toBe(false);
  });

  it('denies actions it does not know', () => {
    expect(can(PRINCIPALS['platform-admin'], 'tenant.delete-everything' as Action, PLATFORM)).toBe(false);
  });

  it('authorize() throws ForbiddenError naming the action and tenant', () => {
    expect(() => authorize(PRINCIPALS.member, 'member.manage', ACTIVE_FRAUD)).toThrow(ForbiddenError);
    expect(() => authorize(PRINCIPALS.member, 'member.manage', ACTIVE_FRAUD)).toThrow(/member\.manage in tenant fraud/);
    expect(() => authorize(PRINCIPALS.admin, 'member.manage', ACTIVE_FRAUD)).not.toThrow();
  });
});

describe("can(): personal actions (a person's own inbox and notification settings)", () => {
  it('allows every signed-in person their own things, and nobody a tenant or the platform through them', () => {
    for (const principal of Object.values(PRINCIPALS)) {
      expect(can(principal, 'notification.inbox', { kind: 'self' })).toBe(true);
      expect(can(principal, 'notification.inbox', ACTIVE_FRAUD)).toBe(false);
      expect(can(principal, 'notification.inbox', PLATFORM)).toBe(false);
      // No tenant or platform action applies to one's own things.
      expect(can(principal, 'tenant.view', { kind: 'self' })).toBe(false);
      expect(can(principal, 'admin.access', { kind: 'self' })).toBe(false);
    }
    expect(can(null, 'notification.inbox', { kind: 'self' })).toBe(false);
  });

  it('gives a token no inbox, whatever its kind', () => {
    for (const kind of ['personal', 'service'] as const) {
      const principal: Principal = {
        id: 'alice',
        platformRoles: [],
        memberships: kind === 'personal' ? [{ tenant: 'fraud', role: 'admin' }] : [],
        token: { id: 't', kind, tenant: 'fraud', scopes: [...TOKEN_SCOPES] },
      };
      expect(can(principal, 'notification.inbox', { kind: 'self' })).toBe(false);
      expect(can(principal, 'notification.webhook.manage', ACTIVE_FRAUD)).toBe(false);
    }
  });
});

describe('approverSinceAfter(): since when a member holds the approver role', () => {
  const then = new Date('2026-11-01T00:00:00Z');
  const now = new Date('2026-12-07T00:00:00Z');
  it('starts when the role reaches approver and keeps its start while it stays at approver or above', () => {
    expect(approverSinceAfter(null, 'approver', now)).toEqual(now);
    expect(approverSinceAfter({ role: 'member', approverSince: null }, 'admin', now)).toEqual(now);
    expect(approverSinceAfter({ role: 'approver', approverSince: then }, 'admin', now)).toEqual(then);
    expect(approverSinceAfter({ role: 'admin', approverSince: then }, 'approver', now)).toEqual(then);
  });

  it('ends below approver, so a later raise starts afresh', () => {
    expect(approverSinceAfter({ role: 'approver', approverSince: then }, 'member', now)).toBeNull();
    expect(approverSinceAfter(null, 'viewer', now)).toBeNull();
  });
});

describe('can(): API tokens', () => {
  const grant = (kind: 'personal' | 'service', scopes: TokenScope[]) => ({
    id: 'tok-1',
    kind,
    tenant: 'fraud',
    scopes,
  });
  const personal = (role: TenantRole, scopes: TokenScope[]): Principal => ({
    ...tenantUser(role),
    token: grant('personal', scopes),
  });
  const service = (scopes: TokenScope[]): Principal => ({
    id: 'creator',
    platformRoles: [],
    memberships: [],
    token: grant('service', scopes),
  });
  const OTHERS_REQUEST = { ...ACTIVE_FRAUD, kind: 'promotion' as const, requesterId: 'someone-else' };

  it('a personal token acts with its owner’s roles intersected with its scopes', () => {
    expect(can(personal('member', ['promotion.request']), 'promotion.request', ACTIVE_FRAUD)).toBe(true);
    // In scope, but the owner's role does not allow it.
    expect(can(personal('viewer', ['promotion.request']), 'promotion.request', ACTIVE_FRAUD)).toBe(false);
    // The owner may, but the token's scopes do not cover it.
    expect(can(personal('admin', ['promotion.read']), 'promotion.request', ACTIVE_FRAUD)).toBe(false);
    expect(can(personal('admin', ['promotion.read']), 'member.manage', ACTIVE_FRAUD)).toBe(false);
  });

  it('each scope allows exactly its actions, for every kind of token', () => {
    for (const scope of TOKEN_SCOPES) {
      for (const action of TENANT_ACTIONS) {
        const expected = TOKEN_SCOPE_ACTIONS[scope].includes(action);
        expect(can(service([scope]), action, resourceFor(action, ACTIVE_FRAUD)), `${scope} → ${action}`).toBe(expected);
        expect(can(personal('admin', [scope]), action, resourceFor(action, ACTIVE_FRAUD))).toBe(expected);
      }
    }
  });

  it('no token approves, whatever its kind and scopes and its owner’s role: four eyes need a person', () => {
    const all = [...TOKEN_SCOPES];
    for (const principal of [service(all), personal('approver', all), personal('admin', all)])
      expect(can(principal, 'promotion.approve', OTHERS_REQUEST)).toBe(false);
  });

  it('no scope allows creating tokens or anything on the platform', () => {
    const all = [...TOKEN_SCOPES];
    for (const principal of [service(all), personal('admin', all)]) {
      expect(can(principal, 'token.manage', ACTIVE_FRAUD)).toBe(false);
      for (const action of PLATFORM_ACTIONS) expect(can(principal, action, PLATFORM)).toBe(false);
    }
    const platformAdminToken: Principal = { ...platformUser('platform-admin'), token: grant('personal', all) };
    expect(can(platformAdminToken, 'admin.access', PLATFORM)).toBe(false);
  });

  it('a service token can never approve, whatever else it is given', () => {
    const sneaky: Principal = {
      id: 'creator',
      platformRoles: [],
      memberships: [{ tenant: 'fraud', role: 'approver' }],
      token: grant('service', [...TOKEN_SCOPES]),
    };
    expect(can(sneaky, 'promotion.approve', OTHERS_REQUEST)).toBe(false);
    expect(tokenAllows(grant('service', [...TOKEN_SCOPES]), 'promotion.approve', OTHERS_REQUEST)).toBe(false);
  });

  it('a token acts only in its own tenant, and not at all in an archived one', () => {
    expect(can(service(['promotion.read']), 'promotion.read', PRICING)).toBe(false);
    const memberOfBoth: Principal = {
      id: 'u',
      platformRoles: [],
      memberships: [
        { tenant: 'fraud', role: 'member' },
        { tenant: 'pricing', role: 'member' },
      ],
      token: grant('personal', ['promotion.read']),
    };
    expect(can(memberOfBoth, 'promotion.read', PRICING)).toBe(false);
    expect(can(memberOfBoth, 'promotion.read', ACTIVE_FRAUD)).toBe(true);
    expect(can(service(['promotion.read']), 'promotion.read', ARCHIVED_FRAUD)).toBe(false);
  });
});

describe('canManageToken(): who creates and revokes API tokens', () => {
  const member = tenantUser('member');
  const admin = tenantUser('admin');
  const viewer = tenantUser('viewer');
  const personal = (owner: Principal, scopes: TokenScope[], status: 'active' | 'archived' = 'active') => ({
    kind: 'personal' as const,
    tenant: 'fraud',
    status,
    ownerId: owner.id,
    scopes,
  });
  const service = (scopes: TokenScope[], tenant = 'fraud') => ({
    kind: 'service' as const,
    tenant,
    status: 'active' as const,
    ownerId: null,
    scopes,
  });

  it('lets a member make a personal token only with scopes they hold themself', () => {
    expect(canManageToken(member, 'create', personal(member, ['promotion.request', 'promotion.read']))).toBe(true);
    expect(canManageToken(member, 'create', personal(member, ['rollout.operate']))).toBe(false);
    expect(canManageToken(viewer, 'create', personal(viewer, ['promotion.request']))).toBe(false);
    expect(canManageToken(viewer, 'create', personal(viewer, ['promotion.read']))).toBe(true);
  });

  it('makes personal tokens only for oneself, and only in an active tenant one can see', () => {
    expect(canManageToken(admin, 'create', personal(member, ['promotion.read']))).toBe(false);
    expect(canManageToken(member, 'create', personal(member, ['promotion.read'], 'archived'))).toBe(false);
    expect(
      canManageToken(tenantUser('member'), 'create', { ...personal(member, ['promotion.read']), tenant: 'pricing' }),
    ).toBe(false);
  });

  it('lets only a tenant admin make a service token, with scopes the admin holds', () => {
    expect(canManageToken(admin, 'create', service(['promotion.request', 'rollout.operate']))).toBe(true);
    expect(canManageToken(member, 'create', service(['promotion.request']))).toBe(false);
    expect(canManageToken(tenantUser('approver'), 'create', service(['promotion.read']))).toBe(false);
    expect(canManageToken(admin, 'create', service(['promotion.read'], 'pricing'))).toBe(false);
    // A platform admin manages members everywhere, but makes no tenant's service tokens.
    expect(canManageToken(platformUser('platform-admin'), 'create', service(['promotion.read']))).toBe(false);
  });

  it('lets the owner or the tenant admin revoke; nobody else, and never a token', () => {
    expect(canManageToken(member, 'revoke', personal(member, ['promotion.read']))).toBe(true);
    expect(canManageToken(admin, 'revoke', personal(member, ['promotion.read']))).toBe(true);
    expect(canManageToken(admin, 'revoke', service(['promotion.read']))).toBe(true);
    expect(canManageToken(tenantUser('approver'), 'revoke', personal(member, ['promotion.read']))).toBe(false);
    expect(canManageToken(member, 'revoke', service(['promotion.read']))).toBe(false);
    const viaToken: Principal = {
      ...admin,
      token: { id: 't', kind: 'personal', tenant: 'fraud', scopes: [...TOKEN_SCOPES] },
    };
    expect(canManageToken(viaToken, 'revoke', service(['promotion.read']))).toBe(false);
    expect(canManageToken(viaToken, 'create', service(['promotion.read']))).toBe(false);
  });
});
