/**
 * The demo's model endpoints, from the seeded registry: fraud serves its champion (stable),
 * pricing has its challenger mid-canary at 20 %, forecast has a canary at 10 % whose errors the
 * simulator is told to raise — a failing canary for the on-call views to catch.
 */
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import type { StackContext } from '../lib/context';
import { progress } from '../lib/progress';
import { waitFor } from '../lib/processes';

export interface EndpointModel {
  tenant: string;
  model: string;
  champion: { version: string; runId: string; storageUri: string };
  challenger: { version: string; runId: string; storageUri: string };
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
}

export const ENDPOINTS: Record<string, Endpoint> = {
  fraud: { name: 'fraud-detector' },
  pricing: { name: 'price-elasticity', canaryPercent: 20, gpus: 1 },
  // About 8 requests per second (the simulator's profile of this name), under 0.4 of them on a
  // 10 % canary at a weekend night: the default 120 s window would never see the 100 requests
  // judgment needs, and the failing canary would outlive the night. Ten minutes always hold over 200.
  forecast: { name: 'demand-forecast', canaryPercent: 10, fault: { errorRate: 0.12, latencyMs: 450 }, policy: { analysisWindowSeconds: 600 } },
};

const API = { group: 'serving.kserve.io', version: 'v1beta1', plural: 'inferenceservices' } as const;

interface InferenceServiceStatus {
  components?: { predictor?: { latestRolledoutRevision?: string; latestCreatedRevision?: string; traffic?: { percent: number }[] } };
}

function predictor(model: EndpointModel['champion'], endpoint: Endpoint, modelName: string) {
  const resources = endpoint.gpus
    ? { requests: { cpu: '1', memory: '2Gi', 'nvidia.com/gpu': String(endpoint.gpus) }, limits: { cpu: '1', memory: '2Gi', 'nvidia.com/gpu': String(endpoint.gpus) } }
    : { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '1', memory: '1Gi' } };
  return {
    minReplicas: 1,
    maxReplicas: 3,
    labels: { 'mlp.example.com/model': modelName },
    model: { modelFormat: { name: 'mlflow' }, protocolVersion: 'v2', storageUri: model.storageUri, resources },
  };
}

function evidence(model: EndpointModel['champion'], modelName: string) {
  return {
    'mlp.example.com/model-name': modelName,
    'mlp.example.com/model-version': model.version,
    'mlp.example.com/run-id': model.runId,
  };
}

function isSeeded(isvc: { spec: { predictor: Record<string, unknown> } }, model: EndpointModel, endpoint: Endpoint): boolean {
  const predictor = isvc.spec.predictor as { canaryTrafficPercent?: number; model?: { storageUri?: string } };
  const wanted = endpoint.canaryPercent === undefined ? model.champion : model.challenger;
  return predictor.model?.storageUri === wanted.storageUri && predictor.canaryTrafficPercent === endpoint.canaryPercent;
}

/**
 * Brings each demo endpoint to its seeded state — champion stable, and where the demo has one, the
 * challenger as a canary with its fault — from whatever the demo or the tests left behind
 * (rollbacks, promotions). Runs at the first seed and whenever the demo starts fresh.
 */
export async function seedInferenceServices(ctx: StackContext, models: EndpointModel[], simulatorUrl: string): Promise<void> {
  const kubeconfig = new KubeConfig();
  kubeconfig.loadFromFile(ctx.kubeconfig);
  const api = kubeconfig.makeApiClient(CustomObjectsApi);
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
  const rolledOut = async (namespace: string, name: string) => {
    const predictor = (await read(namespace, name))?.status?.components?.predictor;
    return Boolean(predictor?.latestRolledoutRevision) && predictor?.latestRolledoutRevision === predictor?.latestCreatedRevision && predictor?.traffic?.length === 1;
  };

  for (const model of models) {
    const endpoint = ENDPOINTS[model.tenant];
    if (!endpoint) continue;
    const namespace = model.tenant;
    let isvc = await read(namespace, endpoint.name);
    if (!isvc) {
      progress('seed', `InferenceService ${namespace}/${endpoint.name} serving ${model.model} v${model.champion.version}`);
      await api.createNamespacedCustomObject({
        ...API,
        namespace,
        body: {
          apiVersion: `${API.group}/${API.version}`,
          kind: 'InferenceService',
          metadata: { name: endpoint.name, namespace, labels: { 'mlp.example.com/model': model.model }, annotations: evidence(model.champion, model.model) },
          spec: { predictor: predictor(model.champion, endpoint, model.model) },
        },
      });
    } else if (!isSeeded(isvc, model, endpoint)) {
      progress('seed', `InferenceService ${namespace}/${endpoint.name} back to ${model.model} v${model.champion.version}`);
      await api.patchNamespacedCustomObject({
        ...API,
        namespace,
        name: endpoint.name,
        body: [
          { op: 'replace', path: '/spec/predictor', value: predictor(model.champion, endpoint, model.model) },
          { op: 'replace', path: '/metadata/annotations', value: evidence(model.champion, model.model) },
        ],
      });
    }
    isvc = await read(namespace, endpoint.name);
    if (endpoint.canaryPercent !== undefined && isvc && !isSeeded(isvc, model, endpoint)) {
      // The stable revision must be rolled out before a canary can start from it.
      await waitFor(`${namespace}/${endpoint.name} rolled out`, () => rolledOut(namespace, endpoint.name), 90_000);
      progress('seed', `canary of ${model.model} v${model.challenger.version} at ${endpoint.canaryPercent} % on ${namespace}/${endpoint.name}`);
      await api.patchNamespacedCustomObject({
        ...API,
        namespace,
        name: endpoint.name,
        body: [
          { op: 'replace', path: '/spec/predictor', value: { ...predictor(model.challenger, endpoint, model.model), canaryTrafficPercent: endpoint.canaryPercent } },
          // The previous stable version is recorded as the portal records it for its own canaries, so a rollback can restore it.
          {
            op: 'replace',
            path: '/metadata/annotations',
            value: { ...evidence(model.challenger, model.model), 'mlp.example.com/previous-storage-uri': model.champion.storageUri, 'mlp.example.com/previous-model-version': model.champion.version },
          },
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
      if (!response.ok) throw new Error(`the simulator refused the fault for ${namespace}/${endpoint.name}: ${await response.text()}`);
    }
  }
}
