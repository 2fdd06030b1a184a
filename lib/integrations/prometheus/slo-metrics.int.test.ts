/**
 * SLO counts and history against the running local platform: the stack's Prometheus with 30 days
 * of backfilled history of the simulator's seeded endpoints. Read-only. Fails (never skips) when
 * Prometheus cannot be reached.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadStackEnv, requireHealthy, requireSetting, SEEDED_ENDPOINTS } from '../../../test/stack';
import { prometheusApi, query } from './client';
import { MIN_HISTORY_RATE_WINDOW_SECONDS, sloMetrics } from './slo-metrics';

loadStackEnv();

const SEEDED = SEEDED_ENDPOINTS;
const TENANTS = SEEDED.map((s) => s.tenant);
const FIVE_MINUTES = 300;
const DAYS_28 = 28 * 86_400;

beforeAll(async () => {
  await requireHealthy('prometheus', `${requireSetting('PROMETHEUS_URL', 'prometheus')}/-/ready`);
});

describe('SLO counts', () => {
  it('counts requests, 5xx and requests within 200 ms of every seeded endpoint over 5 minutes and 28 days', async () => {
    const all = (await sloMetrics(TENANTS, prometheusApi()).counts([FIVE_MINUTES, DAYS_28], [200, 1000])).endpoints;
    // Endpoints the browser tests created and removed earlier this month are counted too (their
    // traffic is in the window); the seeded ones are judged here.
    const seeded = SEEDED.map((s) => `${s.tenant}/${s.service}`);
    expect(all.every((e) => (TENANTS as readonly string[]).includes(e.tenant))).toBe(true);
    const endpoints = all.filter((e) => seeded.includes(`${e.tenant}/${e.service}`));
    expect(endpoints.map((e) => `${e.tenant}/${e.service}`)).toEqual(seeded);
    for (const { tenant, service, windows } of endpoints) {
      const recent = windows[FIVE_MINUTES]!;
      const month = windows[DAYS_28]!;
      const name = `${tenant}/${service}`;
      expect(recent.requests, name).toBeGreaterThan(0);
      // The backfill: 30 days of traffic, far more than five minutes'.
      expect(month.requests, name).toBeGreaterThan(1000 * recent.requests);
      for (const counts of [recent, month]) {
        expect(counts.errors).toBeGreaterThanOrEqual(0);
        expect(counts.errors).toBeLessThan(counts.requests);
        // The "200" bucket was found (most answers take less), and is not above all requests
        // beyond increase()'s extrapolation.
        expect(counts.within[200]!).toBeGreaterThan(0.5 * counts.requests);
        expect(counts.within[200]!).toBeLessThanOrEqual(counts.requests * 1.001);
        expect(counts.within[1000]!).toBeGreaterThanOrEqual(counts.within[200]!);
      }
    }
  });

  it("agrees with a direct query of the endpoint's requests", async () => {
    const { endpoints } = await sloMetrics(['pricing'], prometheusApi()).counts([DAYS_28], []);
    const [direct] = await query(
      'sum(increase(revision_request_count{namespace_name="pricing", configuration_name="price-elasticity-predictor"}[28d]))',
    );
    const counted = endpoints.find((e) => e.service === 'price-elasticity')!.windows[DAYS_28]!.requests;
    expect(Math.abs(counted - direct!.value) / direct!.value).toBeLessThan(0.001);
  });

  it("keeps a viewer to their tenants: fraud's counts have only fraud's endpoints", async () => {
    const { endpoints } = await sloMetrics(['fraud'], prometheusApi()).counts([FIVE_MINUTES], [200]);
    // Other suites' throwaway endpoints in fraud's namespace may be counted too; no other tenant's are.
    expect(new Set(endpoints.map((e) => e.tenant))).toEqual(new Set(['fraud']));
    expect(endpoints.map((e) => e.service)).toContain('fraud-detector');
    expect(endpoints.map((e) => e.service)).not.toContain('price-elasticity');
  });
});

describe('SLO history', () => {
  it('gives points over the last 6 hours with rates, p95 and the trailing 28-day counts', async () => {
    const end = new Date();
    const history = await sloMetrics(['fraud'], prometheusApi()).history('fraud', 'fraud-detector', {
      start: new Date(end.getTime() - 6 * 3600_000),
      end,
      stepSeconds: 300,
      thresholdMs: 200,
      objectiveWindowSeconds: DAYS_28,
    });
    expect(history.end.getTime() % 300_000).toBe(0);
    expect(history.points.length).toBeGreaterThanOrEqual(70);
    expect(history.points.map((p) => p.t)).toEqual([...history.points.map((p) => p.t)].sort((a, b) => a - b));
    // The local platform's live history has gaps where it was stopped; the trailing 28 days never do.
    const served = history.points.filter((p) => p.requestRate > 0);
    expect(served.length).toBeGreaterThan(0);
    for (const point of history.points) {
      if (point.requestRate > 0) {
        expect(point.errorRate!).toBeGreaterThanOrEqual(0);
        expect(point.errorRate!).toBeLessThan(0.5);
        expect(point.p95Ms!).toBeGreaterThan(0);
      } else {
        expect(point).toMatchObject({ errorRate: null, p95Ms: null });
      }
      expect(point.trailing.requests).toBeGreaterThan(1_000_000);
      expect(point.trailing.errors).toBeLessThan(point.trailing.requests);
      expect(point.trailing.within[200]!).toBeGreaterThan(0.5 * point.trailing.requests);
      expect(point.trailing.within[200]!).toBeLessThanOrEqual(point.trailing.requests * 1.001);
    }
  });

  it('rates over the backfilled history (5-minute resolution) without gaps, at the shortest rate window', async () => {
    const end = new Date();
    const { points, rateWindowSeconds } = await sloMetrics(['pricing'], prometheusApi()).history(
      'pricing',
      'price-elasticity',
      {
        start: new Date(end.getTime() - 5 * 86_400_000),
        end,
        stepSeconds: 600,
        thresholdMs: 200,
        objectiveWindowSeconds: DAYS_28,
      },
    );
    // Older than two days is backfill, before the local platform last started.
    const backfilled = points.filter((p) => p.t < end.getTime() - 2 * 86_400_000);
    expect(rateWindowSeconds).toBe(MIN_HISTORY_RATE_WINDOW_SECONDS);
    expect(backfilled.length).toBeGreaterThanOrEqual(3 * 24 * 6);
    expect(backfilled.filter((p) => !(p.requestRate > 0 && p.p95Ms !== null))).toEqual([]);
  });
});
