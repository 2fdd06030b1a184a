/**
 * The operations dashboard with MLflow stopped and everything else up: only the training rows
 * need MLflow; they say it is missing and why, every other row is judged. The SLO pages do not
 * read MLflow.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DAVE,
  SEEDED_TENANTS,
  setUpDashboardTest,
  tearDownDashboardTest,
  type DashboardTest,
} from '../../test/dashboards';
import { ALL_SEEDED_ENDPOINTS } from '../../test/stack';
import { opsView } from '../ops/service';
import { sloList } from '../slo/service';

let setup: DashboardTest;
let port: number;

beforeAll(async () => {
  setup = await setUpDashboardTest('mlflow');
  port = setup.port ?? 0;
});

afterAll(() => tearDownDashboardTest(setup));

describe('with MLflow stopped', () => {
  it('the operations dashboard says the training rows need MLflow and judges every other row', async () => {
    const view = await opsView(DAVE, null);
    expect(view.sources).toMatchObject({
      mlflow: expect.stringContaining(`MLflow cannot be reached at 127.0.0.1:${port}`),
      prometheus: null,
      kubernetes: null,
      database: null,
    });
    expect(view.rows).toHaveLength(SEEDED_TENANTS.length * 7);
    for (const row of view.rows) {
      if (row.area === 'training')
        expect(row, row.tenant).toMatchObject({
          state: 'unknown',
          problem: expect.stringContaining('MLflow cannot be reached'),
        });
      else expect(row.state, `${row.tenant} ${row.area}: ${row.problem}`).not.toBe('unknown');
    }
  });

  it('the SLO list is complete', async () => {
    const view = await sloList(DAVE, null);
    expect(view.problems).toEqual({ prometheus: null, kubernetes: null, outdated: [] });
    expect(view.slos).toHaveLength(ALL_SEEDED_ENDPOINTS.length * 2);
    for (const slo of view.slos) expect(slo.budgetRemaining, `${slo.endpoint} ${slo.kind}`).not.toBeNull();
  });
});
