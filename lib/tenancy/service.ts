import { can, type Principal, type TenantRole } from '../auth/authorize';
import { recordAudit, type Actor } from '../audit/log';
import { getDb } from '../db/client';
import { UserFacingError } from '../errors';
import { log } from '../observability/logger';
import { provisioningSteps, type ProvisioningStep, type TenantRef } from './provisioning';

export interface TenantSummary {
  id: string;
  name: string;
  displayName: string;
  description: string;
  status: 'provisioning' | 'active' | 'incomplete' | 'archived';
  provisioningError: string | null;
  memberCount: number;
  createdAt: Date;
}

export async function findTenant(name: string) {
  return getDb().tenant.findUnique({ where: { name } });
}

export async function listTenants(options: { includeArchived?: boolean } = {}): Promise<TenantSummary[]> {
  const tenants = await getDb().tenant.findMany({
    where: options.includeArchived ? undefined : { status: { not: 'archived' } },
    orderBy: { name: 'asc' },
    include: { _count: { select: { memberships: true } } },
  });
  return tenants.map(({ _count, ...t }) => ({ ...t, memberCount: _count.memberships }));
}

/** The tenants this person may open, for the tenant switcher and the home page. */
export async function listVisibleTenants(principal: Principal): Promise<TenantSummary[]> {
  const tenants = await listTenants();
  return tenants.filter((t) => can(principal, 'tenant.view', { kind: 'tenant', tenant: t.name, status: t.status }));
}

export async function createTenant(
  actor: Actor,
  input: { name: string; displayName: string; description: string },
  steps: ProvisioningStep[] = provisioningSteps(),
): Promise<TenantSummary> {
  const db = getDb();
  const tenant = await db.$transaction(async (tx) => {
    if (await tx.tenant.findUnique({ where: { name: input.name } })) {
      throw new UserFacingError(`A tenant named "${input.name}" already exists`, 'name');
    }
    const created = await tx.tenant.create({
      data: { name: input.name, displayName: input.displayName, description: input.description, status: 'provisioning' },
    });
    await recordAudit(tx, {
      actor,
      action: 'tenant.create',
      tenant: created.name,
      target: { type: 'tenant', id: created.name },
      after: { name: created.name, displayName: created.displayName, description: created.description },
      outcome: 'success',
    });
    return created;
  });
  return provisionTenant(actor, tenant, steps);
}

/**
 * Runs every provisioning step in order; each is idempotent, so this both provisions a new
 * tenant and finishes one a failed step left incomplete.
 */
export async function provisionTenant(
  actor: Actor,
  tenant: TenantRef,
  steps: ProvisioningStep[] = provisioningSteps(),
): Promise<TenantSummary> {
  const done: string[] = [];
  let failure: string | null = null;
  for (const step of steps) {
    try {
      await step.provision(tenant);
      done.push(step.title);
    } catch (error) {
      failure = `${step.title}: ${error instanceof Error ? error.message : String(error)}`;
      log.warn('tenant provisioning step failed', { tenant: tenant.name, step: step.title, error });
      break;
    }
  }
  const status = failure ? 'incomplete' : 'active';
  await getDb().$transaction(async (tx) => {
    await tx.tenant.update({ where: { id: tenant.id }, data: { status, provisioningError: failure } });
    await recordAudit(tx, {
      actor,
      action: 'tenant.provision',
      tenant: tenant.name,
      target: { type: 'tenant', id: tenant.name },
      after: { status, steps: done },
      outcome: failure ? 'failed' : 'success',
      reason: failure,
    });
  });
  const summary = (await listTenants({ includeArchived: true })).find((t) => t.id === tenant.id);
  return summary!;
}

/** Archives on every system (in reverse order), keeping data, then marks the tenant archived. */
export async function archiveTenant(actor: Actor, name: string, steps: ProvisioningStep[] = provisioningSteps()) {
  const db = getDb();
  const tenant = await db.tenant.findUnique({ where: { name } });
  if (!tenant) throw new UserFacingError(`There is no tenant named "${name}"`, 'name');
  if (tenant.status === 'archived') throw new UserFacingError(`Tenant "${name}" is already archived`);
  for (const step of [...steps].reverse()) await step.archive(tenant);
  await db.$transaction(async (tx) => {
    const archived = await tx.tenant.update({ where: { id: tenant.id }, data: { status: 'archived', archivedAt: new Date() } });
    await recordAudit(tx, {
      actor,
      action: 'tenant.archive',
      tenant: name,
      target: { type: 'tenant', id: name },
      before: { status: tenant.status },
      after: { status: archived.status },
      outcome: 'success',
    });
  });
}

export interface MemberRow {
  userId: string;
  username: string;
  name: string | null;
  email: string | null;
  role: TenantRole;
  source: 'idp' | 'portal';
  since: Date;
}

export async function listMembers(tenantName: string): Promise<MemberRow[]> {
  const memberships = await getDb().membership.findMany({
    where: { tenant: { name: tenantName } },
    include: { user: true },
    orderBy: { user: { username: 'asc' } },
  });
  return memberships.map((m) => ({
    userId: m.userId,
    username: m.user.username,
    name: m.user.name,
    email: m.user.email,
    role: m.role,
    source: m.source,
    since: m.createdAt,
  }));
}

async function activeTenant(name: string) {
  const tenant = await getDb().tenant.findUnique({ where: { name } });
  if (!tenant) throw new UserFacingError(`There is no tenant named "${name}"`);
  if (tenant.status === 'archived') throw new UserFacingError(`Tenant "${name}" is archived; its members can no longer change`);
  return tenant;
}

async function findUserByNameOrEmail(usernameOrEmail: string) {
  const user = await getDb().user.findFirst({
    where: { OR: [{ username: usernameOrEmail }, { email: { equals: usernameOrEmail, mode: 'insensitive' } }] },
  });
  if (!user) {
    throw new UserFacingError(
      `No user "${usernameOrEmail}" is known. People appear here after their first sign-in.`,
      'user',
    );
  }
  return user;
}

export async function addMembership(actor: Actor, tenantName: string, usernameOrEmail: string, role: TenantRole) {
  const tenant = await activeTenant(tenantName);
  const user = await findUserByNameOrEmail(usernameOrEmail);
  await getDb().$transaction(async (tx) => {
    const existing = await tx.membership.findUnique({ where: { userId_tenantId: { userId: user.id, tenantId: tenant.id } } });
    if (existing) {
      throw new UserFacingError(`${user.username} is already ${existing.role} of ${tenantName}; change the role in the list below`, 'user');
    }
    await tx.membership.create({ data: { userId: user.id, tenantId: tenant.id, role, source: 'portal' } });
    await recordAudit(tx, {
      actor,
      action: 'membership.add',
      tenant: tenantName,
      target: { type: 'user', id: user.username },
      after: { user: user.username, role },
      outcome: 'success',
    });
  });
}

async function portalMembership(tenantName: string, username: string) {
  const tenant = await activeTenant(tenantName);
  const membership = await getDb().membership.findFirst({ where: { tenantId: tenant.id, user: { username } }, include: { user: true } });
  if (!membership) throw new UserFacingError(`${username} is not a member of ${tenantName}`, 'user');
  if (membership.source === 'idp') {
    throw new UserFacingError(
      `${username}'s role in ${tenantName} comes from an identity-provider group; change it there (it is re-read at every sign-in)`,
      'user',
    );
  }
  return membership;
}

export async function changeMembershipRole(actor: Actor, tenantName: string, username: string, role: TenantRole) {
  const membership = await portalMembership(tenantName, username);
  if (membership.role === role) return;
  await getDb().$transaction(async (tx) => {
    await tx.membership.update({ where: { id: membership.id }, data: { role } });
    await recordAudit(tx, {
      actor,
      action: 'membership.change-role',
      tenant: tenantName,
      target: { type: 'user', id: username },
      before: { role: membership.role },
      after: { role },
      outcome: 'success',
    });
  });
}

export async function removeMembership(actor: Actor, tenantName: string, username: string) {
  const membership = await portalMembership(tenantName, username);
  await getDb().$transaction(async (tx) => {
    await tx.membership.delete({ where: { id: membership.id } });
    await recordAudit(tx, {
      actor,
      action: 'membership.remove',
      tenant: tenantName,
      target: { type: 'user', id: username },
      before: { user: username, role: membership.role },
      outcome: 'success',
    });
  });
}
