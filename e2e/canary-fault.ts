/**
 * A canary of the tests' own with a fault injected through the simulator: an InferenceService in
 * the fraud tenant's namespace that no rollout follows, so the worker leaves it alone (faulting a
 * seeded canary would make the worker roll it back while the dashboards are being watched). Fraud
 * runs no canary of its own (the golden path's is rolled back before these specs), so before the
 * fault nothing there alerts — unlike forecast, whose seeded failing canary waits for the worker.
 * Removed again after the spec.
 */
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { expect } from '@playwright/test';
import { adminApi } from './cluster';

/** A new name per run: its revisions have no history, so nothing a previous run injected is still in the windows judged. */
export const FAULTY = { tenant: 'fraud', service: `e2e-scorer-${Date.now().toString(36)}` } as const;

const API = {
  group: 'serving.kserve.io',
  version: 'v1beta1',
  plural: 'inferenceservices',
  namespace: FAULTY.tenant,
} as const;

const customObjects = () => adminApi(CustomObjectsApi);

/**
 * Written as the portal's own identity with a promotion's evidence: the cluster's admission guard
 * (deploy/admission/) refuses model changes in tenant namespaces made any other way.
 */
function portalCustomObjects(): CustomObjectsApi {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(process.env.KUBERNETES_PORTAL_KUBECONFIG!);
  return kubeConfig.makeApiClient(CustomObjectsApi);
}

const RUNS = { stable: 'e2e0'.padEnd(32, '0'), canary: 'e2e1'.padEnd(32, '0') } as const;
const storageUri = (run: keyof typeof RUNS) => `s3://mlflow-artifacts/e2e/${RUNS[run]}/artifacts/model`;
const evidence = (run: keyof typeof RUNS) => ({
  'mlp.example.com/promotion-request': `e2e-${run}`,
  'mlp.example.com/run-id': RUNS[run],
  'mlp.example.com/holdout-metric': 'holdout_auc=0.9000',
  'mlp.example.com/model-card-url': 'https://models.example.com/e2e/scorer',
  'mlp.example.com/approved-by': 'e2e-approver',
  'mlp.example.com/requested-by': 'e2e-requester',
});

const predictor = (run: keyof typeof RUNS, canaryTrafficPercent?: number) => ({
  minReplicas: 1,
  ...(canaryTrafficPercent === undefined ? {} : { canaryTrafficPercent }),
  model: {
    modelFormat: { name: 'mlflow' },
    storageUri: storageUri(run),
    resources: { requests: { cpu: '100m', memory: '256Mi' } },
  },
});

async function traffic(custom: CustomObjectsApi): Promise<{ revisionName: string; percent?: number }[]> {
  const isvc = (await custom.getNamespacedCustomObject({ ...API, name: FAULTY.service })) as {
    status?: { components?: { predictor?: { traffic?: { revisionName: string; percent?: number }[] } } };
  };
  return isvc.status?.components?.predictor?.traffic ?? [];
}

/** Creates the endpoint: stable, then a 50 % canary. */
export async function startScratchCanary(): Promise<void> {
  const custom = portalCustomObjects();
  await custom.createNamespacedCustomObject({
    ...API,
    body: {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: FAULTY.service, annotations: evidence('stable') },
      spec: { predictor: predictor('stable') },
    },
  });
  await expect
    .poll(async () => (await traffic(custom)).length, {
      message: 'the simulator serves the scratch endpoint',
      timeout: 60_000,
    })
    .toBe(1);
  await custom.patchNamespacedCustomObject({
    ...API,
    name: FAULTY.service,
    body: [
      { op: 'replace', path: '/spec/predictor', value: predictor('canary', 50) },
      { op: 'replace', path: '/metadata/annotations', value: evidence('canary') },
    ],
  });
  await expect
    .poll(async () => (await traffic(custom)).length, { message: 'the scratch canary takes traffic', timeout: 60_000 })
    .toBe(2);
}

/** Every canary request of the scratch endpoint fails from now on. */
export async function injectFault(): Promise<void> {
  const response = await fetch(`${process.env.SIMULATOR_URL}/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ namespace: FAULTY.tenant, service: FAULTY.service, target: 'canary', errorRate: 1 }),
  });
  expect(response.status, await response.text()).toBe(200);
}

export async function clearFault(): Promise<void> {
  const url = new URL('/faults', process.env.SIMULATOR_URL);
  url.search = new URLSearchParams({ namespace: FAULTY.tenant, service: FAULTY.service }).toString();
  await fetch(url, { method: 'DELETE' });
}

export async function removeScratchCanary(): Promise<void> {
  await clearFault();
  await customObjects()
    .deleteNamespacedCustomObject({ ...API, name: FAULTY.service })
    .catch(() => undefined);
}
