/**
 * The one place that decides who may do what. Every page loader and every server action asks
 * `can()` (or `authorize()`, which throws) after parsing its input. Deny by default: an action
 * missing from the tables below is allowed to nobody.
 */

export const PLATFORM_ROLES = ['platform-admin', 'oncall', 'manager'] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];

/** Weakest first: each role can do everything the roles before it can. */
export const TENANT_ROLES = ['viewer', 'member', 'approver', 'admin'] as const;
export type TenantRole = (typeof TENANT_ROLES)[number];

export type TenantStatus = 'provisioning' | 'active' | 'incomplete' | 'archived';

export interface Principal {
  id: string;
  platformRoles: readonly PlatformRole[];
  memberships: readonly { tenant: string; role: TenantRole }[];
  /**
   * Set when the caller is an API token rather than a person in a browser: it may act only in
   * its one tenant and only within its scopes. A personal token also needs its owner's roles (the
   * principal's memberships are the owner's); a service token has no person behind it, so its
   * scopes are all it has, and it can never approve (four eyes need a person).
   */
  token?: TokenGrant;
}

/** What an API token may do, as far as the authorization module is concerned. */
export interface TokenGrant {
  id: string;
  kind: 'personal' | 'service';
  tenant: string;
  scopes: readonly TokenScope[];
}

/**
 * The scopes an API token may carry, each allowing a few tenant actions. None approves: an approval
 * is a person's decision, made signed in to the portal (four eyes need a person).
 */
export const TOKEN_SCOPES = [
  'promotion.request',
  'promotion.read',
  'rollout.read',
  'rollout.operate',
  'experiments.read',
  'models.read',
  'quota.read',
] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** The tenant actions each token scope allows, and nothing else. */
export const TOKEN_SCOPE_ACTIONS: Record<TokenScope, readonly TenantAction[]> = {
  'promotion.request': ['promotion.request'],
  'promotion.read': ['promotion.read'],
  'rollout.read': ['deployment.read'],
  'rollout.operate': ['deployment.operate'],
  'experiments.read': ['experiment.read'],
  'models.read': ['model.read'],
  'quota.read': ['gpu.read'],
};

/** Actions on one tenant's things. */
export const TENANT_ACTIONS = [
  'tenant.view',
  'member.read',
  'member.manage',
  'experiment.read',
  'artifact.download',
  'model.read',
  'promotion.read',
  'promotion.request',
  'promotion.approve',
  'policy.edit',
  'deployment.read',
  'deployment.operate',
  'gpu.read',
  'ops.read',
  /** The platform health checks' findings about the tenant (its endpoints, workflows, namespace). */
  'health.tenant.read',
  'slo.read',
  'slo.edit',
  /** Create and revoke the tenant's service tokens. */
  'token.manage',
  /** Create, change and delete the tenant's outgoing webhooks; send test events; read their delivery log. */
  'notification.webhook.manage',
] as const;
export type TenantAction = (typeof TENANT_ACTIONS)[number];

/** Actions on the platform as a whole. */
export const PLATFORM_ACTIONS = [
  'admin.access',
  'tenant.create',
  'tenant.archive',
  'quota.edit',
  'rolemapping.edit',
  'audit.read',
  'ops.thresholds.edit',
  'cluster.gpu.read',
  /** The platform health page: every tenant's findings and the platform's own (component versions). */
  'health.read',
] as const;
export type PlatformAction = (typeof PLATFORM_ACTIONS)[number];

/** Actions on the caller's own things (their inbox, their subscriptions): any signed-in person, never a token. */
export const PERSONAL_ACTIONS = ['notification.inbox'] as const;
export type PersonalAction = (typeof PERSONAL_ACTIONS)[number];

export type Action = TenantAction | PlatformAction | PersonalAction;

export type Resource =
  | { kind: 'platform' }
  /** The caller's own things: only personal actions apply. */
  | { kind: 'self' }
  | { kind: 'tenant'; tenant: string; status?: TenantStatus }
  /** A promotion request: its requester may never approve it. */
  | { kind: 'promotion'; tenant: string; status?: TenantStatus; requesterId: string };

/** The weakest tenant role that may perform each tenant action. */
const MIN_TENANT_ROLE: Record<TenantAction, TenantRole> = {
  'tenant.view': 'viewer',
  'member.read': 'viewer',
  'experiment.read': 'viewer',
  'model.read': 'viewer',
  'promotion.read': 'viewer',
  'deployment.read': 'viewer',
  'gpu.read': 'viewer',
  'ops.read': 'viewer',
  'health.tenant.read': 'viewer',
  'slo.read': 'viewer',
  'artifact.download': 'member',
  'promotion.request': 'member',
  'promotion.approve': 'approver',
  'member.manage': 'admin',
  'policy.edit': 'admin',
  'deployment.operate': 'admin',
  'slo.edit': 'admin',
  'token.manage': 'admin',
  'notification.webhook.manage': 'admin',
};

/** What platform roles may do in every tenant, beyond any membership. */
const PLATFORM_ROLE_TENANT_ACTIONS: Record<PlatformRole, readonly TenantAction[]> = {
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

const PLATFORM_ROLE_ACTIONS: Record<PlatformRole, readonly PlatformAction[]> = {
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

/** In an archived tenant only platform admins may look; nobody may change anything. */
const ARCHIVED_TENANT_ACTIONS: readonly TenantAction[] = [
  'tenant.view',
  'member.read',
  'experiment.read',
  'model.read',
  'promotion.read',
  'deployment.read',
  'gpu.read',
];

/** Whether a token's grant covers `action` in `resource`: its tenant, its scopes (none of which approves). */
export function tokenAllows(grant: TokenGrant, action: TenantAction, resource: Resource): boolean {
  if (resource.kind === 'platform' || resource.kind === 'self' || resource.tenant !== grant.tenant) return false;
  return grant.scopes.some((scope) => TOKEN_SCOPE_ACTIONS[scope]?.includes(action));
}

function isTenantAction(action: Action): action is TenantAction {
  return (TENANT_ACTIONS as readonly string[]).includes(action);
}

function isPersonalAction(action: Action): action is PersonalAction {
  return (PERSONAL_ACTIONS as readonly string[]).includes(action);
}

export function tenantRoleOf(principal: Principal, tenant: string): TenantRole | undefined {
  return principal.memberships.find((m) => m.tenant === tenant)?.role;
}

export function roleAtLeast(role: TenantRole, minimum: TenantRole): boolean {
  return TENANT_ROLES.indexOf(role) >= TENANT_ROLES.indexOf(minimum);
}

/**
 * Since when a member holds the approver role (or above) after a role change: kept while the
 * role stays at approver or above, started now when it rises to it, gone when it falls below.
 * An approval counts only from someone who held the role before the request was filed.
 */
export function approverSinceAfter(
  previous: { role: TenantRole; approverSince: Date | null } | null,
  role: TenantRole,
  now: Date,
): Date | null {
  if (!roleAtLeast(role, 'approver')) return null;
  if (previous && roleAtLeast(previous.role, 'approver') && previous.approverSince) return previous.approverSince;
  return now;
}

export function can(principal: Principal | null | undefined, action: Action, resource: Resource): boolean {
  if (!principal) return false;

  // A person's own inbox and settings: theirs alone, and a token (made for automation) has none.
  if (isPersonalAction(action) || resource.kind === 'self')
    return isPersonalAction(action) && resource.kind === 'self' && !principal.token;

  // An API token never does platform things, and nothing outside its tenant and scopes; a
  // service token has no roles to intersect with, a personal token goes on to its owner's.
  if (principal.token) {
    if (!isTenantAction(action) || !tokenAllows(principal.token, action, resource)) return false;
    if (principal.token.kind === 'service') {
      if (principal.platformRoles.length > 0 || principal.memberships.length > 0) return false;
      return resource.kind !== 'platform' && resource.status !== 'archived';
    }
  }

  if (!isTenantAction(action)) {
    if (resource.kind !== 'platform') return false;
    return principal.platformRoles.some((role) => PLATFORM_ROLE_ACTIONS[role]?.includes(action));
  }
  if (resource.kind === 'platform') return false;

  // Separation of duties: nobody approves their own promotion request, whatever their roles.
  if (action === 'promotion.approve' && (resource.kind !== 'promotion' || resource.requesterId === principal.id)) {
    return false;
  }

  if (resource.status === 'archived') {
    return ARCHIVED_TENANT_ACTIONS.includes(action) && principal.platformRoles.includes('platform-admin');
  }

  const role = tenantRoleOf(principal, resource.tenant);
  if (role && roleAtLeast(role, MIN_TENANT_ROLE[action])) return true;
  return principal.platformRoles.some((r) => PLATFORM_ROLE_TENANT_ACTIONS[r]?.includes(action));
}

/** An API token as the rules for creating and revoking it see it. */
export interface TokenResource {
  kind: 'personal' | 'service';
  tenant: string;
  status?: TenantStatus;
  /** The owner of a personal token. */
  ownerId: string | null;
  scopes: readonly TokenScope[];
}

/**
 * Whether `principal` may create or revoke an API token (never through a token itself):
 * - create a personal token: anyone who may view an active tenant, for themself, with scopes
 *   whose actions they may do themself (a token never widens what its owner can do);
 * - create a service token: a tenant admin (`token.manage`) of an active tenant, again only with
 *   scopes they hold;
 * - revoke: the owner of a personal token, or an admin of the token's tenant (any token).
 */
export function canManageToken(
  principal: Principal | null | undefined,
  operation: 'create' | 'revoke',
  token: TokenResource,
): boolean {
  if (!principal || principal.token) return false;
  const tenant = { kind: 'tenant' as const, tenant: token.tenant, status: token.status };
  if (operation === 'revoke')
    return (token.kind === 'personal' && token.ownerId === principal.id) || can(principal, 'token.manage', tenant);
  if (token.status !== 'active') return false;
  if (token.kind === 'personal' ? token.ownerId !== principal.id : token.ownerId !== null) return false;
  if (!can(principal, token.kind === 'service' ? 'token.manage' : 'tenant.view', tenant)) return false;
  return token.scopes.flatMap((scope) => TOKEN_SCOPE_ACTIONS[scope]).every((action) => can(principal, action, tenant));
}

export class ForbiddenError extends Error {
  constructor(
    readonly action: Action,
    readonly resource: Resource,
  ) {
    super(`Not allowed: ${action}${'tenant' in resource ? ` in tenant ${resource.tenant}` : ''}`);
    this.name = 'ForbiddenError';
  }
}

/** Like `can`, but throws ForbiddenError. */
export function authorize(principal: Principal | null | undefined, action: Action, resource: Resource): void {
  if (!can(principal, action, resource)) throw new ForbiddenError(action, resource);
}
