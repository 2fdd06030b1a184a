import { describe, expect, it } from 'vitest';
import { describeGuard, type GuardFacts } from '@/lib/admission/guard';
import { VERSIONS } from '@/stack/versions';
import { CHECK_IDS, findingKey } from './finding';
import { runChecks, type PlatformHealthInputs } from './index';
import { LOGS_MLFLOW_RUN_LABEL } from './pipeline-without-run';
import { DEFAULT_VERSION_MATRIX } from './version-matrix-data';

const RUN = (id: string) => `s3://mlflow-artifacts/workspaces/fraud/1/${id.repeat(32)}/artifacts/model`;
const params = { primaryMetric: 'holdout_auc', minimum: '0.85', requireModelCard: 'true' } as const;
const unguarded: GuardFacts = {
  namespace: 'churn',
  policy: { ok: true, value: null },
  binding: { ok: true, value: null },
  paramsPolicy: { ok: true, value: true },
  paramsBinding: { ok: true, value: true },
  namespaceLabels: { ok: true, value: { 'mlp.example.com/tenant': 'churn' } },
  params: { ok: true, value: { ...params } },
  expected: params,
};

// One of each failure, as the seeder will create them.
const inputs: PlatformHealthInputs = {
  now: new Date('2026-12-10T12:00:00Z'),
  workflows: [
    {
      tenant: 'fraud',
      name: 'fraud-train-lost',
      phase: 'Succeeded',
      finishedAt: '2026-12-09T12:00:00Z',
      labels: { [LOGS_MLFLOW_RUN_LABEL]: 'true' },
    },
  ],
  pipelineRunTags: new Map([['fraud', new Set<string>()]]),
  revisions: [
    {
      tenant: 'fraud',
      endpoint: 'no-suffix',
      revision: 'stable',
      storageUri: RUN('a').replace(/\/model$/, ''),
      modelName: 'm',
      modelVersion: '1',
    },
    { tenant: 'fraud', endpoint: 'gone', revision: 'stable', storageUri: RUN('b'), modelName: 'm', modelVersion: '2' },
    {
      tenant: 'fraud',
      endpoint: 'unsigned',
      revision: 'stable',
      storageUri: RUN('c'),
      modelName: 'u',
      modelVersion: '1',
    },
  ],
  artifacts: new Map([
    [RUN('b'), { state: 'missing', mlmodelUri: `${RUN('b')}/MLmodel` }],
    [RUN('c'), { state: 'found', mlmodelUri: `${RUN('c')}/MLmodel`, hasSignature: false, flavors: ['sklearn'] }],
  ]),
  platformServingMlflowVersion: '2.16.2',
  canaryEndpoints: [
    {
      tenant: 'pricing',
      endpoint: 'price-elasticity',
      canaryPercent: 10,
      stable: { revision: 'price-elasticity-predictor-00001', minReplicas: 0, readyReplicas: 0 },
    },
  ],
  guards: [{ tenant: 'churn', status: describeGuard(unguarded) }],
  liveVersions: [
    { component: 'kubernetes', version: 'v1.38.0', source: 'API server /version' },
    { component: 'mlflow', version: VERSIONS.mlflow, source: 'MLflow server' },
  ],
  versionMatrix: DEFAULT_VERSION_MATRIX,
  driftScores: [
    { tenant: 'pricing', endpoint: 'price-elasticity', feature: 'discount_pct', score: 0.33 },
    { tenant: 'fraud', endpoint: 'fraud-detector', feature: 'amount', score: 0.05 },
  ],
  driftPolicies: new Map([
    ['pricing', { maxInputDrift: 0.2, version: 0 }],
    ['fraud', { maxInputDrift: 0.2, version: 0 }],
  ]),
};

describe('runChecks', () => {
  it('runs every check over one gathering of inputs, worst first, each finding with its own key', () => {
    const findings = runChecks(inputs);
    expect(new Set(findings.map((f) => f.checkId))).toEqual(new Set(CHECK_IDS));
    expect(findings.map((f) => `${f.severity} ${f.checkId} ${f.tenant ?? '-'}/${f.subject.name}`)).toEqual([
      'critical admission-guard-missing churn/churn',
      'critical artifact-missing fraud/gone',
      'critical storage-uri-shape fraud/no-suffix',
      'warning version-matrix -/kubernetes',
      'warning signature-missing-under-enforcement fraud/u',
      'warning pipeline-without-run fraud/fraud-train-lost',
      'warning input-drift pricing/price-elasticity',
      'warning rollback-target-cold pricing/price-elasticity',
    ]);
    expect(new Set(findings.map(findingKey)).size).toBe(findings.length);
    for (const f of findings) {
      expect(f.evidence.length).toBeGreaterThan(0);
      expect(f.remedy).not.toBe('');
    }
  });

  it('finds nothing on a healthy platform', () => {
    expect(
      runChecks({
        ...inputs,
        workflows: [],
        revisions: [inputs.revisions[1]!],
        artifacts: new Map([[RUN('b'), { state: 'found', mlmodelUri: '', hasSignature: true, flavors: [] }]]),
        canaryEndpoints: [],
        guards: [],
        liveVersions: [{ component: 'kubernetes', version: VERSIONS.kubernetes, source: 'API server /version' }],
        driftScores: inputs.driftScores!.map((s) => ({ ...s, score: 0.08 })),
      }),
    ).toEqual([]);
  });
});
