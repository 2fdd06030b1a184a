/**
 * The demo's model endpoints, from the seeded registry: fraud serves its champion (stable),
 * pricing has its challenger mid-canary at 20 % over a stable revision an on-call engineer set to
 * `minReplicas: 0` under break-glass (a cold rollback target, for platform health), forecast has a
 * canary at 10 % whose errors the simulator is told to raise — a failing canary for the on-call
 * views to catch.
 *
 * The cluster's admission guard (deploy/admission/) is in force in the tenants' namespaces, so the
 * endpoints are written as the portal's own identity, with the evidence a promotion would have
 * written (a seeded request id, run, primary metric, model card, requester and approver), and the
 * guard's parameters are put in place first (from the default policy, unless the portal has
 * written them already).
 */
import { CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { admissionParams, BREAK_GLASS_ANNOTATIONS, PARAMS_CONFIGMAP } from '../../lib/admission/guard';
import { ANNOTATIONS } from '../../lib/promotion/evidence';
import { DEFAULT_POLICY } from '../../lib/promotion/policy';
import { BREAK_GLASS, kubeconfigPath, portalKubeconfig } from '../kubernetes/identities';
import type { StackContext } from '../lib/context';
import { progress } from '../lib/progress';
import { waitFor } from '../lib/processes';

export interface SeededEndpointVersion {
  version: string;
  runId: string;
  storageUri: string;
  metrics: { holdout_auc: number };
}

export interface EndpointModel {
  tenant: string;
  model: string;
  champion: SeededEndpointVersion;
  challenger: SeededEndpointVersion;
}

export interface Endpoint {
  name: string;
  canaryPercent?: number;
  fault?: { errorRate: number; latencyMs: number };
  gpus?: number;
  /**
   * The tenant's rollout policy where the defaults do not suit the endpoint's traffic (seeded
   * once; an admin's later edit stands).
   */
  policy?: Record<string, unknown>;
  /**
   * The stable revision under the canary was made by a break-glass change to `minReplicas: 0`
   * (the guard refuses that from anyone else), with this reason: platform health's
   * rollback-target-cold fires on it.
   */
  coldStable?: { reason: string };
}

export const ENDPOINTS: Record<string, Endpoint> = {
  fraud: { name: 'fraud-detector' },
  pricing: {
    name: 'price-elasticity',
    canaryPercent: 20,
    gpus: 1,
    coldStable: { reason: 'INC-3107: free the GPU for the quarterly re-pricing batch; scale to zero overnight' },
  },
  // About 8 requests per second (the simulator's profile of this name), under 0.4 of them on a
  // 10 % canary at a weekend night: the default 120 s window would never see the 100 requests
  // judgment needs, and the failing canary would outlive the night. Ten minutes always hold over 200.
  forecast: {
    name: 'demand-forecast',
    canaryPercent: 10,
    fault: { errorRate: 0.12, latencyMs: 450 },
    policy: { analysisWindowSeconds: 600 },
  },
};

const API = { group: 'serving.kserve.io', version: 'v1beta1', plural: 'inferenceservices' } as const;
// As lib/platform-health/inputs.ts reads them (not imported: it pulls in the portal's Kubernetes adapter).
const REVISION_LABEL = 'serving.knative.dev/revision';
const MIN_SCALE_ANNOTATION = 'autoscaling.knative.dev/min-scale';

interface InferenceServiceStatus {
  components?: {
    predictor?: { latestRolledoutRevision?: string; latestCreatedRevision?: string; traffic?: { percent: number }[] };
  };
}

export function predictor(
  model: Pick<SeededEndpointVersion, 'storageUri'>,
  endpoint: Pick<Endpoint, 'gpus'>,
  modelName: string,
) {
  const resources = endpoint.gpus
    ? {
        requests: { cpu: '1', memory: '2Gi', 'nvidia.com/gpu': String(endpoint.gpus) },
        limits: { cpu: '1', memory: '2Gi', 'nvidia.com/gpu': String(endpoint.gpus) },
      }
    : { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } };
  return {
    minReplicas: 1,
    maxReplicas: 3,
    labels: { 'mlp.example.com/model': modelName },
    model: { modelFormat: { name: 'mlflow' }, protocolVersion: 'v2', storageUri: model.storageUri, resources },
  };
}

/**
 * The evidence a promotion of `model` would have written (lib/promotion/deploy.ts), so that the
 * admission guard accepts the seeded endpoints and a rollback to the seeded champion: exported for
 * tests that put a seeded version back on an endpoint.
 */
export function seededEvidence(
  tenant: string,
  modelName: string,
  model: SeededEndpointVersion,
): Record<string, string> {
  return {
    [ANNOTATIONS.request]: `seed-${tenant}-v${model.version}`,
    [ANNOTATIONS.modelName]: modelName,
    [ANNOTATIONS.modelVersion]: model.version,
    [ANNOTATIONS.runId]: model.runId,
    [ANNOTATIONS.holdoutMetric]: `holdout_auc=${model.metrics.holdout_auc.toFixed(4)}`,
    [ANNOTATIONS.modelCard]: `https://models.example.com/${tenant}/${modelName}/v${model.version}`,
    [ANNOTATIONS.approvers]: 'demo-approver',
    [ANNOTATIONS.requester]: 'demo-seeder',
  };
}

/** The annotations of the seeded challenger's canary over the champion, as a promotion writes them. */
export function seededCanaryAnnotations(tenant: string, model: EndpointModel): Record<string, string> {
  return {
    ...seededEvidence(tenant, model.model, model.challenger),
    [ANNOTATIONS.previousStorageUri]: model.champion.storageUri,
    [ANNOTATIONS.previousVersion]: model.champion.version,
    [ANNOTATIONS.previousEvidence]: JSON.stringify(seededEvidence(tenant, model.model, model.champion)),
  };
}

function seededAnnotations(model: EndpointModel, endpoint: Endpoint): Record<string, string> {
  return endpoint.canaryPercent === undefined
    ? seededEvidence(model.tenant, model.model, model.champion)
    : seededCanaryAnnotations(model.tenant, model);
}

function isSeeded(
  isvc: { spec: { predictor: Record<string, unknown> }; metadata: { annotations?: Record<string, string> } },
  model: EndpointModel,
  endpoint: Endpoint,
  stableCold: boolean,
): boolean {
  const predictor = isvc.spec.predictor as { canaryTrafficPercent?: number; model?: { storageUri?: string } };
  const wanted = endpoint.canaryPercent === undefined ? model.champion : model.challenger;
  const annotations = isvc.metadata.annotations ?? {};
  const evidenceInPlace = Object.entries(seededAnnotations(model, endpoint)).every(
    ([key, value]) => annotations[key] === value,
  );
  return (
    predictor.model?.storageUri === wanted.storageUri &&
    predictor.canaryTrafficPercent === endpoint.canaryPercent &&
    evidenceInPlace &&
    (endpoint.coldStable === undefined || stableCold)
  );
}

/**
 * Whether the revision a rollback of the canary would return to (the last rolled-out one) runs with
 * `minReplicas: 0`, as its pods say (Knative copies a revision's minimum scale onto them; the
 * portal reads it there too, lib/platform-health/inputs.ts).
 */
export async function stableRevisionIsCold(
  core: CoreV1Api,
  namespace: string,
  stableRevision: string | undefined,
): Promise<boolean> {
  if (!stableRevision) return false;
  const pods = await core.listNamespacedPod({
    namespace,
    labelSelector: `${REVISION_LABEL}=${stableRevision}`,
  });
  return pods.items.length > 0 && pods.items.every((pod) => pod.metadata?.annotations?.[MIN_SCALE_ANNOTATION] === '0');
}

/**
 * What an on-call engineer does with kubectl and the break-glass credential to free a serving
 * endpoint's GPUs: `minReplicas: 0` with the break-glass annotations naming them, a reason and a
 * new time (the admission guard lets nobody else scale a model endpoint to zero). The portal
 * records the use on the endpoint's timeline.
 */
export async function scaleToZeroUnderBreakGlass(
  breakGlassKubeconfig: string,
  namespace: string,
  name: string,
  reason: string,
): Promise<void> {
  const kubeconfig = new KubeConfig();
  kubeconfig.loadFromFile(breakGlassKubeconfig);
  const key = (annotation: string) => `/metadata/annotations/${annotation.replace('/', '~1')}`;
  await kubeconfig.makeApiClient(CustomObjectsApi).patchNamespacedCustomObject({
    ...API,
    namespace,
    name,
    body: [
      { op: 'add', path: '/spec/predictor/minReplicas', value: 0 },
      { op: 'add', path: key(BREAK_GLASS_ANNOTATIONS.by), value: BREAK_GLASS.username },
      { op: 'add', path: key(BREAK_GLASS_ANNOTATIONS.reason), value: reason },
      { op: 'add', path: key(BREAK_GLASS_ANNOTATIONS.at), value: new Date().toISOString() },
    ],
  });
}

/** The admission guard's parameters in `namespace`, from the default policy, unless they are there already (the portal keeps them current). */
async function ensureGuardParams(core: CoreV1Api, namespace: string): Promise<void> {
  try {
    await core.readNamespacedConfigMap({ namespace, name: PARAMS_CONFIGMAP });
    return;
  } catch (error) {
    if ((error as { code?: number }).code !== 404) throw error;
  }
  const data = { ...admissionParams(DEFAULT_POLICY) } as Record<string, string>;
  await core.createNamespacedConfigMap({
    namespace,
    body: {
      metadata: {
        name: PARAMS_CONFIGMAP,
        labels: {
          'app.kubernetes.io/managed-by': 'ml-platform-portal',
          'app.kubernetes.io/component': 'admission-guard',
        },
      },
      data,
    },
  });
}

/**
 * Brings each demo endpoint to its seeded state — champion stable, and where the demo has one, the
 * challenger as a canary with its fault — from whatever the demo or the tests left behind
 * (rollbacks, promotions). Runs at the first seed and whenever the demo starts fresh.
 */
export async function seedInferenceServices(
  ctx: StackContext,
  models: EndpointModel[],
  simulatorUrl: string,
): Promise<void> {
  // As the portal's own identity: the admission guard accepts model changes only from the portal.
  const kubeconfig = new KubeConfig();
  kubeconfig.loadFromFile(portalKubeconfig(ctx));
  const api = kubeconfig.makeApiClient(CustomObjectsApi);
  const core = kubeconfig.makeApiClient(CoreV1Api);
  const read = async (namespace: string, name: string) => {
    try {
      return (await api.getNamespacedCustomObject({ ...API, namespace, name })) as {
        spec: { predictor: Record<string, unknown> };
        metadata: { annotations?: Record<string, string> };
        status?: InferenceServiceStatus;
      };
    } catch (error) {
      if ((error as { code?: number }).code === 404) return null;
      throw error;
    }
  };
  const rolledOut = async (namespace: string, name: string, after?: string) => {
    const predictor = (await read(namespace, name))?.status?.components?.predictor;
    return (
      Boolean(predictor?.latestRolledoutRevision) &&
      predictor?.latestRolledoutRevision === predictor?.latestCreatedRevision &&
      predictor?.traffic?.length === 1 &&
      (after === undefined || predictor?.latestCreatedRevision !== after)
    );
  };
  const seeded = async (namespace: string, model: EndpointModel, endpoint: Endpoint) => {
    const isvc = await read(namespace, endpoint.name);
    if (!isvc) return { isvc, done: false };
    const stable = isvc.status?.components?.predictor?.latestRolledoutRevision;
    const cold = endpoint.coldStable ? await stableRevisionIsCold(core, namespace, stable) : false;
    return { isvc, done: isSeeded(isvc, model, endpoint, cold) };
  };

  for (const model of models) {
    const endpoint = ENDPOINTS[model.tenant];
    if (!endpoint) continue;
    const namespace = model.tenant;
    await ensureGuardParams(core, namespace);
    let isvc = await read(namespace, endpoint.name);
    if (!isvc) {
      progress(
        'seed',
        `InferenceService ${namespace}/${endpoint.name} serving ${model.model} v${model.champion.version}`,
      );
      await api.createNamespacedCustomObject({
        ...API,
        namespace,
        body: {
          apiVersion: `${API.group}/${API.version}`,
          kind: 'InferenceService',
          metadata: {
            name: endpoint.name,
            namespace,
            labels: { 'mlp.example.com/model': model.model },
            annotations: seededEvidence(model.tenant, model.model, model.champion),
          },
          spec: { predictor: predictor(model.champion, endpoint, model.model) },
        },
      });
    } else if (!(await seeded(namespace, model, endpoint)).done) {
      progress(
        'seed',
        `InferenceService ${namespace}/${endpoint.name} back to ${model.model} v${model.champion.version}`,
      );
      await api.patchNamespacedCustomObject({
        ...API,
        namespace,
        name: endpoint.name,
        body: [
          { op: 'replace', path: '/spec/predictor', value: predictor(model.champion, endpoint, model.model) },
          {
            op: 'replace',
            path: '/metadata/annotations',
            value: seededEvidence(model.tenant, model.model, model.champion),
          },
        ],
      });
    }
    const now = await seeded(namespace, model, endpoint);
    isvc = now.isvc;
    if (endpoint.canaryPercent !== undefined && isvc && !now.done) {
      // The stable revision must be rolled out before a canary can start from it.
      await waitFor(`${namespace}/${endpoint.name} rolled out`, () => rolledOut(namespace, endpoint.name), 90_000);
      if (endpoint.coldStable) {
        const before = (await read(namespace, endpoint.name))?.status?.components?.predictor?.latestCreatedRevision;
        progress('seed', `break-glass: ${BREAK_GLASS.username} scales ${namespace}/${endpoint.name} to minReplicas 0`);
        await scaleToZeroUnderBreakGlass(
          kubeconfigPath(ctx, BREAK_GLASS.name),
          namespace,
          endpoint.name,
          endpoint.coldStable.reason,
        );
        await waitFor(
          `${namespace}/${endpoint.name} rolled out at minReplicas 0`,
          () => rolledOut(namespace, endpoint.name, before),
          90_000,
        );
      }
      progress(
        'seed',
        `canary of ${model.model} v${model.challenger.version} at ${endpoint.canaryPercent} % on ${namespace}/${endpoint.name}`,
      );
      await api.patchNamespacedCustomObject({
        ...API,
        namespace,
        name: endpoint.name,
        body: [
          {
            op: 'replace',
            path: '/spec/predictor',
            value: {
              ...predictor(model.challenger, endpoint, model.model),
              canaryTrafficPercent: endpoint.canaryPercent,
            },
          },
          // The previous stable version (and its evidence) is recorded as the portal records it for its own canaries, so a rollback can restore it.
          { op: 'replace', path: '/metadata/annotations', value: seededCanaryAnnotations(model.tenant, model) },
        ],
      });
      await waitFor(
        `${namespace}/${endpoint.name} canary`,
        async () => ((await read(namespace, endpoint.name))?.status?.components?.predictor?.traffic?.length ?? 0) === 2,
        90_000,
      );
    } else if (endpoint.canaryPercent === undefined) {
      await waitFor(`${namespace}/${endpoint.name} rolled out`, () => rolledOut(namespace, endpoint.name), 90_000);
    }
    // Faults live in the simulator's memory: clear what earlier runs left and set the seeded one.
    await fetch(`${simulatorUrl}/faults?namespace=${namespace}&service=${endpoint.name}`, { method: 'DELETE' });
    if (endpoint.fault) {
      const response = await fetch(`${simulatorUrl}/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ namespace, service: endpoint.name, target: 'canary', ...endpoint.fault }),
      });
      if (!response.ok)
        throw new Error(`the simulator refused the fault for ${namespace}/${endpoint.name}: ${await response.text()}`);
    }
  }
}
