import { describe, expect, it } from 'vitest';
import { UserFacingError } from '../errors';
import { countStates, groupByTenant, needingAttention, opsBoardPage, opsStateFilterParam, worstFirst } from './board';
import { OPS_AREAS, type OpsArea } from './areas';
import type { AlertState, OpsRow } from './view';

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

describe('grouping and ordering the board', () => {
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
});

/** A tenant's seven rows: OK but for the given areas' states. */
const tenantRows = (tenant: string, states: Partial<Record<OpsArea, AlertState>> = {}) =>
  OPS_AREAS.map((area) => row(tenant, area, states[area] ?? 'ok'));
const names = (rows: readonly OpsRow[]) => [...new Set(rows.map((r) => r.tenant))];

/**
 * 60 tenants t00…t59 in name order: 30 needing attention (t01, t03, … — one alert in every sixth
 * of them, a warning in the next, a row without data in the rest), 30 healthy.
 */
function platform() {
  const tenants = Array.from({ length: 60 }, (_, i) => ({
    name: `t${String(i).padStart(2, '0')}`,
    displayName: `T${i}`,
  }));
  const states = (i: number): Partial<Record<OpsArea, AlertState>> => {
    if (i % 2 === 0) return { canary: 'idle' };
    const kind = ((i - 1) / 2) % 3;
    return kind === 0 ? { serving: 'alert' } : kind === 1 ? { health: 'warning' } : { training: 'unknown' };
  };
  return { tenants, rows: tenants.flatMap((t, i) => tenantRows(t.name, states(i))) };
}

describe('the board in pages, worst first', () => {
  it('puts every tenant needing attention first — alert, then warning, then without data — and pages them among themselves', () => {
    const view = platform();
    const first = opsBoardPage(view, { state: null, page: 1 }, 25);
    const second = opsBoardPage(view, { state: null, page: 2 }, 25);
    expect(first.pageCount).toBe(3);
    // 30 tenants need attention: 25 on the first page, the other 5 lead the second, before any healthy one.
    expect(names(first.rows)).toEqual([
      ...['t01', 't07', 't13', 't19', 't25', 't31', 't37', 't43', 't49', 't55'],
      ...['t03', 't09', 't15', 't21', 't27', 't33', 't39', 't45', 't51', 't57'],
      ...['t05', 't11', 't17', 't23', 't29'],
    ]);
    expect(names(second.rows).slice(0, 6)).toEqual(['t35', 't41', 't47', 't53', 't59', 't00']);
    const attention = [first, second, opsBoardPage(view, { state: null, page: 3 }, 25)].flatMap((p) =>
      needingAttention(p.rows),
    );
    expect(attention, 'every row needing attention is on some page, once').toHaveLength(30);
    expect(new Set(attention.map((r) => r.tenant)).size).toBe(30);
  });

  it('keeps each tenant’s seven rows together on one page', () => {
    const page = opsBoardPage(platform(), { state: null, page: 2 }, 25);
    expect(page.rows).toHaveLength(25 * 7);
    for (const tenant of names(page.rows))
      expect(page.rows.filter((r) => r.tenant === tenant).map((r) => r.area)).toEqual([...OPS_AREAS]);
  });

  it('counts rows and tenants over every page, whichever page or state is shown', () => {
    const view = platform();
    const expected = {
      counts: { alert: 10, warning: 10, unknown: 10, idle: 30, ok: 60 * 7 - 60 },
      tenantCounts: { all: 60, alert: 10, warning: 10, unknown: 10, healthy: 30 },
    };
    for (const filter of [
      { state: null, page: 1 },
      { state: null, page: 3 },
      { state: 'warning', page: 1 },
      { state: 'healthy', page: 2 },
    ] as const)
      expect(opsBoardPage(view, filter, 25), JSON.stringify(filter)).toMatchObject(expected);
    expect(opsBoardPage(view, { state: null, page: 1 }, 25).alerts).toHaveLength(10);
    expect(opsBoardPage(view, { state: null, page: 1 }, 25).alerts[0]).toEqual({ tenant: 't01', area: 'serving' });
  });

  it('names at most ten alert rows, worst tenant first, however many there are', () => {
    const tenants = Array.from({ length: 12 }, (_, i) => ({ name: `a${String(i).padStart(2, '0')}`, displayName: '' }));
    const rows = tenants.flatMap((t) => tenantRows(t.name, { serving: 'alert', canary: 'alert' }));
    const page = opsBoardPage({ tenants, rows }, { state: null, page: 1 }, 25);
    expect(page.counts.alert).toBe(24);
    expect(page.alerts.map((a) => `${a.tenant} ${a.area}`)).toEqual(
      tenants.slice(0, 5).flatMap((t) => [`${t.name} serving`, `${t.name} canary`]),
    );
  });

  it('filters by state: tenants with a row in that state, or with none needing attention', () => {
    const view = platform();
    const alerts = opsBoardPage(view, { state: 'alert', page: 1 }, 25);
    expect(alerts).toMatchObject({ matching: 10, page: 1, pageCount: 1 });
    expect(names(alerts.rows)).toEqual(['t01', 't07', 't13', 't19', 't25', 't31', 't37', 't43', 't49', 't55']);
    expect(names(opsBoardPage(view, { state: 'unknown', page: 1 }, 25).rows)[0]).toBe('t05');
    const healthy = opsBoardPage(view, { state: 'healthy', page: 2 }, 25);
    expect(healthy).toMatchObject({ matching: 30, page: 2, pageCount: 2 });
    expect(names(healthy.rows)).toEqual(['t50', 't52', 't54', 't56', 't58']);
    expect(needingAttention(healthy.rows)).toEqual([]);
  });

  it('reads a page out of range as the nearest page', () => {
    const view = platform();
    expect(opsBoardPage(view, { state: null, page: 99 }, 25)).toMatchObject({ page: 3, pageCount: 3 });
    expect(names(opsBoardPage(view, { state: null, page: 99 }, 25).rows)).toHaveLength(10);
    expect(opsBoardPage(view, { state: null, page: 0 }, 25).page).toBe(1);
    expect(opsBoardPage(view, { state: 'alert', page: 4 }, 25)).toMatchObject({ page: 1, pageCount: 1 });
  });

  it('shows a small platform on one page, and nothing but the counts when no tenant matches', () => {
    const tenants = ['forecast', 'fraud', 'pricing'].map((name) => ({ name, displayName: name }));
    const rows = tenants.flatMap((t) => tenantRows(t.name));
    expect(opsBoardPage({ tenants, rows }, { state: null, page: 1 })).toMatchObject({ page: 1, pageCount: 1 });
    expect(names(opsBoardPage({ tenants, rows }, { state: null, page: 1 }).rows)).toEqual([
      'forecast',
      'fraud',
      'pricing',
    ]);
    expect(opsBoardPage({ tenants, rows }, { state: 'alert', page: 1 })).toMatchObject({
      rows: [],
      matching: 0,
      page: 1,
      pageCount: 1,
      tenantCounts: { all: 3, healthy: 3 },
    });
  });

  it('reads the state filter from the query, refusing a state it does not know in words', () => {
    expect(opsStateFilterParam(undefined)).toBeNull();
    expect(opsStateFilterParam(' ')).toBeNull();
    expect(opsStateFilterParam('alert')).toBe('alert');
    expect(opsStateFilterParam(['healthy', 'alert'])).toBe('healthy');
    expect(() => opsStateFilterParam('ok')).toThrow(UserFacingError);
    expect(() => opsStateFilterParam('<b>')).toThrow('There is no state “<b>” to filter by');
  });
});
