/**
 * A promotion request's evidence pack, the pure part: which audit-log rows belong to which of the
 * request's events, and how a pack is checked against the audit log's hash chain (lib/audit/chain.ts).
 * The pack carries each audit row whole (its content, previous hash and hash), so an auditor can
 * recompute every hash from the pack alone and `npm run audit:verify -- --pack <file>` can confirm
 * that the log holds those very rows, unbroken.
 */
import { hashEvent, type ChainedEvent, type JsonValue } from '../audit/chain';

export const EVIDENCE_PACK_FORMAT = 'mlp.evidence-pack/1';

/** One audit-log row as the pack carries it: everything its hash covers, with ids and times as strings. */
export type PackAuditRow = Omit<ChainedEvent, 'id' | 'occurredAt'> & { id: string; occurredAt: string };

/** What an event of the pack points at in the audit log. */
export interface AuditRef {
  id: string;
  hash: string;
  prevHash: string;
}

export const auditRef = (row: Pick<PackAuditRow, 'id' | 'hash' | 'prevHash'>): AuditRef => ({
  id: row.id,
  hash: row.hash,
  prevHash: row.prevHash,
});

/** An audit-log row as the database returns it (its JSON columns not yet read as JSON values). */
export type AuditRowLike = Omit<ChainedEvent, 'before' | 'after'> & { before: unknown; after: unknown };

export function packAuditRow(row: AuditRowLike): PackAuditRow {
  return {
    id: row.id.toString(),
    occurredAt: row.occurredAt.toISOString(),
    actorId: row.actorId,
    actor: row.actor,
    action: row.action,
    tenant: row.tenant,
    targetType: row.targetType,
    targetId: row.targetId,
    before: (row.before ?? null) as JsonValue | null,
    after: (row.after ?? null) as JsonValue | null,
    outcome: row.outcome,
    reason: row.reason,
    requestId: row.requestId,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

/** The audit action an outcome of a rollout is recorded under (lib/rollout/actions.ts), by the rollout event's kind. */
const ROLLOUT_AUDIT_ACTIONS: Record<string, string> = {
  rollback: 'deployment.rollback',
  step: 'deployment.step',
  promote: 'deployment.promote',
};

// An outcome and its audit row are written in one transaction: seconds apart at most.
const SAME_TRANSACTION_MS = 10_000;

export interface TimedEvent {
  key: string;
  kind: string;
  at: Date;
  /** For a `failed` outcome: the action that failed (its audit row has outcome `failed`). */
  failedAction?: string | null;
}

/**
 * Pairs each rollout outcome with the audit row written in its transaction: same kind of action,
 * the nearest in time within seconds, each row used once. Checks and pauses are not audited
 * (they change nothing); they stay unpaired.
 */
export function pairRolloutAudit(
  events: readonly TimedEvent[],
  rows: readonly AuditRowLike[],
): Map<string, AuditRowLike> {
  const used = new Set<bigint>();
  const pairs = new Map<string, AuditRowLike>();
  for (const event of events) {
    const wanted =
      event.kind === 'failed'
        ? event.failedAction === 'rollback'
          ? 'deployment.rollback'
          : 'deployment.promote'
        : ROLLOUT_AUDIT_ACTIONS[event.kind];
    if (!wanted) continue;
    let best: AuditRowLike | null = null;
    for (const row of rows) {
      if (used.has(row.id) || !row.action.startsWith(wanted)) continue;
      if ((event.kind === 'failed') !== (row.outcome === 'failed')) continue;
      const distance = Math.abs(row.occurredAt.getTime() - event.at.getTime());
      if (distance > SAME_TRANSACTION_MS) continue;
      if (!best || distance < Math.abs(best.occurredAt.getTime() - event.at.getTime())) best = row;
    }
    if (best) {
      used.add(best.id);
      pairs.set(event.key, best);
    }
  }
  return pairs;
}

/** What checking a pack against the audit log found. */
export type PackVerdict = { ok: true; checked: number } | { ok: false; checked: number; problems: string[] };

/**
 * Checks a pack's audit rows: each hash recomputed from the content the pack carries, and each row
 * the same (id, hash, previous hash) as the log's own row of that id. With the log's chain verified
 * whole (`verifyAuditLog`), this proves the pack's events are the log's, unchanged.
 */
export function verifyPackRows(
  rows: readonly PackAuditRow[],
  logRowsById: ReadonlyMap<string, { hash: string; prevHash: string }>,
): PackVerdict {
  const problems: string[] = [];
  for (const row of rows) {
    const content = {
      ...row,
      id: BigInt(row.id),
      occurredAt: new Date(row.occurredAt),
    };
    if (hashEvent(row.prevHash, content) !== row.hash)
      problems.push(`audit event ${row.id}: the pack's content does not give its hash (the pack was changed)`);
    const logged = logRowsById.get(row.id);
    if (!logged) problems.push(`audit event ${row.id}: not in the audit log`);
    else if (logged.hash !== row.hash || logged.prevHash !== row.prevHash)
      problems.push(`audit event ${row.id}: its hash in the pack differs from the audit log's`);
  }
  return problems.length === 0 ? { ok: true, checked: rows.length } : { ok: false, checked: rows.length, problems };
}
