import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_TOKEN_DAYS,
  expiryFor,
  hashSecret,
  maxTokenDays,
  newSecret,
  parseBearer,
  readScopes,
  tokenState,
} from './token';

const NOW = new Date('2026-12-07T06:00:00Z');
const DAY = 86_400_000;

describe('newSecret()', () => {
  it('makes a high-entropy mlp_ secret, its SHA-256 and a short visible prefix', () => {
    const { secret, hash, prefix } = newSecret();
    expect(secret).toMatch(/^mlp_[A-Za-z0-9_-]{43}$/);
    expect(hash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(prefix).toBe(secret.slice(0, 12));
    expect(hash).not.toContain(secret.slice(4));
  });

  it('never makes the same secret twice', () => {
    const seen = new Set(Array.from({ length: 200 }, () => newSecret().secret));
    expect(seen.size).toBe(200);
  });

  it('parses what it makes', () => {
    const { secret } = newSecret();
    expect(parseBearer(`Bearer ${secret}`)).toEqual({ ok: true, secret });
  });
});

describe('parseBearer()', () => {
  const secret = `mlp_${'A'.repeat(43)}`;

  it('reads the token of a Bearer header, whatever the case of the scheme', () => {
    expect(parseBearer(`Bearer ${secret}`)).toEqual({ ok: true, secret });
    expect(parseBearer(`bearer ${secret}`)).toEqual({ ok: true, secret });
    expect(parseBearer(`BEARER  ${secret} `)).toEqual({ ok: true, secret });
  });

  it('tells a missing header from a malformed one', () => {
    expect(parseBearer(null)).toEqual({ ok: false, reason: 'missing' });
    expect(parseBearer(undefined)).toEqual({ ok: false, reason: 'missing' });
    expect(parseBearer('  ')).toEqual({ ok: false, reason: 'missing' });
    for (const header of [
      secret,
      `Basic ${secret}`,
      `Bearer`,
      `Bearer mlp_short`,
      `Bearer ${secret}x`,
      `Bearer gho_${'A'.repeat(43)}`,
      `Bearer ${secret} extra`,
      `Bearer mlp_${'A'.repeat(42)}=`,
    ]) {
      expect(parseBearer(header), header).toEqual({ ok: false, reason: 'malformed' });
    }
  });
});

describe('hashSecret()', () => {
  it('is SHA-256 in lowercase hex', () => {
    expect(hashSecret('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('maxTokenDays()', () => {
  it('is 90 days unless API_TOKEN_MAX_DAYS says otherwise', () => {
    expect(maxTokenDays({})).toBe(DEFAULT_MAX_TOKEN_DAYS);
    expect(DEFAULT_MAX_TOKEN_DAYS).toBe(90);
    expect(maxTokenDays({ API_TOKEN_MAX_DAYS: '30' })).toBe(30);
  });

  it('ignores a value that is not a sensible whole number of days', () => {
    for (const value of ['', '0', '-5', '1.5', 'ninety', '100000'])
      expect(maxTokenDays({ API_TOKEN_MAX_DAYS: value }), value).toBe(90);
  });
});

describe('expiryFor()', () => {
  it('defaults to the maximum lifetime', () => {
    expect(expiryFor(undefined, NOW, 90)).toEqual({ ok: true, expiresAt: new Date(NOW.getTime() + 90 * DAY) });
  });

  it('accepts 1 day up to the maximum', () => {
    expect(expiryFor(1, NOW, 90)).toEqual({ ok: true, expiresAt: new Date(NOW.getTime() + DAY) });
    expect(expiryFor(90, NOW, 90)).toEqual({ ok: true, expiresAt: new Date(NOW.getTime() + 90 * DAY) });
  });

  it('refuses longer than the maximum, zero, negative and fractional lifetimes', () => {
    expect(expiryFor(91, NOW, 90)).toEqual({ ok: false, error: 'A token may live at most 90 days.' });
    for (const days of [0, -1, 1.5, Number.NaN]) expect(expiryFor(days, NOW, 90).ok, String(days)).toBe(false);
  });
});

describe('tokenState()', () => {
  it('is active until the expiry instant, expired from it', () => {
    expect(tokenState({ expiresAt: new Date(NOW.getTime() + 1), revokedAt: null }, NOW)).toBe('active');
    expect(tokenState({ expiresAt: NOW, revokedAt: null }, NOW)).toBe('expired');
  });

  it('says revoked for a revoked token, expired or not', () => {
    expect(tokenState({ expiresAt: new Date(NOW.getTime() + DAY), revokedAt: NOW }, NOW)).toBe('revoked');
    expect(tokenState({ expiresAt: new Date(NOW.getTime() - DAY), revokedAt: NOW }, NOW)).toBe('revoked');
  });
});

describe('readScopes()', () => {
  it('keeps known scopes in canonical order and drops unknown ones', () => {
    expect(readScopes(['quota.read', 'promotion.request', 'promotion.decide', 'x'])).toEqual([
      'promotion.request',
      'quota.read',
    ]);
  });
});
