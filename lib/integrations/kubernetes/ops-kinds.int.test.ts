/**
 * The watch caches the operations dashboard reads — Argo Workflows and KServe InferenceServices
 * across every namespace, as the portal's own identity — against the running, seeded local
 * platform (`npm run stack -- up`, then `seed`). One Workflow of the test's own is created in
 * `pricing` (deleted afterwards); the seeded objects are only read. It fails (never skips) when
 * the API server cannot be reached.
 */
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, loadStackEnv, requireSetting } from '../../../test/stack';
import { workflowPlan } from '../../../stack/seed/kubernetes';
import { ENDPOINTS } from '../../../stack/seed/inference-services';
import { INFERENCE_SERVICES_WATCHED, watchedInferenceServices } from './inference-services';
import { sharedWatchCache, stopSharedWatchCaches } from './watch-cache';
import { WORKFLOWS_WATCHED, watchedWorkflows, workflowTemplate } from './workflows';

loadStackEnv();

const TENANTS = ['fraud', 'pricing', 'forecast'];
const SEEDED_LABEL = 'mlp.example.com/seeded';
const WORKFLOW_API = { group: 'argoproj.io', version: 'v1alpha1', plural: 'workflows' } as const;
const scratch = { namespace: 'pricing', name: `ops-kinds-${Date.now().toString(36)}` };
let admin: CustomObjectsApi;

beforeAll(async () => {
  const server = requireSetting('KUBERNETES_API_URL', 'kubernetes');
  requireSetting('KUBERNETES_PORTAL_KUBECONFIG', 'kubernetes');
  const config = new KubeConfig();
  config.loadFromFile(requireSetting('KUBECONFIG', 'kubernetes (admin kubeconfig)'));
  admin = config.makeApiClient(CustomObjectsApi);
  try {
    await watchedWorkflows().read(undefined, 10_000);
  } catch (error) {
    throw new Error(
      `kubernetes: the API server at ${server} cannot be used (${(error as Error).message}) — start the local platform (npm run stack -- up, then seed)`,
    );
  }
});

afterAll(async () => {
  await admin?.deleteNamespacedCustomObject({ ...WORKFLOW_API, ...scratch }).catch(() => undefined);
  await stopSharedWatchCaches();
});

describe('the Workflows watch cache', () => {
  it('is one shared cache of every namespace', () => {
    expect(watchedWorkflows()).toBe(sharedWatchCache(WORKFLOWS_WATCHED));
  });

  it('lists the seeded pipeline runs of each tenant with their phase, times and template, without the per-step nodes', async () => {
    const plan = workflowPlan();
    expect(plan).toHaveLength(48);
    const { items, freshness } = await watchedWorkflows().read();
    expect(freshness.error).toBeUndefined();
    for (const tenant of TENANTS) {
      const seeded = items.filter((w) => w.metadata.namespace === tenant && w.metadata.labels[SEEDED_LABEL] === 'true');
      const planned = plan.filter((r) => r.tenant === tenant);
      expect(seeded.map((w) => w.metadata.name).sort(), `${tenant}'s seeded Workflows (npm run stack -- seed)`).toEqual(
        planned.map((r) => r.name).sort(),
      );
      for (const run of planned) {
        const workflow = seeded.find((w) => w.metadata.name === run.name)!;
        expect(workflow.status.phase, run.name).toBe(run.phase);
        expect(workflowTemplate(workflow), run.name).toBe(run.pipeline.name);
        expect(Date.parse(workflow.status.startedAt ?? ''), run.name).not.toBeNaN();
        if (run.phase === 'Running') expect(workflow.status.finishedAt, run.name).toBeNull();
        else
          expect(Date.parse(workflow.status.finishedAt ?? '') - Date.parse(workflow.status.startedAt!), run.name).toBe(
            run.durationMinutes! * 60_000,
          );
        if (run.message) expect(workflow.status.message, run.name).toBe(run.message);
        expect(workflow.status, run.name).not.toHaveProperty('nodes');
      }
    }
    // Read one tenant: only its namespace.
    const pricing = await watchedWorkflows().read('pricing');
    expect(pricing.items.length).toBeGreaterThan(0);
    expect(pricing.items.every((w) => w.metadata.namespace === 'pricing')).toBe(true);
    expect(watchedWorkflows().health()).toMatchObject({ state: 'live', synced: true, lists: 1, invalid: 0 });
  });

  it('sees a Workflow created in a tenant namespace, its status changing, and its deletion, through the watch', async () => {
    const cache = watchedWorkflows();
    const startedAt = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    await admin.createNamespacedCustomObject({
      ...WORKFLOW_API,
      namespace: scratch.namespace,
      body: {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Workflow',
        metadata: { name: scratch.name, labels: { 'workflows.argoproj.io/workflow-template': 'ops-kinds-test' } },
        spec: { entrypoint: 'main', templates: [{ name: 'main', container: { image: 'busybox', command: ['true'] } }] },
        status: { phase: 'Running', startedAt, finishedAt: null },
      },
    });
    const seen = await eventually(
      'the new Workflow to reach the cache',
      10_000,
      async () => {
        const workflow = await cache.get(scratch.namespace, scratch.name);
        return { done: workflow !== null, value: workflow?.status ?? null };
      },
      200,
    );
    expect(seen).toEqual({ phase: 'Running', startedAt, finishedAt: null });
    expect(workflowTemplate((await cache.get(scratch.namespace, scratch.name))!)).toBe('ops-kinds-test');

    // The minimal Argo CRD has no status subresource: the status is written with the object.
    const current = (await admin.getNamespacedCustomObject({ ...WORKFLOW_API, ...scratch })) as {
      status: Record<string, unknown>;
    };
    const finishedAt = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    await admin.replaceNamespacedCustomObject({
      ...WORKFLOW_API,
      ...scratch,
      body: {
        ...current,
        status: { ...current.status, phase: 'Failed', finishedAt, message: 'ops-kinds test failure' },
      },
    });
    await eventually(
      'the status change to reach the cache',
      10_000,
      async () => {
        const status = (await cache.get(scratch.namespace, scratch.name))?.status ?? null;
        return { done: status?.phase === 'Failed', value: status };
      },
      200,
    );
    expect((await cache.get(scratch.namespace, scratch.name))?.status).toEqual({
      phase: 'Failed',
      startedAt,
      finishedAt,
      message: 'ops-kinds test failure',
    });

    await admin.deleteNamespacedCustomObject({ ...WORKFLOW_API, ...scratch });
    await eventually(
      'the deletion to reach the cache',
      10_000,
      async () => {
        const workflow = await cache.get(scratch.namespace, scratch.name);
        return { done: workflow === null, value: workflow?.metadata.name ?? null };
      },
      200,
    );
    expect(cache.health().lists).toBe(1);
  });
});

describe('the InferenceServices watch cache', () => {
  it('is one shared cache of every namespace', () => {
    expect(watchedInferenceServices()).toBe(sharedWatchCache(INFERENCE_SERVICES_WATCHED));
  });

  it("lists the three seeded endpoints, each in its tenant's namespace, with KServe's status and without managedFields", async () => {
    const { items, freshness } = await watchedInferenceServices().read();
    expect(freshness.error).toBeUndefined();
    for (const tenant of TENANTS) {
      const endpoint = ENDPOINTS[tenant]!;
      const isvc = items.find((i) => i.metadata.namespace === tenant && i.metadata.name === endpoint.name);
      expect(isvc, `${tenant}/${endpoint.name} (npm run stack -- seed)`).toBeDefined();
      expect(isvc!.spec.predictor.model?.storageUri).toMatch(/^s3:\/\/.+\/model$/);
      expect(isvc!.status?.components?.predictor?.traffic.length, `${tenant}/${endpoint.name} status`).toBeGreaterThan(
        0,
      );
      // The API server keeps field ownership on every object; the cache drops it (memory).
      expect(isvc!.metadata, `${tenant}/${endpoint.name} metadata`).not.toHaveProperty('managedFields');
    }
    const forecast = await watchedInferenceServices().read('forecast');
    expect(forecast.items.map((i) => i.metadata.name)).toContain('demand-forecast');
    expect(forecast.items.every((i) => i.metadata.namespace === 'forecast')).toBe(true);
    expect(watchedInferenceServices().health()).toMatchObject({ state: 'live', synced: true, lists: 1, invalid: 0 });
  });
});
