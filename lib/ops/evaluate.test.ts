import { describe, expect, it } from 'vitest';
import {
  CANARY_MIN_REQUESTS,
  canaryEndpoints,
  judgeCanary,
  judgeInfrastructure,
  judgePipelines,
  judgeRegistry,
  judgeServing,
  judgeTraining,
  OPS_AREA_SOURCES,
  opsLink,
  opsRow,
  thresholdText,
  unknownRow,
  withInputDrift,
  type CanaryEndpoint,
  type EndpointTraffic,
} from './evaluate';
import { PIPELINE_WINDOW_MS, type PipelineSummary } from './pipelines';
import { OPS_AREA_LABELS, OPS_AREAS } from './areas';
import { DEFAULT_OPS_THRESHOLDS as T } from './thresholds';
import type { ModelMetricTrend } from './training';

const NOW = new Date('2026-03-01T12:00:00Z');
const HOUR = 3_600_000;

describe('words', () => {
  it('labels every area for people and names its upstreams', () => {
    expect(OPS_AREAS.map((a) => OPS_AREA_LABELS[a])).toEqual([
      'Pipelines',
      'Training',
      'Registry',
      'Serving',
      'Canary',
      'Infrastructure',
      'Platform health',
    ]);
    expect(OPS_AREA_SOURCES).toEqual({
      pipelines: ['kubernetes'],
      training: ['mlflow'],
      registry: ['database'],
      serving: ['prometheus', 'kubernetes'],
      canary: ['prometheus', 'kubernetes'],
      infrastructure: ['prometheus', 'kubernetes'],
      health: ['health'],
    });
  });

  it('says each threshold in words with its numbers', () => {
    expect(OPS_AREAS.map((a) => thresholdText(a, T))).toEqual([
      'alert when success < 95 %',
      "alert when a model's newest version is more than 0.02 below the previous one",
      'alert when a request waits > 24 h',
      "alert when an endpoint's errors > 1 % or p99 > 500 ms, or its model's inputs drift past the tenant policy's threshold",
      'alert when canary errors > 2× stable (stable counted as at least 0.1 %), judged from 20 canary requests',
      'alert on any OOM kill in 24 h',
      'alert on any critical finding, warning on any warning',
    ]);
    const custom = {
      ...T,
      pipelineSuccessMin: 0.9,
      servingErrorRateMax: 0.005,
      oomKillsPerDayMax: 2,
      canaryErrorRatioMax: 3,
    };
    expect(thresholdText('pipelines', custom)).toBe('alert when success < 90 %');
    expect(thresholdText('serving', custom)).toBe(
      "alert when an endpoint's errors > 0.5 % or p99 > 500 ms, or its model's inputs drift past the tenant policy's threshold",
    );
    expect(thresholdText('infrastructure', custom)).toBe('alert when OOM kills in 24 h > 2');
    expect(thresholdText('canary', custom)).toMatch(/^alert when canary errors > 3× stable/);
  });
});

describe('links and rows', () => {
  it('links each target to the tenant page that exists for it, names encoded', () => {
    expect(opsLink('fraud', { kind: 'canary', service: 'fraud-detector' })).toEqual({
      href: '/t/fraud/deployments/fraud-detector',
      label: 'Open the canary of fraud-detector',
    });
    expect(opsLink('fraud', { kind: 'deployment', service: 'fraud-detector' })).toEqual({
      href: '/t/fraud/deployments/fraud-detector',
      label: 'Open the deployment of fraud-detector',
    });
    expect(opsLink('fraud', { kind: 'deployments' }).href).toBe('/t/fraud/deployments');
    expect(opsLink('fraud', { kind: 'model', model: 'my model/v2' }).href).toBe('/t/fraud/models/my%20model%2Fv2');
    expect(opsLink('fraud', { kind: 'models' }).href).toBe('/t/fraud/models');
    expect(opsLink('fraud', { kind: 'promotion', id: 'abc-123' }).href).toBe('/t/fraud/promotions/abc-123');
    expect(opsLink('fraud', { kind: 'promotions' }).href).toBe('/t/fraud/promotions');
    expect(opsLink('fraud', { kind: 'gpu' })).toEqual({ href: '/t/fraud/gpu', label: 'Open the GPUs of fraud' });
    expect(opsLink('fraud', { kind: 'pipelines', failed: false })).toEqual({
      href: '/t/fraud/pipelines',
      label: 'Open the pipeline runs of fraud',
    });
    expect(opsLink('fraud', { kind: 'pipelines', failed: true })).toEqual({
      href: '/t/fraud/pipelines?phase=Failed',
      label: 'Open the failed pipeline runs of fraud',
    });
  });

  it('turns a judgment into a row, with or without staleness', () => {
    const judgment = judgeInfrastructure({ gpus: { gpus: 0, utilPercent: null }, oomKills: [] }, T);
    expect(opsRow('fraud', 'infrastructure', judgment)).toEqual({
      tenant: 'fraud',
      area: 'infrastructure',
      state: 'ok',
      signal: judgment.signal,
      threshold: judgment.threshold,
      detail: null,
      link: { href: '/t/fraud/gpu', label: 'Open the GPUs of fraud' },
      problem: null,
      outdated: null,
    });
    const outdated = {
      asOf: '2026-03-01T11:58:00.000Z',
      error: 'Kubernetes data may be out of date: the Workflows watch went silent',
    };
    const stale = opsRow('fraud', 'pipelines', judgePipelines(summary({}), T), { outdated });
    expect(stale).toMatchObject({
      link: { href: '/t/fraud/pipelines', label: 'Open the pipeline runs of fraud' },
      problem: null,
      outdated,
    });
  });

  it('marks a row unknown with the problem and keeps its threshold', () => {
    expect(unknownRow('pricing', 'training', 'MLflow cannot be reached at 127.0.0.1:5000', T)).toEqual({
      tenant: 'pricing',
      area: 'training',
      state: 'unknown',
      signal: 'no data',
      threshold: thresholdText('training', T),
      detail: null,
      link: null,
      problem: 'MLflow cannot be reached at 127.0.0.1:5000',
      outdated: null,
    });
  });
});

function summary(fields: Partial<PipelineSummary>): PipelineSummary {
  return {
    windowMs: PIPELINE_WINDOW_MS,
    finished: 0,
    succeeded: 0,
    failed: 0,
    successRate: null,
    meanDurationMs: null,
    running: 0,
    recentFailures: [],
    ...fields,
  };
}

describe('judgePipelines', () => {
  const failure = {
    name: 'fraud-train-x7k2p',
    template: 'fraud-train',
    phase: 'Failed' as const,
    message: 'OOMKilled (exit code 137)',
    finishedAt: '2026-03-01T10:00:00Z',
  };

  it('alerts below the success threshold, naming the latest failure and linking the failed runs', () => {
    const judged = judgePipelines(
      summary({
        finished: 14,
        succeeded: 12,
        failed: 2,
        successRate: 12 / 14,
        meanDurationMs: 38 * 60_000,
        running: 1,
        recentFailures: [failure],
      }),
      T,
    );
    expect(judged).toEqual({
      state: 'alert',
      signal: '85.7 % of 14 runs succeeded · mean 38 min · 1 running',
      threshold: 'alert when success < 95 %',
      detail:
        '2 of 14 runs failed in the last 7 days; latest fraud-train-x7k2p (fraud-train) failed: OOMKilled (exit code 137)',
      target: { kind: 'pipelines', failed: true },
    });
  });

  it('is ok at the threshold and above, still naming a failure, and links every run', () => {
    const atThreshold = judgePipelines(
      summary({
        finished: 20,
        succeeded: 19,
        failed: 1,
        successRate: 0.95,
        meanDurationMs: 90_000,
        recentFailures: [{ ...failure, phase: 'Error', message: null, template: null }],
      }),
      T,
    );
    expect(atThreshold).toMatchObject({
      state: 'ok',
      signal: '95 % of 20 runs succeeded · mean 1 min 30 s',
      detail: '1 of 20 runs failed in the last 7 days; latest fraud-train-x7k2p ended in Error',
      target: { kind: 'pipelines', failed: false },
    });
    expect(judgePipelines(summary({ finished: 1, succeeded: 1, successRate: 1 }), T)).toMatchObject({
      state: 'ok',
      signal: '100 % of 1 run succeeded',
      detail: null,
      target: { kind: 'pipelines', failed: false },
    });
  });

  it('follows the configured threshold, and the link with it', () => {
    const s = summary({ finished: 10, succeeded: 9, failed: 1, successRate: 0.9, recentFailures: [failure] });
    expect(judgePipelines(s, T)).toMatchObject({ state: 'alert', target: { kind: 'pipelines', failed: true } });
    expect(judgePipelines(s, { ...T, pipelineSuccessMin: 0.9 })).toMatchObject({
      state: 'ok',
      target: { kind: 'pipelines', failed: false },
    });
  });

  it('is idle without finished runs in the window, still saying what runs', () => {
    expect(judgePipelines(summary({ running: 2 }), T)).toEqual({
      state: 'idle',
      signal: 'no runs finished in the last 7 days · 2 running',
      threshold: 'alert when success < 95 %',
      detail: 'nothing to judge: no pipeline run finished in the last 7 days',
      target: { kind: 'pipelines', failed: false },
    });
    expect(judgePipelines(summary({ windowMs: 36 * HOUR }), T).signal).toBe('no runs finished in the last 1 d 12 h');
  });
});

function trend(model: string, values: (number | null)[], metric = 'holdout_auc'): ModelMetricTrend {
  return {
    model,
    metric,
    versions: values.map((value, i) => ({
      version: String(values.length - i),
      value,
      runId: `${i}`.repeat(32),
      createdAt: 1000 - i,
    })),
  };
}

describe('judgeTraining', () => {
  it('alerts when a newest version is below its previous one by more than the tolerance, naming the worst model', () => {
    const judged = judgeTraining(
      [
        trend('fraud-detector', [0.9412, 0.9777, 0.97]),
        trend('demand-forecast', [0.956, 0.9607]),
        trend('price-elasticity', [0.9, 0.93]),
      ],
      'holdout_auc',
      T,
    );
    expect(judged).toEqual({
      state: 'alert',
      signal: '3 models compared on holdout_auc · worst change −0.0365 (fraud-detector)',
      threshold: "alert when a model's newest version is more than 0.02 below the previous one on holdout_auc",
      detail: 'fraud-detector v3: holdout_auc 0.9412 vs 0.9777 for v2 (−0.0365); 2 models regressed',
      target: { kind: 'model', model: 'fraud-detector' },
    });
  });

  it('is ok within the tolerance, and at exactly the tolerance', () => {
    expect(judgeTraining([trend('demand-forecast', [0.956, 0.9607, 0.9392])], 'holdout_auc', T)).toMatchObject({
      state: 'ok',
      signal: '1 model compared on holdout_auc · worst change −0.0047 (demand-forecast)',
      detail: null,
      target: { kind: 'models' },
    });
    expect(judgeTraining([trend('m', [0.95, 0.97])], 'holdout_auc', T).state).toBe('ok');
    expect(judgeTraining([trend('m', [0.9499, 0.97])], 'holdout_auc', T).state).toBe('alert');
    expect(judgeTraining([trend('m', [0.98, 0.97])], 'holdout_auc', T).signal).toContain('worst change +0.01 (m)');
  });

  it('follows the configured tolerance', () => {
    const trends = [trend('m', [0.9, 0.95])];
    expect(judgeTraining(trends, 'holdout_auc', T).state).toBe('alert');
    expect(judgeTraining(trends, 'holdout_auc', { ...T, trainingRegressionTolerance: 0.05 }).state).toBe('ok');
  });

  it('compares with the previous version that logged the metric, and says which models it could not compare', () => {
    const judged = judgeTraining(
      [
        trend('gaps', [0.9, null, 0.95]),
        trend('newest-missing', [null, 0.99]),
        trend('single', [0.9]),
        trend('empty', []),
      ],
      'holdout_auc',
      T,
    );
    expect(judged).toMatchObject({
      state: 'alert',
      detail: 'gaps v3: holdout_auc 0.9 vs 0.95 for v1 (−0.05)',
      target: { kind: 'model', model: 'gaps' },
    });
    const ok = judgeTraining(
      [trend('fine', [0.95, 0.95]), trend('newest-missing', [null, 0.99]), trend('single', [0.9]), trend('empty', [])],
      'holdout_auc',
      T,
    );
    expect(ok).toMatchObject({
      state: 'ok',
      detail:
        'not compared: newest-missing v2 has no holdout_auc, single has no earlier version with holdout_auc, empty has no versions',
    });
  });

  it('is idle without models, or without a model it can compare', () => {
    expect(judgeTraining([], 'holdout_auc', T)).toMatchObject({
      state: 'idle',
      signal: 'no registered models',
      target: { kind: 'models' },
    });
    expect(
      judgeTraining(
        [trend('single', [0.9], 'cv_f1_mean'), trend('unlogged', [null, null], 'cv_f1_mean')],
        'cv_f1_mean',
        T,
      ),
    ).toEqual({
      state: 'idle',
      signal: '2 models, none with two versions logging cv_f1_mean',
      threshold: "alert when a model's newest version is more than 0.02 below the previous one on cv_f1_mean",
      detail: 'nothing to judge: single has no earlier version with cv_f1_mean, unlogged v2 has no cv_f1_mean',
      target: { kind: 'models' },
    });
  });
});

describe('judgeRegistry', () => {
  const request = (id: string, hours: number, model = 'fraud-detector', version = '5') => ({
    id,
    model,
    version,
    requestedAt: new Date(NOW.getTime() - hours * HOUR),
  });

  it('is ok with no requests waiting', () => {
    expect(judgeRegistry([], NOW, T)).toEqual({
      state: 'ok',
      signal: 'no requests waiting',
      threshold: 'alert when a request waits > 24 h',
      detail: null,
      target: { kind: 'promotions' },
    });
  });

  it('counts the requests and the longest wait, linking the oldest', () => {
    expect(judgeRegistry([request('a', 2), request('b', 5, 'demand-forecast', '3')], NOW, T)).toEqual({
      state: 'ok',
      signal: '2 requests waiting · longest 5 h',
      threshold: 'alert when a request waits > 24 h',
      detail: 'demand-forecast v3 has waited 5 h',
      target: { kind: 'promotion', id: 'b' },
    });
  });

  it('alerts when any request waits longer than the limit, not at the limit', () => {
    expect(judgeRegistry([request('a', 24)], NOW, T).state).toBe('ok');
    expect(
      judgeRegistry([request('new', 1), request('old', 26), request('older', 50, 'price-elasticity', '4')], NOW, T),
    ).toMatchObject({
      state: 'alert',
      signal: '3 requests waiting · longest 2 d 2 h',
      detail: 'price-elasticity v4 has waited 2 d 2 h; 2 requests over 24 h',
      target: { kind: 'promotion', id: 'older' },
    });
    expect(judgeRegistry([request('a', 30)], NOW, { ...T, registryWaitHoursMax: 48 }).state).toBe('ok');
  });
});

function endpoint(
  service: string,
  requestRate: number,
  errorRate: number,
  p99Ms: number | null,
  revisions: EndpointTraffic['revisions'] = [],
): EndpointTraffic {
  return { service, requestRate, errorRate, p99Ms, revisions };
}

describe('judgeServing', () => {
  it('aggregates every endpoint: total rate, worst error rate, worst p99, and names endpoints without traffic', () => {
    const judged = judgeServing(
      ['fraud-detector', 'price-elasticity', 'idle-one'],
      [endpoint('fraud-detector', 12.5, 0.004, 120), endpoint('price-elasticity', 3.25, 0.0005, 310)],
      T,
    );
    expect(judged).toEqual({
      state: 'ok',
      signal: '3 endpoints · 15.8 req/s · worst errors 0.4 % (fraud-detector) · worst p99 310 ms (price-elasticity)',
      threshold:
        "alert when an endpoint's errors > 1 % or p99 > 500 ms, or its model's inputs drift past the tenant policy's threshold",
      detail: 'no traffic: idle-one',
      target: { kind: 'deployments' },
    });
  });

  it('alerts on the error rate or on p99, naming the endpoint furthest past its threshold', () => {
    const judged = judgeServing(
      ['a', 'b', 'c'],
      [endpoint('a', 5, 0.015, 200), endpoint('b', 5, 0.002, 1600), endpoint('c', 5, 0.001, 100)],
      T,
    );
    expect(judged).toMatchObject({
      state: 'alert',
      detail: 'b: p99 1600 ms; 2 of 3 endpoints over their thresholds',
      target: { kind: 'deployment', service: 'b' },
    });
    expect(judgeServing(['a'], [endpoint('a', 5, 0.042, 730)], T)).toMatchObject({
      state: 'alert',
      detail: 'a: 4.2 % errors and p99 730 ms',
      target: { kind: 'deployment', service: 'a' },
    });
  });

  it('is ok exactly at the thresholds', () => {
    expect(judgeServing(['a'], [endpoint('a', 1, 0.01, 500)], T).state).toBe('ok');
    expect(judgeServing(['a'], [endpoint('a', 1, 0.0101, 500)], T).state).toBe('alert');
    expect(judgeServing(['a'], [endpoint('a', 1, 0.01, 501)], T).state).toBe('alert');
  });

  it('follows the configured thresholds', () => {
    const traffic = [endpoint('a', 1, 0.02, 700)];
    expect(judgeServing(['a'], traffic, T).state).toBe('alert');
    expect(judgeServing(['a'], traffic, { ...T, servingErrorRateMax: 0.05, servingP99MsMax: 1000 }).state).toBe('ok');
  });

  it('says when there is no latency data, and ignores traffic of endpoints that no longer exist', () => {
    const judged = judgeServing(['a'], [endpoint('a', 0.5, 0, null), endpoint('deleted', 40, 0.5, 9000)], T);
    expect(judged).toMatchObject({
      state: 'ok',
      signal: '1 endpoint · 0.5 req/s · worst errors 0 % (a) · no latency data',
      detail: null,
    });
  });

  it('is idle without endpoints or without any traffic', () => {
    expect(judgeServing([], [endpoint('gone', 1, 0, 10)], T)).toMatchObject({
      state: 'idle',
      signal: 'no endpoints',
      target: { kind: 'deployments' },
    });
    expect(judgeServing(['a', 'b'], [endpoint('a', 0, 0, null)], T)).toMatchObject({
      state: 'idle',
      signal: '2 endpoints · no traffic',
      detail: 'nothing to judge: no requests in the window',
    });
  });
});

describe('withInputDrift', () => {
  const breach = (endpoint: string, score: number, threshold = 0.2) => ({
    tenant: 'pricing',
    endpoint,
    threshold,
    policyVersion: 0,
    features: [
      { feature: 'competitor_price_ratio', score },
      { feature: 'discount_pct', score: score - 0.01 },
    ],
  });
  const healthy = judgeServing(['price-elasticity', 'other'], [endpoint('price-elasticity', 5, 0.001, 100)], T);

  it('makes a healthy serving row alert, naming the drifting endpoint, its features and threshold, linking to it', () => {
    expect(withInputDrift(healthy, ['price-elasticity', 'other'], [breach('price-elasticity', 0.337)])).toEqual({
      ...healthy,
      state: 'alert',
      detail: 'price-elasticity: input drift competitor_price_ratio 0.337, discount_pct 0.327 > 0.2',
      target: { kind: 'deployment', service: 'price-elasticity' },
    });
  });

  it('names the endpoint furthest past its threshold first and counts the others', () => {
    const judged = withInputDrift(
      healthy,
      ['price-elasticity', 'other'],
      [breach('price-elasticity', 0.25), breach('other', 0.3, 0.1)],
    );
    expect(judged.detail).toBe(
      "other: input drift competitor_price_ratio 0.300, discount_pct 0.290 > 0.1; 2 endpoints' inputs drift",
    );
  });

  it('keeps a traffic alert’s detail and link, adding the drift; ignores endpoints no longer served', () => {
    const failing = judgeServing(['a', 'price-elasticity'], [endpoint('a', 5, 0.05, 100)], T);
    const judged = withInputDrift(failing, ['a', 'price-elasticity'], [breach('price-elasticity', 0.337)]);
    expect(judged.target).toEqual(failing.target);
    expect(judged.detail).toBe(
      `${failing.detail}; price-elasticity: input drift competitor_price_ratio 0.337, discount_pct 0.327 > 0.2`,
    );
    expect(withInputDrift(healthy, ['other'], [breach('price-elasticity', 0.337)])).toBe(healthy);
  });
});

describe('canaryEndpoints', () => {
  const traffic = [
    endpoint('demand-forecast', 10, 0.03, 200, [
      { revision: 'demand-forecast-predictor-00002', requestRate: 7.5, errorRate: 0.001 },
      { revision: 'demand-forecast-predictor-00003', requestRate: 2.5, errorRate: 0.121, requests: 290 },
    ]),
  ];

  it('keeps endpoints with a live canary and joins their revisions’ traffic', () => {
    const joined = canaryEndpoints(
      [
        {
          name: 'demand-forecast',
          state: {
            stableRevision: 'demand-forecast-predictor-00002',
            canaryRevision: 'demand-forecast-predictor-00003',
            canaryPercent: 25,
          },
        },
        { name: 'fraud-detector', state: { stableRevision: 'fraud-detector-predictor-00004', canaryPercent: 0 } },
        { name: 'rolled-back', state: { stableRevision: 'r-1', canaryRevision: 'r-2', canaryPercent: 0 } },
        { name: 'quiet', state: { stableRevision: 'q-1', canaryRevision: 'q-2', canaryPercent: 10 } },
      ],
      traffic,
      120,
    );
    expect(joined).toEqual([
      {
        service: 'demand-forecast',
        canaryPercent: 25,
        canary: { revision: 'demand-forecast-predictor-00003', requests: 290, errorRate: 0.121 },
        stable: { revision: 'demand-forecast-predictor-00002', requests: 900, errorRate: 0.001 },
      },
      { service: 'quiet', canaryPercent: 10, canary: null, stable: null },
    ]);
  });
});

function canary(
  service: string,
  canaryRequests: number | null,
  canaryErrors: number,
  stableErrors: number | null,
  canaryPercent = 25,
): CanaryEndpoint {
  return {
    service,
    canaryPercent,
    canary:
      canaryRequests === null ? null : { revision: `${service}-2`, requests: canaryRequests, errorRate: canaryErrors },
    stable: stableErrors === null ? null : { revision: `${service}-1`, requests: 1000, errorRate: stableErrors },
  };
}

describe('judgeCanary', () => {
  it('alerts when the canary’s error rate is above the factor times the stable one, linking the worst canary', () => {
    expect(
      judgeCanary([canary('demand-forecast', 290, 0.121, 0.001), canary('fraud-detector', 100, 0.004, 0.003)], T),
    ).toEqual({
      state: 'alert',
      signal: '2 canaries live · worst: canary 12.1 % vs stable 0.1 % errors',
      threshold:
        'alert when canary errors > 2× stable (stable counted as at least 0.1 %), judged from 20 canary requests',
      detail: 'demand-forecast: canary 12.1 % errors vs stable 0.1 % at 25 % of traffic, limit 0.2 %',
      target: { kind: 'canary', service: 'demand-forecast' },
    });
  });

  it('is ok at or below the factor', () => {
    expect(judgeCanary([canary('a', 100, 0.02, 0.01)], T)).toMatchObject({
      state: 'ok',
      signal: '1 canary live · worst: canary 2 % vs stable 1 % errors',
      detail: null,
      target: { kind: 'canary', service: 'a' },
    });
    expect(judgeCanary([canary('a', 100, 0.0201, 0.01)], T).state).toBe('alert');
    expect(judgeCanary([canary('a', 100, 0.025, 0.01)], { ...T, canaryErrorRatioMax: 3 }).state).toBe('ok');
  });

  it('compares with at least the floor, so a tiny stable error rate does not make every canary error an alert', () => {
    expect(judgeCanary([canary('a', 2000, 0.0005, 0.0002)], T).state).toBe('ok');
    expect(judgeCanary([canary('a', 2000, 0.0019, 0)], T).state).toBe('ok');
    expect(judgeCanary([canary('a', 2000, 0.0021, 0)], T)).toMatchObject({
      state: 'alert',
      detail: 'a: canary 0.21 % errors vs stable 0 % at 25 % of traffic, limit 0.2 %',
    });
    // No stable traffic in the window: compared with the floor.
    expect(judgeCanary([canary('a', 2000, 0.05, null)], T).state).toBe('alert');
  });

  it('does not judge a canary with too little traffic, and says so', () => {
    expect(judgeCanary([canary('new', CANARY_MIN_REQUESTS - 1, 0.5, 0), canary('none', null, 0, 0.001)], T)).toEqual({
      state: 'idle',
      signal: '2 canaries live · too little canary traffic',
      threshold: thresholdText('canary', T),
      detail: 'too little canary traffic: new (19 of 20 requests), none (0 of 20 requests)',
      target: { kind: 'canary', service: 'new' },
    });
    expect(judgeCanary([canary('new', 5, 0.5, 0), canary('steady', CANARY_MIN_REQUESTS, 0, 0)], T)).toMatchObject({
      state: 'ok',
      detail: 'too little canary traffic: new (5 of 20 requests)',
      target: { kind: 'canary', service: 'steady' },
    });
  });

  it('counts every canary over its limit', () => {
    expect(
      judgeCanary([canary('a', 100, 0.05, 0.001), canary('b', 100, 0.5, 0.001), canary('c', 100, 0, 0)], T),
    ).toMatchObject({
      state: 'alert',
      detail: 'b: canary 50 % errors vs stable 0.1 % at 25 % of traffic, limit 0.2 %; 2 of 3 canaries over',
      target: { kind: 'canary', service: 'b' },
    });
  });

  it('is idle without a canary', () => {
    expect(judgeCanary([], T)).toMatchObject({
      state: 'idle',
      signal: 'no canary running',
      detail: null,
      target: { kind: 'deployments' },
    });
  });
});

describe('judgeInfrastructure', () => {
  const kill = (pod: string, finishedAt: string | null) => ({ pod, finishedAt });

  it('reports GPU utilisation and alerts on any OOM kill by default, latest pod first', () => {
    const judged = judgeInfrastructure(
      {
        gpus: { gpus: 2, utilPercent: 57.5 },
        oomKills: [
          kill('train-a', '2026-03-01T08:00:00Z'),
          kill('train-b', '2026-03-01T11:00:00Z'),
          kill('train-b', '2026-03-01T10:00:00Z'),
        ],
      },
      T,
    );
    expect(judged).toEqual({
      state: 'alert',
      signal: 'GPU utilisation 58 % over 2 GPUs · 3 OOM kills in 24 h',
      threshold: 'alert on any OOM kill in 24 h',
      detail: 'OOM-killed, latest first: train-b, train-a',
      target: { kind: 'gpu' },
    });
  });

  it('is ok without OOM kills, or with no more than allowed', () => {
    expect(judgeInfrastructure({ gpus: { gpus: 1, utilPercent: 12.4 }, oomKills: [] }, T)).toMatchObject({
      state: 'ok',
      signal: 'GPU utilisation 12 % over 1 GPU · 0 OOM kills in 24 h',
      detail: null,
    });
    expect(
      judgeInfrastructure(
        { gpus: { gpus: 0, utilPercent: null }, oomKills: [kill('a', null), kill('b', null)] },
        { ...T, oomKillsPerDayMax: 2 },
      ),
    ).toMatchObject({ state: 'ok', signal: 'no GPUs reporting · 2 OOM kills in 24 h' });
    expect(
      judgeInfrastructure(
        { gpus: { gpus: 0, utilPercent: null }, oomKills: [kill('a', null), kill('b', null), kill('c', null)] },
        { ...T, oomKillsPerDayMax: 2 },
      ).state,
    ).toBe('alert');
  });

  it('still judges OOM kills when GPU metrics could not be read', () => {
    expect(judgeInfrastructure({ gpus: null, oomKills: [kill('a', null)] }, T)).toMatchObject({
      state: 'alert',
      signal: 'GPU utilisation not available · 1 OOM kill in 24 h',
      detail: 'OOM-killed, latest first: a',
    });
  });

  it('shortens a long list of pods', () => {
    const kills = ['p1', 'p2', 'p3', 'p4', 'p5'].map((p, i) => kill(p, `2026-03-01T0${9 - i}:00:00Z`));
    expect(judgeInfrastructure({ gpus: { gpus: 4, utilPercent: 91 }, oomKills: kills }, T).detail).toBe(
      'OOM-killed, latest first: p1, p2, p3 and 2 more',
    );
  });
});
