import { getDb } from '../db/client';
import { log } from '../observability/logger';
import { requestContext } from '../observability/request-context';
import { recordAudit } from './log';
import { storableText } from './sanitize';
import { processSingleton } from '../process-singleton';

/**
 * Server-action calls without a session are refused before their input is read, and leave at
 * most one audit event per source address and minute: how many calls, to which actions, how
 * many bytes — never what they sent. Until the minute is over they are counted in
 * `anonymous_refusals` (one row per address and minute, shared by every replica); then each row
 * becomes one `anonymous.refused` audit event and is deleted, in one transaction, so a minute
 * is audited exactly once whichever replica flushes it.
 */

export const ANONYMOUS_REFUSAL_ACTION = 'anonymous.refused';
const MAX_ACTION_NAMES = 20;
const FLUSH_BATCH = 500;
const FLUSH_EVERY_MS = 5_000;

export function minuteOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 60_000) * 60_000);
}

/** Counts one refused call from `address` (bounded: the address and action name are cut, the body never kept). */
export async function noteAnonymousRefusal(
  call: { address: string; action: string; bytes: number },
  now = new Date(),
): Promise<void> {
  const address = storableText(call.address || 'unknown', 64);
  const action = storableText(call.action, 100);
  const bytes = Number.isFinite(call.bytes) && call.bytes > 0 ? Math.floor(call.bytes) : 0;
  await getDb().$executeRaw`
    INSERT INTO anonymous_refusals (source_address, minute, calls, bytes, actions)
    VALUES (${address}, ${minuteOf(now)}, 1, ${bytes}, jsonb_build_object(${action}::text, 1))
    ON CONFLICT (source_address, minute) DO UPDATE SET
      calls = anonymous_refusals.calls + 1,
      bytes = anonymous_refusals.bytes + EXCLUDED.bytes,
      actions = CASE
        WHEN anonymous_refusals.actions ? ${action}::text
          OR (SELECT count(*) FROM jsonb_object_keys(anonymous_refusals.actions)) < ${MAX_ACTION_NAMES}
        THEN jsonb_set(anonymous_refusals.actions, ARRAY[${action}::text], to_jsonb(COALESCE((anonymous_refusals.actions ->> ${action}::text)::int, 0) + 1))
        ELSE anonymous_refusals.actions
      END`;
}

interface RefusalRow {
  source_address: string;
  minute: Date;
  calls: number;
  bytes: bigint;
  actions: Record<string, number>;
}

/** Turns every finished minute's counts into audit events; returns how many were written. */
export async function flushAnonymousRefusals(now = new Date()): Promise<number> {
  const before = minuteOf(now);
  // Not part of whichever request happens to flush: the event stands for many.
  return requestContext.exit(() =>
    getDb().$transaction(async (tx) => {
      const rows = await tx.$queryRaw<RefusalRow[]>`
        DELETE FROM anonymous_refusals
        WHERE (source_address, minute) IN (
          SELECT source_address, minute FROM anonymous_refusals WHERE minute < ${before}
          ORDER BY minute, source_address LIMIT ${FLUSH_BATCH} FOR UPDATE SKIP LOCKED)
        RETURNING source_address, minute, calls, bytes, actions`;
      rows.sort((a, b) => a.minute.getTime() - b.minute.getTime() || a.source_address.localeCompare(b.source_address));
      for (const row of rows) {
        await recordAudit(tx, {
          actor: { name: 'anonymous' },
          action: ANONYMOUS_REFUSAL_ACTION,
          target: { type: 'source-address', id: row.source_address },
          outcome: 'denied',
          reason: `not signed in: ${row.calls} server-action call${row.calls === 1 ? '' : 's'} refused in the minute from ${row.minute.toISOString()}`,
          after: {
            sourceAddress: row.source_address,
            minute: row.minute.toISOString(),
            calls: row.calls,
            bytes: Number(row.bytes),
            actions: row.actions,
          },
        });
      }
      return rows.length;
    }),
  );
}

/** `flushAnonymousRefusals` at most every few seconds per process, never throwing (for request paths and timers). */
export function flushAnonymousRefusalsSoon(now = new Date()): Promise<void> {
  const state = processSingleton('audit.refusal-flush', (): { lastAt: number; running: Promise<unknown> | null } => ({
    lastAt: 0,
    running: null,
  }));
  if (state.running || now.getTime() - state.lastAt < FLUSH_EVERY_MS) return Promise.resolve();
  state.lastAt = now.getTime();
  const running = flushAnonymousRefusals(now)
    .catch((error: unknown) => log.error('could not audit anonymous refusals', { error }))
    .finally(() => {
      state.running = null;
    });
  state.running = running;
  return running.then(() => undefined);
}
