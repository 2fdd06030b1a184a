/**
 * The stack's Prometheus against the running stack (`npm run stack -- up` and the seeder first):
 * it is ready, scrapes the simulator, holds the simulator's request series with 28+ days of
 * backfilled history, and a fault injected into a canary through the simulator's control API shows
 * up in a query within a few scrape intervals. No sleeps: every wait polls a condition.
 */
import { CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prometheus } from '../components/prometheus';
import { stackContext, HOST } from '../lib/context';
import { waitFor } from '../lib/processes';
import { SIMULATOR_JOB, prometheusUrl } from '../prometheus/config';

const ctx = stackContext();
const PROMETHEUS = prometheusUrl(ctx);
const SIMULATOR = `http://${HOST}:${ctx.ports.simulator}`;
const DAY = 86_400;

interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

async function query(promql: string, time?: number): Promise<Sample[]> {
  const url = new URL('/api/v1/query', PROMETHEUS);
  url.searchParams.set('query', promql);
  if (time !== undefined) url.searchParams.set('time', String(time));
  const response = await fetch(url, { signal: AbortSignal.timeout(20_000) });
  const body = (await response.json()) as { status: string; error?: string; data: { result: Sample[] } };
  if (body.status !== 'success') throw new Error(`prometheus: ${promql}: ${body.error}`);
  return body.data.result;
}

async function reachable(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(3_000) })).ok;
  } catch {
    return false;
  }
}

/** The scrape interval Prometheus actually runs with, in seconds. */
async function scrapeIntervalSeconds(): Promise<number> {
  const response = await fetch(new URL('/api/v1/status/config', PROMETHEUS));
  const { data } = (await response.json()) as { data: { yaml: string } };
  const match = /scrape_interval: (\d+)(ms|s|m|h)/.exec(data.yaml);
  if (!match) return 15;
  const unit = { ms: 0.001, s: 1, m: 60, h: 3600 }[match[2] as 'ms' | 's' | 'm' | 'h'];
  return Number(match[1]) * unit;
}

let interval = 5;

beforeAll(async () => {
  if (!(await prometheus.isUp(ctx))) {
    throw new Error(`prometheus is not reachable at ${PROMETHEUS}/-/ready — start the stack (npm run stack -- up)`);
  }
  if (!(await reachable(`${SIMULATOR}/metrics`))) {
    throw new Error(`the simulator is not reachable at ${SIMULATOR}/metrics — start the stack (npm run stack -- up)`);
  }
  interval = await scrapeIntervalSeconds();
});

describe('prometheus in the local stack', () => {
  it('is ready', async () => {
    const response = await fetch(`${PROMETHEUS}/-/ready`);
    expect(response.status).toBe(200);
  });

  it('scrapes the simulator', async () => {
    await waitFor(
      `prometheus' ${SIMULATOR_JOB} target to be up`,
      async () => (await query(`up{job="${SIMULATOR_JOB}"}`)).some((s) => s.value[1] === '1'),
      Math.max(30, 4 * interval) * 1000,
    );
  });

  it('holds request series per revision and GPU series', async () => {
    let found: Sample[] = [];
    await waitFor(
      'revision_request_count series in prometheus',
      async () => (found = await query(`revision_request_count{job="${SIMULATOR_JOB}"}`)).length > 0,
      Math.max(30, 4 * interval) * 1000,
    );
    for (const s of found) {
      expect(s.metric).toMatchObject({
        namespace_name: expect.any(String),
        configuration_name: expect.stringMatching(/-predictor$/),
        revision_name: expect.any(String),
        response_code_class: expect.stringMatching(/^[245]xx$/),
      });
    }
    expect((await query('revision_request_latencies_bucket{le="+Inf"}')).length).toBeGreaterThan(0);
  });

  it('has at least 28 days of backfilled history', async () => {
    const now = Date.now() / 1000;
    const old = await query(`count(revision_request_count{job="${SIMULATOR_JOB}"})`, now - 28 * DAY - 3600);
    expect(old.length, 'no revision_request_count samples 28 days ago: has the seeder run the backfill?').toBe(1);
    // The history is usable for a 28-day SLO: the increase over 28 days covers many requests.
    const total = await query(`sum(increase(revision_request_count{job="${SIMULATOR_JOB}"}[28d]))`);
    expect(Number(total[0]?.value[1] ?? 0)).toBeGreaterThan(1_000_000);
  });

  // On a canary of its own (in a scratch namespace): faulting a seeded one would leave an error
  // spike in the window the portal's worker judges, and it would roll that canary back.
  describe('a fault injected into a canary', () => {
    const namespace = `prom-test-${Date.now().toString(36)}`;
    const service = 'scorer';
    const API = { group: 'serving.kserve.io', version: 'v1beta1', plural: 'inferenceservices', namespace } as const;
    let core: CoreV1Api;
    let custom: CustomObjectsApi;

    beforeAll(async () => {
      const kubeconfig = new KubeConfig();
      kubeconfig.loadFromFile(ctx.kubeconfig);
      core = kubeconfig.makeApiClient(CoreV1Api);
      custom = kubeconfig.makeApiClient(CustomObjectsApi);
      await core.createNamespace({ body: { metadata: { name: namespace } } });
    });

    afterAll(async () => {
      await clear();
      await core?.deleteNamespace({ name: namespace }).catch(() => {});
    });

    async function clear() {
      const url = new URL('/faults', SIMULATOR);
      url.search = new URLSearchParams({ namespace, service, target: 'canary' }).toString();
      const response = await fetch(url, { method: 'DELETE' });
      expect(response.status).toBe(200);
    }

    /** 5xx share of a revision's requests over the last few scrapes. */
    async function errorRatio(revision: string): Promise<number | null> {
      const window = `${Math.max(20, Math.ceil(4 * interval))}s`;
      const selector = `namespace_name="${namespace}",revision_name="${revision}"`;
      const result = await query(
        `sum(increase(revision_request_count{${selector},response_code_class="5xx"}[${window}])) / sum(increase(revision_request_count{${selector}}[${window}]))`,
      );
      const value = Number(result[0]?.value[1]);
      return Number.isFinite(value) ? value : null;
    }

    const predictor = (storageUri: string) => ({
      minReplicas: 1,
      model: { modelFormat: { name: 'mlflow' }, storageUri, resources: { requests: { cpu: '100m', memory: '256Mi' } } },
    });
    const traffic = async () =>
      (
        (await custom.getNamespacedCustomObject({ ...API, name: service })) as {
          status?: { components?: { predictor?: { traffic?: { revisionName: string; tag?: string }[] } } };
        }
      ).status?.components?.predictor?.traffic ?? [];

    it('raises the canary 5xx ratio in prometheus within a few scrape intervals, and clearing it brings it down', async () => {
      await custom.createNamespacedCustomObject({
        ...API,
        body: {
          apiVersion: 'serving.kserve.io/v1beta1',
          kind: 'InferenceService',
          metadata: { name: service },
          spec: { predictor: predictor('s3://mlflow-artifacts/1/a/artifacts/model') },
        },
      });
      await waitFor('the first revision to serve', async () => (await traffic()).length === 1, 60_000);
      await custom.patchNamespacedCustomObject({
        ...API,
        name: service,
        body: [
          {
            op: 'replace',
            path: '/spec/predictor',
            value: { ...predictor('s3://mlflow-artifacts/1/b/artifacts/model'), canaryTrafficPercent: 50 },
          },
        ],
      });
      await waitFor('the canary to take traffic', async () => (await traffic()).length === 2, 60_000);

      const response = await fetch(`${SIMULATOR}/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ namespace, service, errorRate: 0.6, target: 'canary' }),
      });
      expect(response.status).toBe(200);
      const canary = ((await response.json()) as { fault: { revisions: string[] } }).fault.revisions[0];
      expect(canary, 'the simulator names the canary revision it faults').toBeDefined();

      const deadline = Math.max(60, 12 * interval) * 1000;
      await waitFor(
        `the 5xx ratio of canary ${namespace}/${canary} to rise above 30 %`,
        async () => ((await errorRatio(canary!)) ?? 0) > 0.3,
        deadline,
      );

      await clear();
      await waitFor(
        `the 5xx ratio of canary ${namespace}/${canary} to fall below 10 % after clearing`,
        async () => {
          const ratio = await errorRatio(canary!);
          return ratio !== null && ratio < 0.1;
        },
        deadline,
      );
    });
  });
});
