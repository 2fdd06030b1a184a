import { describe, expect, it } from 'vitest';
import { metrics, routePattern, workerMetrics } from './metrics';

describe('routePattern', () => {
  it('labels requests by the template of the route serving them', () => {
    expect(routePattern('/t/fraud/experiments')).toBe('/t/:tenant/experiments');
    expect(routePattern('/t/pricing')).toBe('/t/:tenant');
    expect(routePattern('/_next/static/chunks/abc.js')).toBe('/_next/*');
    expect(routePattern('/api/auth/callback/oidc')).toBe('/api/auth/*');
    expect(routePattern('/admin/audit')).toBe('/admin/audit');
    expect(routePattern('/t/fraud/runs/0123456789abcdef0123456789abcdef')).toBe('/t/:tenant/runs/:runId');
    expect(routePattern('/t/fraud/promotions/new')).toBe('/t/:tenant/promotions/new');
    expect(routePattern('/t/fraud/promotions/4b7e…')).toBe('/t/:tenant/promotions/:id');
    expect(routePattern('/slo/fraud/fraud-detector/live')).toBe('/slo/:tenant/:endpoint/live');
    expect(routePattern('/')).toBe('/');
  });

  it('collapses every path the portal has no route for into one label', () => {
    const made_up = [
      '/wp-admin/setup.php',
      '/.env',
      '/t',
      '/t/fraud/nope',
      '/t/fraud/models/a/b/c',
      '/admin/tenants/x',
      `/${'x'.repeat(5000)}`,
      '/api/other',
      '/t/fraud/../../etc/passwd',
    ];
    for (let i = 0; i < 1000; i++) made_up.push(`/random-${i}/${i}`);
    expect(new Set(made_up.map(routePattern))).toEqual(new Set(['other']));
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

describe('operability series', () => {
  it('exports worker leadership and judgment latency without labels, once the worker makes them', async () => {
    expect(await metrics().registry.metrics()).not.toContain('portal_worker_leader');
    workerMetrics().leader.set(1);
    workerMetrics().judgmentDuration.observe(0.3);
    const text = await metrics().registry.metrics();
    expect(text).toContain('portal_worker_leader 1');
    expect(text).toMatch(/portal_worker_judgment_duration_seconds_bucket\{le="0.5"\} 1/);
    expect(text).toContain('portal_worker_judgment_duration_seconds_count 1');
    workerMetrics().leader.set(0);
  });
});
