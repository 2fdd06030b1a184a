/**
 * Both dashboards with Prometheus stopped (nothing listens where it should be) and everything
 * else of the local platform up: every area that does not need Prometheus is judged as usual,
 * the others say Prometheus is missing and why.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_SEEDED_ENDPOINTS } from '../../test/stack';
import {
  DAVE,
  SEEDED_TENANTS,
  setUpDashboardTest,
  tearDownDashboardTest,
  type DashboardTest,
} from '../../test/dashboards';
import { opsView } from '../ops/service';
import { gatherPlatformHealth } from '../platform-health/gather';
import { sloDetail, sloList } from '../slo/service';

let setup: DashboardTest;
let port: number;

beforeAll(async () => {
  setup = await setUpDashboardTest('prometheus');
  port = setup.port ?? 0;
});

afterAll(() => tearDownDashboardTest(setup));

const missing = () => `Prometheus cannot be reached at 127.0.0.1:${port}`;

describe('with Prometheus stopped', () => {
  it('the operations dashboard judges pipelines, training, registry and OOM kills, and says serving and canary need Prometheus', async () => {
    const view = await opsView(DAVE, null);
    expect(view.sources).toMatchObject({
      prometheus: expect.stringContaining(missing()),
      kubernetes: null,
      mlflow: null,
      database: null,
    });
    expect(view.rows).toHaveLength(SEEDED_TENANTS.length * 7);
    for (const row of view.rows) {
      if (row.area === 'serving' || row.area === 'canary') {
        expect(row, `${row.tenant} ${row.area}`).toMatchObject({
          state: 'unknown',
          problem: expect.stringContaining(missing()),
        });
      } else {
        expect(row.state, `${row.tenant} ${row.area}: ${row.problem}`).not.toBe('unknown');
      }
    }
    const infrastructure = view.rows.find((r) => r.tenant === 'fraud' && r.area === 'infrastructure')!;
    // The seeded OOM-killed training pod is still judged; utilisation is said to be missing.
    expect(infrastructure).toMatchObject({ state: 'alert', problem: expect.stringContaining(missing()) });
    expect(infrastructure.signal).toContain('GPU utilisation not available');
  });

  it('the SLO list still names every endpoint’s two SLOs with their objectives, numbers unknown', async () => {
    const view = await sloList(DAVE, null);
    expect(view.problems.prometheus).toContain(missing());
    expect(view.problems.kubernetes).toBeNull();
    expect(view.slos.map((s) => `${s.tenant}/${s.endpoint}/${s.kind}`).sort()).toEqual(
      ALL_SEEDED_ENDPOINTS.flatMap(({ tenant, service }) => [
        `${tenant}/${service}/availability`,
        `${tenant}/${service}/latency`,
      ]).sort(),
    );
    for (const slo of view.slos)
      expect(slo).toMatchObject({
        objective: slo.kind === 'availability' ? 0.999 : 0.95,
        sli: null,
        budgetRemaining: null,
        problem: expect.stringContaining(missing()),
      });
  });

  it('an SLO page shows the objectives and says the numbers and history are missing', async () => {
    const view = await sloDetail(DAVE, 'fraud', 'fraud-detector', '1d');
    expect(view.unverified, 'one of the two still vouches for the endpoint').toBeNull();
    expect(view.objectives.availabilityObjective).toBe(0.999);
    expect(view.history).toBeNull();
    expect(view.historyProblem).toContain(missing());
    expect(view.availability.problem).toContain(missing());
  });

  it('platform health says input drift could not be judged, naming Prometheus, and finds no drift', async () => {
    const health = await gatherPlatformHealth();
    expect(health.findings.filter((f) => f.checkId === 'input-drift')).toEqual([]);
    expect(health.unread.filter((u) => u.checks.includes('input-drift'))).toEqual([
      expect.objectContaining({
        tenant: null,
        source: 'Prometheus (the input drift scores)',
        checks: ['input-drift'],
        message: expect.stringContaining(missing()),
      }),
    ]);
  });
});
