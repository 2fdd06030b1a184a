import { z } from 'zod';
import { recordAudit } from '../audit/log';
import { getDb } from '../db/client';
import type { PlatformRole as DbPlatformRole } from '../db/generated/enums';
import { approverSinceAfter, type PlatformRole, type Principal, type TenantRole } from './authorize';
import { mapGroupsToRoles, type GroupMappingConfig } from './group-mapping';

/** The ID-token claims the portal relies on, checked at the boundary. */
export const oidcClaimsSchema = z.object({
  sub: z.string().min(1),
  preferred_username: z.string().min(1).optional(),
  name: z.string().optional(),
  email: z.string().optional(),
});
export type OidcClaims = z.infer<typeof oidcClaimsSchema> & Record<string, unknown>;

export interface SessionUser extends Principal {
  username: string;
  name: string | null;
  email: string | null;
}

const toDbRole = (r: PlatformRole) => r.replace('-', '_') as DbPlatformRole;
const fromDbRole = (r: DbPlatformRole) => r.replace('_', '-') as PlatformRole;

function groupsFrom(claims: Record<string, unknown>, claim: string): string[] {
  const value = claims[claim];
  if (Array.isArray(value)) return value.filter((g): g is string => typeof g === 'string');
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  return [];
}

/**
 * Called at every sign-in: the user's identity, platform roles and IdP-sourced memberships are
 * made to match the claims. Memberships granted in the portal are left alone.
 */
export async function syncUserFromClaims(
  rawClaims: Record<string, unknown>,
  settings: { groupsClaim: string; mapping: GroupMappingConfig },
  /** `auth.sign-in` for a real sign-in; `user.import` when an operator loads users ahead of it. */
  auditAction: 'auth.sign-in' | 'user.import' = 'auth.sign-in',
): Promise<SessionUser> {
  const claims = oidcClaimsSchema.parse(rawClaims);
  const roles = mapGroupsToRoles(groupsFrom(rawClaims, settings.groupsClaim), settings.mapping);
  const username = claims.preferred_username ?? claims.email ?? claims.sub;
  const db = getDb();

  const userId = await db.$transaction(async (tx) => {
    const before = await tx.user.findUnique({
      where: { subject: claims.sub },
      include: { memberships: { include: { tenant: true } } },
    });
    const user = await tx.user.upsert({
      where: { subject: claims.sub },
      create: {
        subject: claims.sub,
        username,
        name: claims.name ?? null,
        email: claims.email ?? null,
        platformRoles: roles.platformRoles.map(toDbRole),
        lastSignInAt: new Date(),
      },
      update: {
        username,
        name: claims.name ?? null,
        email: claims.email ?? null,
        platformRoles: roles.platformRoles.map(toDbRole),
        lastSignInAt: new Date(),
      },
    });

    const tenants = await tx.tenant.findMany({ where: { name: { in: [...roles.tenantRoles.keys()] } } });
    const now = new Date();
    for (const tenant of tenants) {
      const role = roles.tenantRoles.get(tenant.name)!;
      const previous = before?.memberships.find((m) => m.tenantId === tenant.id) ?? null;
      const approverSince = approverSinceAfter(previous, role, now);
      await tx.membership.upsert({
        where: { userId_tenantId: { userId: user.id, tenantId: tenant.id } },
        create: { userId: user.id, tenantId: tenant.id, role, source: 'idp', approverSince },
        update: { role, source: 'idp', approverSince },
      });
    }
    await tx.membership.deleteMany({
      where: { userId: user.id, source: 'idp', tenantId: { notIn: tenants.map((t) => t.id) } },
    });

    const after = await tx.membership.findMany({ where: { userId: user.id }, include: { tenant: true } });
    const describe = (ms: { tenant: { name: string }; role: string }[]) =>
      Object.fromEntries(ms.map((m) => [m.tenant.name, m.role]).sort());
    await recordAudit(tx, {
      actor: { id: user.id, name: user.username },
      action: auditAction,
      target: { type: 'user', id: user.username },
      before: before
        ? { platformRoles: before.platformRoles.map(fromDbRole), memberships: describe(before.memberships) }
        : null,
      after: { platformRoles: roles.platformRoles, memberships: describe(after) },
      outcome: 'success',
    });
    return user.id;
  });
  return (await loadSessionUser(userId))!;
}

export async function loadSessionUser(userId: string): Promise<SessionUser | null> {
  const user = await getDb().user.findUnique({
    where: { id: userId },
    include: { memberships: { include: { tenant: { select: { name: true } } } } },
  });
  if (!user) return null;
  return {
    id: user.id,
    username: user.username,
    name: user.name,
    email: user.email,
    platformRoles: user.platformRoles.map(fromDbRole),
    memberships: user.memberships.map((m) => ({ tenant: m.tenant.name, role: m.role as TenantRole })),
  };
}
