/**
 * The shared (dashboard) Prometheus client against the running local platform: answers shared
 * across viewers cost one query, counted in portal_prometheus_queries_total; a Prometheus that
 * cannot be reached is an UpstreamError naming it, and is asked again next time. Read-only.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { closedPort, loadStackEnv, requireHealthy, requireSetting, upstreamRejection } from '../../../test/stack';
import { metrics } from '../../observability/metrics';
import { prometheusApi } from './client';
import { fleetMetrics } from './fleet-metrics';
import { sharedPrometheus } from './shared-query';
import { sloMetrics } from './slo-metrics';

loadStackEnv();

beforeAll(async () => {
  await requireHealthy('prometheus', `${requireSetting('PROMETHEUS_URL', 'prometheus')}/-/ready`);
});

async function queriesSent(type: 'instant' | 'range'): Promise<number> {
  const { values } = await metrics().prometheusQueries.get();
  return values.find((v) => v.labels.type === type)?.value ?? 0;
}

describe('shared answers', () => {
  it('answer every viewer of the operations dashboard with one query per TTL', async () => {
    const before = await queriesSent('instant');
    // The process-wide client, as the pages use it: viewers with different tenants.
    const first = await fleetMetrics(['fraud']).serving(300);
    const second = await fleetMetrics(['pricing', 'forecast']).serving(300);
    expect(await queriesSent('instant')).toBe(before + 1);
    expect(second.freshness.asOf).toEqual(first.freshness.asOf);
    // Other suites' throwaway endpoints may be live in these namespaces too: the tenants are judged.
    const tenantsOf = (answer: typeof first) => [...new Set(answer.endpoints.map((e) => e.tenant))];
    expect(tenantsOf(first)).toEqual(['fraud']);
    expect(tenantsOf(second)).toEqual(['forecast', 'pricing']);

    // The GPU figures are one more query, whoever asks; another window is another query.
    await fleetMetrics(['fraud']).gpuUtilisation(600);
    await fleetMetrics(['pricing']).gpuUtilisation(600);
    expect(await queriesSent('instant')).toBe(before + 2);
    await fleetMetrics(['fraud']).serving(600);
    expect(await queriesSent('instant')).toBe(before + 3);
  });

  it('share a history range opened a moment later, aligned to its step', async () => {
    const shared = sharedPrometheus(prometheusApi());
    const before = await queriesSent('range');
    const options = (end: Date) => ({
      start: new Date(end.getTime() - 3600_000),
      end,
      stepSeconds: 3600,
      thresholdMs: 200,
      objectiveWindowSeconds: 28 * 86_400,
    });
    // Within the same hour-long step (both ends round down to the same hour).
    const end = new Date(Math.floor(Date.now() / 3600_000) * 3600_000 + 1000);
    const first = await sloMetrics(['fraud'], shared).history('fraud', 'fraud-detector', options(end));
    const second = await sloMetrics(['fraud'], shared).history(
      'fraud',
      'fraud-detector',
      options(new Date(end.getTime() + 60_000)),
    );
    expect(await queriesSent('range')).toBe(before + 1);
    expect(second.freshness.asOf).toEqual(first.freshness.asOf);
    expect(second.points).toEqual(first.points);
    expect(first.points.length).toBeGreaterThan(0);
  });
});

describe('a Prometheus that cannot be reached', () => {
  it('is an UpstreamError naming Prometheus, and is asked again next time', async () => {
    const port = await closedPort();
    const shared = sharedPrometheus(prometheusApi({ url: `http://127.0.0.1:${port}`, timeoutMs: 1000 }));
    const before = await queriesSent('instant');
    const error = await upstreamRejection(fleetMetrics(['fraud'], shared).serving(300));
    expect(error).toMatchObject({
      system: 'Prometheus',
      kind: 'unreachable',
      message: `Prometheus cannot be reached at 127.0.0.1:${port}`,
    });
    await upstreamRejection(sloMetrics(['fraud'], shared).counts([300], [200]));
    await upstreamRejection(fleetMetrics(['fraud'], shared).serving(300));
    // The failure was not kept: each ask went to Prometheus.
    expect(await queriesSent('instant')).toBe(before + 3);
  });
});
