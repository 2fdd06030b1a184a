import { can, type Principal, type TenantStatus } from '../auth/authorize';
import { recordAudit, type Actor } from '../audit/log';
import { getDb } from '../db/client';
import type { Prisma } from '../db/generated/client';
import { UserFacingError } from '../errors';
import { filedVia, type FilingChannel } from './filed-via';
import { blockingFailures, type GateResult } from './gates';
import { gatesFor, gatherEvidence, sharedPlatformHealth, type HealthSource } from './evaluation';
import { approvalStanding } from './approval-standing';
import { getPolicy, policyChangesBy } from './policy-store';
import { readPolicy, type Policy } from './policy';
import { gateFailed, promotionApproved, promotionRejected, promotionRequested } from '../notifications/events';
import { emitNotification } from '../notifications/outbox';

export interface RequestInput {
  modelName: string;
  version: string;
  modelCardUrl: string;
  notes: string;
  /** The pipeline run filing it: a service token's filing only (see filed-via.ts). */
  pipeline?: string;
}

const DETAIL = {
  approvals: { orderBy: { createdAt: 'asc' } },
  rollout: true,
  tenant: { select: { name: true } },
  filedViaToken: { select: { name: true, kind: true, prefix: true, createdByName: true } },
} as const satisfies Prisma.PromotionRequestInclude;
export type PromotionRequestDetail = Prisma.PromotionRequestGetPayload<{ include: typeof DETAIL }>;

export function requestGates(request: { gates: unknown }): GateResult[] {
  return Array.isArray(request.gates) ? (request.gates as GateResult[]) : [];
}

/** The gates judged again just before the deployment wrote anything (target-health), at its latest attempt. */
export function requestDeployGates(request: { deployGates: unknown }): GateResult[] {
  return Array.isArray(request.deployGates) ? (request.deployGates as GateResult[]) : [];
}

export function requestPolicy(request: { policy: unknown }): Policy {
  return readPolicy(request.policy);
}

/** The approvals that count towards the required number (see approval-standing.ts). */
export function countingApprovals<A extends { decision: string; counts: boolean }>(approvals: readonly A[]): A[] {
  return approvals.filter((a) => a.decision === 'approve' && a.counts);
}

export function isStale(request: { status: string; createdAt: Date }, policy: Policy, now = new Date()): boolean {
  return (
    request.status === 'pending' && now.getTime() - request.createdAt.getTime() > policy.staleAfterHours * 3_600_000
  );
}

/** A filing refused by its gates: the message for people, every gate's result for the API's callers. */
export class GatesRefusedError extends UserFacingError {
  constructor(readonly gates: GateResult[]) {
    const failing = blockingFailures(gates);
    super(`This version cannot be submitted: ${failing.map((g) => `${g.label} — ${g.detail}`).join(' ')}`);
    this.name = 'GatesRefusedError';
  }
}

/**
 * Files a promotion request after evaluating every gate on the server; a blocking failure refuses
 * it (GatesRefusedError). `channel` says how it came (the browser, or an API token), and with it
 * whether it may name the pipeline run filing it. `health`: where the target-health gate reads the
 * platform's findings (the shared answer; a fresh gathering in tests).
 */
export async function createPromotionRequest(
  actor: Actor & { id: string },
  tenant: string,
  input: RequestInput,
  channel: FilingChannel = { kind: 'browser' },
  health: HealthSource = sharedPlatformHealth,
) {
  const origin = filedVia(channel, input.pipeline);
  if (!origin.ok) throw new UserFacingError(origin.error, 'pipeline');
  const { policy, version: policyVersion } = await getPolicy(tenant);
  const evidence = await gatherEvidence(tenant, input.modelName, input.version, policy, health);
  const gates = gatesFor(evidence, policy, input);
  if (blockingFailures(gates).length > 0) {
    await recordRefusal(actor, tenant, input, gates);
    throw new GatesRefusedError(gates);
  }
  const endpoint = evidence.target.endpoint;

  return getDb().$transaction(async (tx) => {
    const tenantRow = await tx.tenant.findUniqueOrThrow({ where: { name: tenant } });
    // Serialise requests for one tenant so two clicks cannot file the same version twice.
    await tx.$queryRaw`SELECT 1 FROM tenants WHERE id = ${tenantRow.id}::uuid FOR UPDATE`;
    const open = await tx.promotionRequest.findFirst({
      where: {
        tenantId: tenantRow.id,
        modelName: input.modelName,
        version: input.version,
        status: { in: ['pending', 'deploying'] },
      },
    });
    if (open)
      throw new UserFacingError(
        `${input.modelName} v${input.version} already has an open promotion request (filed by ${open.requesterName}).`,
      );
    const request = await tx.promotionRequest.create({
      data: {
        tenantId: tenantRow.id,
        modelName: input.modelName,
        version: input.version,
        runId: evidence.version.runId,
        storageUri: evidence.modelUri!,
        endpoint,
        requesterId: actor.id,
        requesterName: actor.name,
        notes: input.notes.trim(),
        modelCardUrl: input.modelCardUrl.trim(),
        gates: gates as unknown as Prisma.InputJsonValue,
        policy: policy as unknown as Prisma.InputJsonValue,
        policyVersion,
        requiredApprovals: policy.requiredApprovals,
        expiresAt: new Date(Date.now() + policy.expireAfterHours * 3_600_000),
        filedViaTokenId: origin.filedVia.tokenId,
        pipeline: origin.filedVia.pipeline,
      },
    });
    await recordAudit(tx, {
      actor,
      action: 'promotion.request',
      tenant,
      target: { type: 'promotion-request', id: request.id },
      after: {
        model: input.modelName,
        version: input.version,
        endpoint,
        policyVersion,
        gates: gates.map((g) => ({ id: g.id, passed: g.passed })),
        ...(origin.filedVia.tokenId ? { filedVia: origin.filedVia } : {}),
      },
      outcome: 'success',
    });
    const notified = { requesterId: actor.id, actorId: actor.id };
    await emitNotification(tx, promotionRequested(tenant, request, gates), notified);
    // A failing gate that did not block is news for the requester, who may not have read every gate.
    const failing = gateFailed(tenant, request, request, gates);
    if (failing) await emitNotification(tx, failing, { requesterId: actor.id });
    return request;
  });
}

/**
 * A filing refused by a blocking gate changes nothing, but it is news for the requester (a
 * pipeline's team hears why its request did not go in) and for the tenant's webhooks: the refusal
 * is audited and its `promotion.gate_failed` event written in one transaction.
 */
async function recordRefusal(actor: Actor & { id: string }, tenant: string, input: RequestInput, gates: GateResult[]) {
  const failing = gateFailed(tenant, { ...input, requesterName: actor.name }, null, gates)!;
  await getDb().$transaction(async (tx) => {
    await recordAudit(tx, {
      actor,
      action: 'promotion.request',
      tenant,
      target: { type: 'model-version', id: `${input.modelName}/${input.version}` },
      after: {
        model: input.modelName,
        version: input.version,
        gates: gates.map((g) => ({ id: g.id, passed: g.passed })),
      },
      outcome: 'denied',
      reason: 'a blocking gate failed',
    });
    // The requester is told even though they caused it: the refusal is the news.
    await emitNotification(tx, failing, { requesterId: actor.id });
  });
}

export async function listPromotionRequests(tenant: string, options: { status?: 'pending' | 'open' | 'all' } = {}) {
  const status = options.status ?? 'all';
  return getDb().promotionRequest.findMany({
    where: {
      tenant: { name: tenant },
      ...(status === 'pending'
        ? { status: 'pending' }
        : status === 'open'
          ? { status: { in: ['pending', 'deploying', 'failed'] } }
          : {}),
    },
    include: DETAIL,
    orderBy: { createdAt: 'desc' },
    take: 200,
  });
}

export async function getPromotionRequest(tenant: string, id: string): Promise<PromotionRequestDetail | null> {
  return getDb().promotionRequest.findFirst({ where: { id, tenant: { name: tenant } }, include: DETAIL });
}

/** Pending, unexpired requests this person has not decided on yet, oldest first (before the permission check). */
function undecidedPending(principal: { id: string }) {
  return {
    where: { status: 'pending', expiresAt: { gt: new Date() }, approvals: { none: { approverId: principal.id } } },
    orderBy: { createdAt: 'asc' },
    take: 500,
  } as const satisfies Prisma.PromotionRequestFindManyArgs;
}

function mayDecide(
  principal: Principal,
  request: { requesterId: string; tenant: { name: string; status: TenantStatus } },
): boolean {
  return can(principal, 'promotion.approve', {
    kind: 'promotion',
    tenant: request.tenant.name,
    status: request.tenant.status,
    requesterId: request.requesterId,
  });
}

/** Pending, unexpired requests this person may decide on (never their own), oldest first. */
export async function listApprovable(principal: Principal & { id: string }) {
  const pending = await getDb().promotionRequest.findMany({
    ...undecidedPending(principal),
    include: { ...DETAIL, tenant: { select: { name: true, status: true } } },
  });
  return pending.filter((r) => mayDecide(principal, r));
}

/** For the navigation badge (on every page): the same count as `listApprovable`, reading only what the permission check needs. */
export async function countApprovable(principal: Principal & { id: string }): Promise<number> {
  const pending = await getDb().promotionRequest.findMany({
    ...undecidedPending(principal),
    select: { requesterId: true, tenant: { select: { name: true, status: true } } },
  });
  return pending.filter((r) => mayDecide(principal, r)).length;
}

export interface Decision {
  decision: 'approve' | 'reject';
  comment: string;
}

/**
 * Records one approver's decision. Returns whether the request is now finally approved, in
 * which case the caller starts the deployment (outside this transaction: it talks to MLflow and
 * Kubernetes, and a crash there must leave the approval recorded and the request resumable).
 */
export async function decidePromotion(
  actor: Actor & { id: string },
  tenant: string,
  requestId: string,
  input: Decision,
): Promise<{ finallyApproved: boolean; status: string; counts: boolean; standing: string }> {
  if (input.decision === 'reject' && input.comment.trim().length < 3)
    throw new UserFacingError('Say why you reject the request.', 'comment');
  return getDb().$transaction(async (tx) => {
    const locked = await tx.$queryRaw<
      { id: string }[]
    >`SELECT id FROM promotion_requests WHERE id = ${requestId}::uuid FOR UPDATE`;
    const request = locked.length
      ? await tx.promotionRequest.findFirst({
          where: { id: requestId, tenant: { name: tenant } },
          include: { approvals: true },
        })
      : null;
    if (!request) throw new UserFacingError('There is no such promotion request in this tenant.');
    if (request.requesterId === actor.id) throw new UserFacingError('You cannot approve or reject your own request.');
    if (request.status !== 'pending')
      throw new UserFacingError(`This request is already ${request.status}; nothing was changed.`);
    if (request.expiresAt <= new Date())
      throw new UserFacingError('This request has expired; the requester can file it again.');
    if (request.approvals.some((a) => a.approverId === actor.id))
      throw new UserFacingError('You have already decided on this request.');

    const membership = await tx.membership.findUnique({
      where: { userId_tenantId: { userId: actor.id, tenantId: request.tenantId } },
      select: { approverSince: true },
    });
    const standing = approvalStanding({
      approverName: actor.name,
      approverId: actor.id,
      requesterId: request.requesterId,
      tenant,
      requestFiledAt: request.createdAt,
      approverSince: membership?.approverSince ?? null,
      policyChangesSinceFiling: await policyChangesBy(tx, request.tenantId, actor.id, request.createdAt),
    });
    await tx.approval.create({
      data: {
        requestId,
        approverId: actor.id,
        approverName: actor.name,
        decision: input.decision,
        comment: input.comment.trim(),
        counts: standing.counts,
        standing: standing.reason,
      },
    });
    const before = countingApprovals(request.approvals).length;
    const approvals = before + countingApprovals([{ decision: input.decision, counts: standing.counts }]).length;
    // A rejection stands whoever gives it (it only holds a model back); approvals count only when they may.
    const status =
      input.decision === 'reject' ? 'rejected' : approvals >= request.requiredApprovals ? 'deploying' : 'pending';
    if (status !== 'pending')
      await tx.promotionRequest.update({ where: { id: requestId }, data: { status, decidedAt: new Date() } });
    const notified = { requesterId: request.requesterId, actorId: actor.id };
    if (status === 'deploying') {
      const approvers = [
        ...countingApprovals(request.approvals).map((a) => a.approverName),
        ...(standing.counts ? [actor.name] : []),
      ];
      await emitNotification(tx, promotionApproved(tenant, request, approvers), notified);
    } else if (status === 'rejected') {
      await emitNotification(tx, promotionRejected(tenant, request, actor.name, input.comment.trim()), notified);
    }
    await recordAudit(tx, {
      actor,
      action: input.decision === 'approve' ? 'promotion.approve' : 'promotion.reject',
      tenant,
      target: { type: 'promotion-request', id: requestId },
      before: { status: request.status, approvals: before },
      after: {
        status,
        approvals,
        required: request.requiredApprovals,
        counts: standing.counts,
        standing: standing.reason,
        comment: input.comment.trim() || null,
      },
      outcome: 'success',
    });
    return { finallyApproved: status === 'deploying', status, counts: standing.counts, standing: standing.reason };
  });
}

/** Expires pending requests past their deadline (run by the worker). */
export async function expireRequests(now = new Date()): Promise<number> {
  const due = await getDb().promotionRequest.findMany({
    where: { status: 'pending', expiresAt: { lte: now } },
    select: { id: true, tenant: { select: { name: true } } },
  });
  for (const request of due) {
    await getDb().$transaction(async (tx) => {
      const updated = await tx.promotionRequest.updateMany({
        where: { id: request.id, status: 'pending' },
        data: { status: 'expired', decidedAt: now },
      });
      if (updated.count === 0) return;
      await recordAudit(tx, {
        actor: { name: 'worker' },
        action: 'promotion.expire',
        tenant: request.tenant.name,
        target: { type: 'promotion-request', id: request.id },
        after: { status: 'expired' },
        outcome: 'success',
      });
    });
  }
  return due.length;
}
