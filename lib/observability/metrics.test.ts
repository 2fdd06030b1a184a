import { describe, expect, it } from 'vitest';
import { metrics, routePattern } from './metrics';

describe('routePattern', () => {
  it('keeps label values few', () => {
    expect(routePattern('/t/fraud/experiments')).toBe('/t/:tenant/experiments');
    expect(routePattern('/t/pricing')).toBe('/t/:tenant');
    expect(routePattern('/_next/static/chunks/abc.js')).toBe('/_next/*');
    expect(routePattern('/api/auth/callback/oidc')).toBe('/api/auth/*');
    expect(routePattern('/admin/audit')).toBe('/admin/audit');
    expect(routePattern('/t/fraud/runs/0123456789abcdef0123456789abcdef')).toBe('/t/:tenant/runs/:id');
    expect(routePattern('/')).toBe('/');
  });
});

describe('metrics()', () => {
  it('is one registry per process and exposes the portal series', async () => {
    expect(metrics()).toBe(metrics());
    metrics().serverActions.inc({ action: 'tenant.create', outcome: 'success' });
    const text = await metrics().registry.metrics();
    expect(text).toContain('portal_server_actions_total{action="tenant.create",outcome="success"} 1');
    expect(text).toContain('portal_http_request_duration_seconds');
  });
});
