import { z } from 'zod';
import {
  can,
  canManageToken,
  TOKEN_SCOPES,
  type Principal,
  type TenantStatus,
  type TokenScope,
} from '../auth/authorize';
import type { SessionUser } from '../auth/users';
import { loadSessionUser } from '../auth/users';
import { recordAudit, recordAuditAlone, type Actor } from '../audit/log';
import { getDb } from '../db/client';
import { UserFacingError } from '../errors';
import { tenantNameSchema } from '../tenancy/names';
import { expiryFor, hashSecret, maxTokenDays, newSecret, parseBearer, readScopes, tokenState } from './token';

/**
 * API tokens: create (the secret is returned once and never stored), list, revoke, and
 * authenticate a `Bearer` header into a principal for the one authorization module. Each
 * change is audited in its own transaction; a refused one is audited as denied.
 *
 * Who may do what is `canManageToken`'s and `can`'s to say (lib/auth/authorize.ts):
 * - a personal token: anyone who may view the tenant, with scopes whose actions they may do
 *   themselves (a token never widens what its owner can do; it is narrowed again at every use);
 * - a service token: a tenant admin (`token.manage`), again only with scopes they hold;
 * - revoking: the owner of a personal token, or the tenant's admin for any token of the tenant.
 * A token itself can do none of these (no scope allows `tenant.view` or `token.manage`).
 */

export const createTokenSchema = z.object({
  kind: z.enum(['personal', 'service'], { message: 'Choose a personal or a service token' }),
  tenant: tenantNameSchema,
  name: z.string().trim().min(1, 'Name the token, e.g. after its pipeline').max(100, 'At most 100 characters'),
  // A form sends the scopes as one comma-separated field; a JSON caller as a list.
  scopes: z.preprocess(
    (value) => (typeof value === 'string' ? value.split(/[\s,]+/).filter(Boolean) : value),
    z
      .array(z.enum(TOKEN_SCOPES, { message: 'Unknown scope' }))
      .min(1, 'Choose at least one scope')
      .max(TOKEN_SCOPES.length),
  ),
  /** Lifetime in days; the configured maximum (API_TOKEN_MAX_DAYS, 90) when absent or empty. */
  days: z.preprocess(
    (value) => (value === '' || value === null ? undefined : value),
    z.coerce.number().int('A whole number of days').min(1, 'At least 1 day').optional(),
  ),
});
export type CreateTokenInput = z.input<typeof createTokenSchema>;

export const revokeTokenSchema = z.object({ tokenId: z.uuid('That is not a token id') });

export class TokenRefusedError extends UserFacingError {
  constructor(message: string) {
    super(message);
    this.name = 'TokenRefusedError';
  }
}

function actorOf(user: SessionUser): Actor & { id: string } {
  return { id: user.id, name: user.username };
}

/**
 * Why `user` may not create this token, in words, or null when they may; the decision is
 * `canManageToken`'s (lib/auth/authorize.ts), the words only say which rule refused.
 */
export function creationRefusal(
  user: Principal,
  input: { kind: 'personal' | 'service'; tenant: string; scopes: readonly TokenScope[] },
  tenantStatus: TenantStatus,
): string | null {
  const token = { ...input, status: tenantStatus, ownerId: input.kind === 'personal' ? user.id : null };
  if (canManageToken(user, 'create', token)) return null;
  if (user.token) return 'A token cannot create tokens.';
  if (tenantStatus !== 'active') return 'Tokens are only made for active tenants.';
  if (!canManageToken(user, 'create', { ...token, scopes: [] }))
    return input.kind === 'service'
      ? 'Only an admin of the tenant may create its service tokens.'
      : 'You are not a member of this tenant.';
  const beyond = input.scopes.filter((scope) => !canManageToken(user, 'create', { ...token, scopes: [scope] }));
  return `You may not give a token what you cannot do yourself: ${beyond.join(', ')}.`;
}

/**
 * The scopes `user` may give a new token of `kind` in `tenant`, in the canonical order: those whose
 * actions they may do themself there (canManageToken decides).
 * Empty when they may make no such token at all. For the forms; the service decides again on create.
 */
export function grantableScopes(
  user: Principal,
  kind: 'personal' | 'service',
  tenant: { name: string; status: TenantStatus },
): TokenScope[] {
  const token = { kind, tenant: tenant.name, status: tenant.status, ownerId: kind === 'personal' ? user.id : null };
  return TOKEN_SCOPES.filter((scope) => canManageToken(user, 'create', { ...token, scopes: [scope] }));
}

export interface CreatedToken {
  id: string;
  /** Shown once: only its hash is kept. */
  secret: string;
  prefix: string;
  expiresAt: Date;
}

export async function createApiToken(
  user: SessionUser,
  raw: CreateTokenInput,
  now = new Date(),
): Promise<CreatedToken> {
  const input = createTokenSchema.parse(raw);
  const scopes = readScopes(input.scopes);
  const tenant = await getDb().tenant.findUnique({ where: { name: input.tenant } });
  const refusal = tenant
    ? creationRefusal(user, { kind: input.kind, tenant: input.tenant, scopes }, tenant.status)
    : 'There is no such tenant.';
  if (refusal) {
    await recordAuditAlone({
      actor: actorOf(user),
      action: 'token.create',
      tenant: input.tenant,
      outcome: 'denied',
      reason: refusal,
      after: { kind: input.kind, name: input.name, scopes },
    });
    throw new TokenRefusedError(refusal);
  }
  const expiry = expiryFor(input.days, now, maxTokenDays());
  if (!expiry.ok) throw new UserFacingError(expiry.error, 'days');
  const { secret, hash, prefix } = newSecret();
  return getDb().$transaction(async (tx) => {
    const row = await tx.apiToken.create({
      data: {
        kind: input.kind,
        name: input.name,
        prefix,
        secretHash: hash,
        tenantId: tenant!.id,
        ownerId: input.kind === 'personal' ? user.id : null,
        scopes,
        expiresAt: expiry.expiresAt,
        createdById: user.id,
        createdByName: user.username,
      },
    });
    await recordAudit(tx, {
      actor: actorOf(user),
      action: 'token.create',
      tenant: input.tenant,
      target: { type: 'api-token', id: row.id },
      after: { kind: input.kind, name: input.name, prefix, scopes, expiresAt: expiry.expiresAt.toISOString() },
      outcome: 'success',
    });
    return { id: row.id, secret, prefix, expiresAt: row.expiresAt };
  });
}

export interface TokenSummary {
  id: string;
  kind: 'personal' | 'service';
  name: string;
  prefix: string;
  tenant: string;
  scopes: TokenScope[];
  state: 'active' | 'expired' | 'revoked';
  expiresAt: Date;
  lastUsedAt: Date | null;
  createdAt: Date;
  createdByName: string;
  revokedAt: Date | null;
  revokedByName: string | null;
}

const SUMMARY = { tenant: { select: { name: true } } } as const;

function summary(
  row: Awaited<ReturnType<ReturnType<typeof getDb>['apiToken']['findFirstOrThrow']>> & { tenant: { name: string } },
  now: Date,
): TokenSummary {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    prefix: row.prefix,
    tenant: row.tenant.name,
    scopes: readScopes(row.scopes),
    state: tokenState(row, now),
    expiresAt: row.expiresAt,
    lastUsedAt: row.lastUsedAt,
    createdAt: row.createdAt,
    createdByName: row.createdByName,
    revokedAt: row.revokedAt,
    revokedByName: row.revokedByName,
  };
}

/** The user's own personal tokens, newest first (never a secret or hash). */
export async function listPersonalTokens(user: SessionUser, now = new Date()): Promise<TokenSummary[]> {
  const rows = await getDb().apiToken.findMany({
    where: { ownerId: user.id, kind: 'personal' },
    include: SUMMARY,
    orderBy: { createdAt: 'desc' },
    take: 500,
  });
  return rows.map((row) => summary(row, now));
}

/** A tenant's service tokens, for its admins; refused (ForbiddenError-like) for anyone else. */
export async function listServiceTokens(user: SessionUser, tenant: string, now = new Date()): Promise<TokenSummary[]> {
  const row = await getDb().tenant.findUnique({ where: { name: tenant } });
  if (!row || !can(user, 'token.manage', { kind: 'tenant', tenant, status: row.status }))
    throw new TokenRefusedError('Only an admin of the tenant may see its service tokens.');
  const rows = await getDb().apiToken.findMany({
    where: { tenantId: row.id, kind: 'service' },
    include: SUMMARY,
    orderBy: { createdAt: 'desc' },
    take: 500,
  });
  return rows.map((token) => summary(token, now));
}

/** Revokes a token at once; the owner of a personal token or the tenant's admin may. Revoking twice changes nothing. */
export async function revokeApiToken(user: SessionUser, raw: z.input<typeof revokeTokenSchema>): Promise<void> {
  const { tokenId } = revokeTokenSchema.parse(raw);
  const token = await getDb().apiToken.findUnique({ where: { id: tokenId }, include: { tenant: true } });
  const allowed =
    token !== null &&
    canManageToken(user, 'revoke', {
      kind: token.kind,
      tenant: token.tenant.name,
      status: token.tenant.status,
      ownerId: token.ownerId,
      scopes: readScopes(token.scopes),
    });
  if (!token || !allowed) {
    await recordAuditAlone({
      actor: actorOf(user),
      action: 'token.revoke',
      tenant: token?.tenant.name ?? null,
      target: { type: 'api-token', id: tokenId },
      outcome: 'denied',
      reason: token ? 'neither the owner nor an admin of the tenant' : 'no such token',
    });
    throw new TokenRefusedError('You may not revoke this token.');
  }
  await getDb().$transaction(async (tx) => {
    const changed = await tx.apiToken.updateMany({
      where: { id: tokenId, revokedAt: null },
      data: { revokedAt: new Date(), revokedByName: user.username },
    });
    if (changed.count === 0) return;
    await recordAudit(tx, {
      actor: actorOf(user),
      action: 'token.revoke',
      tenant: token.tenant.name,
      target: { type: 'api-token', id: tokenId },
      before: { kind: token.kind, name: token.name, prefix: token.prefix },
      outcome: 'success',
    });
  });
}

/** Who is calling through a token: a principal for `can`, and the actor the audit log names. */
export interface TokenCaller {
  principal: Principal & { token: NonNullable<Principal['token']> };
  actor: Actor & { id: string };
  token: { id: string; kind: 'personal' | 'service'; name: string; prefix: string; tenant: string };
}

export type Authentication =
  | { ok: true; caller: TokenCaller }
  | {
      ok: false;
      reason: 'missing' | 'malformed' | 'unknown' | 'expired' | 'revoked' | 'owner-gone';
      /** Known when the secret matched a token that may no longer be used. */
      token?: { id: string; tenant: string };
    };

/**
 * The caller behind an `Authorization` header. Only a well-formed secret is looked up (by its
 * hash, never by the secret itself); a usable token's last-use time is set.
 *
 * A personal token acts as its owner, with the owner's roles as they are now, narrowed to the
 * token's scopes by `can`. A service token has no roles at all, only its scopes; its principal
 * id is its creator's, so separation of duties holds against the person who set it up (the
 * creator may not approve what their pipeline filed). Neither can approve through a token.
 */
export async function authenticateToken(header: string | null | undefined, now = new Date()): Promise<Authentication> {
  const parsed = parseBearer(header);
  if (!parsed.ok) return { ok: false, reason: parsed.reason };
  const row = await getDb().apiToken.findUnique({
    where: { secretHash: hashSecret(parsed.secret) },
    include: { tenant: { select: { name: true } } },
  });
  if (!row) return { ok: false, reason: 'unknown' };
  const known = { id: row.id, tenant: row.tenant.name };
  const state = tokenState(row, now);
  if (state !== 'active') return { ok: false, reason: state, token: known };

  const grant = { id: row.id, kind: row.kind, tenant: row.tenant.name, scopes: readScopes(row.scopes) };
  const token = { id: row.id, kind: row.kind, name: row.name, prefix: row.prefix, tenant: row.tenant.name };
  let caller: TokenCaller;
  if (row.kind === 'personal') {
    const owner = row.ownerId ? await loadSessionUser(row.ownerId) : null;
    if (!owner) return { ok: false, reason: 'owner-gone', token: known };
    caller = {
      principal: {
        id: owner.id,
        platformRoles: owner.platformRoles,
        memberships: owner.memberships,
        token: grant,
      },
      actor: { id: owner.id, name: `${owner.username} (token ${row.prefix})` },
      token,
    };
  } else {
    caller = {
      principal: { id: row.createdById, platformRoles: [], memberships: [], token: grant },
      actor: { id: row.createdById, name: `service token ${row.name} (${row.prefix})` },
      token,
    };
  }
  await getDb().apiToken.update({ where: { id: row.id }, data: { lastUsedAt: now } });
  return { ok: true, caller };
}
