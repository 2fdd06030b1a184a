import { cache } from 'react';
import { approverSinceAfter, can, type Principal, type TenantRole } from '../auth/authorize';
import { recordAudit, type Actor } from '../audit/log';
import { getDb } from '../db/client';
import type { Prisma } from '../db/generated/client';
import { UserFacingError } from '../errors';
import { PORTAL_ACTOR, type KubeActor } from '../integrations/kubernetes';
import { log } from '../observability/logger';
import { describeProgress, remainingSteps, RUN_LEASE_MS, type Operation, type TenantProgress } from './progress';
import { provisioningSteps, type ProvisioningContext, type ProvisioningStep, type TenantRef } from './provisioning';
import { parseStoredQuota, type QuotaRequest } from './quota';

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

export interface TenantWithProgress extends TenantSummary {
  quotaRequest: QuotaRequest | null;
  progress: TenantProgress;
}

/** Which steps to run, and as whom at the Kubernetes API (see ProvisioningContext). */
export interface ProvisioningOptions {
  steps?: ProvisioningStep[];
  /** Defaults to the portal's own identity, which can only confirm what is already in place. */
  kube?: KubeActor;
}

export async function findTenant(name: string) {
  return getDb().tenant.findUnique({ where: { name } });
}

const summarySelect = {
  id: true,
  name: true,
  displayName: true,
  description: true,
  status: true,
  provisioningError: true,
  createdAt: true,
  _count: { select: { memberships: true } },
} as const;

export async function listTenants(options: { includeArchived?: boolean } = {}): Promise<TenantSummary[]> {
  const tenants = await getDb().tenant.findMany({
    where: options.includeArchived ? undefined : { status: { not: 'archived' } },
    orderBy: { name: 'asc' },
    select: summarySelect,
  });
  return tenants.map(({ _count, ...t }) => ({ ...t, memberCount: _count.memberships }));
}

function stepTitles(steps: readonly ProvisioningStep[] = provisioningSteps()): Map<string, string> {
  return new Map(steps.map((s) => [s.key, s.title]));
}

/** Every tenant (archived ones too) with each provisioning step's progress, for the admin page. */
export async function listTenantsWithProgress(steps?: ProvisioningStep[]): Promise<TenantWithProgress[]> {
  const titles = stepTitles(steps);
  const now = new Date();
  const tenants = await getDb().tenant.findMany({
    orderBy: { name: 'asc' },
    select: { ...summarySelect, quotaRequest: true, runStartedAt: true, provisioningSteps: true },
  });
  return tenants.map(({ _count, provisioningSteps: rows, runStartedAt, quotaRequest, ...t }) => ({
    ...t,
    memberCount: _count.memberships,
    quotaRequest: parseStoredQuota(quotaRequest),
    progress: describeProgress(rows, titles, runStartedAt, now),
  }));
}

/** One tenant's status and step progress (polled by the admin page while a run is under way); null if there is no such tenant. */
export async function tenantProgress(
  name: string,
  steps?: ProvisioningStep[],
): Promise<(TenantProgress & { status: TenantSummary['status']; provisioningError: string | null }) | null> {
  const tenant = await getDb().tenant.findUnique({ where: { name }, include: { provisioningSteps: true } });
  if (!tenant) return null;
  return {
    status: tenant.status,
    provisioningError: tenant.provisioningError,
    ...describeProgress(tenant.provisioningSteps, stepTitles(steps), tenant.runStartedAt, new Date()),
  };
}

/**
 * The non-archived tenants, read once per server render: the layout's menu and the page under it
 * (home, dashboards) both need them. Outside a render (actions, the worker) each call reads afresh.
 */
export const listTenantsOncePerRender = cache(() => listTenants());

/** The tenants this person may open, for the tenant switcher and the home page. */
export async function listVisibleTenants(principal: Principal): Promise<TenantSummary[]> {
  const tenants = await listTenantsOncePerRender();
  return tenants.filter((t) => can(principal, 'tenant.view', { kind: 'tenant', tenant: t.name, status: t.status }));
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === 'P2002';
}

/**
 * Creates the tenant's record and provisions it, step by step, as `options.kube`. Bad input —
 * a name in use by a tenant, or by a namespace the portal did not make — is refused before
 * anything is written anywhere.
 */
export async function createTenant(
  actor: Actor,
  input: { name: string; displayName: string; description: string; quota?: QuotaRequest | null },
  options: ProvisioningOptions = {},
): Promise<TenantSummary> {
  const steps = options.steps ?? provisioningSteps();
  const context: ProvisioningContext = { kube: options.kube ?? PORTAL_ACTOR, quota: input.quota ?? null };
  const db = getDb();
  const taken = () => new UserFacingError(`A tenant named "${input.name}" already exists`, 'name');
  if (await db.tenant.findUnique({ where: { name: input.name } })) throw taken();
  const ref = { id: '', name: input.name, displayName: input.displayName, description: input.description };
  for (const step of steps) await step.preflight?.(ref, context);

  let tenant;
  try {
    tenant = await db.$transaction(async (tx) => {
      if (await tx.tenant.findUnique({ where: { name: input.name } })) throw taken();
      const created = await tx.tenant.create({
        data: {
          name: input.name,
          displayName: input.displayName,
          description: input.description,
          status: 'provisioning',
          quotaRequest: (input.quota ?? undefined) as Prisma.InputJsonValue | undefined,
          runStartedAt: new Date(),
        },
      });
      await tx.tenantProvisioningStep.createMany({
        data: steps.map((step, position) => ({
          tenantId: created.id,
          step: step.key,
          position,
          operation: 'provision' as const,
        })),
      });
      await recordAudit(tx, {
        actor,
        action: 'tenant.create',
        tenant: created.name,
        target: { type: 'tenant', id: created.name },
        after: {
          name: created.name,
          displayName: created.displayName,
          description: created.description,
          quota: input.quota ?? null,
        },
        outcome: 'success',
      });
      return created;
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw taken();
    throw error;
  }
  return runSteps(actor, tenant, 'provision', steps, context, { onlyRemaining: false, statusBefore: 'provisioning' });
}

/**
 * Takes the tenant's run lease: one provisioning or archiving run at a time. A lease older than
 * RUN_LEASE_MS belongs to a run that was interrupted (a restart) and is taken over.
 */
async function claimRun(tenantId: string, name: string): Promise<void> {
  const claimed = await getDb().tenant.updateMany({
    where: {
      id: tenantId,
      OR: [{ runStartedAt: null }, { runStartedAt: { lt: new Date(Date.now() - RUN_LEASE_MS) } }],
    },
    data: { runStartedAt: new Date() },
  });
  if (claimed.count === 0)
    throw new UserFacingError(`Tenant "${name}" is being provisioned or archived right now; wait for that to finish`);
}

/**
 * "Retry": finishes the tenant's latest run — the provisioning steps (or, after an interrupted
 * archive, the archiving steps) not yet done. Each step is idempotent, so a step that was half
 * done is simply run again.
 */
export async function provisionTenant(
  actor: Actor,
  name: string,
  options: ProvisioningOptions = {},
): Promise<TenantSummary> {
  const steps = options.steps ?? provisioningSteps();
  const tenant = await getDb().tenant.findUnique({ where: { name }, include: { provisioningSteps: true } });
  if (!tenant) throw new UserFacingError(`There is no tenant named "${name}"`);
  if (tenant.status === 'archived') throw new UserFacingError(`Tenant "${name}" is archived`);
  const operation: Operation = tenant.provisioningSteps.some((r) => r.operation === 'archive')
    ? 'archive'
    : 'provision';
  await claimRun(tenant.id, name);
  if (operation === 'provision')
    await getDb().tenant.update({ where: { id: tenant.id }, data: { status: 'provisioning' } });
  const context: ProvisioningContext = {
    kube: options.kube ?? PORTAL_ACTOR,
    quota: parseStoredQuota(tenant.quotaRequest),
  };
  return runSteps(actor, tenant, operation, steps, context, {
    onlyRemaining: true,
    rows: tenant.provisioningSteps,
    statusBefore: tenant.status,
  });
}

/**
 * Archives the tenant on every system — the provisioning steps backwards, keeping data — then
 * marks it archived. If a step fails the tenant is `incomplete` with the step named, and Retry
 * finishes the archiving.
 */
export async function archiveTenant(
  actor: Actor,
  name: string,
  options: ProvisioningOptions = {},
): Promise<TenantSummary> {
  const steps = options.steps ?? provisioningSteps();
  const db = getDb();
  const tenant = await db.tenant.findUnique({ where: { name } });
  if (!tenant) throw new UserFacingError(`There is no tenant named "${name}"`, 'name');
  if (tenant.status === 'archived') throw new UserFacingError(`Tenant "${name}" is already archived`);
  await claimRun(tenant.id, name);
  await db.$transaction([
    db.tenantProvisioningStep.deleteMany({ where: { tenantId: tenant.id } }),
    db.tenantProvisioningStep.createMany({
      data: steps.map((step, position) => ({
        tenantId: tenant.id,
        step: step.key,
        position,
        operation: 'archive' as const,
      })),
    }),
  ]);
  const context: ProvisioningContext = {
    kube: options.kube ?? PORTAL_ACTOR,
    quota: parseStoredQuota(tenant.quotaRequest),
  };
  return runSteps(actor, tenant, 'archive', steps, context, { onlyRemaining: false, statusBefore: tenant.status });
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs the steps of one operation in its order, recording each step's progress, stopping at the first failure. */
async function runSteps(
  actor: Actor,
  tenant: TenantRef & { status: string },
  operation: Operation,
  steps: ProvisioningStep[],
  context: ProvisioningContext,
  options: { onlyRemaining: boolean; rows?: Parameters<typeof remainingSteps>[0]; statusBefore: string },
): Promise<TenantSummary> {
  const db = getDb();
  const ordered = operation === 'archive' ? [...steps].reverse() : steps;
  const toRun = new Set(
    options.onlyRemaining
      ? remainingSteps(
          options.rows ?? [],
          ordered.map((s) => s.key),
          operation,
        )
      : ordered.map((s) => s.key),
  );
  const positions = new Map(steps.map((s, i) => [s.key, i]));
  const record = (
    step: ProvisioningStep,
    data: Omit<Prisma.TenantProvisioningStepUncheckedCreateInput, 'tenantId' | 'step' | 'position' | 'operation'>,
  ) =>
    db.tenantProvisioningStep.upsert({
      where: { tenantId_step: { tenantId: tenant.id, step: step.key } },
      create: { tenantId: tenant.id, step: step.key, position: positions.get(step.key)!, operation, ...data },
      update: { operation, ...data },
    });

  const done: string[] = [];
  let failure: { step: ProvisioningStep; message: string } | null = null;
  for (const step of ordered) {
    if (!toRun.has(step.key)) continue;
    const startedAt = new Date();
    await db.$transaction([
      record(step, { state: 'running', startedAt, finishedAt: null, error: null, detail: null }),
      // Renews the lease: a long run is not mistaken for an interrupted one.
      db.tenant.update({ where: { id: tenant.id }, data: { runStartedAt: startedAt } }),
    ]);
    try {
      const detail = await step[operation](tenant, context);
      await record(step, { state: 'done', detail: detail || null, finishedAt: new Date() });
      done.push(step.key);
    } catch (error) {
      const message = messageOf(error);
      failure = { step, message };
      await record(step, { state: 'failed', error: message, finishedAt: new Date() });
      log.warn(`tenant ${operation} step failed`, { tenant: tenant.name, step: step.key, error });
      break;
    }
  }

  const verb = operation === 'archive' ? 'Archiving' : 'Provisioning';
  const error = failure
    ? operation === 'archive'
      ? `${verb} stopped at ${failure.step.title}: ${failure.message}`
      : `${failure.step.title}: ${failure.message}`
    : null;
  const status = failure ? 'incomplete' : operation === 'archive' ? 'archived' : 'active';
  await db.$transaction(async (tx) => {
    await tx.tenant.update({
      where: { id: tenant.id },
      data: {
        status,
        provisioningError: error,
        runStartedAt: null,
        ...(status === 'archived' ? { archivedAt: new Date() } : {}),
      },
    });
    await recordAudit(tx, {
      actor,
      action: `tenant.${operation}`,
      tenant: tenant.name,
      target: { type: 'tenant', id: tenant.name },
      before: { status: options.statusBefore },
      after: { status, steps: done },
      outcome: failure ? 'failed' : 'success',
      reason: error,
    });
  });
  const summary = (await listTenants({ includeArchived: true })).find((t) => t.id === tenant.id);
  return summary!;
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
  if (tenant.status === 'archived')
    throw new UserFacingError(`Tenant "${name}" is archived; its members can no longer change`);
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

/** Separation of duties: nobody grants, raises, lowers or removes their own role; another admin must. */
function refuseOwnMembership(actor: Actor, userId: string): void {
  if (actor.id === userId)
    throw new UserFacingError(
      'You cannot change your own membership: another admin of the tenant or a platform admin must do it.',
      'user',
    );
}

export async function addMembership(actor: Actor, tenantName: string, usernameOrEmail: string, role: TenantRole) {
  const tenant = await activeTenant(tenantName);
  const user = await findUserByNameOrEmail(usernameOrEmail);
  refuseOwnMembership(actor, user.id);
  await getDb().$transaction(async (tx) => {
    const existing = await tx.membership.findUnique({
      where: { userId_tenantId: { userId: user.id, tenantId: tenant.id } },
    });
    if (existing) {
      throw new UserFacingError(
        `${user.username} is already ${existing.role} of ${tenantName}; change the role in the list below`,
        'user',
      );
    }
    await tx.membership.create({
      data: {
        userId: user.id,
        tenantId: tenant.id,
        role,
        source: 'portal',
        approverSince: approverSinceAfter(null, role, new Date()),
      },
    });
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
  const membership = await getDb().membership.findFirst({
    where: { tenantId: tenant.id, user: { username } },
    include: { user: true },
  });
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
  refuseOwnMembership(actor, membership.userId);
  if (membership.role === role) return;
  await getDb().$transaction(async (tx) => {
    await tx.membership.update({
      where: { id: membership.id },
      data: { role, approverSince: approverSinceAfter(membership, role, new Date()) },
    });
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
  refuseOwnMembership(actor, membership.userId);
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
