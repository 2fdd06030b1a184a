/**
 * The demo's platform health failures, one per check the seed can make happen the way it happens
 * in real life (the checks: lib/platform-health/). Pricing's cold rollback target is part of its
 * canary (inference-services.ts); here:
 *
 * - pipeline-without-run: every succeeded training Workflow (LOGS_MLFLOW_RUN_LABEL, kubernetes.ts)
 *   has an MLflow run of its tenant tagged `mlp.pipeline_run=<workflow>` — except forecast's most
 *   recent one, whose training step could not reach MLflow;
 * - storage-uri-shape: forecast's `demand-forecast-legacy`, created by on-call with kubectl under
 *   break-glass (the admission guard refuses it from anyone else), pointing at a run's artifact
 *   root instead of its `model` folder;
 * - signature-missing-under-enforcement: forecast's `demand-forecast-lite` serves
 *   `demand-forecast-lite` v1, logged without a signature (stack/mlflow/seed.py), deployed by the
 *   portal with its evidence, while the serving runtime's MLflow (PLATFORM_SERVING_MLFLOW_VERSION,
 *   stack/components/mlflow.ts) enforces signatures.
 *
 * Idempotent, and run by `stack restore` too: what tests cleared is put back.
 */
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { BREAK_GLASS_ANNOTATIONS } from '../../lib/admission/guard';
import { PIPELINE_RUN_TAG } from '../../lib/platform-health/pipeline-without-run';
import { mlflowUrl, WORKSPACE_HEADER } from '../components/mlflow';
import { BREAK_GLASS, kubeconfigPath, portalKubeconfig } from '../kubernetes/identities';
import type { StackContext } from '../lib/context';
import { waitFor } from '../lib/processes';
import { progress } from '../lib/progress';
import { predictor, seededEvidence } from './inference-services';
import { workflowPlan, type PlannedRun } from './kubernetes';
import type { SeededModels, SeededTenant } from './mlflow';

export const HEALTH_CASES = {
  /** The training Workflow without its MLflow run (kubernetes.ts, role `without-mlflow-run`). */
  pipelineWithoutRun: { tenant: 'forecast' },
  storageUriShape: {
    tenant: 'forecast',
    endpoint: 'demand-forecast-legacy',
    reason: 'INC-2291: store apps need last quarter’s forecast back tonight; serving run v1 by hand',
  },
  unsignedModel: { tenant: 'forecast', endpoint: 'demand-forecast-lite' },
} as const;

const API = { group: 'serving.kserve.io', version: 'v1beta1', plural: 'inferenceservices' } as const;

/** The seeded training Workflows that must have their tagged MLflow run, and the one that must not. */
export function trainingWorkflows(plan: PlannedRun[] = workflowPlan()): {
  tagged: PlannedRun[];
  withoutRun: PlannedRun;
} {
  const training = plan.filter((r) => r.pipeline.logsMlflowRun && r.phase === 'Succeeded');
  return {
    tagged: training.filter((r) => r.role !== 'without-mlflow-run'),
    withoutRun: training.find((r) => r.role === 'without-mlflow-run')!,
  };
}

interface MlflowRun {
  info: { run_id: string; start_time?: number };
  data: { tags?: { key: string; value: string }[] };
}

async function mlflow<T>(ctx: StackContext, workspace: string, endpoint: string, body: unknown): Promise<T> {
  const response = await fetch(`${mlflowUrl(ctx)}/api/2.0/mlflow/${endpoint}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [WORKSPACE_HEADER]: workspace },
    body: JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`MLflow ${endpoint} in ${workspace} failed (${response.status}): ${await response.text()}`);
  return (await response.json()) as T;
}

async function searchRuns(ctx: StackContext, tenant: SeededTenant, filter: string): Promise<MlflowRun[]> {
  const runs: MlflowRun[] = [];
  let pageToken: string | undefined;
  do {
    const page = await mlflow<{ runs?: MlflowRun[]; next_page_token?: string }>(ctx, tenant.workspace, 'runs/search', {
      experiment_ids: tenant.experiments.map((e) => e.experimentId),
      filter,
      max_results: 1000,
      order_by: ['attributes.start_time ASC'],
      ...(pageToken ? { page_token: pageToken } : {}),
    });
    runs.push(...(page.runs ?? []));
    pageToken = page.next_page_token;
  } while (pageToken);
  return runs;
}

const tagOf = (run: MlflowRun, key: string) => run.data.tags?.find((t) => t.key === key)?.value;

/**
 * Tags, per tenant, the newest runs its training pipeline logged (`mlflow.user` of the pipeline's
 * service account) with the succeeded training Workflows' names, oldest Workflow to oldest run;
 * and removes any run tagged with the Workflow that logged none (a test may have made one).
 */
async function seedPipelineRunTags(ctx: StackContext, models: SeededModels): Promise<void> {
  const { tagged, withoutRun } = trainingWorkflows();
  for (const tenant of models.tenants) {
    const workflows = tagged
      .filter((w) => w.tenant === tenant.tenant)
      .sort((a, b) => b.startedMinutesAgo - a.startedMinutesAgo);
    if (workflows.length === 0) continue;
    const runs = await searchRuns(ctx, tenant, `tags.\`mlflow.user\` = '${tenant.tenant}-training-pipeline'`);
    if (runs.length < workflows.length)
      throw new Error(
        `${tenant.tenant}: ${workflows.length} training Workflows to match but only ${runs.length} pipeline runs in MLflow`,
      );
    const newest = runs.slice(-workflows.length);
    let changed = 0;
    for (const [i, workflow] of workflows.entries()) {
      const run = newest[i]!;
      if (tagOf(run, PIPELINE_RUN_TAG) === workflow.name) continue;
      await mlflow(ctx, tenant.workspace, 'runs/set-tag', {
        run_id: run.info.run_id,
        key: PIPELINE_RUN_TAG,
        value: workflow.name,
      });
      changed++;
    }
    if (changed) progress('seed', `MLflow: ${changed} ${tenant.tenant} runs tagged with their training Workflow`);
    if (tenant.tenant !== withoutRun.tenant) continue;
    for (const run of await searchRuns(ctx, tenant, `tags.\`${PIPELINE_RUN_TAG}\` = '${withoutRun.name}'`)) {
      progress('seed', `MLflow: deleting run ${run.info.run_id}, tagged with ${withoutRun.name} (which logged none)`);
      await mlflow(ctx, tenant.workspace, 'runs/delete', { run_id: run.info.run_id });
    }
  }
}

interface InferenceServiceObject {
  metadata: { annotations?: Record<string, string>; generation?: number };
  spec: { predictor: { model?: { storageUri?: string } } };
  status?: { observedGeneration?: number; conditions?: { type: string; status: string }[] };
}

function customObjects(kubeconfigFile: string): CustomObjectsApi {
  const kubeconfig = new KubeConfig();
  kubeconfig.loadFromFile(kubeconfigFile);
  return kubeconfig.makeApiClient(CustomObjectsApi);
}

async function readEndpoint(api: CustomObjectsApi, namespace: string, name: string) {
  try {
    return (await api.getNamespacedCustomObject({ ...API, namespace, name })) as InferenceServiceObject;
  } catch (error) {
    if ((error as { code?: number }).code === 404) return null;
    throw error;
  }
}

async function waitReady(api: CustomObjectsApi, namespace: string, name: string): Promise<void> {
  await waitFor(
    `${namespace}/${name} ready`,
    async () => {
      const isvc = await readEndpoint(api, namespace, name);
      return (
        isvc?.status?.observedGeneration === isvc?.metadata.generation &&
        (isvc?.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')
      );
    },
    90_000,
  );
}

/** `demand-forecast-lite`, serving the unsigned version, deployed as the portal deploys (its identity, the evidence). */
async function seedUnsignedEndpoint(ctx: StackContext, tenant: SeededTenant): Promise<void> {
  const { endpoint } = HEALTH_CASES.unsignedModel;
  const unsigned = tenant.unsignedModel;
  if (!unsigned) throw new Error(`${tenant.tenant}: MLflow's seed has no unsigned model (re-run the MLflow seed)`);
  const api = customObjects(portalKubeconfig(ctx));
  const annotations = seededEvidence(tenant.tenant, unsigned.model, unsigned.version);
  const spec = { predictor: predictor(unsigned.version, {}, unsigned.model) };
  const current = await readEndpoint(api, tenant.tenant, endpoint);
  if (!current) {
    progress('seed', `InferenceService ${tenant.tenant}/${endpoint} serving ${unsigned.model} v1 (no signature)`);
    await api.createNamespacedCustomObject({
      ...API,
      namespace: tenant.tenant,
      body: {
        apiVersion: `${API.group}/${API.version}`,
        kind: 'InferenceService',
        metadata: { name: endpoint, labels: { 'mlp.example.com/model': unsigned.model }, annotations },
        spec,
      },
    });
  } else if (
    current.spec.predictor.model?.storageUri !== unsigned.version.storageUri ||
    Object.entries(annotations).some(([key, value]) => current.metadata.annotations?.[key] !== value)
  ) {
    progress('seed', `InferenceService ${tenant.tenant}/${endpoint} back to ${unsigned.model} v1`);
    await api.patchNamespacedCustomObject({
      ...API,
      namespace: tenant.tenant,
      name: endpoint,
      body: [
        { op: 'replace', path: '/spec/predictor', value: spec.predictor },
        { op: 'replace', path: '/metadata/annotations', value: annotations },
      ],
    });
  }
  await waitReady(api, tenant.tenant, endpoint);
}

/**
 * `demand-forecast-legacy`, as on-call made it with kubectl and the break-glass credential: the
 * storageUri is the run's artifact root (`…/artifacts`), not its `model` folder, which no
 * promotion could have deployed.
 */
async function seedLegacyEndpoint(ctx: StackContext, tenant: SeededTenant): Promise<void> {
  const { endpoint, reason } = HEALTH_CASES.storageUriShape;
  const version = tenant.versions[0]!;
  const storageUri = version.artifactUri;
  const api = customObjects(kubeconfigPath(ctx, BREAK_GLASS.name));
  const breakGlass = {
    [BREAK_GLASS_ANNOTATIONS.by]: BREAK_GLASS.username,
    [BREAK_GLASS_ANNOTATIONS.reason]: reason,
    [BREAK_GLASS_ANNOTATIONS.at]: new Date().toISOString(),
  };
  const spec = { predictor: { ...predictor({ storageUri }, {}, tenant.model), maxReplicas: 1 } };
  const current = await readEndpoint(api, tenant.tenant, endpoint);
  if (!current) {
    progress('seed', `break-glass: ${BREAK_GLASS.username} creates ${tenant.tenant}/${endpoint} serving ${storageUri}`);
    await api.createNamespacedCustomObject({
      ...API,
      namespace: tenant.tenant,
      body: {
        apiVersion: `${API.group}/${API.version}`,
        kind: 'InferenceService',
        metadata: { name: endpoint, labels: { 'mlp.example.com/model': tenant.model }, annotations: breakGlass },
        spec,
      },
    });
  } else if (current.spec.predictor.model?.storageUri !== storageUri) {
    progress('seed', `break-glass: ${BREAK_GLASS.username} points ${tenant.tenant}/${endpoint} back at ${storageUri}`);
    await api.patchNamespacedCustomObject({
      ...API,
      namespace: tenant.tenant,
      name: endpoint,
      body: [
        { op: 'replace', path: '/spec/predictor', value: spec.predictor },
        { op: 'replace', path: '/metadata/annotations', value: { ...current.metadata.annotations, ...breakGlass } },
      ],
    });
  }
  await waitReady(api, tenant.tenant, endpoint);
}

export async function seedHealthCases(ctx: StackContext, models: SeededModels): Promise<void> {
  await seedPipelineRunTags(ctx, models);
  const forecast = models.tenants.find((t) => t.tenant === HEALTH_CASES.unsignedModel.tenant);
  if (!forecast) throw new Error('MLflow has not seeded tenant forecast');
  await seedUnsignedEndpoint(ctx, forecast);
  await seedLegacyEndpoint(ctx, forecast);
}
