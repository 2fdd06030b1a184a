import { describe, expect, it } from 'vitest';
import {
  buildTimeline,
  filterTimeline,
  parseTimelineFilter,
  STORY_KINDS,
  timelineHref,
  timelinePage,
  type StorySources,
} from './timeline';

const t = (minute: number) => new Date(Date.UTC(2026, 10, 1, 12, minute));

const judgment = {
  check: 'fail',
  metrics: {
    canary: { revision: 'c', requests: 240, requestRate: 4, errorRate: 0.09, p50Ms: 20, p99Ms: 310 },
    stable: { revision: 's', requests: 900, requestRate: 15, errorRate: 0.004, p50Ms: 18, p99Ms: 250 },
  },
  thresholds: { maxErrorRate: 0.02, maxP99Ms: 500, minRequests: 100 },
  percent: 10,
  checksAtStep: 3,
};

function sources(): StorySources {
  return {
    tenant: 'fraud',
    model: 'fraud-detector',
    primaryMetric: 'holdout_auc',
    mlflow: {
      ok: true,
      versions: [
        {
          version: '3',
          createdAt: t(5).getTime(),
          runId: 'a'.repeat(32),
          aliases: ['challenger'],
          tags: { 'mlp.promoted_at': t(30).toISOString(), 'mlp.rolled_back_at': t(50).toISOString() },
          run: {
            runId: 'a'.repeat(32),
            runName: 'gbm-3',
            startTime: t(1).getTime(),
            endTime: t(2).getTime(),
            metrics: { holdout_auc: 0.934 },
          },
        },
        {
          version: '2',
          createdAt: t(0).getTime(),
          runId: 'b'.repeat(32),
          aliases: ['champion'],
          tags: {},
          run: null,
        },
      ],
    },
    requests: [
      {
        id: 'req1',
        version: '3',
        endpoint: 'fraud-detector',
        runId: 'a'.repeat(32),
        requesterName: 'alice',
        status: 'deployed',
        notes: 'Retrained',
        policyVersion: 2,
        requiredApprovals: 1,
        gates: [
          {
            id: 'threshold:holdout_auc',
            kind: 'threshold',
            label: 'holdout_auc ≥ 0.85',
            passed: true,
            blocking: true,
            detail: 'holdout_auc is 0.9340, at least the required 0.85.',
            values: { metric: 'holdout_auc', value: 0.934, min: 0.85 },
          },
          {
            id: 'regression',
            kind: 'regression',
            label: 'No regression',
            passed: false,
            blocking: false,
            detail: 'below',
            values: { value: 0.9, championValue: 0.95, tolerance: 0.02 },
          },
        ],
        deployGates: null,
        deployError: null,
        pipeline: null,
        createdAt: t(10),
        decidedAt: t(20),
        updatedAt: t(25),
        approvals: [
          {
            id: 'ap1',
            approverName: 'bob',
            decision: 'approve',
            comment: 'ok',
            counts: true,
            standing: 'Counts: bob has been approver since…',
            createdAt: t(20),
          },
          {
            id: 'ap2',
            approverName: 'carol',
            decision: 'approve',
            comment: '',
            counts: false,
            standing: 'Does not count: carol became approver after the request was filed.',
            createdAt: t(21),
          },
        ],
      },
    ],
    rollouts: [
      {
        id: 'ro1',
        endpoint: 'fraud-detector',
        version: '3',
        previousVersion: '2',
        promotionRequestId: 'req1',
        events: [
          {
            id: 9n,
            occurredAt: t(31),
            kind: 'start',
            actor: 'bob',
            decision: 'canary started',
            reason: 'v3 receives 10 % of traffic',
            values: {
              canaryTrafficPercent: 10,
              storageUri: 's3://x/model',
              previousStorageUri: 's3://y/model',
              steps: [10, 50, 100],
            },
          },
          {
            id: 10n,
            occurredAt: t(40),
            kind: 'check',
            actor: 'worker',
            decision: 'fail',
            reason: 'canary error rate 9 % above 2 %',
            values: judgment,
          },
          {
            id: 11n,
            occurredAt: t(41),
            kind: 'intent',
            actor: 'worker',
            decision: 'pending',
            reason: 'roll back',
            values: {},
          },
          {
            id: 12n,
            occurredAt: t(41),
            kind: 'rollback',
            actor: 'worker',
            decision: 'rolled-back',
            reason: 'canary error rate 9 % is over 3× the threshold',
            values: {
              ...judgment,
              before: { storageUri: 's3://x/model', canaryTrafficPercent: 10 },
              after: { storageUri: 's3://y/model', canaryTrafficPercent: 0 },
            },
          },
          {
            id: 13n,
            occurredAt: t(42),
            kind: 'alias',
            actor: 'worker',
            decision: 'alias not restored',
            reason: 'MLflow down',
            values: { alias: 'champion', version: '3', error: 'MLflow down' },
          },
        ],
      },
    ],
    breakGlass: [
      {
        id: 4n,
        endpoint: 'fraud-detector',
        actor: 'oncall-ann',
        reason: 'hotfix',
        storageUri: 's3://y/model',
        canaryTrafficPercent: null,
        modelVersion: '2',
        observedAt: t(60),
      },
    ],
  };
}

describe('buildTimeline', () => {
  const events = buildTimeline(sources());

  it('puts the newest first, in a fixed order on a tie', () => {
    const times = events.map((e) => e.at.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(events[0]!.kind).toBe('break-glass');
    // The rollback and its intent share a moment: the intent is not shown, the rollback is.
    expect(events.find((e) => e.id === 'ro-11')).toBeUndefined();
    // A request and its gates share a moment: all of them together, in a fixed order.
    const filed = events.filter((e) => e.at.getTime() === t(10).getTime()).map((e) => e.id);
    expect(filed).toEqual(['req-req1', 'gate-req1-threshold_holdout_auc', 'gate-req1-regression']);
  });

  it('has an event of every kind, each with a unique anchor-safe id', () => {
    expect(new Set(events.map((e) => e.kind))).toEqual(new Set(STORY_KINDS));
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    for (const e of events) expect(e.id).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('keeps the run’s main metric and the gates’ numbers', () => {
    expect(events.find((e) => e.id === 'run-3')).toMatchObject({
      kind: 'run',
      version: '3',
      numbers: { holdout_auc: 0.934 },
      link: { href: `/t/fraud/runs/${'a'.repeat(32)}` },
    });
    expect(events.find((e) => e.id === 'gate-req1-threshold_holdout_auc')).toMatchObject({
      kind: 'gate',
      tone: 'good',
      numbers: { metric: 'holdout_auc', value: 0.934, min: 0.85 },
    });
    expect(events.find((e) => e.id === 'gate-req1-regression')?.summary).toContain('failed (not blocking)');
    expect(events.find((e) => e.id === 'req-req1')?.numbers).toMatchObject({ gatesPassed: 1, gatesFailed: 1 });
  });

  it('says whether each approval counts, and why', () => {
    expect(events.find((e) => e.id === 'appr-ap1')).toMatchObject({ actor: 'bob', numbers: { counts: true } });
    const carol = events.find((e) => e.id === 'appr-ap2')!;
    expect(carol).toMatchObject({ numbers: { counts: false }, tone: 'bad' });
    expect(carol.summary).toContain('does not count');
    expect(carol.detail).toContain('became approver after the request was filed');
  });

  it('keeps the values that drove an automatic judgment and an automatic rollback', () => {
    expect(events.find((e) => e.id === 'ro-10')).toMatchObject({
      kind: 'judgment',
      actor: 'worker',
      numbers: {
        check: 'fail',
        percent: 10,
        'canary.errorRate': 0.09,
        'canary.requests': 240,
        'stable.errorRate': 0.004,
        'threshold.maxErrorRate': 0.02,
        'threshold.minRequests': 100,
      },
    });
    const rollback = events.find((e) => e.id === 'ro-12')!;
    expect(rollback).toMatchObject({
      kind: 'rollback',
      numbers: { automatic: true, previousVersion: '2', 'canary.errorRate': 0.09 },
    });
    expect(rollback.summary).toBe('Automatic rollback v3 on fraud-detector to v2');
    expect(rollback.detail).toContain('3×');
  });

  it('names the version a rollback to a chosen version went back to', () => {
    const story = sources();
    const [rollout] = story.rollouts;
    const chosen = buildTimeline({
      ...story,
      rollouts: [
        {
          ...rollout!,
          events: [
            {
              id: 20n,
              occurredAt: t(50),
              kind: 'rollback',
              actor: 'erin',
              decision: 'rolled-back',
              reason: 'Rolled back to v1: the v2 features are broken too',
              values: {
                before: { storageUri: 's3://x/model', canaryTrafficPercent: null },
                after: { storageUri: 's3://v1/model', canaryTrafficPercent: null },
                version: '3',
                previousVersion: '1',
                toRequestId: 'req0',
              },
            },
          ],
        },
      ],
    }).find((e) => e.id === 'ro-20')!;
    expect(chosen.summary).toBe('erin rolled back v3 on fraud-detector to v1');
    expect(chosen.numbers).toMatchObject({ automatic: false, previousVersion: '1' });
  });

  it('records alias moves from the version tags and a failed move back', () => {
    expect(events.filter((e) => e.kind === 'alias').map((e) => e.id)).toEqual(['alias-from-3', 'ro-13', 'alias-to-3']);
  });

  it('leaves out MLflow’s events, and only those, when MLflow could not be read', () => {
    const without = buildTimeline({ ...sources(), mlflow: { ok: false, message: 'MLflow cannot be reached' } });
    expect(without.filter((e) => ['run', 'registration', 'alias'].includes(e.kind)).map((e) => e.id)).toEqual([
      'ro-13',
    ]);
    expect(without).toHaveLength(events.length - 5);
  });
});

describe('filters and pages', () => {
  const events = buildTimeline(sources());

  it('filter by version and by kinds', () => {
    expect(filterTimeline(events, { version: '2' }).map((e) => e.id)).toEqual(['bg-4', 'reg-2']);
    const judgments = filterTimeline(events, { version: '3', kinds: ['judgment', 'rollback'] });
    expect(judgments.map((e) => e.kind)).toEqual(['rollback', 'judgment']);
  });

  it('read the filter from the URL, ignoring what is not a version or kind', () => {
    expect(parseTimelineFilter({ version: '3', kind: ['judgment', 'rollback,nonsense'] })).toEqual({
      version: '3',
      kinds: ['judgment', 'rollback'],
    });
    expect(parseTimelineFilter({ version: '3; drop', kind: 'x' })).toEqual({});
  });

  it('page, and find the page an event is on', () => {
    const page = timelinePage(events, { page: 2, size: 5 });
    expect(page).toMatchObject({ page: 2, pages: Math.ceil(events.length / 5), total: events.length });
    expect(page.events).toEqual(events.slice(5, 10));
    expect(timelinePage(events, { at: events[7]!.id, size: 5 }).page).toBe(2);
    expect(timelinePage(events, { page: 99, size: 5 }).page).toBe(page.pages);
  });

  it('write the filter and the event into the address', () => {
    expect(timelineHref('/t/fraud/models/m/timeline', { version: '3', kinds: ['judgment'] }, { at: 'ro-10' })).toBe(
      '/t/fraud/models/m/timeline?version=3&kind=judgment&at=ro-10#e-ro-10',
    );
    expect(timelineHref('/x', {}, { page: 1 })).toBe('/x');
  });
});
