import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { z } from 'zod';
import { useTestDatabase, type TestDatabase } from '../../test/db';
import { ANONYMOUS_REFUSAL_ACTION, flushAnonymousRefusals } from '../audit/refusals';
import { verifyAuditLog } from '../audit/log';
import type { SessionUser } from '../auth/users';
import { getDb } from '../db/client';
import { requestContext, type RequestContext } from '../observability/request-context';
import { closeRateLimits } from '../security/rate-limit';

// The session is next-auth's (it needs a Next.js request); here it is whoever the test says.
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock('../auth/session', () => ({ getCurrentUser: async () => session.user }));

const { defineAction } = await import('./define-action');

const frank: SessionUser = {
  id: randomUUID(),
  username: 'frank',
  name: 'Frank',
  email: null,
  platformRoles: ['platform-admin'],
  memberships: [],
};
const alice: SessionUser = {
  id: randomUUID(),
  username: 'alice',
  name: 'Alice',
  email: null,
  platformRoles: [],
  memberships: [{ tenant: 'fraud', role: 'member' }],
};

let database: TestDatabase;
beforeAll(async () => {
  process.env.RATE_LIMIT_USER_ACTIONS_PER_MINUTE = '5';
  database = await useTestDatabase();
  for (const user of [frank, alice]) {
    await getDb().user.create({ data: { id: user.id, subject: `sub-${user.username}`, username: user.username } });
  }
});
afterAll(async () => {
  delete process.env.RATE_LIMIT_USER_ACTIONS_PER_MINUTE;
  await closeRateLimits();
  await getDb().$disconnect();
  await database.drop();
});
beforeEach(async () => {
  session.user = null;
  await getDb().$executeRawUnsafe('DELETE FROM rate_limits');
});

/** Counts how often the action's input was parsed, and how often it ran. */
function probe() {
  const seen = { parsed: 0, ran: 0 };
  const action = defineAction({
    name: 'tenant.create',
    input: z.object({ name: z.string().transform((v) => (seen.parsed++, v)), notes: z.string().optional() }),
    permission: () => ({ action: 'tenant.create', resource: { kind: 'platform' } }),
    async run() {
      seen.ran++;
      return { ok: true, message: 'done' };
    },
  });
  return { action, seen };
}

/** Calls the action as anyone can over HTTP: with any input at all, whatever its type says. */
function call(
  action: ReturnType<typeof probe>['action'],
  input: Record<string, unknown>,
  context: Partial<RequestContext> = {},
) {
  const store: RequestContext = { requestId: randomUUID(), clientAddress: '203.0.113.7', bodyBytes: 1234, ...context };
  return requestContext.run(store, async () => ({
    result: await action(null, input as Parameters<typeof action>[1]),
    store,
  }));
}

const auditCount = () => getDb().auditEvent.count();
const hostile = { name: `x\u0000y\uD800${'z'.repeat(3_000_000)}`, notes: '\uDFFF\u0000' };

describe('defineAction against hostile callers', () => {
  it('refuses calls without a session before parsing or auditing their input, counting them per address and minute', async () => {
    // All in one minute (only Date is faked: timers and the database run as usual).
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-12-07T10:00:05Z'));
    onTestFinished(() => {
      vi.useRealTimers();
    });
    const { action, seen } = probe();
    const before = await auditCount();
    for (let i = 0; i < 25; i++) {
      const { result, store } = await call(action, hostile);
      expect(result).toEqual({ ok: false, error: 'Your session has ended: sign in again.' });
      expect(store.response).toEqual({ status: 401, headers: undefined });
    }
    await call(action, hostile, { clientAddress: '198.51.100.9', bodyBytes: 10 });
    expect(seen).toEqual({ parsed: 0, ran: 0 });
    // Nothing is audited while the minute lasts: 26 calls wrote no event.
    expect(await auditCount()).toBe(before);

    // Once the minute is over, one bounded event per address: counts and sizes, never the body.
    expect(await flushAnonymousRefusals(new Date('2026-12-07T10:01:00Z'))).toBe(2);
    const events = await getDb().auditEvent.findMany({
      where: { action: ANONYMOUS_REFUSAL_ACTION },
      orderBy: { id: 'asc' },
    });
    const first = events.find((e) => e.targetId === '203.0.113.7')!;
    expect(first).toMatchObject({ actor: 'anonymous', outcome: 'denied', tenant: null, targetType: 'source-address' });
    expect(first.after).toMatchObject({
      sourceAddress: '203.0.113.7',
      minute: '2026-12-07T10:00:00.000Z',
      calls: 25,
      bytes: 25 * 1234,
      actions: { 'tenant.create': 25 },
    });
    expect(events.find((e) => e.targetId === '198.51.100.9')!.after).toMatchObject({ calls: 1, bytes: 10 });
    const stored = JSON.stringify(events.map((e) => ({ ...e, id: e.id.toString() })));
    expect(stored.length).toBeLessThan(3000);
    expect(stored).not.toContain('zzz');
    expect(await flushAnonymousRefusals(new Date('2026-12-07T10:05:00Z'))).toBe(0);
    expect(await verifyAuditLog()).toMatchObject({ ok: true });
  });

  it('audits a signed-in caller who is refused with a bounded, storable copy of the input', async () => {
    session.user = alice;
    const { action, seen } = probe();
    const { result, store } = await call(action, { name: `a<b>'${'n'.repeat(15_000)}`, notes: 'tried' });
    expect(result).toEqual({ ok: false, error: 'You are not allowed to do this.' });
    expect(store.response?.status).toBe(403);
    expect(seen.ran).toBe(0);
    const [event] = await getDb().auditEvent.findMany({ where: { actor: 'alice' }, orderBy: { id: 'desc' }, take: 1 });
    expect(event).toMatchObject({ action: 'tenant.create', outcome: 'denied', reason: 'not allowed to tenant.create' });
    const input = (event!.after as { input: { name: string; notes: string } }).input;
    expect(input.name.startsWith("a<b>'n")).toBe(true);
    expect(input.name.length).toBeLessThanOrEqual(500);
    expect(input.notes).toBe('tried');
    expect(await verifyAuditLog()).toMatchObject({ ok: true });
  });

  it('refuses NUL and broken Unicode in any field with a clear message, before the schema sees them', async () => {
    session.user = frank;
    const { action, seen } = probe();
    for (const name of ['a\u0000b', 'lone \uD800 high', 'lone \uDC00 low']) {
      const { result } = await call(action, { name, notes: 'n' });
      expect(result).toMatchObject({
        ok: false,
        fieldErrors: { name: 'Contains characters that are not text (NUL or a broken Unicode sequence).' },
      });
    }
    expect((await call(action, { name: 'emoji \uD83D\uDE00 is fine' })).result).toEqual({ ok: true, message: 'done' });
    expect(seen).toEqual({ parsed: 1, ran: 1 });
  });

  it('refuses fields longer than any form sends before the schema sees them', async () => {
    session.user = frank;
    const { action, seen } = probe();
    const { result } = await call(action, { name: 'ok', notes: 'x'.repeat(3_000_000) });
    expect(result).toMatchObject({ ok: false, fieldErrors: { notes: 'Far too long for this form.' } });
    expect(seen).toEqual({ parsed: 0, ran: 0 });
  });

  it('rate-limits each signed-in user, answering 429 with Retry-After, without acting', async () => {
    session.user = frank;
    const { action, seen } = probe();
    for (let i = 0; i < 5; i++)
      expect((await call(action, { name: `t${i}` })).result).toEqual({ ok: true, message: 'done' });
    const { result, store } = await call(action, { name: 'one too many' });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(
      /^Too many changes in a short time: nothing was done\. Try again in \d+ s\.$/,
    );
    expect(store.response?.status).toBe(429);
    expect(Number(store.response?.headers?.['Retry-After'])).toBeGreaterThan(0);
    expect(seen.ran).toBe(5);

    // Another user is counted apart.
    session.user = alice;
    expect((await call(action, { name: 'alice' })).result).toEqual({
      ok: false,
      error: 'You are not allowed to do this.',
    });
  });
});
