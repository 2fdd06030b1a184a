import { describe, expect, it } from 'vitest';
import type { ArtifactCheck } from '../models/versions';
import { ANNOTATIONS } from '../promotion/evidence';
import type { GateResult } from '../promotion/gates';
import {
  chooseTarget,
  requestFailure,
  rollbackTargets,
  type RequestRecord,
  type RollbackTargetsInput,
  type ServedRecord,
} from './rollback-targets';

const uri = (version: string) => `s3://mlflow-artifacts/workspaces/fraud/1/run${version}/artifacts/model`;
const day = (n: number) => new Date(Date.UTC(2026, 10, n));

const gate = (id: string, passed: boolean, values: GateResult['values'] = {}): GateResult => ({
  id,
  kind: id === 'regression' ? 'regression' : 'threshold',
  label: id,
  passed,
  blocking: true,
  detail: passed ? 'passes' : 'fails',
  values,
});

function served(version: string, startedDay: number, extra: Partial<ServedRecord> = {}): ServedRecord {
  return {
    modelName: 'fraud-detector',
    version,
    storageUri: uri(version),
    promotionRequestId: `req-${version}`,
    state: 'promoted',
    startedAt: day(startedDay),
    rolledBack: null,
    ...extra,
  };
}

function request(version: string, extra: Partial<RequestRecord> = {}): RequestRecord {
  return {
    id: `req-${version}`,
    modelName: 'fraud-detector',
    version,
    runId: `${version}`.padStart(32, 'a'),
    storageUri: uri(version),
    status: 'deployed',
    gates: [gate('threshold:holdout_auc', true), gate('regression', true, { value: 0.9 + Number(version) / 100 })],
    deployGates: [gate('target-health', true)],
    primaryMetric: 'holdout_auc',
    requiredApprovals: 1,
    approvals: [{ approverName: 'bob', decision: 'approve', counts: true }],
    modelCardUrl: `https://models.example.com/fraud/v${version}`,
    requesterName: 'alice',
    decidedAt: day(1),
    ...extra,
  };
}

const found: ArtifactCheck = {
  state: 'found',
  mlmodelUri: 'x/MLmodel',
  hasSignature: true,
  flavors: ['python_function'],
};

function input(overrides: Partial<RollbackTargetsInput> = {}): RollbackTargetsInput {
  return {
    servingStorageUris: [uri('4')],
    served: [served('1', 1), served('3', 10), served('4', 20)],
    requests: [request('1'), request('3'), request('4')],
    artifacts: new Map([uri('1'), uri('3')].map((u) => [u, found])),
    guard: { primaryMetric: 'holdout_auc', minimum: 0.85, requireModelCard: true },
    ...overrides,
  };
}

describe('rollbackTargets', () => {
  it('offers the earlier versions that served the endpoint and passed their gates, newest first, never what serves now', () => {
    const { targets, refused } = rollbackTargets(input());
    expect(targets.map((t) => t.version)).toEqual(['3', '1']);
    expect(refused).toEqual([{ modelName: 'fraud-detector', version: '4', reason: 'it serves the endpoint now' }]);
    expect(targets[1]).toMatchObject({
      servedFrom: day(1).toISOString(),
      servedUntil: day(10).toISOString(),
      requestId: 'req-1',
      metric: { name: 'holdout_auc', value: 0.91 },
      approvers: ['bob'],
      artifact: { state: 'found' },
    });
  });

  it('carries the version’s own evidence, as its deployment wrote it, for the admission guard', () => {
    const [three] = rollbackTargets(input()).targets;
    expect(three!.evidence).toEqual({
      [ANNOTATIONS.request]: 'req-3',
      [ANNOTATIONS.modelName]: 'fraud-detector',
      [ANNOTATIONS.modelVersion]: '3',
      [ANNOTATIONS.runId]: '3'.padStart(32, 'a'),
      [ANNOTATIONS.holdoutMetric]: 'holdout_auc=0.9300',
      [ANNOTATIONS.modelCard]: 'https://models.example.com/fraud/v3',
      [ANNOTATIONS.approvers]: 'bob',
      [ANNOTATIONS.requester]: 'alice',
    });
  });

  it('excludes a version that served without a promotion request of the portal (never gated)', () => {
    const { targets, refused } = rollbackTargets(
      input({ served: [served('2', 5, { promotionRequestId: null }), served('4', 20)], requests: [request('4')] }),
    );
    expect(targets).toEqual([]);
    expect(refused.find((r) => r.version === '2')?.reason).toBe(
      'it never passed its gates: no promotion request of the portal approved it',
    );
  });

  it('excludes a version whose request failed a blocking gate, at filing or just before its deployment', () => {
    const failing = request('3', { gates: [gate('signature', false)] });
    const redTarget = request('1', { deployGates: [gate('target-health', false)] });
    const { targets, refused } = rollbackTargets(input({ requests: [redTarget, failing, request('4')] }));
    expect(targets).toEqual([]);
    expect(refused.find((r) => r.version === '3')?.reason).toBe(
      'it never passed its gates: its promotion request req-3 did not pass every blocking gate (signature)',
    );
    expect(refused.find((r) => r.version === '1')?.reason).toContain('(target-health)');
  });

  it('excludes a version whose request was not approved as its policy required', () => {
    expect(requestFailure(request('1', { status: 'rejected' }))).toBe(
      'its promotion request req-1 is rejected, not deployed',
    );
    expect(requestFailure(request('1', { requiredApprovals: 2 }))).toBe(
      'its promotion request req-1 has 1 of the 2 approvals it needed',
    );
    expect(
      requestFailure(request('1', { approvals: [{ approverName: 'alice', decision: 'approve', counts: true }] })),
    ).toBe('its promotion request req-1 was approved by no one but its requester');
    expect(
      requestFailure(request('1', { approvals: [{ approverName: 'bob', decision: 'approve', counts: false }] })),
    ).toBe('its promotion request req-1 has 0 of the 1 approvals it needed');
    expect(requestFailure(request('1'))).toBeNull();
  });

  it('takes another approved request of the same version when its own rollout’s request does not qualify', () => {
    const redeployed = request('3', { id: 'req-3b' });
    const { targets } = rollbackTargets(
      input({ requests: [request('1'), request('3', { status: 'failed' }), redeployed, request('4')] }),
    );
    expect(targets.find((t) => t.version === '3')?.requestId).toBe('req-3b');
  });

  it('excludes a version whose artifact is gone; offers one that could not be checked, saying so', () => {
    const artifacts = new Map<string, ArtifactCheck>([
      [uri('1'), { state: 'missing', mlmodelUri: `${uri('1')}/MLmodel` }],
      [uri('3'), { state: 'unreadable', problem: 'MinIO did not answer' }],
    ]);
    const { targets, refused } = rollbackTargets(input({ artifacts }));
    expect(targets.map((t) => [t.version, t.artifact])).toEqual([
      ['3', { state: 'unreadable', problem: 'MinIO did not answer' }],
    ]);
    expect(refused.find((r) => r.version === '1')?.reason).toBe(
      `its model artifact is gone: ${uri('1')}/MLmodel was not found in object storage`,
    );
  });

  it('excludes a version the admission guard would refuse today: below the current threshold, or another metric', () => {
    const raised = rollbackTargets(
      input({ guard: { primaryMetric: 'holdout_auc', minimum: 0.92, requireModelCard: true } }),
    );
    expect(raised.targets.map((t) => t.version)).toEqual(['3']);
    expect(raised.refused.find((r) => r.version === '1')?.reason).toBe(
      "its holdout_auc of 0.9100 is below the tenant's current threshold of 0.92, so the admission guard would refuse it",
    );
    const other = rollbackTargets(
      input({ guard: { primaryMetric: 'cv_f1_mean', minimum: null, requireModelCard: true } }),
    );
    expect(other.targets).toEqual([]);
  });

  it('lists each version once, at the last time it served, with its own rollback when it ended in one', () => {
    const rolledBack = { at: day(12), by: 'erin', reason: 'p99 doubled' };
    const { targets } = rollbackTargets(
      input({
        servingStorageUris: [uri('1')],
        served: [
          served('3', 2),
          served('1', 1),
          served('4', 10, { state: 'rolled_back', rolledBack }),
          served('1', 12),
        ],
        requests: [request('1'), request('3'), request('4')],
        artifacts: new Map([uri('3'), uri('4')].map((u) => [u, found])),
      }),
    );
    expect(targets.map((t) => t.version)).toEqual(['4', '3']);
    expect(targets[0]).toMatchObject({
      version: '4',
      servedFrom: day(10).toISOString(),
      servedUntil: day(12).toISOString(),
      rolledBack: { at: day(12).toISOString(), by: 'erin', reason: 'p99 doubled' },
    });
  });

  it('never offers the stable version under a live canary nor the canary itself', () => {
    const { targets } = rollbackTargets(input({ servingStorageUris: [uri('4'), uri('3')] }));
    expect(targets.map((t) => t.version)).toEqual(['1']);
  });
});

describe('chooseTarget', () => {
  const found = rollbackTargets(
    input({ served: [served('1', 1), served('2', 5, { promotionRequestId: null }), served('4', 20)] }),
  );

  it('gives the target of an offered version', () => {
    expect(chooseTarget(found, '1', 'fraud-detector')).toMatchObject({ target: { version: '1', requestId: 'req-1' } });
  });

  it('refuses any other version, saying why', () => {
    expect(chooseTarget(found, '2', 'fraud-detector')).toEqual({
      refusal:
        'v2 cannot be rolled back to on fraud-detector: it never passed its gates: no promotion request of the portal approved it.',
    });
    expect(chooseTarget(found, '4', 'fraud-detector')).toEqual({
      refusal: 'v4 cannot be rolled back to on fraud-detector: it serves the endpoint now.',
    });
    expect(chooseTarget(found, '5', 'fraud-detector')).toEqual({
      refusal: 'v5 cannot be rolled back to on fraud-detector: it never served this endpoint through the portal.',
    });
  });
});
