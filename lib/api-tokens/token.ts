import { createHash, randomBytes } from 'node:crypto';
import { TOKEN_SCOPES, type TokenScope } from '../auth/authorize';

/**
 * The pure half of API tokens: making and recognising secrets, expiry and scopes. A secret is
 * `mlp_` and 43 base64url characters (32 random bytes); only its SHA-256 is stored, and its first
 * 12 characters (`mlp_` and 8 more) stay visible so people can tell their tokens apart.
 */

export const TOKEN_PREFIX = 'mlp_';
const SECRET_BYTES = 32;
const SECRET_PATTERN = /^mlp_[A-Za-z0-9_-]{43}$/;
export const VISIBLE_PREFIX_LENGTH = TOKEN_PREFIX.length + 8;

/** The longest a token may live unless `API_TOKEN_MAX_DAYS` says otherwise; also the default lifetime. */
export const DEFAULT_MAX_TOKEN_DAYS = 90;
const DAY_MS = 86_400_000;

export interface NewSecret {
  secret: string;
  hash: string;
  prefix: string;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function newSecret(): NewSecret {
  const secret = TOKEN_PREFIX + randomBytes(SECRET_BYTES).toString('base64url');
  return { secret, hash: hashSecret(secret), prefix: secret.slice(0, VISIBLE_PREFIX_LENGTH) };
}

export type BearerParse = { ok: true; secret: string } | { ok: false; reason: 'missing' | 'malformed' };

/**
 * The token in an `Authorization: Bearer mlp_…` header. The scheme is case-insensitive (RFC 9110);
 * the token itself is compared exactly. Anything else — another scheme, a secret of the wrong
 * shape — is `malformed`, and no database is asked about it.
 */
export function parseBearer(header: string | null | undefined): BearerParse {
  if (header === null || header === undefined || header.trim() === '') return { ok: false, reason: 'missing' };
  const match = /^Bearer +(\S+) *$/i.exec(header);
  if (!match || !SECRET_PATTERN.test(match[1]!)) return { ok: false, reason: 'malformed' };
  return { ok: true, secret: match[1]! };
}

/** The longest lifetime a token may be given, in days (`API_TOKEN_MAX_DAYS`, default 90). */
export function maxTokenDays(env: Record<string, string | undefined> = process.env): number {
  const raw = env.API_TOKEN_MAX_DAYS;
  const value = raw === undefined || raw === '' ? DEFAULT_MAX_TOKEN_DAYS : Number(raw);
  return Number.isInteger(value) && value > 0 && value <= 3650 ? value : DEFAULT_MAX_TOKEN_DAYS;
}

/**
 * When a token asked to live `days` (default: the maximum) expires, or why it may not: a lifetime
 * is a whole number of days from 1 up to the configured maximum.
 */
export function expiryFor(
  days: number | undefined,
  now: Date,
  maxDays: number,
): { ok: true; expiresAt: Date } | { ok: false; error: string } {
  const wanted = days ?? maxDays;
  if (!Number.isInteger(wanted) || wanted < 1)
    return { ok: false, error: 'A token lives a whole number of days, at least 1.' };
  if (wanted > maxDays) return { ok: false, error: `A token may live at most ${maxDays} days.` };
  return { ok: true, expiresAt: new Date(now.getTime() + wanted * DAY_MS) };
}

export type TokenState = 'active' | 'expired' | 'revoked';

/** Revoked wins over expired: it says more about what happened. Expired at the instant itself. */
export function tokenState(token: { expiresAt: Date; revokedAt: Date | null }, now: Date): TokenState {
  if (token.revokedAt) return 'revoked';
  return token.expiresAt.getTime() <= now.getTime() ? 'expired' : 'active';
}

export function isTokenScope(value: string): value is TokenScope {
  return (TOKEN_SCOPES as readonly string[]).includes(value);
}

/** The known scopes among what the database holds, in the canonical order (unknown ones are dropped). */
export function readScopes(stored: readonly string[]): TokenScope[] {
  return TOKEN_SCOPES.filter((scope) => stored.includes(scope));
}
