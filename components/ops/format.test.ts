import { describe, expect, it } from 'vitest';
import { missingSources, opsAddress, tenantFilterParam, withTenantFilter } from './format';

describe('ops dashboard formatting', () => {
  it('lists only the upstreams that did not answer, in a fixed order', () => {
    expect(
      missingSources({
        database: null,
        mlflow: 'MLflow answered 503',
        kubernetes: null,
        prometheus: 'connection refused',
        health: null,
      }),
    ).toEqual([
      {
        source: 'prometheus',
        label: 'Prometheus',
        affects: 'serving, canary and GPU utilisation are unknown',
        message: 'connection refused.',
      },
      { source: 'mlflow', label: 'MLflow', affects: 'training trends are unknown', message: 'MLflow answered 503.' },
    ]);
  });

  it('reads the tenant filter from the query and puts it back in addresses', () => {
    expect(tenantFilterParam(undefined)).toBeNull();
    expect(tenantFilterParam('')).toBeNull();
    expect(tenantFilterParam(' fraud ')).toBe('fraud');
    expect(tenantFilterParam(['pricing', 'fraud'])).toBe('pricing');
    expect(withTenantFilter('/ops/live', null)).toBe('/ops/live');
    expect(withTenantFilter('/ops/live', 'a b')).toBe('/ops/live?tenant=a%20b');
  });

  it('puts the filters and the page in addresses, leaving out the defaults', () => {
    expect(opsAddress('/ops', { tenant: null, state: null, page: 1 })).toBe('/ops');
    expect(opsAddress('/ops/live', { tenant: 'fraud', state: 'alert', page: 3 })).toBe(
      '/ops/live?tenant=fraud&state=alert&page=3',
    );
    expect(opsAddress('/ops', { tenant: null, state: 'healthy', page: 2 })).toBe('/ops?state=healthy&page=2');
  });
});
