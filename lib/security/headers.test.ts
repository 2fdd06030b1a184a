import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, isHttps, makeNonce, securityHeaders } from './headers';

describe('security headers', () => {
  it('give pages a nonce-based policy that nothing may frame', () => {
    const policy = contentSecurityPolicy({ nonce: 'abc123==' });
    expect(policy).toContain("script-src 'self' 'nonce-abc123==' 'strict-dynamic'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).not.toContain('unsafe-eval');
    expect(policy).not.toContain('upgrade-insecure-requests');
    expect(contentSecurityPolicy({ nonce: 'n', dev: true, https: true })).toMatch(
      /'unsafe-eval'.*upgrade-insecure-requests$/,
    );
  });

  it('are on every response, with HSTS only over HTTPS', () => {
    const plain = securityHeaders({ https: false });
    expect(plain).toMatchObject({
      'X-Frame-Options': 'DENY',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'same-origin',
      'Cross-Origin-Opener-Policy': 'same-origin',
    });
    expect(plain['Content-Security-Policy']).toContain("frame-ancestors 'none'");
    expect(plain['Permissions-Policy']).toContain('camera=()');
    expect(plain).not.toHaveProperty('Strict-Transport-Security');
    expect(securityHeaders({ https: true })['Strict-Transport-Security']).toMatch(/^max-age=\d+/);
    expect(isHttps('https://ml.example.internal')).toBe(true);
    expect(isHttps('http://127.0.0.1:3000')).toBe(false);
    expect(isHttps(undefined)).toBe(false);
  });

  it('make a fresh nonce each time', () => {
    const nonces = new Set(Array.from({ length: 100 }, makeNonce));
    expect(nonces.size).toBe(100);
    for (const nonce of nonces) expect(nonce).toMatch(/^[A-Za-z0-9+/]{22}==$/);
  });
});
