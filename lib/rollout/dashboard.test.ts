import { describe, expect, it } from 'vitest';
import type { Rollout } from '../db/generated/client';
import { UpstreamError } from '../integrations/upstream';
import { inferenceServiceSchema, type InferenceService } from '../integrations/kubernetes/inference-services';
import { DEFAULT_POLICY } from '../promotion/policy';
import { failureMessage } from '../read-model/panel';
import {
  chartPoints,
  describeValues,
  endpointView,
  judgmentView,
  rolledBackToOf,
  metricRows,
  rolloutView,
  servingStatus,
  timelineEntry,
  type Thresholds,
} from './dashboard';
import type { PendingIntent } from './records';

const V4 = 's3://mlflow-artifacts/workspaces/pricing/4/aaa/artifacts/model';
const V5 = 's3://mlflow-artifacts/workspaces/pricing/4/bbb/artifacts/model';
const STABLE = 'price-elasticity-predictor-00001';
const CANARY = 'price-elasticity-predictor-00002';
const THRESHOLDS: Thresholds = DEFAULT_POLICY;

function isvc(
  options: { canaryPercent?: number; storageUri?: string; annotations?: Record<string, string>; ready?: boolean } = {},
): InferenceService {
  const { canaryPercent, storageUri = V5, annotations = {}, ready = true } = options;
  const traffic =
    canaryPercent === undefined
      ? [{ revisionName: STABLE, percent: 100, latestRevision: true }]
      : [
          { revisionName: CANARY, percent: canaryPercent, tag: 'latest', latestRevision: true },
          { revisionName: STABLE, percent: 100 - canaryPercent, tag: 'prev', latestRevision: false },
        ];
  return inferenceServiceSchema.parse({
    metadata: {
      name: 'price-elasticity',
      namespace: 'pricing',
      uid: 'u-1',
      resourceVersion: '7',
      labels: { 'mlp.example.com/model': 'price-elasticity' },
      annotations: { 'mlp.example.com/model-version': '5', ...annotations },
    },
    spec: { predictor: { canaryTrafficPercent: canaryPercent, model: { storageUri } } },
    status: {
      conditions: [
        { type: 'Ready', status: ready ? 'True' : 'False', message: ready ? undefined : 'Revision failed to start' },
      ],
      components: { predictor: { traffic } },
    },
  });
}

function rollout(overrides: Partial<Rollout> = {}): Rollout {
  const at = new Date('2026-11-23T10:00:00Z');
  return {
    id: '0b6c7a0e-3f5e-4a53-9d8e-1c1f5b0f0a01',
    tenantId: '5f0c2c1e-8d4b-4b8a-9a55-0d8f3f1f0a02',
    endpoint: 'price-elasticity',
    promotionRequestId: null,
    modelName: 'price-elasticity',
    version: '5',
    storageUri: V5,
    previousStorageUri: V4,
    previousVersion: '4',
    steps: [10, 25, 50, 100],
    currentPercent: 25,
    state: 'progressing',
    stepStartedAt: at,
    lastJudgment: null,
    lastCheckedAt: null,
    finishedAt: null,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

const sample = (
  overrides: Partial<{
    requests: number;
    requestRate: number;
    errorRate: number;
    p50Ms: number | null;
    p99Ms: number | null;
  }> = {},
) => ({
  requests: 880,
  requestRate: 7.32,
  errorRate: 0.004,
  p50Ms: 37,
  p99Ms: 149.3,
  ...overrides,
});

const checkValues = {
  check: 'fail',
  metrics: {
    canary: { revision: CANARY, ...sample({ errorRate: 0.081 }) },
    stable: { revision: STABLE, ...sample({ requests: 3524 }) },
  },
  thresholds: {
    maxErrorRate: 0.02,
    maxP99Ms: 500,
    minRequests: 100,
    immediateRollbackFactor: 3,
    minPassRatio: 0.9,
    bakeMinutes: 10,
    windowSeconds: 120,
  },
  percent: 10,
  checksAtStep: 4,
};

describe('serving status', () => {
  it('names the state in words: not ready first, then the canary share, else stable', () => {
    expect(servingStatus({ ready: false, canaryRevision: CANARY, canaryPercent: 20 })).toEqual({
      kind: 'not-ready',
      label: 'Not ready',
    });
    expect(servingStatus({ ready: true, canaryRevision: CANARY, canaryPercent: 20 })).toEqual({
      kind: 'canary',
      label: 'Canary 20 %',
    });
    expect(servingStatus({ ready: true, canaryPercent: 0 })).toEqual({ kind: 'stable', label: 'Stable' });
  });

  it('treats a rolled-back canary left in the split at 0 % as stable', () => {
    expect(servingStatus({ ready: true, canaryRevision: CANARY, canaryPercent: 0 }).label).toBe('Stable');
  });
});

describe('endpoint view', () => {
  it('splits traffic between the canary and the stable version the live rollout started from', () => {
    const view = endpointView(isvc({ canaryPercent: 20 }), rollout());
    expect(view).toMatchObject({
      name: 'price-elasticity',
      modelName: 'price-elasticity',
      status: { label: 'Canary 20 %' },
      canary: { version: '5', revision: CANARY, percent: 20, storageUri: V5 },
      stable: { version: '4', revision: STABLE, percent: 80, storageUri: V4 },
    });
  });

  it('falls back to the annotations the promotion wrote when there is no rollout', () => {
    const view = endpointView(
      isvc({
        canaryPercent: 10,
        annotations: { 'mlp.example.com/previous-model-version': '2', 'mlp.example.com/previous-storage-uri': V4 },
      }),
      null,
    );
    expect(view.canary).toMatchObject({ version: '5', percent: 10 });
    expect(view.stable).toMatchObject({ version: '2', percent: 90, storageUri: V4 });
  });

  it('names the restored version after a rollback, not the one in the stale version annotation', () => {
    const restored = isvc({
      storageUri: V4,
      annotations: { 'mlp.example.com/rolled-back-version': '5', 'mlp.example.com/previous-model-version': '4' },
    });
    expect(endpointView(restored, rollout({ state: 'rolled_back' })).stable).toMatchObject({
      version: '4',
      percent: 100,
      storageUri: V4,
    });
    expect(endpointView(restored, null).stable.version).toBe('4');
    expect(endpointView(restored, null).canary).toBeNull();
  });

  it('reports why an endpoint is not ready', () => {
    expect(endpointView(isvc({ ready: false }), null)).toMatchObject({
      ready: false,
      readyMessage: 'Revision failed to start',
      status: { label: 'Not ready' },
    });
  });
});

describe('recorded values in words', () => {
  it('describes a check: outcome, both revisions and the thresholds', () => {
    expect(describeValues(checkValues)).toEqual([
      { label: 'Check', value: 'failed' },
      { label: 'Canary traffic', value: '10 %' },
      { label: 'Checks at this step', value: '4' },
      { label: 'Canary', value: 'error rate 8.10 % · p99 149 ms · p50 37 ms · 880 requests' },
      { label: 'Stable', value: 'error rate 0.40 % · p99 149 ms · p50 37 ms · 3,524 requests' },
      {
        label: 'Thresholds',
        value:
          'error rate ≤ 2.00 % (rollback at once above 6.00 %) · p99 ≤ 500 ms · at least 100 requests · 90.0 % of checks passing over 10 min · 120 s window',
      },
    ]);
  });

  it('describes a rollback: traffic and model before → after, and the versions', () => {
    const lines = describeValues({
      before: { storageUri: V5, canaryTrafficPercent: 10 },
      after: { storageUri: V4, canaryTrafficPercent: 0 },
      version: '5',
      previousVersion: '4',
    });
    expect(lines).toEqual([
      { label: 'Canary version', value: 'v5' },
      { label: 'Previous version', value: 'v4' },
      { label: 'Traffic', value: 'canary 10 % → canary 0 %' },
      { label: 'Model served', value: `${V5} → ${V4}` },
    ]);
  });

  it('says when a promotion removed the canary split and kept the model', () => {
    const lines = describeValues({
      before: { storageUri: V5, canaryTrafficPercent: 50 },
      after: { storageUri: V5, canaryTrafficPercent: null },
    });
    expect(lines).toEqual([
      { label: 'Traffic', value: 'canary 50 % → all traffic to the latest revision' },
      { label: 'Model served', value: `${V5} (unchanged)` },
    ]);
  });

  it('states why metrics were unavailable', () => {
    expect(describeValues({ metrics: { unavailable: 'Prometheus did not answer within 5 s' } })).toEqual([
      { label: 'Metrics', value: 'unavailable: Prometheus did not answer within 5 s' },
    ]);
  });

  it('shows unknown or unexpected values as JSON instead of hiding them', () => {
    expect(
      describeValues({ percent: 'ten', extra: { a: 1 }, before: { storageUri: V5, canaryTrafficPercent: 10 } }),
    ).toEqual([
      { label: 'percent', value: '"ten"' },
      { label: 'extra', value: '{"a":1}' },
      { label: 'before', value: `{"storageUri":"${V5}","canaryTrafficPercent":10}` },
    ]);
    expect(describeValues(null)).toEqual([]);
    expect(describeValues([1, 2])).toEqual([]);
  });
});

describe('judgment view', () => {
  const judged = (action: string, reason: string, values: Rollout['lastJudgment'] = checkValues) =>
    rollout({ lastJudgment: { action, reason, at: '2026-11-23T10:05:00.000Z', values } });

  it('waits for the worker when no check has run', () => {
    expect(judgmentView(rollout())).toMatchObject({ state: 'waiting', headline: 'Waiting for the worker', at: null });
  });

  it('says judgment is paused, and why, when metrics could not be read', () => {
    // As the worker records a pause: no check outcome, the metrics' failure, the thresholds, where the canary was.
    const { check: _none, metrics: _read, ...pausedValues } = checkValues;
    const view = judgmentView(
      judged(
        'pause',
        'judgment paused: Prometheus did not answer within 5 s; nothing is promoted while metrics cannot be read',
        {
          ...pausedValues,
          metrics: { unavailable: 'Prometheus did not answer within 5 s' },
        },
      ),
    );
    expect(view).toMatchObject({ state: 'paused', headline: 'Judgment paused', at: '2026-11-23T10:05:00.000Z' });
    expect(view.reason).toMatch(/^Judgment paused: Prometheus did not answer within 5 s/);
    expect(view.details).toEqual([
      { label: 'Canary traffic', value: '10 %' },
      { label: 'Checks at this step', value: '4' },
      { label: 'Metrics', value: 'unavailable: Prometheus did not answer within 5 s' },
      {
        label: 'Thresholds',
        value:
          'error rate ≤ 2.00 % (rollback at once above 6.00 %) · p99 ≤ 500 ms · at least 100 requests · 90.0 % of checks passing over 10 min · 120 s window',
      },
    ]);
  });

  it('still gives the decision when its recorded values do not read, and says so', () => {
    const view = judgmentView(
      judged('pause', 'judgment paused: Prometheus did not answer within 5 s', {
        metrics: { unavailable: 'Prometheus did not answer within 5 s' },
      }),
    );
    expect(view).toMatchObject({
      state: 'paused',
      headline: 'Judgment paused',
      reason: 'Judgment paused: Prometheus did not answer within 5 s',
    });
    expect(view.details).toEqual([
      {
        label: 'Unreadable record',
        value:
          "the values recorded with this judgment do not read as a judgment's (thresholds: Invalid input: expected object, received undefined); as stored they follow",
      },
      { label: 'Metrics', value: 'unavailable: Prometheus did not answer within 5 s' },
    ]);
  });

  it('gives the decision with its reason and the numbers behind it', () => {
    const view = judgmentView(
      judged('wait', 'healthy: error rate 0.40 %, p99 149 ms over 880 requests; baking 3 more min at 25 %'),
    );
    expect(view).toMatchObject({
      state: 'judged',
      headline: 'Keep baking',
      reason: 'Healthy: error rate 0.40 %, p99 149 ms over 880 requests; baking 3 more min at 25 %',
    });
    expect(view.details.map((d) => d.label)).toContain('Thresholds');
  });

  it('says how a finished rollout ended', () => {
    expect(judgmentView(rollout({ state: 'rolled_back', finishedAt: new Date('2026-11-23T10:09:00Z') }))).toMatchObject(
      {
        state: 'finished',
        headline: 'Rolled back',
        reason: expect.stringContaining('v5 was rolled back and v4 serves all traffic again'),
        at: '2026-11-23T10:09:00.000Z',
      },
    );
    expect(judgmentView(rollout({ state: 'promoted' })).headline).toBe('Promoted');
  });

  it('names the version a rollback to a chosen version went back to, not the one before the canary', () => {
    const rollbackTo = (version: string, id: string) => ({
      rolloutId: id,
      kind: 'rollback',
      decision: 'rolled-back',
      reason: `Rolled back to v${version}: bad batch`,
      values: {
        before: { storageUri: V5, canaryTrafficPercent: null },
        after: { storageUri: 's3://mlflow/1/r3/artifacts/model', canaryTrafficPercent: null },
        version: '5',
        previousVersion: version,
        toRequestId: 'req3',
      },
    });
    const history = [
      { rolloutId: 'other', kind: 'rollback', decision: 'rolled-back', reason: '', values: { previousVersion: '9' } },
      rollbackTo('3', 'r1'),
      rollbackTo('2', 'r1'),
    ];
    expect(rolledBackToOf('r1', history)).toBe('3');
    expect(rolledBackToOf('r2', history)).toBeNull();
    expect(judgmentView({ ...rollout({ state: 'rolled_back' }), rolledBackTo: '3' }).reason).toContain(
      'v5 was rolled back and v3 serves all traffic again',
    );
  });
});

describe('an action under way', () => {
  const intentValues = {
    action: 'rollback',
    target: { storageUri: V4, canaryTrafficPercent: 0 },
    from: { storageUri: V5, percent: 25 },
    version: '5',
    previousVersion: '4',
    kube: { kind: 'user', username: 'erin', groups: ['mlp:oncall'] },
  };
  const pending: PendingIntent = {
    id: 41n,
    rolloutId: rollout().id,
    occurredAt: new Date('2026-11-23T10:07:03Z'),
    actor: 'erin',
    reason: 'Rolled back by erin from the canary dashboard',
    action: 'rollback',
    target: { storageUri: V4, canaryTrafficPercent: 0 },
  };
  const intentRow = {
    id: 41n,
    occurredAt: pending.occurredAt,
    kind: 'intent',
    actor: 'erin',
    decision: 'pending',
    reason: pending.reason,
    values: intentValues,
  };

  it('takes the judgment panel, in words, with who asked and when, while its outcome is not recorded', () => {
    const view = rolloutView(
      rollout({
        lastJudgment: { action: 'wait', reason: 'healthy', at: '2026-11-23T10:05:00.000Z', values: checkValues },
      }),
      pending,
    );
    expect(view.pendingAction).toEqual({
      action: 'rollback',
      label: 'Rollback',
      by: 'erin',
      at: '2026-11-23T10:07:03.000Z',
      reason: 'Rolled back by erin from the canary dashboard',
    });
    expect(view.judgment).toMatchObject({
      state: 'acting',
      action: 'rollback',
      headline: 'Rollback under way',
      at: '2026-11-23T10:07:03.000Z',
    });
    expect(view.judgment.reason).toBe(
      'erin asked for it at 2026-11-23 10:07:03 UTC (Rolled back by erin from the canary dashboard), and its outcome is not recorded yet. Automatic judgment waits for it. ' +
        'If the portal stopped before recording the outcome, the worker reads the InferenceService and records it: done, applied again, or failed with the reason.',
    );
    expect(
      rolloutView(rollout({ currentPercent: 10 }), {
        ...pending,
        action: 'promote-next',
        target: { storageUri: V5, canaryTrafficPercent: 25 },
      }).judgment.headline,
    ).toBe('Promotion to 25 % under way');
  });

  it('is shown on the timeline as pending with what it asks for, and as requested once settled', () => {
    const entry = timelineEntry(intentRow, '5', true);
    expect(entry).toMatchObject({ kind: 'intent', decision: 'pending', actor: 'erin', version: '5' });
    expect(entry.reason).toBe(
      'Rolled back by erin from the canary dashboard. Its outcome is not recorded yet: if the portal stopped before recording it, the worker reads the InferenceService and records what happened.',
    );
    expect(entry.details).toEqual([
      { label: 'Asked for', value: `Rollback: ${V4}, canary 0 %` },
      { label: 'Started from', value: `${V5}, canary 25 %` },
      { label: 'Canary version', value: 'v5' },
      { label: 'Previous version', value: 'v4' },
      { label: 'Acts at Kubernetes as', value: 'erin (impersonated)' },
    ]);
    expect(timelineEntry(intentRow, '5', false)).toMatchObject({
      decision: 'requested',
      reason: 'Rolled back by erin from the canary dashboard',
    });
  });

  it('says why a failed action was not done and what the cluster served', () => {
    const entry = timelineEntry(
      {
        ...intentRow,
        id: 42n,
        kind: 'failed',
        decision: 'failed',
        reason: 'Not done: the endpoint serves something else',
        values: {
          action: 'promote-next',
          error: 'the endpoint serves something else',
          observed: { storageUri: V5, canaryTrafficPercent: 30 },
          recordedBy: 'worker',
        },
      },
      '5',
      false,
    );
    expect(entry.details).toEqual([
      { label: 'Action', value: 'Promotion to the next step' },
      { label: 'The cluster served', value: `${V5}, canary 30 %` },
      { label: 'Recorded by', value: 'the worker, after the process that acted stopped before recording the outcome' },
      { label: 'Error', value: 'the endpoint serves something else' },
    ]);
  });

  it('shows a stored row that does not match its kind as unreadable, with what it holds, instead of failing the page', () => {
    const entry = timelineEntry(
      {
        ...intentRow,
        id: 43n,
        kind: 'rollback',
        decision: 'rolled-back',
        values: { before: 'garbled', after: { storageUri: V4, canaryTrafficPercent: 0 } },
      },
      '5',
      false,
    );
    expect(entry.decision).toBe('rolled-back');
    expect(entry.details[0]).toEqual({
      label: 'Unreadable record',
      value:
        'this rollback event does not match what a rollback event holds (values.before: Invalid input: expected object, received string); its values as stored follow',
    });
    expect(entry.details.slice(1)).toEqual([
      { label: 'before', value: '"garbled"' },
      { label: 'after', value: `{"storageUri":"${V4}","canaryTrafficPercent":0}` },
    ]);
  });
});

describe('rollout view', () => {
  it('offers the next step below 100 %, and none from the last step before it', () => {
    expect(rolloutView(rollout({ currentPercent: 25 })).nextPercent).toBe(50);
    expect(rolloutView(rollout({ currentPercent: 50 })).nextPercent).toBeNull();
    expect(rolloutView(rollout({ currentPercent: 20, steps: [10, 25, 50, 100] })).nextPercent).toBe(25);
  });

  it('is plain JSON', () => {
    const view = rolloutView(rollout());
    expect(JSON.parse(JSON.stringify(view))).toEqual(view);
  });
});

describe('metric rows', () => {
  it('puts stable next to canary with thresholds and the canary verdict in words', () => {
    const rows = metricRows(
      sample({ requests: 3524, requestRate: 29.36, errorRate: 0.0009 }),
      sample({ errorRate: 0.031, p99Ms: 612 }),
      true,
      THRESHOLDS,
    );
    expect(rows).toEqual([
      { label: 'Request rate', stable: '29.4 req/s', canary: '7.32 req/s', threshold: null, verdict: null },
      {
        label: 'Requests in 120 s',
        stable: '3,524',
        canary: '880',
        threshold: 'at least 100 to judge',
        verdict: { text: 'enough to judge', tone: 'good' },
      },
      {
        label: 'Error rate',
        stable: '0.09 %',
        canary: '3.10 %',
        threshold: '≤ 2.00 %; rollback at once above 6.00 %',
        verdict: { text: 'above threshold', tone: 'bad' },
      },
      { label: 'Latency p50', stable: '37 ms', canary: '37 ms', threshold: null, verdict: null },
      {
        label: 'Latency p99',
        stable: '149 ms',
        canary: '612 ms',
        threshold: '≤ 500 ms',
        verdict: { text: 'above threshold', tone: 'bad' },
      },
    ]);
  });

  it('flags an error rate above the immediate-rollback limit', () => {
    const errorRow = metricRows(null, sample({ errorRate: 0.07 }), true, THRESHOLDS)[2];
    expect(errorRow?.verdict).toEqual({ text: 'above the rollback limit', tone: 'bad' });
  });

  it('judges a canary without requests as too few, and says so', () => {
    const rows = metricRows(sample(), null, true, THRESHOLDS);
    expect(rows[1]).toMatchObject({ canary: 'no requests', verdict: { text: 'too few to judge', tone: 'warn' } });
    expect(rows[2]).toMatchObject({ canary: 'no requests', verdict: null });
  });

  it('shows no canary column values or verdicts for an endpoint without a canary', () => {
    const rows = metricRows(sample(), null, false, THRESHOLDS);
    expect(rows.every((r) => r.canary === 'no canary' && r.verdict === null)).toBe(true);
  });
});

describe('chart points', () => {
  it('merges the stable and canary histories by time, error rates in percent, other revisions ignored', () => {
    const point = (t: number, errorRate: number | null) => ({ t, requestRate: 2, errorRate, p50Ms: 30, p99Ms: 150 });
    const points = chartPoints(
      [
        { revision: STABLE, points: [point(2000, 0.001), point(1000, 0)] },
        { revision: CANARY, points: [point(2000, 0.05), point(3000, null)] },
        { revision: 'price-elasticity-predictor-00000', points: [point(1000, 1)] },
      ],
      { stableRevision: STABLE, canaryRevision: CANARY },
    );
    expect(points.map((p) => p.t)).toEqual([1000, 2000, 3000]);
    expect(points[0]).toEqual({
      t: 1000,
      stable: { requestRate: 2, errorPercent: 0, p50Ms: 30, p99Ms: 150 },
      canary: {},
    });
    expect(points[1]?.canary.errorPercent).toBeCloseTo(5);
    expect(points[1]?.stable.errorPercent).toBeCloseTo(0.1);
    expect(points[2]).toMatchObject({ stable: {}, canary: { errorPercent: null } });
  });
});

describe('failure messages', () => {
  it('passes an upstream message through, as it is written for people', () => {
    expect(
      failureMessage(
        'the serving metrics',
        new UpstreamError('Prometheus', 'timeout', 'Prometheus did not answer within 5 s'),
      ),
    ).toBe('Prometheus did not answer within 5 s');
  });

  it('does not show internal errors', () => {
    expect(failureMessage('the serving metrics', new TypeError('x is undefined'))).toBe(
      "The serving metrics could not be read; the portal's log has the details.",
    );
  });
});
