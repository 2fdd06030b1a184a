/**
 * Both dashboards with the Kubernetes API server unreachable (nothing listens where it should be)
 * and everything else up: rows that need Kubernetes say so and why; training and registry are
 * judged; the SLO list falls back to the endpoints Prometheus knows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEEDED_ENDPOINTS } from '../../test/stack';
import {
  DAVE,
  SEEDED_TENANTS,
  setUpDashboardTest,
  tearDownDashboardTest,
  type DashboardTest,
} from '../../test/dashboards';
import { opsView } from '../ops/service';
import { sloDetail, sloList } from '../slo/service';

let setup: DashboardTest;
let port: number;

beforeAll(async () => {
  setup = await setUpDashboardTest('kubernetes');
  port = setup.port ?? 0;
});

afterAll(() => tearDownDashboardTest(setup));

const missing = () => `Kubernetes cannot be reached at 127.0.0.1:${port}`;

describe('with the Kubernetes API server unreachable', () => {
  it('the operations dashboard judges training and registry, and says the other rows need Kubernetes', async () => {
    const started = Date.now();
    const view = await opsView(DAVE, null);
    expect(Date.now() - started, 'a missing API server costs a bounded wait').toBeLessThan(10_000);
    expect(view.sources).toMatchObject({
      kubernetes: expect.stringContaining(missing()),
      mlflow: null,
      database: null,
    });
    expect(view.rows).toHaveLength(SEEDED_TENANTS.length * 7);
    for (const row of view.rows) {
      if (row.area === 'training' || row.area === 'registry')
        expect(row.state, `${row.tenant} ${row.area}: ${row.problem}`).not.toBe('unknown');
      // Platform health is judged on the checks that need no Kubernetes, naming those it could not run.
      else if (row.area === 'health')
        expect(row, row.tenant).toMatchObject({
          state: expect.not.stringMatching(/^unknown$/),
          problem: expect.stringContaining(missing()),
        });
      else
        expect(row, `${row.tenant} ${row.area}`).toMatchObject({
          state: 'unknown',
          problem: expect.stringContaining(missing()),
        });
    }
  });

  it('the SLO list names the endpoints Prometheus knows, with their numbers, and says the list may be incomplete', async () => {
    const view = await sloList(DAVE, null);
    expect(view.problems.kubernetes).toContain(missing());
    expect(view.problems.prometheus).toBeNull();
    // Every seeded endpoint (Prometheus may also remember endpoints deleted within the window).
    const endpoints = new Set(view.slos.map((s) => `${s.tenant}/${s.endpoint}`));
    for (const { tenant, service } of SEEDED_ENDPOINTS) expect(endpoints).toContain(`${tenant}/${service}`);
    for (const slo of view.slos) expect(slo.budgetRemaining, `${slo.endpoint} ${slo.kind}`).not.toBeNull();
  });

  it('an SLO page of an endpoint Prometheus knows still opens', async () => {
    const view = await sloDetail(DAVE, 'pricing', 'price-elasticity', '6h');
    expect(view.unverified, 'one of the two still vouches for the endpoint').toBeNull();
    expect(view.availability.budgetRemaining).not.toBeNull();
    expect(view.history?.length).toBeGreaterThan(0);
  });
});
