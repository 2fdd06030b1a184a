/**
 * A canary of the tests' own with a fault injected through the simulator: an InferenceService in
 * the fraud tenant's namespace that no rollout follows, so the worker leaves it alone (faulting a
 * seeded canary would make the worker roll it back while the dashboards are being watched). Fraud
 * runs no canary of its own (the golden path's is rolled back before these specs), so before the
 * fault nothing there alerts — unlike forecast, whose seeded failing canary waits for the worker.
 * Removed again after the spec.
 */
import { CustomObjectsApi } from '@kubernetes/client-node';
import { expect } from '@playwright/test';
import { adminApi } from './cluster';

/** A new name per run: its revisions have no history, so nothing a previous run injected is still in the windows judged. */
export const FAULTY = { tenant: 'fraud', service: `e2e-scorer-${Date.now().toString(36)}` } as const;

const API = { group: 'serving.kserve.io', version: 'v1beta1', plural: 'inferenceservices', namespace: FAULTY.tenant } as const;

const customObjects = () => adminApi(CustomObjectsApi);

const predictor = (storageUri: string, canaryTrafficPercent?: number) => ({
  minReplicas: 1,
  ...(canaryTrafficPercent === undefined ? {} : { canaryTrafficPercent }),
  model: { modelFormat: { name: 'mlflow' }, storageUri, resources: { requests: { cpu: '100m', memory: '256Mi' } } },
});

async function traffic(custom: CustomObjectsApi): Promise<{ revisionName: string; percent?: number }[]> {
  const isvc = (await custom.getNamespacedCustomObject({ ...API, name: FAULTY.service })) as { status?: { components?: { predictor?: { traffic?: { revisionName: string; percent?: number }[] } } } };
  return isvc.status?.components?.predictor?.traffic ?? [];
}

/** Creates the endpoint: stable, then a 50 % canary. */
export async function startScratchCanary(): Promise<void> {
  const custom = customObjects();
  await custom.createNamespacedCustomObject({
    ...API,
    body: { apiVersion: 'serving.kserve.io/v1beta1', kind: 'InferenceService', metadata: { name: FAULTY.service }, spec: { predictor: predictor('s3://mlflow-artifacts/e2e/stable/model') } },
  });
  await expect.poll(async () => (await traffic(custom)).length, { message: 'the simulator serves the scratch endpoint', timeout: 60_000 }).toBe(1);
  await custom.patchNamespacedCustomObject({ ...API, name: FAULTY.service, body: [{ op: 'replace', path: '/spec/predictor', value: predictor('s3://mlflow-artifacts/e2e/canary/model', 50) }] });
  await expect.poll(async () => (await traffic(custom)).length, { message: 'the scratch canary takes traffic', timeout: 60_000 }).toBe(2);
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
