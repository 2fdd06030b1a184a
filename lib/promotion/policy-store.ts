import { recordAudit, type Actor } from '../audit/log';
import { getDb, type Tx } from '../db/client';
import type { Prisma } from '../db/generated/client';
import { UserFacingError } from '../errors';
import { DEFAULT_POLICY, policySchema, readPolicy, type Policy } from './policy';
import { policyWeakenings } from './policy-weakenings';

export interface StoredPolicy {
  policy: Policy;
  /** 0 while the tenant still runs on the defaults. */
  version: number;
  updatedBy: string | null;
  updatedAt: Date | null;
}

/** What saving a policy did: applied it, or — since it weakens a gate — proposed it to a second admin. */
export type PolicySaveOutcome =
  { kind: 'applied'; stored: StoredPolicy } | { kind: 'proposed'; proposalId: string; weakenings: string[] };

export interface PolicyProposal {
  id: string;
  baseVersion: number;
  policy: Policy;
  weakenings: string[];
  proposerId: string | null;
  proposerName: string;
  createdAt: Date;
}

async function tenantId(tenant: string): Promise<string> {
  const row = await getDb().tenant.findUnique({ where: { name: tenant }, select: { id: true } });
  if (!row) throw new UserFacingError(`There is no tenant ${tenant}.`);
  return row.id;
}

export async function getPolicy(tenant: string): Promise<StoredPolicy> {
  const row = await getDb().promotionPolicy.findFirst({ where: { tenant: { name: tenant } } });
  if (!row) return { policy: DEFAULT_POLICY, version: 0, updatedBy: null, updatedAt: null };
  return { policy: readPolicy(row.settings), version: row.version, updatedBy: row.updatedBy, updatedAt: row.updatedAt };
}

function parsePolicy(settings: unknown): Policy {
  const parsed = policySchema.safeParse(settings);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserFacingError(issue.message, String(issue.path[0] ?? 'form'));
  }
  return parsed.data;
}

/** Locks the tenant's policy for the rest of the transaction and reads it. */
async function lockPolicy(tx: Tx, id: string) {
  await tx.$queryRaw`SELECT 1 FROM tenants WHERE id = ${id}::uuid FOR UPDATE`;
  const current = await tx.promotionPolicy.findUnique({ where: { tenantId: id } });
  return { current, version: current?.version ?? 0, policy: current ? readPolicy(current.settings) : DEFAULT_POLICY };
}

/** Writes `policy` as the next version; proposals made from an older version no longer apply as written. */
async function applyPolicy(tx: Tx, id: string, currentVersion: number, policy: Policy, appliedBy: string) {
  const json = policy as unknown as Prisma.InputJsonValue;
  const row =
    currentVersion > 0
      ? await tx.promotionPolicy.update({
          where: { tenantId: id },
          data: { settings: json, version: currentVersion + 1, updatedBy: appliedBy },
        })
      : await tx.promotionPolicy.create({ data: { tenantId: id, settings: json, version: 1, updatedBy: appliedBy } });
  await tx.policyChange.updateMany({
    where: { tenantId: id, status: 'pending', baseVersion: { lt: row.version } },
    data: { status: 'superseded' },
  });
  return row;
}

/**
 * Saves a tenant's policy. `expectedVersion` is the version the editor started from: a form
 * submitted after someone else saved (or submitted twice) is refused rather than overwriting.
 * A change that only strengthens gates applies at once; one that weakens any gate becomes a
 * proposal that another tenant admin or a platform admin must accept (separation of duties).
 */
export async function savePolicy(
  actor: Actor,
  tenant: string,
  settings: unknown,
  expectedVersion: number,
): Promise<PolicySaveOutcome> {
  const next = parsePolicy(settings);
  const id = await tenantId(tenant);
  return getDb().$transaction(async (tx) => {
    const { current, version, policy: before } = await lockPolicy(tx, id);
    if (version !== expectedVersion) {
      throw new UserFacingError(
        `The policy was changed by ${current?.updatedBy ?? 'someone'} since you opened it. Reload to see their change, then edit again.`,
      );
    }
    const weakenings = policyWeakenings(before, next);
    const change = {
      tenantId: id,
      baseVersion: version,
      settings: next as unknown as Prisma.InputJsonValue,
      weakenings,
      proposerId: actor.id ?? null,
      proposerName: actor.name,
    };
    if (weakenings.length > 0) {
      const proposal = await tx.policyChange.create({ data: { ...change, status: 'pending' } });
      await recordAudit(tx, {
        actor,
        action: 'policy.propose',
        tenant,
        target: { type: 'policy-change', id: proposal.id },
        before,
        after: { policy: next, weakenings },
        outcome: 'success',
        reason: `weakens: ${weakenings.join('; ')}`,
      });
      return { kind: 'proposed', proposalId: proposal.id, weakenings };
    }
    const row = await applyPolicy(tx, id, version, next, actor.name);
    await tx.policyChange.create({ data: { ...change, status: 'applied', appliedVersion: row.version } });
    await recordAudit(tx, {
      actor,
      action: 'policy.update',
      tenant,
      target: { type: 'promotion-policy', id: tenant },
      before,
      after: next,
      outcome: 'success',
    });
    return {
      kind: 'applied',
      stored: { policy: next, version: row.version, updatedBy: row.updatedBy, updatedAt: row.updatedAt },
    };
  });
}

async function lockedProposal(tx: Tx, id: string, proposalId: string) {
  const locked = await lockPolicy(tx, id);
  const proposal = await tx.policyChange.findFirst({ where: { id: proposalId, tenantId: id } });
  if (!proposal) throw new UserFacingError('There is no such policy proposal in this tenant.');
  if (proposal.status !== 'pending')
    throw new UserFacingError(`This proposal is already ${proposal.status}; nothing was changed.`);
  return { ...locked, proposal };
}

/** A second admin accepts a proposed (weakening) change: never its proposer, and only if the policy has not moved since. */
export async function acceptPolicyProposal(
  actor: Actor & { id: string },
  tenant: string,
  proposalId: string,
): Promise<StoredPolicy> {
  const id = await tenantId(tenant);
  const outcome = await getDb().$transaction(async (tx) => {
    const { version, policy: before, proposal } = await lockedProposal(tx, id, proposalId);
    if (proposal.proposerId === actor.id) {
      throw new UserFacingError(
        'You proposed this change, so you cannot accept it: another admin of the tenant or a platform admin must.',
      );
    }
    if (proposal.baseVersion !== version) {
      await tx.policyChange.update({ where: { id: proposal.id }, data: { status: 'superseded' } });
      return { superseded: true as const };
    }
    const next = readPolicy(proposal.settings);
    const row = await applyPolicy(tx, id, version, next, `${actor.name} (proposed by ${proposal.proposerName})`);
    await tx.policyChange.update({
      where: { id: proposal.id },
      data: {
        status: 'accepted',
        appliedVersion: row.version,
        decidedById: actor.id,
        decidedByName: actor.name,
        decidedAt: new Date(),
      },
    });
    await recordAudit(tx, {
      actor,
      action: 'policy.accept',
      tenant,
      target: { type: 'policy-change', id: proposal.id },
      before,
      after: { policy: next, version: row.version, proposedBy: proposal.proposerName, weakenings: proposal.weakenings },
      outcome: 'success',
    });
    return {
      superseded: false as const,
      stored: { policy: next, version: row.version, updatedBy: row.updatedBy, updatedAt: row.updatedAt },
    };
  });
  if (outcome.superseded)
    throw new UserFacingError(
      'The policy changed after this was proposed, so it no longer applies as written; propose it again from the current policy.',
    );
  return outcome.stored;
}

/** Rejects a proposal (or its proposer withdraws it); the policy stays as it is. */
export async function rejectPolicyProposal(
  actor: Actor & { id: string },
  tenant: string,
  proposalId: string,
  comment: string,
): Promise<void> {
  const id = await tenantId(tenant);
  await getDb().$transaction(async (tx) => {
    const { proposal } = await lockedProposal(tx, id, proposalId);
    await tx.policyChange.update({
      where: { id: proposal.id },
      data: { status: 'rejected', decidedById: actor.id, decidedByName: actor.name, decidedAt: new Date(), comment },
    });
    await recordAudit(tx, {
      actor,
      action: proposal.proposerId === actor.id ? 'policy.withdraw' : 'policy.reject',
      tenant,
      target: { type: 'policy-change', id: proposal.id },
      after: { weakenings: proposal.weakenings, comment: comment || null },
      outcome: 'success',
    });
  });
}

export async function listPolicyProposals(tenant: string): Promise<PolicyProposal[]> {
  const rows = await getDb().policyChange.findMany({
    where: { tenant: { name: tenant }, status: 'pending' },
    orderBy: { createdAt: 'asc' },
    take: 50,
  });
  return rows.map((r) => ({
    id: r.id,
    baseVersion: r.baseVersion,
    policy: readPolicy(r.settings),
    weakenings: Array.isArray(r.weakenings) ? (r.weakenings as string[]) : [],
    proposerId: r.proposerId,
    proposerName: r.proposerName,
    createdAt: r.createdAt,
  }));
}

/**
 * When `userId` changed the tenant's policy since `since`: applied a change, proposed one that is
 * pending or was accepted, or accepted someone's proposal. Rejecting a weakening is no change.
 */
export async function policyChangesBy(tx: Tx, tenantId: string, userId: string, since: Date): Promise<Date[]> {
  const rows = await tx.policyChange.findMany({
    where: {
      tenantId,
      OR: [
        { proposerId: userId, createdAt: { gte: since }, status: { in: ['applied', 'pending', 'accepted'] } },
        { decidedById: userId, decidedAt: { gte: since }, status: 'accepted' },
      ],
    },
    select: { proposerId: true, createdAt: true, decidedAt: true },
  });
  return rows.map((r) => (r.proposerId === userId ? r.createdAt : r.decidedAt!));
}

/** The policies of `tenants` in one read, with their versions (0: the defaults); tenants unknown are left out. */
export async function getPolicies(tenants: readonly string[]): Promise<Map<string, StoredPolicy>> {
  const rows = await getDb().promotionPolicy.findMany({
    where: { tenant: { name: { in: [...tenants] } } },
    include: { tenant: { select: { name: true } } },
  });
  const byTenant = new Map(rows.map((row) => [row.tenant.name, row]));
  return new Map(
    tenants.map((tenant): [string, StoredPolicy] => {
      const row = byTenant.get(tenant);
      return [
        tenant,
        row
          ? {
              policy: readPolicy(row.settings),
              version: row.version,
              updatedBy: row.updatedBy,
              updatedAt: row.updatedAt,
            }
          : { policy: DEFAULT_POLICY, version: 0, updatedBy: null, updatedAt: null },
      ];
    }),
  );
}
