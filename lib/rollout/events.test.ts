import { describe, expect, it } from 'vitest';
import type { Tx } from '../db/client';
import { parseRolloutEvent, recordRolloutEvent, type RolloutEventInput } from './events';

const V4 = 's3://mlflow-artifacts/workspaces/pricing/4/aaa/artifacts/model';
const V5 = 's3://mlflow-artifacts/workspaces/pricing/4/bbb/artifacts/model';
const sample = (revision: string) => ({
  revision,
  requests: 880,
  requestRate: 7.32,
  errorRate: 0.004,
  p50Ms: 37,
  p99Ms: 149.3,
});
const judgment = {
  metrics: { canary: sample('p-00002'), stable: sample('p-00001') },
  thresholds: { maxErrorRate: 0.02, maxP99Ms: 500, minRequests: 100 },
  percent: 10,
  checksAtStep: 4,
};
const intent: RolloutEventInput = {
  kind: 'intent',
  decision: 'pending',
  reason: 'Rolled back by erin from the canary dashboard',
  values: {
    action: 'rollback',
    target: { storageUri: V4, canaryTrafficPercent: 0 },
    from: { storageUri: V5, percent: 10 },
    version: '5',
    previousVersion: '4',
    kube: { kind: 'user', username: 'erin', groups: ['mlp:oncall'] },
  },
};

/** A transaction that keeps what it was asked to create (recordRolloutEvent's only call). */
function recordingTx() {
  const created: unknown[] = [];
  const tx = {
    rolloutEvent: { create: (args: { data: unknown }) => Promise.resolve(created.push(args.data) && args.data) },
  } as unknown as Tx;
  return { tx, created };
}

describe('the rollout event writer', () => {
  it('writes an event its kind describes, with its links', async () => {
    const { tx, created } = recordingTx();
    await recordRolloutEvent(tx, 'r-1', 'erin', intent, { idempotency: { key: 'k-1', action: 'rollback' } });
    await recordRolloutEvent(tx, 'r-1', 'worker', {
      kind: 'check',
      decision: 'pass',
      reason: 'healthy',
      values: { ...judgment, check: 'pass' },
    });
    await recordRolloutEvent(
      tx,
      'r-1',
      'erin',
      {
        kind: 'rollback',
        decision: 'rolled-back',
        reason: 'r',
        values: { before: null, after: { storageUri: V4, canaryTrafficPercent: 0 }, recordedBy: 'worker' },
      },
      { intentId: 7n },
    );
    expect(created).toEqual([
      expect.objectContaining({
        rolloutId: 'r-1',
        kind: 'intent',
        decision: 'pending',
        idempotencyKey: 'k-1',
        idempotencyAction: 'rollback',
        intentId: null,
      }),
      expect.objectContaining({ kind: 'check', decision: 'pass', idempotencyKey: null, intentId: null }),
      expect.objectContaining({
        kind: 'rollback',
        intentId: 7n,
        values: { before: null, after: { storageUri: V4, canaryTrafficPercent: 0 }, recordedBy: 'worker' },
      }),
    ]);
  });

  it('refuses, before writing, values that are not what their kind holds', async () => {
    const { tx, created } = recordingTx();
    // A check without the thresholds it was judged against; a step whose decision is not "stepped to N %"; an unknown kind.
    const { thresholds: _left, ...withoutThresholds } = judgment;
    await expect(
      recordRolloutEvent(tx, 'r-1', 'worker', {
        kind: 'check',
        decision: 'pass',
        reason: 'x',
        values: { ...withoutThresholds, check: 'pass' },
      } as unknown as RolloutEventInput),
    ).rejects.toThrow(/thresholds/);
    await expect(
      recordRolloutEvent(tx, 'r-1', 'erin', {
        kind: 'step',
        decision: 'stepped up',
        reason: 'x',
        values: { before: null, after: { storageUri: V5, canaryTrafficPercent: 25 } },
      }),
    ).rejects.toThrow(/decision/);
    await expect(
      recordRolloutEvent(tx, 'r-1', 'erin', {
        kind: 'note',
        decision: 'x',
        reason: 'x',
        values: {},
      } as unknown as RolloutEventInput),
    ).rejects.toThrow();
    expect(created).toEqual([]);
  });

  it('keeps keys on intents and intent links on outcomes', async () => {
    const { tx, created } = recordingTx();
    const step: RolloutEventInput = {
      kind: 'step',
      decision: 'stepped to 25 %',
      reason: 'x',
      values: { before: null, after: { storageUri: V5, canaryTrafficPercent: 25 } },
    };
    await expect(
      recordRolloutEvent(tx, 'r-1', 'erin', step, { idempotency: { key: 'k', action: 'promote-next' } }),
    ).rejects.toThrow('step events carry no idempotency key: the intent does');
    await expect(
      recordRolloutEvent(tx, 'r-1', 'erin', intent, { idempotency: { key: 'k', action: 'promote-full' } }),
    ).rejects.toThrow('An intent records the action its key is used for');
    await expect(recordRolloutEvent(tx, 'r-1', 'erin', intent, { intentId: 3n })).rejects.toThrow(
      'intent events are not the outcome of an intent',
    );
    expect(created).toEqual([]);
  });
});

describe('reading stored events', () => {
  it('reads a row with its kind schema', () => {
    const parsed = parseRolloutEvent({
      kind: 'intent',
      decision: 'pending',
      reason: 'r',
      values: intent.values as object,
    });
    expect(parsed).toMatchObject({
      ok: true,
      event: { kind: 'intent', values: { action: 'rollback', target: { canaryTrafficPercent: 0 } } },
    });
  });

  it('reads rows written before a kind had its name', () => {
    expect(
      parseRolloutEvent({
        kind: 'rollback',
        decision: 'alias not restored',
        reason: 'The champion alias still points at v5: MLflow did not answer',
        values: {},
      }),
    ).toEqual({
      ok: true,
      event: {
        kind: 'alias',
        decision: 'alias not restored',
        reason: 'The champion alias still points at v5: MLflow did not answer',
        values: {},
      },
    });
    // A person's rollback before intents: no judgment values, the versions beside the traffic.
    expect(
      parseRolloutEvent({
        kind: 'rollback',
        decision: 'rolled-back',
        reason: 'r',
        values: {
          version: '5',
          previousVersion: null,
          before: { storageUri: V5, canaryTrafficPercent: 10 },
          after: { storageUri: V4, canaryTrafficPercent: 0 },
        },
      }).ok,
    ).toBe(true);
  });

  it('says what is wrong with a row that does not read, rather than trusting it', () => {
    expect(parseRolloutEvent({ kind: 'check', decision: 'pass', reason: 'r', values: { check: 'pass' } })).toEqual({
      ok: false,
      problem:
        'values.metrics: Invalid input; values.thresholds: Invalid input: expected object, received undefined; values.percent: Invalid input: expected number, received undefined',
    });
    expect(parseRolloutEvent({ kind: 'mystery', decision: 'x', reason: 'r', values: {} }).ok).toBe(false);
  });
});
