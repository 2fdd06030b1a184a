/**
 * An endpoint's SLO page with both the Kubernetes API server and Prometheus unreachable: nothing
 * can say whether the endpoint exists or how it does, yet its objectives — the portal's own — are
 * shown, with why the rest is missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAVE, setUpDashboardTest, tearDownDashboardTest, type DashboardTest } from '../../test/dashboards';
import { sloDetail } from '../slo/service';

let setup: DashboardTest;

beforeAll(async () => {
  setup = await setUpDashboardTest('kubernetes', 'prometheus');
});

afterAll(() => tearDownDashboardTest(setup));

describe('with the Kubernetes API server and Prometheus unreachable', () => {
  it('an SLO page shows the objectives and says that neither the endpoint nor its numbers can be checked', async () => {
    const port = setup.port ?? 0;
    const view = await sloDetail(DAVE, 'fraud', 'fraud-detector', '1d');
    expect(view.unverified).toContain(
      `Whether fraud-detector still exists cannot be checked: Kubernetes cannot be reached at 127.0.0.1:${port}`,
    );
    expect(view.objectives).toMatchObject({
      availabilityObjective: 0.999,
      latencyObjective: 0.95,
      latencyThresholdMs: 200,
    });
    expect(view.availability.problem).toContain(`Prometheus cannot be reached at 127.0.0.1:${port}`);
    expect(view.availability.sli).toBeNull();
    expect(view.history).toBeNull();
    expect(view.historyProblem).toContain(`Prometheus cannot be reached at 127.0.0.1:${port}`);
  });
});
