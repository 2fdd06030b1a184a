/**
 * Platform health against the local platform (`npm run stack -- up`, seeded): the findings the
 * seeded platform really has — exactly its seeded failure cases (stack/seed/health-cases.ts and
 * pricing's cold rollback target) — gathered from the real API server, MLflow and MinIO; and each
 * check firing for real on a cause made here, then clearing once the cause is fixed:
 * pipeline-without-run (a labelled succeeded Workflow in forecast, then its tagged MLflow run),
 * storage-uri-shape, artifact-missing and signature-missing-under-enforcement (an endpoint in a
 * throwaway namespace whose storageUri lacks /model, then names a folder with no MLmodel file, then
 * an unsigned one, then a signed one), rollback-target-cold (a canary over a stable revision at
 * minReplicas 0, the simulator playing KServe's revisions and pods), version-matrix (an
 * installation's matrix file without the live Kubernetes, then the default) and
 * admission-guard-missing (the throwaway namespace without the tenant label, then labelled with
 * the guard's parameters). Everything made here is removed in afterAll.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minioS3Client } from '../../stack/components/minio';
import { stackContext } from '../../stack/lib/context';
import { HEALTH_CASES, trainingWorkflows } from '../../stack/seed/health-cases';
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
import { syncAdmissionParams } from '../admission/service';
import { servingState, watchedInferenceServices, watchedWorkflows } from '../integrations/kubernetes';
import { tenantPrefixFor } from '../integrations/s3';
import { findingKey, type Finding } from './finding';
import { gatherPlatformHealth, pipelineRunTagsOf, platformHealth, SERVING_MLFLOW_VERSION_ENV } from './gather';
import { LOGS_MLFLOW_RUN_LABEL, PIPELINE_RUN_TAG } from './pipeline-without-run';
import { platformHealthView } from './service';

const suffix = Date.now().toString(36);
const SCRATCH = `health-scratch-${suffix}`;
const ENDPOINT = 'shape-check';
const RUN_ID = 'f'.repeat(24) + suffix.padStart(8, '0').slice(-8);
const TAGGED_WORKFLOW = `train-health-${suffix}`;
const COLD_ENDPOINT = 'cold-rollback';
const API = { group: 'serving.kserve.io', version: 'v1beta1', plural: 'inferenceservices' } as const;
const WORKFLOWS = { group: 'argoproj.io', version: 'v1alpha1', plural: 'workflows' } as const;
/** A seeded tenant for the pipeline case: its MLflow workspace exists; the Workflow made here is deleted afterwards. */
const PIPELINE_TENANT = 'forecast';
const PIPELINE_WORKFLOW = `forecast-tft-train-health-${suffix}`;

let test: DashboardTest | undefined;
let admin: KubeConfig;
let s3: S3Client;
let modelFolder: string;
let mlmodelKey: string;
let taggedRunId: string | undefined;
let pipelineRunId: string | undefined;
let matrixDir: string | undefined;

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

/** Writes the scratch model's MLmodel file, as mlflow.sklearn.log_model does, with or without a signature. */
async function putMlmodel(signed: boolean): Promise<void> {
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
        ...(signed
          ? ['signature:', `  inputs: '[{"type": "double", "name": "amount"}]'`, `  outputs: '[{"type": "double"}]'`]
          : []),
        '',
      ].join('\n'),
    }),
  );
}

/** The scratch tenant's findings of `check`, re-gathered until `done` holds. */
function scratchFindings(what: string, check: string, done: (findings: Finding[]) => boolean): Promise<Finding[]> {
  return eventually(
    what,
    30_000,
    async () => {
      const findings = (await gatherPlatformHealth()).findings.filter(
        (f) => f.tenant === SCRATCH && f.checkId === check,
      );
      return { done: done(findings), value: findings };
    },
    500,
  );
}

async function patchEndpoint(name: string, patch: object[]): Promise<void> {
  await admin
    .makeApiClient(CustomObjectsApi)
    .patchNamespacedCustomObject({ ...API, namespace: SCRATCH, name, body: patch });
}

/** Waits until the simulator reports `name` with a rolled-out revision created after `before` and `canary` % on the latest. */
async function rolledOut(name: string, before: string | undefined, canary: number): Promise<void> {
  await eventually(
    `${SCRATCH}/${name} to roll out (canary ${canary} %)`,
    60_000,
    async () => {
      const isvc = await watchedInferenceServices().get(SCRATCH, name);
      const predictor = isvc?.status?.components?.predictor;
      const state = isvc ? servingState(isvc) : undefined;
      const done =
        predictor?.latestCreatedRevision !== undefined &&
        predictor.latestCreatedRevision !== before &&
        isvc?.status?.observedGeneration === isvc?.metadata.generation &&
        (canary === 0 ? predictor.traffic.length === 1 : state?.canaryPercent === canary);
      return { done, value: isvc?.status };
    },
    250,
  );
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

async function deleteRun(workspace: string, runId: string | undefined): Promise<void> {
  if (!runId) return;
  await fetch(`${process.env.MLFLOW_TRACKING_URI}/api/2.0/mlflow/runs/delete`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [process.env.MLFLOW_WORKSPACE_HEADER!]: workspace },
    body: JSON.stringify({ run_id: runId }),
  }).catch(() => undefined);
}

/** Creates a run in `tenant`'s workspace tagged with `workflow`'s name, as a pipeline's training step does. */
async function logTaggedRun(tenant: string, workflow: string): Promise<string> {
  const mlflow = await requireMlflow();
  const created = await fetch(`${mlflow}/api/2.0/mlflow/runs/create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [requireSetting('MLFLOW_WORKSPACE_HEADER', 'MLflow')]: tenant },
    body: JSON.stringify({
      experiment_id: seededTenant(tenant).experiments[0]!.experimentId,
      run_name: workflow,
      start_time: Date.now(),
      tags: [{ key: PIPELINE_RUN_TAG, value: workflow }],
    }),
  });
  expect(created.status, await created.clone().text()).toBe(200);
  return ((await created.json()) as { run: { info: { run_id: string } } }).run.info.run_id;
}

afterAll(async () => {
  delete process.env.PLATFORM_VERSION_MATRIX;
  if (matrixDir) rmSync(matrixDir, { recursive: true, force: true });
  await deleteRun('fraud', taggedRunId);
  await deleteRun(PIPELINE_TENANT, pipelineRunId);
  await admin
    ?.makeApiClient(CustomObjectsApi)
    .deleteNamespacedCustomObject({ ...WORKFLOWS, namespace: PIPELINE_TENANT, name: PIPELINE_WORKFLOW })
    .catch(() => undefined);
  await s3?.send(new DeleteObjectCommand({ Bucket: tenantPrefixFor(SCRATCH).bucket, Key: mlmodelKey })).catch(() => {});
  s3?.destroy();
  await admin
    ?.makeApiClient(CoreV1Api)
    .deleteNamespace({ name: SCRATCH })
    .catch(() => undefined);
  await tearDownDashboardTest(test);
});

describe('platform health on the local platform', () => {
  it('finds exactly the seeded failure cases on the seeded tenants, and versions the matrix accepts', async () => {
    requireSetting(SERVING_MLFLOW_VERSION_ENV, 'the local platform (stack.env: its serving runtime’s MLflow)');
    const health = await gatherPlatformHealth();
    expect(health.unread, 'every upstream answered').toEqual([]);
    expect(health.outdated).toBeNull();
    const seeded = health.findings.filter(
      (f) => f.tenant !== null && (SEEDED_TENANTS as readonly string[]).includes(f.tenant),
    );
    // fraud (the golden path) has none; forecast and pricing one of each case the seed makes, and
    // pricing's inputs drift (the simulator's seeded drift). The guard is in force in every seeded
    // tenant and their other endpoints' MLmodel files exist.
    expect(seeded.map(findingKey).sort(), summary(seeded).join('\n')).toEqual(
      [
        `pipeline-without-run:forecast:workflow:${trainingWorkflows().withoutRun.name}`,
        `storage-uri-shape:forecast:inference-service:${HEALTH_CASES.storageUriShape.endpoint}:stable`,
        `signature-missing-under-enforcement:forecast:model-version:${HEALTH_CASES.unsignedModel.endpoint}:v1`,
        'rollback-target-cold:pricing:inference-service:price-elasticity:stable',
        'input-drift:pricing:inference-service:price-elasticity',
      ].sort(),
    );
    const byCheck = (id: string) => seeded.find((f) => f.checkId === id)!;
    expect(byCheck('rollback-target-cold').title).toContain('has minReplicas: 0 while the canary takes 20 %');
    expect(byCheck('signature-missing-under-enforcement').evidence).toContainEqual(
      expect.objectContaining({ label: 'Served by', value: expect.stringContaining('MLflow 3.17') }),
    );
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

  it('fires storage-uri-shape, then artifact-missing, then signature-missing-under-enforcement on a real endpoint, and clears each once fixed', async () => {
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

    await putMlmodel(false);
    const unsigned = await endpointFindings(
      'signature-missing-under-enforcement to replace artifact-missing',
      (f) => f.length === 1 && f[0]!.checkId === 'signature-missing-under-enforcement',
    );
    expect(unsigned[0]).toMatchObject({
      severity: 'warning',
      subject: { kind: 'inference-service', name: ENDPOINT, revision: 'stable' },
    });
    expect(unsigned[0]!.evidence).toContainEqual({ label: 'MLmodel', value: `${modelFolder}/MLmodel: no signature` });

    await putMlmodel(true);
    expect(await endpointFindings('signature-missing-under-enforcement to clear', (f) => f.length === 0)).toEqual([]);
  });

  it('finds the MLflow run a pipeline step tagged with its workflow’s name, and no other', async () => {
    taggedRunId = await logTaggedRun('fraud', TAGGED_WORKFLOW);
    const found = await pipelineRunTagsOf('fraud', [
      { name: TAGGED_WORKFLOW },
      { name: `${TAGGED_WORKFLOW}-untagged` },
    ]);
    expect([...found]).toEqual([TAGGED_WORKFLOW]);
  });

  it('fires pipeline-without-run on a succeeded training Workflow without its MLflow run, and clears once the run is tagged', async () => {
    const finished = new Date(Date.now() - 20 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await admin.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
      ...WORKFLOWS,
      namespace: PIPELINE_TENANT,
      body: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Workflow',
        metadata: { name: PIPELINE_WORKFLOW, labels: { [LOGS_MLFLOW_RUN_LABEL]: 'true' } },
        spec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'trainer:1' } }] },
        // The minimal Argo CRD has no status subresource: the status is written with the object.
        status: { phase: 'Succeeded', startedAt: finished, finishedAt: finished },
      },
    });
    const seen = await watchedWorkflows().waitFor(PIPELINE_TENANT, PIPELINE_WORKFLOW, (w) => w !== null, 10_000);
    if (!seen)
      throw new Error(`Kubernetes: the watch cache did not see Workflow ${PIPELINE_TENANT}/${PIPELINE_WORKFLOW}`);

    const ours = (findings: Finding[]) =>
      findings.filter((f) => f.checkId === 'pipeline-without-run' && f.subject.name === PIPELINE_WORKFLOW);
    const fired = ours((await gatherPlatformHealth()).findings);
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ severity: 'warning', tenant: PIPELINE_TENANT, subject: { kind: 'workflow' } });
    expect(fired[0]!.title).toContain(`logged no MLflow run tagged ${PIPELINE_RUN_TAG}=${PIPELINE_WORKFLOW}`);

    pipelineRunId = await logTaggedRun(PIPELINE_TENANT, PIPELINE_WORKFLOW);
    expect(ours((await gatherPlatformHealth()).findings)).toEqual([]);
  });

  it('fires rollback-target-cold while a canary runs over a stable revision at minReplicas 0, and clears over a warm one', async () => {
    const uri = (n: number) => `${tenantPrefixFor(SCRATCH).uri}1/${String(n).repeat(32)}/artifacts/model`;
    const model = (n: number) => ({ modelFormat: { name: 'mlflow' }, storageUri: uri(n) });
    await admin.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
      ...API,
      namespace: SCRATCH,
      body: {
        apiVersion: 'serving.kserve.io/v1beta1',
        kind: 'InferenceService',
        metadata: { name: COLD_ENDPOINT },
        spec: { predictor: { minReplicas: 0, model: model(1) } },
      },
    });
    await rolledOut(COLD_ENDPOINT, undefined, 0);
    const latest = async () =>
      (await watchedInferenceServices().get(SCRATCH, COLD_ENDPOINT))?.status?.components?.predictor
        ?.latestCreatedRevision;

    let before = await latest();
    await patchEndpoint(COLD_ENDPOINT, [
      { op: 'replace', path: '/spec/predictor', value: { minReplicas: 1, canaryTrafficPercent: 20, model: model(2) } },
    ]);
    await rolledOut(COLD_ENDPOINT, before, 20);
    const cold = await scratchFindings('rollback-target-cold to fire', 'rollback-target-cold', (f) => f.length === 1);
    expect(cold[0]).toMatchObject({
      severity: 'warning',
      subject: { kind: 'inference-service', name: COLD_ENDPOINT, revision: 'stable' },
    });
    expect(cold[0]!.evidence).toContainEqual({ label: 'minReplicas', value: '0' });

    // The fix: the stable model at minReplicas 1 rolled out, then the canary again.
    before = await latest();
    await patchEndpoint(COLD_ENDPOINT, [
      { op: 'replace', path: '/spec/predictor', value: { minReplicas: 1, model: model(1) } },
    ]);
    await rolledOut(COLD_ENDPOINT, before, 0);
    before = await latest();
    await patchEndpoint(COLD_ENDPOINT, [
      { op: 'replace', path: '/spec/predictor', value: { minReplicas: 1, canaryTrafficPercent: 20, model: model(2) } },
    ]);
    await rolledOut(COLD_ENDPOINT, before, 20);
    expect(
      await scratchFindings('rollback-target-cold to clear', 'rollback-target-cold', (f) => f.length === 0),
    ).toEqual([]);
  }, 180_000);

  it('fires version-matrix when the installation’s matrix leaves out the live Kubernetes, and clears with the default', async () => {
    matrixDir = mkdtempSync(path.join(tmpdir(), 'version-matrix-'));
    const file = path.join(matrixDir, 'matrix.json');
    writeFileSync(
      file,
      JSON.stringify({
        combinations: [
          {
            name: 'KServe 0.15 on Kubernetes 1.30–1.32',
            source: 'the installation’s own tests',
            components: { kubernetes: { min: '1.30', max: '1.32' }, mlflow: { min: '3.17', max: '3.17' } },
          },
        ],
      }),
    );
    process.env.PLATFORM_VERSION_MATRIX = file;
    const matrix = (await gatherPlatformHealth()).findings.filter((f) => f.checkId === 'version-matrix');
    expect(matrix.map((f) => [f.severity, f.tenant, f.subject.kind, f.subject.name])).toEqual([
      ['warning', null, 'platform', 'kubernetes'],
    ]);
    expect(matrix[0]!.title).toContain('is outside every combination known to work');

    delete process.env.PLATFORM_VERSION_MATRIX;
    expect((await gatherPlatformHealth()).findings.filter((f) => f.checkId === 'version-matrix')).toEqual([]);
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

  // Last: once the namespace is labelled the guard applies to it, and the endpoints above could no longer be changed directly.
  it('clears admission-guard-missing once the namespace carries the tenant label and the guard’s parameters', async () => {
    await admin.makeApiClient(CoreV1Api).patchNamespace({
      name: SCRATCH,
      body: [{ op: 'add', path: '/metadata/labels', value: { 'mlp.example.com/tenant': SCRATCH } }],
    });
    await syncAdmissionParams(SCRATCH);
    expect(
      await scratchFindings('admission-guard-missing to clear', 'admission-guard-missing', (f) => f.length === 0),
    ).toEqual([]);
  });
});
