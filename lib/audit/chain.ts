import { createHash } from 'node:crypto';

/**
 * The audit log's hash chain, as pure functions. Each event's hash covers its own content and
 * the previous event's hash, so changing, removing or reordering any event breaks every hash
 * after it.
 */

export const GENESIS_HASH = '0'.repeat(64);

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export interface ChainedContent {
  id: bigint;
  occurredAt: Date;
  actorId: string | null;
  actor: string;
  action: string;
  tenant: string | null;
  targetType: string | null;
  targetId: string | null;
  before: JsonValue | null;
  after: JsonValue | null;
  outcome: string;
  reason: string | null;
  requestId: string | null;
}

export interface ChainedEvent extends ChainedContent {
  prevHash: string;
  hash: string;
}

/** JSON with object keys sorted at every depth: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** What a value becomes after a round trip through a JSON column (Dates to strings, undefined dropped). */
export function toJsonValue(value: unknown): JsonValue | null {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))) as JsonValue;
}

export function hashEvent(prevHash: string, content: ChainedContent): string {
  const body = canonicalJson({
    id: content.id.toString(),
    occurredAt: content.occurredAt.toISOString(),
    actorId: content.actorId,
    actor: content.actor,
    action: content.action,
    tenant: content.tenant,
    targetType: content.targetType,
    targetId: content.targetId,
    before: content.before,
    after: content.after,
    outcome: content.outcome,
    reason: content.reason,
    requestId: content.requestId,
  });
  return createHash('sha256').update(prevHash).update('\n').update(body).digest('hex');
}

export type ChainVerdict =
  { ok: true; checked: number; lastHash: string } | { ok: false; checked: number; brokenAt: bigint; problem: string };

/**
 * Checks events in id order, continuing from `prevHash` (the hash of the event before the first
 * one given), so a long log can be verified in batches.
 */
export function verifyChain(events: readonly ChainedEvent[], prevHash = GENESIS_HASH, checkedBefore = 0): ChainVerdict {
  let previous = prevHash;
  let checked = checkedBefore;
  for (const event of events) {
    if (event.prevHash !== previous) {
      return {
        ok: false,
        checked,
        brokenAt: event.id,
        problem: `event ${event.id} does not follow the event before it (an event was removed, inserted or reordered)`,
      };
    }
    if (hashEvent(event.prevHash, event) !== event.hash) {
      return {
        ok: false,
        checked,
        brokenAt: event.id,
        problem: `event ${event.id} was changed after it was written (its hash does not match its content)`,
      };
    }
    previous = event.hash;
    checked += 1;
  }
  return { ok: true, checked, lastHash: previous };
}
