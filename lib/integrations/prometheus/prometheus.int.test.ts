/**
 * The Prometheus adapter against the running local platform (`npm run stack -- up`, then `seed`):
 * the stack's Prometheus scraping the KServe simulator, whose seeded forecast/demand-forecast canary
 * fails 12 % of its requests with 450 ms added latency. It fails (never skips) when Prometheus or
 * the simulator cannot be reached.
 *
 * Faults: if the seeded fault is missing (the simulator keeps faults in memory and forgets them when
 * it restarts), it is put back exactly as the seeder sets it, and left in place as the seed has it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { inferenceServices, PORTAL_ACTOR, servingState } from '../kubernetes';
import {
  closedPort,
  eventually,
  loadStackEnv,
  requireHealthy,
  requireSetting,
  silentServer,
} from '../../../test/stack';
import { prometheusApi, query } from './client';
import { servingMetrics, type RevisionMetrics } from './serving-metrics';
import { queryTemplates } from './templates';

loadStackEnv();

const SEEDED_FAULT = {
  namespace: 'forecast',
  service: 'demand-forecast',
  target: 'canary',
  errorRate: 0.12,
  latencyMs: 450,
} as const;
/** 12 scrape intervals of the stack's Prometheus (5 s): enough requests for a stable ratio. */
const WINDOW_SECONDS = 60;
let stableRevision: string;
let canaryRevision: string;

/** Polls until `check` says done, or fails with the last value it saw. */
const canaryNearInjectedRate = (metrics: RevisionMetrics[]) => {
  const canary = metrics.find((m) => m.revision === canaryRevision);
  return (
    canary !== undefined &&
    Math.abs(canary.errorRate - SEEDED_FAULT.errorRate) < 0.03 &&
    (canary.p99Ms ?? 0) > SEEDED_FAULT.latencyMs
  );
};

beforeAll(async () => {
  const prometheusUrl = requireSetting('PROMETHEUS_URL', 'prometheus');
  const simulatorUrl = requireSetting('SIMULATOR_URL', 'the KServe simulator');
  await requireHealthy('prometheus', `${prometheusUrl}/-/ready`);
  await requireHealthy('the KServe simulator', `${simulatorUrl}/faults`);

  const forecast = await inferenceServices('forecast', PORTAL_ACTOR).get('demand-forecast');
  const state = forecast && servingState(forecast);
  if (!state?.canaryRevision || !state.stableRevision)
    throw new Error('the seeded canary forecast/demand-forecast is missing — run npm run stack -- seed');
  stableRevision = state.stableRevision;
  canaryRevision = state.canaryRevision;

  const { faults } = (await (await fetch(`${simulatorUrl}/faults`)).json()) as {
    faults: { namespace: string; service: string; target: string }[];
  };
  if (
    !faults.some(
      (f) =>
        f.namespace === SEEDED_FAULT.namespace &&
        f.service === SEEDED_FAULT.service &&
        f.target === SEEDED_FAULT.target,
    )
  ) {
    const response = await fetch(`${simulatorUrl}/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(SEEDED_FAULT),
    });
    if (!response.ok) throw new Error(`the KServe simulator refused the seeded fault: ${await response.text()}`);
  }
}, 30_000);

describe('serving metrics', () => {
  it("shows forecast/demand-forecast's stable and canary revisions, the canary failing at the injected rate", async () => {
    const metrics = await eventually(
      `the canary's error rate over ${WINDOW_SECONDS} s to reach the injected ${SEEDED_FAULT.errorRate}`,
      150_000,
      async () => {
        const value = await servingMetrics('forecast').revisionMetrics('demand-forecast', WINDOW_SECONDS);
        return { done: canaryNearInjectedRate(value), value };
      },
    );
    // A revision replaced minutes ago may still show in the window; the two serving now must.
    expect(metrics.map((m) => m.revision)).toEqual(expect.arrayContaining([stableRevision, canaryRevision]));
    const stable = metrics.find((m) => m.revision === stableRevision)!;
    const canary = metrics.find((m) => m.revision === canaryRevision)!;
    expect(canary.errorRate).toBeGreaterThan(0.09);
    expect(canary.errorRate).toBeLessThan(0.15);
    expect(stable.errorRate).toBeLessThan(0.02);
    // The canary takes about 10 % of the traffic.
    const share = canary.requestRate / (canary.requestRate + stable.requestRate);
    expect(share).toBeGreaterThan(0.04);
    expect(share).toBeLessThan(0.2);
    expect(canary.requests).toBeCloseTo(canary.requestRate * WINDOW_SECONDS, 6);
    expect(stable.p50Ms).toBeGreaterThan(0);
    expect(canary.p99Ms!).toBeGreaterThan(stable.p99Ms! + 200);
  }, 180_000);

  it('gives chart series per revision over a time range', async () => {
    const end = new Date();
    const history = await servingMetrics('forecast').revisionHistory('demand-forecast', {
      start: new Date(end.getTime() - 10 * 60_000),
      end,
      stepSeconds: 30,
    });
    expect(history.map((h) => h.revision)).toEqual(expect.arrayContaining([stableRevision, canaryRevision]));
    for (const { revision, points } of history.filter(
      (h) => h.revision === stableRevision || h.revision === canaryRevision,
    )) {
      // Revisions made by a recent restore have only minutes of history; each has some, in order.
      expect(points.length, revision).toBeGreaterThan(0);
      expect(points.map((p) => p.t)).toEqual([...points.map((p) => p.t)].sort((a, b) => a - b));
      expect(points.at(-1)!.t).toBeGreaterThan(end.getTime() - 60_000);
    }
    const canaryNow = history.find((h) => h.revision === canaryRevision)!.points.at(-1)!;
    expect(canaryNow.errorRate).toBeGreaterThan(0.05);
    expect(canaryNow.p99Ms).toBeGreaterThan(SEEDED_FAULT.latencyMs);
  });

  it("keeps a tenant to its own namespace: fraud sees nothing of forecast's service", async () => {
    expect(await servingMetrics('fraud').revisionMetrics('demand-forecast', WINDOW_SECONDS)).toEqual([]);
  });

  it("runs an installation's templates from PROMETHEUS_QUERY_TEMPLATES", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'promql-')), 'templates.json');
    // Latency in seconds instead of milliseconds: an override that is easy to recognise.
    writeFileSync(
      file,
      JSON.stringify({
        revisionLatencyQuantile:
          'histogram_quantile({{quantile}}, sum by (revision_name, le) (rate(revision_request_latencies_bucket{namespace_name="{{namespace}}", configuration_name="{{service}}-predictor"}[{{windowSeconds}}s]))) / 1000',
      }),
    );
    const metrics = await servingMetrics('forecast', prometheusApi(), queryTemplates(file)).revisionMetrics(
      'demand-forecast',
      WINDOW_SECONDS,
    );
    const canary = metrics.find((m) => m.revision === canaryRevision)!;
    expect(canary.p99Ms).toBeGreaterThan(SEEDED_FAULT.latencyMs / 1000);
    expect(canary.p99Ms).toBeLessThan(10);
  });
});

describe('queries', () => {
  it('gives sample values as numbers, NaN included', async () => {
    const [nan] = await query('0/0');
    expect(nan?.value).toBeNaN();
    const up = await query('up{job=~".+"}');
    expect(up.length).toBeGreaterThan(0);
    expect(typeof up[0]!.value).toBe('number');
    expect(up[0]!.metric.job).toBeDefined();
  });

  it('says why Prometheus rejected a bad query', async () => {
    await expect(query('sum(rate(revision_request_count[5m])')).rejects.toMatchObject({
      name: 'UpstreamError',
      kind: 'rejected',
      status: 400,
      message: expect.stringMatching(/^Prometheus rejected the query: .*unclosed left parenthesis/),
    });
  });

  it('says when Prometheus cannot be reached', async () => {
    const port = await closedPort();
    await expect(prometheusApi({ url: `http://127.0.0.1:${port}`, timeoutMs: 1000 }).query('up')).rejects.toMatchObject(
      {
        kind: 'unreachable',
        message: `Prometheus cannot be reached at 127.0.0.1:${port}`,
      },
    );
  });

  it('says when Prometheus does not answer in time', async () => {
    const server = await silentServer();
    try {
      await expect(
        prometheusApi({ url: `http://127.0.0.1:${server.port}`, timeoutMs: 300 }).query('up'),
      ).rejects.toMatchObject({
        kind: 'timeout',
        message: 'Prometheus did not answer within 300 ms',
      });
      // Not retried: the budget is spent.
      expect(server.connections()).toBe(1);
    } finally {
      await server.close();
    }
  });
});
