/**
 * Fleet metrics against the running local platform: the stack's Prometheus scraping the KServe
 * simulator's seeded endpoints (fraud/fraud-detector, pricing/price-elasticity,
 * forecast/demand-forecast) and GPU pods. Read-only: nothing seeded is changed. Fails (never
 * skips) when Prometheus cannot be reached.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { inferenceServices, PORTAL_ACTOR, servingState } from '../kubernetes';
import { eventually, loadStackEnv, requireHealthy, requireSetting, SEEDED_ENDPOINTS } from '../../../test/stack';
import { prometheusApi } from './client';
import { fleetMetrics, type EndpointServingStats } from './fleet-metrics';
import { gpuMetrics } from './gpu-metrics';
import { servingMetrics } from './serving-metrics';

loadStackEnv();

const SEEDED = SEEDED_ENDPOINTS;
const TENANTS = SEEDED.map((s) => s.tenant);
const WINDOW_SECONDS = 300;

beforeAll(async () => {
  await requireHealthy('prometheus', `${requireSetting('PROMETHEUS_URL', 'prometheus')}/-/ready`);
});

/** The revision each seeded endpoint's stable traffic goes to, as Kubernetes says now. */
async function stableRevisions(): Promise<Map<string, string>> {
  const revisions = new Map<string, string>();
  for (const { tenant, service } of SEEDED) {
    const isvc = await inferenceServices(tenant, PORTAL_ACTOR).get(service);
    const stable = isvc && servingState(isvc).stableRevision;
    if (!stable)
      throw new Error(`the seeded endpoint ${tenant}/${service} has no stable revision — run npm run stack -- seed`);
    revisions.set(`${tenant}/${service}`, stable);
  }
  return revisions;
}

describe('fleet serving', () => {
  it('gives every seeded endpoint with traffic, its revisions and their figures, in one query', async () => {
    const endpoints = await eventually<EndpointServingStats[]>(
      "each seeded endpoint with its stable revision's traffic",
      60_000,
      async () => {
        const [{ endpoints: value }, stable] = await Promise.all([
          fleetMetrics(TENANTS, prometheusApi()).serving(WINDOW_SECONDS),
          stableRevisions(),
        ]);
        const done = SEEDED.every(({ tenant, service }) =>
          value
            .find((e) => e.tenant === tenant && e.service === service)
            ?.revisions.some((r) => r.revision === stable.get(`${tenant}/${service}`)),
        );
        return { done, value };
      },
    );
    for (const { tenant, service } of SEEDED) {
      const endpoint = endpoints.find((e) => e.tenant === tenant && e.service === service)!;
      expect(endpoint.requestRate, `${tenant}/${service}`).toBeGreaterThan(1);
      expect(endpoint.requestRate).toBeCloseTo(
        endpoint.revisions.reduce((sum, r) => sum + r.requestRate, 0),
        9,
      );
      expect(endpoint.errorRate).toBeGreaterThanOrEqual(0);
      expect(endpoint.errorRate).toBeLessThan(0.5);
      expect(endpoint.p99Ms!).toBeGreaterThan(0);
      for (const revision of endpoint.revisions)
        expect(revision.revision.startsWith(`${service}-predictor-`)).toBe(true);
    }
    // Nothing but the tenants asked about: the stack's test namespaces serve traffic too.
    expect(new Set(endpoints.map((e) => e.tenant))).toEqual(new Set(TENANTS));
  });

  it("agrees with the tenant-scoped serving metrics of each endpoint's revisions", async () => {
    const { endpoints, freshness } = await fleetMetrics(['fraud'], prometheusApi()).serving(WINDOW_SECONDS);
    // At the time the fleet query was sent (Prometheus evaluated it a few milliseconds later).
    const own = await servingMetrics('fraud').revisionMetrics(
      'fraud-detector',
      WINDOW_SECONDS,
      new Date(freshness.asOf),
    );
    const fleet = endpoints.find((e) => e.service === 'fraud-detector')!;
    expect(fleet.revisions.map((r) => r.revision)).toEqual(own.map((r) => r.revision));
    for (const revision of own) {
      const fromFleet = fleet.revisions.find((r) => r.revision === revision.revision)!;
      expect(Math.abs(fromFleet.requestRate - revision.requestRate) / revision.requestRate).toBeLessThan(0.01);
      expect(Math.abs(fromFleet.errorRate - revision.errorRate)).toBeLessThan(0.01);
    }
    // One revision serving: the service's p99 is that revision's.
    if (own.length === 1) expect(Math.abs(fleet.p99Ms! - own[0]!.p99Ms!) / own[0]!.p99Ms!).toBeLessThan(0.01);
  });

  it("keeps a viewer to their tenants: fraud's view has only fraud's endpoints", async () => {
    const { endpoints } = await fleetMetrics(['fraud'], prometheusApi()).serving(WINDOW_SECONDS);
    expect(endpoints.length).toBeGreaterThan(0);
    expect(endpoints.every((e) => e.tenant === 'fraud')).toBe(true);
  });
});

describe('fleet GPUs', () => {
  it("gives each tenant's allocated GPUs and their mean utilisation, as the tenant's GPU view counts them", async () => {
    await eventually('the fleet and tenant GPU views to agree', 60_000, async () => {
      const { tenants } = await fleetMetrics(TENANTS, prometheusApi()).gpuUtilisation(WINDOW_SECONDS);
      const devices = await Promise.all(
        TENANTS.map(async (tenant) => (await gpuMetrics(tenant, prometheusApi()).devices(WINDOW_SECONDS)).devices),
      );
      const value = tenants.map((t, i) => ({ ...t, devices: devices[i]!.map((d) => d.utilPercent) }));
      const done = value.every((t) => {
        const utils = t.devices.filter((u): u is number => u !== null);
        const mean = utils.reduce((sum, u) => sum + u, 0) / utils.length;
        return t.gpus > 0 && t.gpus === utils.length && t.utilPercent !== null && Math.abs(t.utilPercent - mean) < 5;
      });
      return { done, value };
    });
    const { tenants } = await fleetMetrics(TENANTS, prometheusApi()).gpuUtilisation(WINDOW_SECONDS);
    expect(tenants.map((t) => t.tenant)).toEqual(['forecast', 'fraud', 'pricing']);
    for (const t of tenants) {
      expect(t.utilPercent!).toBeGreaterThanOrEqual(0);
      expect(t.utilPercent!).toBeLessThanOrEqual(100);
    }
  });
});
