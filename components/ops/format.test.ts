import { describe, expect, it } from 'vitest';
import type { OpsRow } from '@/lib/ops/view';
import {
  countStates,
  groupByTenant,
  missingSources,
  needingAttention,
  tenantFilterParam,
  withTenantFilter,
  worstFirst,
} from './format';

const row = (tenant: string, area: OpsRow['area'], state: OpsRow['state']): OpsRow => ({
  tenant,
  area,
  state,
  signal: '',
  threshold: '',
  detail: null,
  link: null,
  problem: null,
  outdated: null,
});

describe('ops dashboard formatting', () => {
  it('groups rows per tenant in the view’s tenant order and counts each tenant’s alerts', () => {
    const groups = groupByTenant({
      tenants: [
        { name: 'forecast', displayName: 'Forecasting' },
        { name: 'fraud', displayName: 'Fraud detection' },
        { name: 'pricing', displayName: 'Pricing' },
      ],
      rows: [
        row('fraud', 'serving', 'ok'),
        row('forecast', 'serving', 'alert'),
        row('forecast', 'canary', 'alert'),
        row('fraud', 'canary', 'idle'),
      ],
    });
    expect(groups.map((g) => [g.name, g.displayName, g.rows.map((r) => r.area), g.alerts])).toEqual([
      ['forecast', 'Forecasting', ['serving', 'canary'], 2],
      ['fraud', 'Fraud detection', ['serving', 'canary'], 0],
    ]);
  });

  it('names a tenant missing from the list by its name, after the listed ones', () => {
    const groups = groupByTenant({
      tenants: [{ name: 'pricing', displayName: 'Pricing' }],
      rows: [row('zeta', 'training', 'ok'), row('pricing', 'training', 'ok')],
    });
    expect(groups.map((g) => [g.name, g.displayName])).toEqual([
      ['pricing', 'Pricing'],
      ['zeta', 'zeta'],
    ]);
  });

  it('orders tenants worst first: most alerts, then most rows without data, then as listed', () => {
    const tenants = ['a', 'b', 'c', 'd'].map((name) => ({ name, displayName: name }));
    const groups = groupByTenant({
      tenants,
      rows: [
        row('a', 'serving', 'ok'),
        row('b', 'serving', 'unknown'),
        row('c', 'serving', 'alert'),
        row('c', 'canary', 'unknown'),
        row('d', 'serving', 'alert'),
        row('d', 'canary', 'unknown'),
        row('d', 'registry', 'unknown'),
      ],
    });
    expect(groups.map((g) => [g.name, g.alerts, g.unknown])).toEqual([
      ['a', 0, 0],
      ['b', 0, 1],
      ['c', 1, 1],
      ['d', 1, 2],
    ]);
    expect(worstFirst(groups).map((g) => g.name)).toEqual(['d', 'c', 'b', 'a']);
  });

  it('puts alerts before rows without data among the rows needing attention, and leaves out OK and idle rows', () => {
    const rows = [
      row('a', 'serving', 'unknown'),
      row('a', 'canary', 'ok'),
      row('b', 'serving', 'alert'),
      row('b', 'canary', 'idle'),
      row('c', 'registry', 'alert'),
    ];
    expect(needingAttention(rows).map((r) => `${r.tenant} ${r.area} ${r.state}`)).toEqual([
      'b serving alert',
      'c registry alert',
      'a serving unknown',
    ]);
  });

  it('ranks warnings between alerts and rows without data, on the board and among the rows needing attention', () => {
    const tenants = ['a', 'b', 'c'].map((name) => ({ name, displayName: name }));
    const rows = [
      row('a', 'serving', 'unknown'),
      row('a', 'canary', 'unknown'),
      row('b', 'health', 'warning'),
      row('c', 'health', 'alert'),
      row('c', 'serving', 'ok'),
    ];
    const groups = groupByTenant({ tenants, rows });
    expect(groups.map((g) => [g.name, g.alerts, g.warnings, g.unknown])).toEqual([
      ['a', 0, 0, 2],
      ['b', 0, 1, 0],
      ['c', 1, 0, 0],
    ]);
    expect(worstFirst(groups).map((g) => g.name)).toEqual(['c', 'b', 'a']);
    expect(needingAttention(rows).map((r) => `${r.tenant} ${r.state}`)).toEqual([
      'c alert',
      'b warning',
      'a unknown',
      'a unknown',
    ]);
    expect(countStates(rows)).toEqual({ alert: 1, warning: 1, ok: 1, unknown: 2, idle: 0 });
  });

  it('counts rows per state', () => {
    expect(
      countStates([
        row('a', 'serving', 'alert'),
        row('a', 'canary', 'unknown'),
        row('b', 'serving', 'alert'),
        row('b', 'registry', 'ok'),
      ]),
    ).toEqual({ alert: 2, warning: 0, ok: 1, unknown: 1, idle: 0 });
  });

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
});
