import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMembers, useTestDatabase, type TestDatabase } from '../../test/db';
import { authenticateToken } from '../../lib/api-tokens/service';
import { loadSessionUser, type SessionUser } from '../../lib/auth/users';
import { getDb } from '../../lib/db/client';
import { closeRateLimits } from '../../lib/security/rate-limit';

// The session is next-auth's (it needs a Next.js request); here it is whoever the test says.
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock('../../lib/auth/session', () => ({ getCurrentUser: async () => session.user }));
// Refreshing the token pages needs Next.js's request store; here there are no pages to refresh.
const revalidated = vi.hoisted(() => [] as string[]);
vi.mock('next/cache', () => ({ revalidatePath: (path: string) => void revalidated.push(path) }));

const { createTokenAction, revokeTokenAction } = await import('./actions');

let database: TestDatabase;
let mia: SessionUser;
let ada: SessionUser;

beforeAll(async () => {
  database = await useTestDatabase();
  const fraud = await getDb().tenant.create({ data: { name: 'fraud', displayName: 'Fraud', status: 'active' } });
  const people = await createMembers(fraud.id, { mia: 'member', ada: 'member' });
  await getDb().membership.update({
    where: { userId_tenantId: { userId: people.ada.id, tenantId: fraud.id } },
    data: { role: 'admin' },
  });
  mia = (await loadSessionUser(people.mia.id))!;
  ada = (await loadSessionUser(people.ada.id))!;
});

afterAll(async () => {
  await closeRateLimits();
  await getDb().$disconnect();
  await database.drop();
});

beforeEach(() => {
  session.user = null;
});

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
}

describe('createTokenAction', () => {
  it('refuses a caller without a session before anything is made', async () => {
    const result = await createTokenAction(
      null,
      form({ kind: 'personal', tenant: 'fraud', name: 'x', scopes: 'promotion.read' }),
    );
    expect(result).toMatchObject({ ok: false });
    expect(await getDb().apiToken.count()).toBe(0);
  });

  it('makes a personal token from a form and shows its secret once, which then authenticates', async () => {
    session.user = mia;
    const result = await createTokenAction(
      null,
      form({ kind: 'personal', tenant: 'fraud', name: 'laptop', scopes: 'promotion.read,promotion.request', days: '' }),
    );
    if (!result.ok || !('secret' in result)) throw new Error(JSON.stringify(result));
    expect(result.message).toMatch(/shown only this once/);
    expect(revalidated).toContain('/settings/tokens');
    const auth = await authenticateToken(`Bearer ${result.secret}`);
    expect(auth.ok && auth.caller.token.kind).toBe('personal');
    const row = await getDb().apiToken.findFirstOrThrow({ where: { name: 'laptop' } });
    expect(row.scopes).toEqual(['promotion.request', 'promotion.read']);
  });

  it('refuses a service token to a member (403 path, audited) and scopes beyond the creator', async () => {
    session.user = mia;
    const service = await createTokenAction(null, {
      kind: 'service',
      tenant: 'fraud',
      name: 'ci',
      scopes: ['promotion.request'],
    });
    expect(service).toEqual({ ok: false, error: 'You are not allowed to do this.' });
    const beyond = await createTokenAction(null, {
      kind: 'personal',
      tenant: 'fraud',
      name: 'ops',
      scopes: ['rollout.operate'],
    });
    expect(beyond).toMatchObject({ ok: false, error: expect.stringContaining('rollout.operate') });
    const denied = await getDb().auditEvent.findMany({ where: { action: 'token.create', outcome: 'denied' } });
    expect(denied).toHaveLength(2);
    expect(await getDb().apiToken.count({ where: { name: { in: ['ci', 'ops'] } } })).toBe(0);
  });

  it('reports unknown scopes and a bad lifetime as field errors', async () => {
    session.user = ada;
    const result = await createTokenAction(
      null,
      form({ kind: 'service', tenant: 'fraud', name: 'ci', scopes: 'promotion.decide', days: '0' }),
    );
    expect(result).toMatchObject({ ok: false, fieldErrors: { scopes: 'Unknown scope', days: 'At least 1 day' } });
  });
});

describe('revokeTokenAction', () => {
  it('lets the tenant admin revoke a member’s token, refuses an unknown id', async () => {
    session.user = mia;
    const created = await createTokenAction(null, {
      kind: 'personal',
      tenant: 'fraud',
      name: 'to-revoke',
      scopes: ['quota.read'],
    });
    if (!created.ok || !('secret' in created)) throw new Error(JSON.stringify(created));
    const row = await getDb().apiToken.findFirstOrThrow({ where: { name: 'to-revoke' } });

    session.user = ada;
    expect(await revokeTokenAction(null, form({ tokenId: row.id }))).toMatchObject({ ok: true });
    expect((await authenticateToken(`Bearer ${created.secret}`)).ok).toBe(false);
    expect(await revokeTokenAction(null, { tokenId: '00000000-0000-4000-8000-000000000000' })).toEqual({
      ok: false,
      error: 'You are not allowed to do this.',
    });
  });
});
