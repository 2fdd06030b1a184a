/**
 * Reads a promotion request's evidence pack: the request, the policy it was judged by, its gates
 * with their numbers, approvals (and whether each counts), the deployment and canary history with
 * every judgment, rollbacks and break-glass changes on its endpoint — each with the audit-log row
 * that recorded it, whole, so the pack can be checked against the hash chain.
 */
import { authorize, type Principal } from '../auth/authorize';
import { getDb } from '../db/client';
import type { GateResult } from '../promotion/gates';
import { readPolicy, type Policy } from '../promotion/policy';
import { requestDeployGates, requestGates } from '../promotion/requests';
import {
  auditRef,
  EVIDENCE_PACK_FORMAT,
  packAuditRow,
  pairRolloutAudit,
  type AuditRef,
  type AuditRowLike,
  type PackAuditRow,
} from './evidence';

export interface EvidencePack {
  format: typeof EVIDENCE_PACK_FORMAT;
  generatedAt: string;
  generatedBy: string;
  tenant: string;
  request: {
    id: string;
    model: string;
    version: string;
    runId: string;
    storageUri: string;
    endpoint: string;
    requester: string;
    filedViaPipeline: string | null;
    status: string;
    notes: string;
    modelCardUrl: string;
    requiredApprovals: number;
    createdAt: string;
    decidedAt: string | null;
    expiresAt: string;
    deployStep: string | null;
    deployError: string | null;
    /** The audit rows of the filing, its expiry and its deployment. */
    audit: AuditRef[];
  };
  policy: { version: number; settings: Policy };
  gates: GateResult[];
  /** The gates judged again just before the deployment wrote anything. */
  deployGates: GateResult[];
  approvals: {
    approver: string;
    decision: string;
    at: string;
    comment: string;
    counts: boolean;
    standing: string;
    audit: AuditRef | null;
  }[];
  rollout: {
    id: string;
    endpoint: string;
    version: string;
    previousVersion: string | null;
    steps: number[];
    state: string;
    startedAt: string;
    finishedAt: string | null;
    /** Oldest first: every check, judgment, action and outcome, with the values that drove it. */
    events: {
      id: string;
      at: string;
      kind: string;
      actor: string;
      decision: string;
      reason: string;
      values: unknown;
      /** Null for what changes nothing (checks, pauses, intents): those live in the rollout history only. */
      audit: AuditRef | null;
    }[];
  } | null;
  /** The rollout's rollbacks (manual and automatic), by rollout event id. */
  rollbacks: {
    eventId: string;
    at: string;
    actor: string;
    automatic: boolean;
    reason: string;
    audit: AuditRef | null;
  }[];
  breakGlass: {
    at: string;
    actor: string;
    reason: string;
    storageUri: string | null;
    canaryTrafficPercent: number | null;
    audit: AuditRef | null;
  }[];
  /** Every audit row the pack points at, whole, by id: what `npm run audit:verify -- --pack` checks. */
  auditEvents: PackAuditRow[];
  verification: string[];
}

const VERIFICATION = [
  'Every event above names the audit-log row that recorded it (id, hash, previous hash); auditEvents holds those rows whole.',
  'Each hash is sha256(previous hash + "\\n" + canonical JSON of the row), as lib/audit/chain.ts hashEvent computes it: recompute it from the pack.',
  'Run `npm run audit:verify -- --pack <this file>` against the portal database: it verifies the whole chain, recomputes every hash of the pack and checks that the log holds each row with the same id, hash and previous hash.',
  'Checks and pauses of automatic judgment change nothing and are not audited: they are kept, append-only, in the rollout history (rollout events).',
];

const iso = (date: Date | null) => (date ? date.toISOString() : null);
// Outcomes recorded after the rollout finished (an alias move back) come within a minute.
const WINDOW_SLACK_MS = 60_000;

/** The evidence pack of request `id` in `tenant`, for someone allowed `promotion.read` there; null when there is no such request. */
export async function evidencePack(principal: Principal & { username?: string }, tenant: string, id: string) {
  const tenantRow = await getDb().tenant.findUnique({ where: { name: tenant }, select: { id: true, status: true } });
  authorize(principal, 'promotion.read', { kind: 'tenant', tenant, status: tenantRow?.status });
  if (!tenantRow) return null;
  const request = await getDb().promotionRequest.findFirst({
    where: { id, tenantId: tenantRow.id },
    include: {
      approvals: { orderBy: { createdAt: 'asc' } },
      rollout: { include: { events: { orderBy: { id: 'asc' } } } },
    },
  });
  if (!request) return null;

  const rollout = request.rollout;
  const endpointTarget = `${tenant}/${request.endpoint}`;
  const windowEnd = new Date((rollout?.finishedAt ?? new Date()).getTime() + WINDOW_SLACK_MS);
  const [auditRows, breakGlass] = await Promise.all([
    getDb().auditEvent.findMany({
      where: {
        tenant,
        OR: [
          { targetId: request.id },
          {
            targetType: 'inference-service',
            targetId: endpointTarget,
            occurredAt: { gte: request.createdAt, lte: windowEnd },
          },
        ],
      },
      orderBy: { id: 'asc' },
      take: 5000,
    }),
    rollout
      ? getDb().breakGlassChange.findMany({
          where: {
            tenantId: tenantRow.id,
            endpoint: request.endpoint,
            observedAt: { gte: rollout.createdAt, lte: windowEnd },
          },
          orderBy: { observedAt: 'asc' },
        })
      : Promise.resolve([]),
  ]);

  const included = new Map<bigint, AuditRowLike>();
  const include = (row: AuditRowLike | undefined | null): AuditRef | null => {
    if (!row) return null;
    included.set(row.id, row);
    return auditRef(packAuditRow(row));
  };
  const requestAudit = auditRows.filter(
    (row) =>
      (row.targetId === request.id &&
        ['promotion.request', 'promotion.expire', 'promotion.deploy'].includes(row.action)) ||
      (row.action === 'promotion.deploy' &&
        row.targetId === endpointTarget &&
        (row.after as { request?: string } | null)?.request === request.id),
  );
  const approvalAudit = (approverId: string) =>
    auditRows.find(
      (row) =>
        row.targetId === request.id &&
        (row.action === 'promotion.approve' || row.action === 'promotion.reject') &&
        row.actorId === approverId,
    );
  const pairs = rollout
    ? pairRolloutAudit(
        rollout.events.map((e) => ({
          key: e.id.toString(),
          kind: e.kind,
          at: e.occurredAt,
          failedAction: e.kind === 'failed' ? ((e.values as { action?: string | null }).action ?? null) : undefined,
        })),
        auditRows.filter((row) => row.targetId === endpointTarget && row.action.startsWith('deployment.')),
      )
    : new Map<string, AuditRowLike>();
  // A rollout's start is written in the transaction that audits the deployment.
  const deployAudit = requestAudit.find((row) => row.action === 'promotion.deploy' && row.outcome === 'success');
  const breakGlassAudit = (declaredAt: string) =>
    auditRows.find(
      (row) =>
        row.action === 'deployment.break-glass' &&
        (row.after as { declaredAt?: string } | null)?.declaredAt === declaredAt,
    );

  const rolloutEvents =
    rollout?.events.map((e) => ({
      id: e.id.toString(),
      at: e.occurredAt.toISOString(),
      kind: e.kind,
      actor: e.actor,
      decision: e.decision,
      reason: e.reason,
      values: e.values,
      audit: include(e.kind === 'start' ? deployAudit : pairs.get(e.id.toString())),
    })) ?? [];

  const pack: EvidencePack = {
    format: EVIDENCE_PACK_FORMAT,
    generatedAt: new Date().toISOString(),
    generatedBy: principal.username ?? principal.id,
    tenant,
    request: {
      id: request.id,
      model: request.modelName,
      version: request.version,
      runId: request.runId,
      storageUri: request.storageUri,
      endpoint: request.endpoint,
      requester: request.requesterName,
      filedViaPipeline: request.pipeline,
      status: request.status,
      notes: request.notes,
      modelCardUrl: request.modelCardUrl,
      requiredApprovals: request.requiredApprovals,
      createdAt: request.createdAt.toISOString(),
      decidedAt: iso(request.decidedAt),
      expiresAt: request.expiresAt.toISOString(),
      deployStep: request.deployStep,
      deployError: request.deployError,
      audit: requestAudit.map((row) => include(row)!),
    },
    policy: { version: request.policyVersion, settings: readPolicy(request.policy) },
    gates: requestGates(request),
    deployGates: requestDeployGates(request),
    approvals: request.approvals.map((a) => ({
      approver: a.approverName,
      decision: a.decision,
      at: a.createdAt.toISOString(),
      comment: a.comment,
      counts: a.decision === 'approve' && a.counts,
      standing: a.standing,
      audit: include(approvalAudit(a.approverId)),
    })),
    rollout: rollout
      ? {
          id: rollout.id,
          endpoint: rollout.endpoint,
          version: rollout.version,
          previousVersion: rollout.previousVersion,
          steps: rollout.steps,
          state: rollout.state,
          startedAt: rollout.createdAt.toISOString(),
          finishedAt: iso(rollout.finishedAt),
          events: rolloutEvents,
        }
      : null,
    rollbacks: rolloutEvents
      .filter((e) => e.kind === 'rollback')
      .map((e) => ({
        eventId: e.id,
        at: e.at,
        actor: e.actor,
        automatic: e.actor === 'worker',
        reason: e.reason,
        audit: e.audit,
      })),
    breakGlass: breakGlass.map((c) => ({
      at: c.observedAt.toISOString(),
      actor: c.actor,
      reason: c.reason,
      storageUri: c.storageUri,
      canaryTrafficPercent: c.canaryTrafficPercent,
      audit: include(breakGlassAudit(c.declaredAt)),
    })),
    auditEvents: [],
    verification: VERIFICATION,
  };
  pack.auditEvents = [...included.values()].sort((a, b) => (a.id < b.id ? -1 : 1)).map(packAuditRow);
  return pack;
}
