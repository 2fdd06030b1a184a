import { z } from 'zod';
import { PLATFORM_ROLES, TENANT_ROLES, roleAtLeast, type PlatformRole, type TenantRole } from './authorize';

/**
 * Turns the IdP's group claim into portal roles. Two settings drive it:
 * - a pattern for tenant groups, e.g. `mlp:{tenant}:{role}` (so `mlp:fraud:approver` → approver of fraud);
 * - a list of platform groups, e.g. `mlp:platform-admins=platform-admin,mlp:oncall=oncall`.
 */
export interface GroupMappingConfig {
  tenantGroupPattern: string;
  platformGroups: Record<string, PlatformRole>;
}

export interface MappedRoles {
  platformRoles: PlatformRole[];
  /** Tenant name → the strongest role any of the user's groups gives there. */
  tenantRoles: Map<string, TenantRole>;
}

const TENANT_NAME = '([a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?)';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function parsePlatformGroups(setting: string): Record<string, PlatformRole> {
  const entries = setting
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((pair) => {
      const at = pair.lastIndexOf('=');
      const group = pair.slice(0, at).trim();
      const role = z.enum(PLATFORM_ROLES).safeParse(pair.slice(at + 1).trim());
      if (at <= 0 || !role.success) {
        throw new Error(`Platform group mapping "${pair}" must look like <group>=<${PLATFORM_ROLES.join('|')}>`);
      }
      return [group, role.data] as const;
    });
  return Object.fromEntries(entries);
}

export function compileTenantGroupPattern(pattern: string): RegExp {
  if (!pattern.includes('{tenant}') || !pattern.includes('{role}')) {
    throw new Error(`The tenant group pattern "${pattern}" must contain {tenant} and {role}`);
  }
  const source = escapeRegExp(pattern)
    .replace(escapeRegExp('{tenant}'), `(?<tenant>${TENANT_NAME})`)
    .replace(escapeRegExp('{role}'), `(?<role>${TENANT_ROLES.join('|')})`);
  return new RegExp(`^${source}$`);
}

export function mapGroupsToRoles(groups: readonly string[], config: GroupMappingConfig): MappedRoles {
  const pattern = compileTenantGroupPattern(config.tenantGroupPattern);
  const platformRoles = new Set<PlatformRole>();
  const tenantRoles = new Map<string, TenantRole>();
  for (const group of groups) {
    const platformRole = config.platformGroups[group];
    if (platformRole) platformRoles.add(platformRole);
    const match = pattern.exec(group)?.groups;
    if (match?.tenant && match.role) {
      const role = match.role as TenantRole;
      const current = tenantRoles.get(match.tenant);
      if (!current || roleAtLeast(role, current)) tenantRoles.set(match.tenant, role);
    }
  }
  return { platformRoles: PLATFORM_ROLES.filter((r) => platformRoles.has(r)), tenantRoles };
}

/**
 * The IdP groups that give a principal its roles: the mapping read backwards. The portal sends
 * them when it impersonates the user at the Kubernetes API, so the cluster's RBAC for those
 * groups applies to what the user does through the portal.
 */
export function groupsForRoles(
  principal: { platformRoles: readonly PlatformRole[]; memberships: readonly { tenant: string; role: TenantRole }[] },
  config: GroupMappingConfig,
): string[] {
  const platform = Object.entries(config.platformGroups)
    .filter(([, role]) => principal.platformRoles.includes(role))
    .map(([group]) => group);
  const tenants = principal.memberships.map((m) =>
    config.tenantGroupPattern.replace('{tenant}', m.tenant).replace('{role}', m.role),
  );
  return [...new Set([...platform, ...tenants])];
}
