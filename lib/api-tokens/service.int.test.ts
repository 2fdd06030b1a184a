import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMembers, useTestDatabase, type TestDatabase } from '../../test/db';
import { can, type TokenScope } from '../auth/authorize';
import { loadSessionUser, type SessionUser } from '../auth/users';
import { verifyAuditLog } from '../audit/log';
import { getDb } from '../db/client';
import { hashSecret } from './token';
import {
  authenticateToken,
  createApiToken,
  listPersonalTokens,
  listServiceTokens,
  revokeApiToken,
  TokenRefusedError,
} from './service';

let database: TestDatabase;
let member: SessionUser;
let approver: SessionUser;
let admin: SessionUser;
let outsider: SessionUser;
const DAY = 86_400_000;

beforeAll(async () => {
  database = await useTestDatabase();
  const fraud = await getDb().tenant.create({ data: { name: 'fraud', displayName: 'Fraud', status: 'active' } });
  await getDb().tenant.create({ data: { name: 'pricing', displayName: 'Pricing', status: 'active' } });
  const people = await createMembers(fraud.id, { mia: 'member', abe: 'approver', ada: 'member' });
  await getDb().membership.update({
    where: { userId_tenantId: { userId: people.ada.id, tenantId: fraud.id } },
    data: { role: 'admin' },
  });
  const out = await getDb().user.create({ data: { subject: 'otto', username: 'otto' } });
  member = (await loadSessionUser(people.mia.id))!;
  approver = (await loadSessionUser(people.abe.id))!;
  admin = (await loadSessionUser(people.ada.id))!;
  outsider = (await loadSessionUser(out.id))!;
});

afterAll(async () => {
  await getDb().$disconnect();
  await database.drop();
});

async function auditOf(action: string, targetId?: string) {
  return getDb().auditEvent.findMany({
    where: { action, ...(targetId ? { targetId } : {}) },
    orderBy: { id: 'asc' },
  });
}

describe('createApiToken()', () => {
  it('returns the secret once and stores only its SHA-256, a visible prefix and who made it', async () => {
    const created = await createApiToken(member, {
      kind: 'personal',
      tenant: 'fraud',
      name: 'laptop',
      scopes: ['promotion.read', 'promotion.request'],
    });
    expect(created.secret).toMatch(/^mlp_/);
    const row = await getDb().apiToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.secretHash).toBe(hashSecret(created.secret));
    expect(JSON.stringify(row)).not.toContain(created.secret.slice(12));
    expect(row.prefix).toBe(created.secret.slice(0, 12));
    expect(row).toMatchObject({ kind: 'personal', ownerId: member.id, createdById: member.id, createdByName: 'mia' });
    // Default lifetime: the 90-day maximum.
    expect(Math.round((row.expiresAt.getTime() - row.createdAt.getTime()) / DAY)).toBe(90);
    const [event] = await auditOf('token.create', created.id);
    expect(event).toMatchObject({ outcome: 'success', actorId: member.id, tenant: 'fraud' });
    expect(JSON.stringify(event!.after)).not.toContain(created.secret);
    // The list shows it, without secret or hash.
    const listed = await listPersonalTokens(member);
    expect(listed.find((t) => t.id === created.id)).toMatchObject({ state: 'active', prefix: row.prefix });
    expect(JSON.stringify(listed)).not.toContain(row.secretHash);
  });

  it('refuses a lifetime beyond API_TOKEN_MAX_DAYS', async () => {
    process.env.API_TOKEN_MAX_DAYS = '30';
    try {
      await expect(
        createApiToken(member, {
          kind: 'personal',
          tenant: 'fraud',
          name: 'long',
          scopes: ['promotion.read'],
          days: 31,
        }),
      ).rejects.toThrow('A token may live at most 30 days.');
      const ok = await createApiToken(member, {
        kind: 'personal',
        tenant: 'fraud',
        name: 'short',
        scopes: ['promotion.read'],
        days: 30,
      });
      expect(ok.expiresAt.getTime()).toBeGreaterThan(Date.now() + 29 * DAY);
    } finally {
      delete process.env.API_TOKEN_MAX_DAYS;
    }
  });

  it('never gives a token more than its creator may do, and audits the refusal', async () => {
    // A member may not operate rollouts, so may not hand that to a token.
    await expect(
      createApiToken(member, { kind: 'personal', tenant: 'fraud', name: 'x', scopes: ['rollout.operate'] }),
    ).rejects.toThrow(TokenRefusedError);
    // Only a tenant admin makes service tokens.
    await expect(
      createApiToken(approver, { kind: 'service', tenant: 'fraud', name: 'ci', scopes: ['promotion.request'] }),
    ).rejects.toThrow('Only an admin of the tenant may create its service tokens.');
    // Four eyes need a person: there is no scope that approves, for any kind of token (refused as
    // unreadable input, before anything is authorized or audited).
    await expect(
      createApiToken(admin, {
        kind: 'service',
        tenant: 'fraud',
        name: 'x',
        scopes: ['promotion.approve' as TokenScope],
      }),
    ).rejects.toThrow('Unknown scope');
    // Nobody makes tokens for a tenant they are not in.
    await expect(
      createApiToken(outsider, { kind: 'personal', tenant: 'fraud', name: 'x', scopes: ['promotion.read'] }),
    ).rejects.toThrow('You are not a member of this tenant.');
    const denied = (await auditOf('token.create')).filter((e) => e.outcome === 'denied');
    expect(denied.map((e) => e.actor)).toEqual(['mia', 'abe', 'otto']);
    expect(await getDb().apiToken.count({ where: { name: { in: ['x', 'ci'] } } })).toBe(0);
  });

  it('lists service tokens for the tenant’s admins only', async () => {
    const created = await createApiToken(admin, {
      kind: 'service',
      tenant: 'fraud',
      name: 'argo-train',
      scopes: ['promotion.request', 'promotion.read'],
    });
    const row = await getDb().apiToken.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({ kind: 'service', ownerId: null, createdById: admin.id });
    expect((await listServiceTokens(admin, 'fraud')).map((t) => t.name)).toContain('argo-train');
    await expect(listServiceTokens(member, 'fraud')).rejects.toThrow(TokenRefusedError);
  });

  it('the database itself refuses a personal token without an owner and a token without scopes', async () => {
    const tenant = await getDb().tenant.findUniqueOrThrow({ where: { name: 'fraud' } });
    const base = {
      name: 'raw',
      prefix: 'mlp_raw',
      tenantId: tenant.id,
      expiresAt: new Date(Date.now() + DAY),
      createdById: admin.id,
      createdByName: 'ada',
    };
    await expect(
      getDb().apiToken.create({
        data: { ...base, kind: 'personal', secretHash: 'a'.repeat(64), scopes: ['quota.read'] },
      }),
    ).rejects.toThrow(/api_tokens_owner_check/);
    await expect(
      getDb().apiToken.create({ data: { ...base, kind: 'service', secretHash: 'b'.repeat(64), scopes: [] } }),
    ).rejects.toThrow(/api_tokens_scopes_check/);
  });
});

describe('authenticateToken()', () => {
  it('turns a personal token into its owner narrowed to its scopes, and records the use', async () => {
    const { id, secret } = await createApiToken(member, {
      kind: 'personal',
      tenant: 'fraud',
      name: 'cli',
      scopes: ['promotion.read'],
    });
    const before = Date.now();
    const result = await authenticateToken(`Bearer ${secret}`);
    if (!result.ok) throw new Error(`refused: ${result.reason}`);
    const { principal, actor, token } = result.caller;
    expect(principal.id).toBe(member.id);
    expect(actor.name).toBe(`mia (token ${token.prefix})`);
    expect(token).toMatchObject({ id, kind: 'personal', tenant: 'fraud' });
    const fraud = { kind: 'tenant', tenant: 'fraud', status: 'active' } as const;
    expect(can(principal, 'promotion.read', fraud)).toBe(true);
    // The owner (a member) may request, the token may not.
    expect(can(member, 'promotion.request', fraud)).toBe(true);
    expect(can(principal, 'promotion.request', fraud)).toBe(false);
    const row = await getDb().apiToken.findUniqueOrThrow({ where: { id } });
    expect(row.lastUsedAt!.getTime()).toBeGreaterThanOrEqual(before - 5);
  });

  it('follows the owner’s roles as they are now', async () => {
    const { secret } = await createApiToken(approver, {
      kind: 'personal',
      tenant: 'fraud',
      name: 'was-approver',
      scopes: ['promotion.request'],
    });
    const tenant = await getDb().tenant.findUniqueOrThrow({ where: { name: 'fraud' } });
    await getDb().membership.update({
      where: { userId_tenantId: { userId: approver.id, tenantId: tenant.id } },
      data: { role: 'viewer' },
    });
    try {
      const result = await authenticateToken(`Bearer ${secret}`);
      if (!result.ok) throw new Error(result.reason);
      expect(can(result.caller.principal, 'promotion.request', { kind: 'tenant', tenant: 'fraud' })).toBe(false);
    } finally {
      await getDb().membership.update({
        where: { userId_tenantId: { userId: approver.id, tenantId: tenant.id } },
        data: { role: 'approver' },
      });
    }
  });

  it('gives a service token its scopes alone and never the right to approve', async () => {
    const { secret } = await createApiToken(admin, {
      kind: 'service',
      tenant: 'fraud',
      name: 'pipeline',
      scopes: ['promotion.request', 'promotion.read'],
    });
    const result = await authenticateToken(`Bearer ${secret}`);
    if (!result.ok) throw new Error(result.reason);
    const { principal, actor } = result.caller;
    expect(principal).toMatchObject({ id: admin.id, platformRoles: [], memberships: [] });
    expect(actor.name).toMatch(/^service token pipeline \(mlp_/);
    expect(can(principal, 'promotion.request', { kind: 'tenant', tenant: 'fraud' })).toBe(true);
    expect(can(principal, 'promotion.request', { kind: 'tenant', tenant: 'pricing' })).toBe(false);
    expect(can(principal, 'promotion.approve', { kind: 'promotion', tenant: 'fraud', requesterId: member.id })).toBe(
      false,
    );
  });

  it('refuses missing, malformed, unknown, expired and revoked tokens, naming the known ones', async () => {
    expect(await authenticateToken(null)).toEqual({ ok: false, reason: 'missing' });
    expect(await authenticateToken('Basic abc')).toEqual({ ok: false, reason: 'malformed' });
    expect(await authenticateToken(`Bearer mlp_${'x'.repeat(43)}`)).toEqual({ ok: false, reason: 'unknown' });

    const expiring = await createApiToken(member, {
      kind: 'personal',
      tenant: 'fraud',
      name: 'expiring',
      scopes: ['promotion.read'],
      days: 1,
    });
    const later = new Date(Date.now() + 2 * DAY);
    expect(await authenticateToken(`Bearer ${expiring.secret}`, later)).toEqual({
      ok: false,
      reason: 'expired',
      token: { id: expiring.id, tenant: 'fraud' },
    });

    const revoked = await createApiToken(member, {
      kind: 'personal',
      tenant: 'fraud',
      name: 'revoked',
      scopes: ['promotion.read'],
    });
    expect((await authenticateToken(`Bearer ${revoked.secret}`)).ok).toBe(true);
    await revokeApiToken(member, { tokenId: revoked.id });
    expect(await authenticateToken(`Bearer ${revoked.secret}`)).toEqual({
      ok: false,
      reason: 'revoked',
      token: { id: revoked.id, tenant: 'fraud' },
    });
  });
});

describe('revokeApiToken()', () => {
  it('lets the owner or the tenant admin revoke, nobody else; audits both, and twice is once', async () => {
    const mine = await createApiToken(member, {
      kind: 'personal',
      tenant: 'fraud',
      name: 'r1',
      scopes: ['quota.read'],
    });
    await expect(revokeApiToken(approver, { tokenId: mine.id })).rejects.toThrow('You may not revoke this token.');
    expect((await getDb().apiToken.findUniqueOrThrow({ where: { id: mine.id } })).revokedAt).toBeNull();
    await revokeApiToken(admin, { tokenId: mine.id });
    await revokeApiToken(member, { tokenId: mine.id });
    const row = await getDb().apiToken.findUniqueOrThrow({ where: { id: mine.id } });
    expect(row).toMatchObject({ revokedByName: 'ada' });
    const events = await auditOf('token.revoke', mine.id);
    expect(events.map((e) => [e.actor, e.outcome])).toEqual([
      ['abe', 'denied'],
      ['ada', 'success'],
    ]);
    expect((await listPersonalTokens(member)).find((t) => t.id === mine.id)?.state).toBe('revoked');
  });

  it('keeps the audit chain intact', async () => {
    expect((await verifyAuditLog()).ok).toBe(true);
  });
});
