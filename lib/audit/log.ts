import type { Prisma } from '../db/generated/client';
import { getDb, type Tx } from '../db/client';
import { currentRequestId } from '../observability/request-context';
import { GENESIS_HASH, hashEvent, verifyChain, type ChainVerdict, type ChainedEvent } from './chain';
import { storableJson, storableOptionalText, storableText } from './sanitize';

export type AuditOutcome = 'success' | 'denied' | 'failed';

export interface Actor {
  /** The portal user id; absent for the system itself (worker, seeder, sign-in sync). */
  id?: string;
  /** A readable name kept with the event, so the log still reads right after renames. */
  name: string;
}

export interface AuditInput {
  actor: Actor;
  action: string;
  tenant?: string | null;
  target?: { type: string; id: string } | null;
  before?: unknown;
  after?: unknown;
  outcome: AuditOutcome;
  reason?: string | null;
}

// Serialises writers so each event links to the one before it; held until the transaction ends.
const CHAIN_LOCK_KEY = 4_242_001;

/**
 * Appends one event inside the caller's transaction: the event exists exactly when the change
 * it describes does. Every value is made storable first (no NUL, no lone surrogate, bounded
 * lengths), so what a client sent can never make this write — and so the change — fail.
 */
export async function recordAudit(tx: Tx, input: AuditInput): Promise<bigint> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${CHAIN_LOCK_KEY})`;
  const [last] = await tx.$queryRaw<{ hash: string }[]>`SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1`;
  const [next] = await tx.$queryRaw<
    { id: bigint }[]
  >`SELECT nextval(pg_get_serial_sequence('audit_events', 'id')) AS id`;
  const prevHash = last?.hash ?? GENESIS_HASH;
  const content = {
    id: next!.id,
    occurredAt: new Date(),
    actorId: input.actor.id ?? null,
    actor: storableText(input.actor.name, 200),
    action: storableText(input.action, 100),
    tenant: storableOptionalText(input.tenant, 100),
    targetType: storableOptionalText(input.target?.type, 100),
    targetId: storableOptionalText(input.target?.id, 1000),
    before: storableJson(input.before),
    after: storableJson(input.after),
    outcome: input.outcome,
    reason: storableOptionalText(input.reason, 2000),
    requestId: storableOptionalText(currentRequestId(), 100),
  };
  const hash = hashEvent(prevHash, content);
  await tx.auditEvent.create({
    data: {
      ...content,
      before: (content.before ?? undefined) as Prisma.InputJsonValue | undefined,
      after: (content.after ?? undefined) as Prisma.InputJsonValue | undefined,
      prevHash,
      hash,
    },
  });
  return content.id;
}

/** For events with no change to go with them, such as a denied attempt. */
export async function recordAuditAlone(input: AuditInput): Promise<bigint> {
  return getDb().$transaction((tx) => recordAudit(tx, input));
}

/** Walks the whole log in id order, in batches, checking every link of the chain. */
export async function verifyAuditLog(batchSize = 1000): Promise<ChainVerdict> {
  const db = getDb();
  let verdict: ChainVerdict = { ok: true, checked: 0, lastHash: GENESIS_HASH };
  let afterId = 0n;
  for (;;) {
    const rows = await db.auditEvent.findMany({
      where: { id: { gt: afterId } },
      orderBy: { id: 'asc' },
      take: batchSize,
    });
    if (rows.length === 0) return verdict;
    verdict = verifyChain(rows as ChainedEvent[], verdict.lastHash, verdict.checked);
    if (!verdict.ok) return verdict;
    afterId = rows[rows.length - 1]!.id;
  }
}

export interface AuditQuery {
  tenant?: string;
  actor?: string;
  action?: string;
  from?: Date;
  to?: Date;
  /** Keyset pagination: events older than this id. */
  before?: bigint;
  limit: number;
}

export async function listAuditEvents(query: AuditQuery) {
  const rows = await getDb().auditEvent.findMany({
    where: {
      tenant: query.tenant,
      actor: query.actor,
      action: query.action ? { startsWith: query.action } : undefined,
      occurredAt: query.from || query.to ? { gte: query.from, lte: query.to } : undefined,
      id: query.before ? { lt: query.before } : undefined,
    },
    orderBy: { id: 'desc' },
    take: query.limit + 1,
  });
  const hasMore = rows.length > query.limit;
  const events = rows.slice(0, query.limit);
  return { events, nextBefore: hasMore ? events[events.length - 1]!.id : undefined };
}
