import { describe, expect, it } from 'vitest';
import { UserFacingError } from '../errors';
import { UpstreamError } from '../integrations/upstream';
import { REAPPLY_WITHIN_MS, refusedForSure, settleAction } from './actions';
import type { IntentValues } from './events';

const V4 = 's3://mlflow-artifacts/workspaces/pricing/4/aaa/artifacts/model';
const V5 = 's3://mlflow-artifacts/workspaces/pricing/4/bbb/artifacts/model';
const askedAt = new Date('2026-11-23T10:00:00Z');
const soon = new Date(askedAt.getTime() + 20_000);
const kube = { kind: 'user' as const, username: 'erin', groups: ['mlp:oncall'] };
const rollback: IntentValues = {
  action: 'rollback',
  target: { storageUri: V4, canaryTrafficPercent: 0 },
  from: { storageUri: V5, percent: 20 },
  version: '5',
  previousVersion: '4',
  kube,
};
const stepUp: IntentValues = {
  ...rollback,
  action: 'promote-next',
  target: { storageUri: V5, canaryTrafficPercent: 25 },
};
const full: IntentValues = {
  ...rollback,
  action: 'promote-full',
  target: { storageUri: V5, canaryTrafficPercent: null },
};
const settle = (
  values: IntentValues,
  observed: { storageUri: string | null; canaryTrafficPercent: number | null } | null,
  now = soon,
  rolloutState = 'progressing',
) => settleAction({ values, askedAt, now, rolloutState, observed });

describe('settling an action whose outcome was never recorded', () => {
  it('records it done when the cluster shows what it asked for', () => {
    expect(settle(rollback, { storageUri: V4, canaryTrafficPercent: 0 })).toEqual({ kind: 'done' });
    expect(settle(stepUp, { storageUri: V5, canaryTrafficPercent: 25 })).toEqual({ kind: 'done' });
    expect(settle(full, { storageUri: V5, canaryTrafficPercent: null })).toEqual({ kind: 'done' });
  });

  it('applies it again when the cluster still shows what it started from', () => {
    expect(settle(rollback, { storageUri: V5, canaryTrafficPercent: 20 })).toEqual({ kind: 'reapply' });
    // A rollback starts from the canary's model at whatever share it has.
    expect(settle(rollback, { storageUri: V5, canaryTrafficPercent: 35 })).toEqual({ kind: 'reapply' });
    expect(settle(stepUp, { storageUri: V5, canaryTrafficPercent: 20 })).toEqual({ kind: 'reapply' });
  });

  it('reports it failed when something else changed the endpoint meanwhile', () => {
    expect(settle(stepUp, { storageUri: V5, canaryTrafficPercent: 30 })).toEqual({
      kind: 'failed',
      reason: `the endpoint serves ${V5}, canary 30 %: neither what a promotion to the next step started from (${V5}, canary 20 %) nor what it asked for (${V5}, canary 25 %), so it was changed by something else meanwhile`,
    });
    expect(settle(rollback, { storageUri: 's3://elsewhere/model', canaryTrafficPercent: null })).toMatchObject({
      kind: 'failed',
      reason: expect.stringMatching(
        /^the endpoint serves s3:\/\/elsewhere\/model, all traffic to the latest revision: neither/,
      ),
    });
    expect(settle(rollback, null)).toEqual({ kind: 'failed', reason: 'the InferenceService no longer exists' });
  });

  it('does not apply an old one again without being asked', () => {
    const late = new Date(askedAt.getTime() + REAPPLY_WITHIN_MS + 60_000);
    expect(settle(rollback, { storageUri: V5, canaryTrafficPercent: 20 }, late)).toEqual({
      kind: 'failed',
      reason:
        'a rollback never reached the cluster, and it was asked for 11 min ago: too long ago to apply now without being asked again',
    });
    // Found done, it is done however late.
    expect(settle(rollback, { storageUri: V4, canaryTrafficPercent: 0 }, late)).toEqual({ kind: 'done' });
  });

  it('does not act on a rollout that has ended', () => {
    expect(settle(rollback, { storageUri: V4, canaryTrafficPercent: 0 }, soon, 'superseded')).toEqual({
      kind: 'failed',
      reason: 'the rollout is superseded, so a rollback no longer applies',
    });
  });
});

describe('a failed cluster write', () => {
  it('is recorded failed only when the cluster certainly did not take it', () => {
    // Refused before writing (the portal's own check), or refused by the API server (RBAC, admission, conflicts to the end).
    expect(
      refusedForSure(new UserFacingError('price-elasticity no longer serves v5: it was changed outside this rollout.')),
    ).toBe(true);
    expect(
      refusedForSure(
        new UpstreamError(
          'Kubernetes',
          'forbidden',
          'The cluster does not allow erin to update InferenceService pricing/price-elasticity',
          403,
        ),
      ),
    ).toBe(true);
    expect(
      refusedForSure(
        new UpstreamError(
          'Kubernetes',
          'rejected',
          'The cluster rejected InferenceService pricing/price-elasticity: invalid',
          422,
        ),
      ),
    ).toBe(true);
    expect(
      refusedForSure(
        new UpstreamError('Kubernetes', 'conflict', 'InferenceService pricing/price-elasticity kept changing', 409),
      ),
    ).toBe(true);
    // The answer was lost or the server failed: the change may have been stored, so it is read back instead.
    expect(refusedForSure(new UpstreamError('Kubernetes', 'timeout', 'Kubernetes did not answer within 10 s'))).toBe(
      false,
    );
    expect(
      refusedForSure(
        new UpstreamError('Kubernetes', 'unreachable', 'Kubernetes cannot be reached at 127.0.0.1:16443 (ECONNRESET)'),
      ),
    ).toBe(false);
    expect(
      refusedForSure(
        new UpstreamError(
          'Kubernetes',
          'rejected',
          'Kubernetes could not update InferenceService pricing/price-elasticity (504: Timeout)',
          504,
        ),
      ),
    ).toBe(false);
    expect(
      refusedForSure(
        new UpstreamError('Kubernetes', 'invalid-response', 'Kubernetes sent an answer that is not JSON', 200),
      ),
    ).toBe(false);
    expect(refusedForSure(new TypeError('x is undefined'))).toBe(false);
  });
});

describe('settling a rollback to a chosen version whose outcome was never recorded', () => {
  const V1 = 's3://mlflow-artifacts/workspaces/pricing/4/ccc/artifacts/model';
  const toV1: IntentValues = {
    ...rollback,
    action: 'rollback-to-version',
    target: { storageUri: V1, canaryTrafficPercent: null },
    from: { storageUri: V4, percent: 100 },
    version: '4',
    previousVersion: '1',
    to: { version: '1', requestId: 'req-1', storageUri: V1, evidence: {} },
  };

  it('settles it from a finished rollout too: only a newer deployment ends it', () => {
    expect(settle(toV1, { storageUri: V1, canaryTrafficPercent: null }, soon, 'promoted')).toEqual({ kind: 'done' });
    expect(settle(toV1, { storageUri: V4, canaryTrafficPercent: null }, soon, 'rolled_back')).toEqual({
      kind: 'reapply',
    });
    expect(settle(toV1, { storageUri: V4, canaryTrafficPercent: null }, soon, 'superseded')).toEqual({
      kind: 'failed',
      reason: 'the rollout is superseded, so a rollback to a chosen version no longer applies',
    });
  });

  it('reports it failed when the endpoint serves neither what it started from nor the chosen version', () => {
    expect(settle(toV1, { storageUri: V5, canaryTrafficPercent: 10 }, soon, 'promoted')).toMatchObject({
      kind: 'failed',
      reason: expect.stringMatching(
        /^the endpoint serves .*: neither what a rollback to a chosen version started from/,
      ),
    });
  });
});
