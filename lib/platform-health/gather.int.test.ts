/**
 * Platform health against the local platform (`npm run stack -- up`, seeded): the findings the
 * seeded platform really has, gathered from the real API server, MLflow and MinIO; and checks
 * firing for real on causes made in a throwaway namespace (no tenant label: the admission guard
 * does not cover it; an InferenceService whose storageUri lacks /model, then names a folder with no
 * MLmodel file), each clearing once its cause is fixed; and the MLflow search behind
 * pipeline-without-run finding a run tagged with a workflow's name. Everything made here is
 * removed in afterAll.
 */
import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minioS3Client } from '../../stack/components/minio';
import { stackContext } from '../../stack/lib/context';
import {
  DAVE,
  SEEDED_TENANTS,
  setUpDashboardTest,
  tearDownDashboardTest,
  type DashboardTest,
} from '../../test/dashboards';
import { eventually, requireMlflow, requireObjectStorage, requireSetting, seededTenant } from '../../test/stack';
import { ForbiddenError } from '../auth/authorize';
import { getDb } from '../db/client';
import { watchedInferenceServices } from '../integrations/kubernetes';
import { tenantPrefixFor } from '../integrations/s3';
import type { Finding } from './finding';
import { gatherPlatformHealth, pipelineRunTagsOf, platformHealth } from './gather';
import { PIPELINE_RUN_TAG } from './pipeline-without-run';
import { platformHealthView } from './service';

const suffix = Date.now().toString(36);
const SCRATCH = `health-scratch-${suffix}`;
const ENDPOINT = 'shape-check';
const RUN_ID = 'f'.repeat(24) + suffix.padStart(8, '0').slice(-8);
const TAGGED_WORKFLOW = `train-health-${suffix}`;
const API = { group: 'serving.kserve.io', version: 'v1beta1', plural: 'inferenceservices' } as const;

let test: DashboardTest | undefined;
let admin: KubeConfig;
let s3: S3Client;
let modelFolder: string;
let mlmodelKey: string;
let taggedRunId: string | undefined;

const of = (findings: readonly Finding[], tenant: string | null) => findings.filter((f) => f.tenant === tenant);
const summary = (findings: readonly Finding[]) => findings.map((f) => `${f.severity} ${f.checkId}: ${f.title}`);

/** Re-gathers until `done` holds for the scratch endpoint's findings (the watch cache sees changes within moments). */
function endpointFindings(what: string, done: (findings: Finding[]) => boolean): Promise<Finding[]> {
  return eventually(
    what,
    20_000,
    async () => {
      const findings = (await gatherPlatformHealth()).findings.filter(
        (f) => f.tenant === SCRATCH && f.subject.kind === 'inference-service' && f.subject.name === ENDPOINT,
      );
      return { done: done(findings), value: findings };
    },
    500,
  );
}

async function setStorageUri(storageUri: string): Promise<void> {
  await admin.makeApiClient(CustomObjectsApi).patchNamespacedCustomObject({
    ...API,
    namespace: SCRATCH,
    name: ENDPOINT,
    body: [{ op: 'replace', path: '/spec/predictor/model/storageUri', value: storageUri }],
  });
  const seen = await watchedInferenceServices().waitFor(
    SCRATCH,
    ENDPOINT,
    (isvc) => isvc?.spec.predictor.model?.storageUri === storageUri,
    10_000,
  );
  if (!seen) throw new Error(`Kubernetes: the watch cache did not see ${SCRATCH}/${ENDPOINT} serve ${storageUri}`);
}

beforeAll(async () => {
  test = await setUpDashboardTest();
  await requireObjectStorage();
  admin = new KubeConfig();
  admin.loadFromFile(requireSetting('KUBECONFIG', 'Kubernetes (admin kubeconfig)'));
  s3 = minioS3Client(stackContext());
  const prefix = tenantPrefixFor(SCRATCH);
  modelFolder = `${prefix.uri}1/${RUN_ID}/artifacts/model`;
  mlmodelKey = `${prefix.prefix}1/${RUN_ID}/artifacts/model/MLmodel`;
  await getDb().tenant.create({ data: { name: SCRATCH, displayName: SCRATCH, status: 'active' } });
  // No tenant label: the admission guard does not apply here, so an endpoint can be made directly.
  await admin.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: SCRATCH } } });
});

afterAll(async () => {
  if (taggedRunId)
    await fetch(`${process.env.MLFLOW_TRACKING_URI}/api/2.0/mlflow/runs/delete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [process.env.MLFLOW_WORKSPACE_HEADER!]: 'fraud' },
      body: JSON.stringify({ run_id: taggedRunId }),
    }).catch(() => undefined);
  await s3?.send(new DeleteObjectCommand({ Bucket: tenantPrefixFor(SCRATCH).bucket, Key: mlmodelKey })).catch(() => {});
  s3?.destroy();
  await admin
    ?.makeApiClient(CoreV1Api)
    .deleteNamespace({ name: SCRATCH })
    .catch(() => undefined);
  await tearDownDashboardTest(test);
});

describe('platform health on the local platform', () => {
  it('finds what the seeded platform really has: the guard in force for the seeded tenants, versions the matrix accepts', async () => {
    const health = await gatherPlatformHealth();
    expect(health.unread, 'every upstream answered').toEqual([]);
    expect(health.outdated).toBeNull();
    // The seeded tenants are guarded, serve models whose MLmodel files exist, and run no training
    // workflow that declares an MLflow run: nothing to find.
    for (const tenant of SEEDED_TENANTS) expect(summary(of(health.findings, tenant)), tenant).toEqual([]);
    // Kubernetes and MLflow are read and within the default matrix; KServe's CRD is read (the
    // portal's RBAC: stack/kubernetes/manifests/platform-rbac.yaml, the chart's rbac.yaml) and
    // carries no release, so it is not judged.
    expect(summary(health.findings.filter((f) => f.checkId === 'version-matrix'))).toEqual([]);
  });

  it('says the admission guard is missing from a tenant namespace without the tenant label', async () => {
    const guard = of((await gatherPlatformHealth()).findings, SCRATCH).filter(
      (f) => f.checkId === 'admission-guard-missing',
    );
    expect(guard).toHaveLength(1);
    expect(guard[0]).toMatchObject({ severity: 'critical', subject: { kind: 'namespace', name: SCRATCH } });
    expect(guard[0]!.title).toContain(`lacks the label mlp.example.com/tenant`);
  });

  it('fires storage-uri-shape, then artifact-missing, on a real endpoint, and clears each once fixed', async () => {
    const withoutModel = modelFolder.slice(0, -'/model'.length);
    await admin.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
      ...API,
      namespace: SCRATCH,
      body: {
        apiVersion: 'serving.kserve.io/v1beta1',
        kind: 'InferenceService',
        metadata: { name: ENDPOINT },
        spec: { predictor: { model: { modelFormat: { name: 'mlflow' }, storageUri: withoutModel } } },
      },
    });

    const shape = await endpointFindings('storage-uri-shape to fire', (f) =>
      f.some((x) => x.checkId === 'storage-uri-shape'),
    );
    expect(shape).toHaveLength(1);
    expect(shape[0]).toMatchObject({
      checkId: 'storage-uri-shape',
      severity: 'critical',
      subject: { revision: 'stable' },
    });
    expect(shape[0]!.evidence).toContainEqual({ label: 'Expected', value: modelFolder });

    await setStorageUri(modelFolder);
    const missing = await endpointFindings(
      'artifact-missing to replace storage-uri-shape',
      (f) => f.length === 1 && f[0]!.checkId === 'artifact-missing',
    );
    expect(missing[0]).toMatchObject({
      severity: 'critical',
      title: expect.stringContaining(`${modelFolder}/MLmodel`),
    });

    await s3.send(
      new PutObjectCommand({
        Bucket: tenantPrefixFor(SCRATCH).bucket,
        Key: mlmodelKey,
        ContentType: 'text/yaml',
        Body: [
          'artifact_path: model',
          'flavors:',
          '  python_function:',
          '    loader_module: mlflow.sklearn',
          `run_id: ${RUN_ID}`,
          'signature:',
          `  inputs: '[{"type": "double", "name": "amount"}]'`,
          `  outputs: '[{"type": "double"}]'`,
          '',
        ].join('\n'),
      }),
    );
    expect(await endpointFindings('artifact-missing to clear', (f) => f.length === 0)).toEqual([]);
  });

  it('finds the MLflow run a pipeline step tagged with its workflow’s name, and no other', async () => {
    const mlflow = await requireMlflow();
    const experimentId = seededTenant('fraud').experiments[0]!.experimentId;
    const created = await fetch(`${mlflow}/api/2.0/mlflow/runs/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [requireSetting('MLFLOW_WORKSPACE_HEADER', 'MLflow')]: 'fraud' },
      body: JSON.stringify({
        experiment_id: experimentId,
        run_name: TAGGED_WORKFLOW,
        start_time: Date.now(),
        tags: [{ key: PIPELINE_RUN_TAG, value: TAGGED_WORKFLOW }],
      }),
    });
    expect(created.status, await created.clone().text()).toBe(200);
    taggedRunId = ((await created.json()) as { run: { info: { run_id: string } } }).run.info.run_id;

    const found = await pipelineRunTagsOf('fraud', [
      { name: TAGGED_WORKFLOW },
      { name: `${TAGGED_WORKFLOW}-untagged` },
    ]);
    expect([...found]).toEqual([TAGGED_WORKFLOW]);
  });

  it('computes the findings once for every viewer, and shows them only to those who may read them', async () => {
    const first = await platformHealth();
    const second = await platformHealth();
    expect(second.value).toBe(first.value);

    const view = await platformHealthView(DAVE, { tenant: SCRATCH, check: 'admission-guard-missing' });
    expect(view.findings.map((f) => [f.checkId, f.tenant])).toEqual([['admission-guard-missing', SCRATCH]]);
    expect(view.findings[0]!.key).toBe(`admission-guard-missing:${SCRATCH}:namespace:${SCRATCH}`);

    const member = { ...DAVE, id: 'alice-id', username: 'alice', platformRoles: [], memberships: [] };
    await expect(platformHealthView(member, { tenant: null, check: null })).rejects.toThrow(ForbiddenError);
  });
});
