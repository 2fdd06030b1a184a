/** The SLO read models and edits against the real local platform (Kubernetes endpoints, Prometheus history). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAVE, setUpDashboardTest, tearDownDashboardTest, type DashboardTest } from '../../test/dashboards';
import { ALL_SEEDED_ENDPOINTS } from '../../test/stack';
import { getDb } from '../db/client';
import { DEFAULT_SLO_OBJECTIVES } from './definition';
import { saveEndpointObjectives, sloDetail, sloList } from './service';

let setup: DashboardTest;
const frank = { name: 'frank' };

beforeAll(async () => {
  setup = await setUpDashboardTest();
});

afterAll(() => tearDownDashboardTest(setup));

describe('SLOs on the local platform', () => {
  it('lists both SLOs of every seeded endpoint with 28 days of numbers, worst budget first', async () => {
    const view = await sloList(DAVE, null);
    expect(view.problems).toEqual({ prometheus: null, kubernetes: null, outdated: [] });
    expect(view.slos).toHaveLength(ALL_SEEDED_ENDPOINTS.length * 2);
    expect(view).toMatchObject({ page: 1, pageCount: 1, total: ALL_SEEDED_ENDPOINTS.length * 2 });
    expect(view.alerting).toBe(view.slos.filter((s) => s.alerting).length);
    // A page beyond the last shows the last.
    expect((await sloList(DAVE, null, 7)).page).toBe(1);
    for (const slo of view.slos) {
      expect(slo.requests, `${slo.endpoint} ${slo.kind}: the backfill gives weeks of requests`).toBeGreaterThan(
        100_000,
      );
      expect(slo.sli).toBeGreaterThan(0.5);
      expect(slo.burnRates.map((b) => b.label)).toEqual(['1h / 5m', '6h / 30m', '3d / 6h']);
    }
    const budgets = view.slos.map((s) => s.budgetRemaining!);
    expect(budgets).toEqual([...budgets].sort((a, b) => a - b));
  });

  it('narrows to one tenant and refuses a tenant the viewer may not see in the same words as an unknown one', async () => {
    const view = await sloList(DAVE, 'pricing');
    expect(new Set(view.slos.map((s) => s.endpoint))).toEqual(new Set(['price-elasticity']));
    const carol = {
      ...DAVE,
      id: 'carol',
      username: 'carol',
      platformRoles: [],
      memberships: [{ tenant: 'pricing', role: 'member' as const }],
    };
    await expect(sloList(carol, 'fraud')).rejects.toThrow('There is no tenant “fraud” among those you may see.');
    await expect(sloList(carol, 'nowhere')).rejects.toThrow('There is no tenant “nowhere” among those you may see.');
    expect((await sloList(carol, null)).slos.every((s) => s.tenant === 'pricing')).toBe(true);
  });

  it('judges an endpoint against its own objectives once they are changed', async () => {
    const before = await sloDetail(DAVE, 'fraud', 'fraud-detector', '6h');
    expect(before.history!.length).toBeGreaterThan(10);
    await saveEndpointObjectives(
      frank,
      'fraud',
      'fraud-detector',
      { ...DEFAULT_SLO_OBJECTIVES, availabilityObjective: 0.99 },
      0,
    );
    const after = await sloDetail(DAVE, 'fraud', 'fraud-detector', '6h');
    expect(after.availability.objective).toBe(0.99);
    expect(after.version).toBe(1);
    // Ten times the budget for the same errors.
    expect(after.availability.budgetRemaining!).toBeGreaterThan(before.availability.budgetRemaining!);
    expect(1 - after.availability.budgetRemaining!).toBeCloseTo((1 - before.availability.budgetRemaining!) / 10, 1);
  });

  it('stores objectives only for an endpoint that exists', async () => {
    await expect(saveEndpointObjectives(frank, 'fraud', 'made-up', DEFAULT_SLO_OBJECTIVES, 0)).rejects.toThrow(
      'There is no endpoint made-up in fraud.',
    );
    await expect(sloDetail(DAVE, 'fraud', 'made-up', '1d')).rejects.toThrow('There is no endpoint made-up in fraud.');
    expect(await getDb().sloDefinition.count({ where: { endpoint: 'made-up' } })).toBe(0);
  });
});
