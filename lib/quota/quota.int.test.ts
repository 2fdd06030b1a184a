/**
 * The GPU read models and the quota change against the running local platform (`npm run stack --
 * up`, then `seed`) and a real PostgreSQL for the audit log. The seeded tenants are only read;
 * quotas are changed in a namespace of the test's own, which holds a 2-GPU pod (deleted with the
 * namespace afterwards).
 */
import { readFileSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase, type TestDatabase } from '../../test/db';
import { loadStackEnv, requireSetting } from '../../test/stack';
import { listAuditEvents } from '../audit/log';
import { getDb } from '../db/client';
import { UserFacingError } from '../errors';
import { resourceQuotas, userActor, type KubeActor, type KubeConnection } from '../integrations/kubernetes';
import { stopSharedWatchCaches } from '../integrations/kubernetes/watch-cache';
import { changeGpuQuota } from './change';
import { clusterGpuView, tenantGpuView } from './service';

loadStackEnv();

const runId = Date.now().toString(36);
const scratch = `quota-int-${runId}`;
const GPU = 'requests.nvidia.com/gpu';
const FRANK = { name: 'frank' };
let database: TestDatabase;
let core: CoreV1Api;
let frank: KubeActor;
let alice: KubeActor;

async function hard(): Promise<string | undefined> {
  return (await core.readNamespacedResourceQuota({ namespace: scratch, name: 'gpu-quota' })).spec?.hard?.[GPU];
}

async function setHard(value: string, extra: Record<string, string> = {}): Promise<void> {
  await resourceQuotas(scratch, frank).update('gpu-quota', (q) => ({
    ...q,
    spec: { ...q.spec, hard: { ...q.spec.hard, [GPU]: value, ...extra } },
  }));
}

/** The portal's connection, running `beforeWrite` between an update's read and its write. */
function hookedConnection(beforeWrite: () => Promise<void>): KubeConnection {
  class Hooked extends KubeConfig {
    override async applyToHTTPSOptions(options: RequestOptions): Promise<void> {
      if (options.method === 'PUT') await beforeWrite();
      return super.applyToHTTPSOptions(options);
    }
  }
  const kubeConfig = new Hooked();
  kubeConfig.loadFromFile(requireSetting('KUBERNETES_PORTAL_KUBECONFIG', 'kubernetes'));
  return { kubeConfig, timeoutMs: 5000 };
}

async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const quotaAudits = async () => (await listAuditEvents({ action: 'quota.change', tenant: scratch, limit: 50 })).events;

beforeAll(async () => {
  database = await useTestDatabase();
  const admin = new KubeConfig();
  admin.loadFromFile(requireSetting('KUBECONFIG', 'kubernetes (admin kubeconfig)'));
  core = admin.makeApiClient(CoreV1Api);
  const users = JSON.parse(readFileSync(requireSetting('KUBERNETES_USERS_FILE', 'kubernetes'), 'utf8')) as {
    users: Record<string, { username: string; groups: string[] }>;
  };
  frank = userActor(users.users.frank!.username, users.users.frank!.groups);
  alice = userActor(users.users.alice!.username, users.users.alice!.groups);

  await core.createNamespace({
    body: { metadata: { name: scratch, labels: { 'app.kubernetes.io/managed-by': 'quota-int-test' } } },
  });
  await core.createNamespacedResourceQuota({
    namespace: scratch,
    body: { metadata: { name: 'gpu-quota' }, spec: { hard: { [GPU]: '4' } } },
  });
  await eventually('the default ServiceAccount', () =>
    core.readNamespacedServiceAccount({ namespace: scratch, name: 'default' }).then(
      () => true,
      () => false,
    ),
  );
  const gpus = { 'nvidia.com/gpu': '2', cpu: '1', memory: '1Gi' };
  await core.createNamespacedPod({
    namespace: scratch,
    body: {
      metadata: { name: 'trainer' },
      spec: {
        automountServiceAccountToken: false,
        containers: [
          { name: 'main', image: 'registry.example.com/test:1', resources: { requests: gpus, limits: gpus } },
        ],
      },
    },
  });
  await eventually(
    'the quota to count the pod',
    async () =>
      (await core.readNamespacedResourceQuota({ namespace: scratch, name: 'gpu-quota' })).status?.used?.[GPU] === '2',
  );
}, 90_000);

afterAll(async () => {
  await stopSharedWatchCaches();
  await core?.deleteNamespace({ name: scratch }).catch(() => undefined);
  await getDb().$disconnect();
  await database?.drop();
});

describe('the tenant GPU view', () => {
  it("shows fraud's seeded GPU world: quota, pods and nodes, what waits and why, OOM kills, utilisation", async () => {
    const view = await tenantGpuView('fraud', { history: true });
    if (!view.kubernetes.ok) throw new Error(view.kubernetes.message);
    const { quota, pods, pending, oomKills } = view.kubernetes.data;
    expect(view.kubernetes.freshness.error).toBeUndefined();
    expect(quota).toMatchObject({ name: 'gpu-quota', hard: 8, used: 6 });

    const running = pods.find((p) => p.state === 'running' && p.gpus === 2);
    expect(running, 'the seeded 2-GPU training step (npm run stack -- seed)').toMatchObject({
      product: 'NVIDIA-A100-SXM4-80GB',
      owner: expect.stringMatching(/^Workflow fraud-train-/),
    });
    expect(running!.node).toMatch(/^gpu-a100-/);

    const capacity = pending.find((p) => p.kind === 'capacity');
    expect(capacity).toMatchObject({
      objectKind: 'Pod',
      gpus: 4,
      source: 'scheduler',
      reason: expect.stringContaining('Insufficient nvidia.com/gpu'),
    });
    const quotaRefusal = pending.find((p) => p.kind === 'quota');
    expect(quotaRefusal).toMatchObject({
      objectKind: 'Job',
      name: 'fraud-retrain-full-history',
      gpus: 8,
      source: 'quota admission',
      reason: expect.stringContaining('exceeded quota: gpu-quota'),
    });

    expect(oomKills).toEqual([
      expect.objectContaining({ container: 'main', gpus: 1, exitCode: 137, restarted: false }),
    ]);

    if (!view.metrics.ok) throw new Error(view.metrics.message);
    const metrics = view.metrics.data.byPod[running!.name];
    expect(metrics).toMatchObject({ gpus: 2, idleGpus: 0 });
    expect(metrics!.utilPercent!).toBeGreaterThan(30);
    expect(metrics!.memoryTotalMiB).toBe(2 * 40960);
    expect(view.metrics.data.devices.every((d) => d.namespace === 'fraud')).toBe(true);
    expect(view.history?.ok && view.history.data.some((s) => s.pod === running!.name && s.points.length > 10)).toBe(
      true,
    );
  });

  it('gives quota editors the cluster figures they need to be warned', async () => {
    const view = await tenantGpuView('fraud', { quotaEdit: true });
    expect(view.quotaEdit).toMatchObject({ current: 8, quotaName: 'gpu-quota', used: 6, allocatable: 32 });
    expect(view.quotaEdit!.otherQuotasTotal).toBeGreaterThanOrEqual(4 + 2);
    expect((await tenantGpuView('fraud')).quotaEdit).toBeNull();
  });
});

describe('the cluster GPU view', () => {
  it("shows every tenant's use against its quota, capacity per product, over-commitment and the platform's own GPUs", async () => {
    const view = await clusterGpuView([
      { name: 'fraud', displayName: 'Fraud detection' },
      { name: 'pricing', displayName: 'Pricing' },
      { name: 'forecast', displayName: 'Demand forecasting' },
    ]);
    if (!view.kubernetes.ok) throw new Error(view.kubernetes.message);
    const { tenants, products, otherNamespaces, overcommitment, totals } = view.kubernetes.data;
    expect(tenants.map((t) => [t.name, t.hard])).toEqual([
      ['fraud', 8],
      ['pricing', 4],
      ['forecast', 2],
    ]);
    expect(tenants[0]).toMatchObject({ used: 6, pendingQuota: 1, pendingScheduling: 1 });
    expect(products.map((p) => [p.product, p.nodes, p.allocatable])).toEqual([
      ['NVIDIA-A100-SXM4-80GB', 2, 16],
      ['NVIDIA-H100-80GB-HBM3', 2, 16],
    ]);
    expect(otherNamespaces).toContainEqual({ namespace: 'mlp-shared', requested: 12, hard: null });
    expect(otherNamespaces).toContainEqual({ namespace: scratch, requested: 2, hard: expect.any(Number) });
    expect(totals.allocatable).toBe(32);
    expect(overcommitment.quotaTotal).toBeGreaterThanOrEqual(14);
    expect(overcommitment.overcommitted).toBe(overcommitment.quotaTotal > 32);
    if (!view.metrics.ok) throw new Error(view.metrics.message);
    expect(view.metrics.data.byNamespace.map((n) => n.namespace)).toEqual(
      expect.arrayContaining(['fraud', 'mlp-shared']),
    );
  });
});

describe('changing a GPU quota', () => {
  it('sets the limit, audits before and after, and the pages see it at once', async () => {
    const result = await changeGpuQuota(FRANK, frank, { tenant: scratch, gpus: 3, expected: 4, confirmed: {} });
    expect(result).toMatchObject({ status: 'changed', before: 4, after: 3, quota: 'gpu-quota' });
    expect(await hard()).toBe('3');
    const view = await tenantGpuView(scratch);
    expect(view.kubernetes.ok && view.kubernetes.data.quota.hard).toBe(3);

    const [event] = await quotaAudits();
    expect(event).toMatchObject({
      actor: 'frank',
      outcome: 'success',
      targetType: 'ResourceQuota',
      targetId: `${scratch}/gpu-quota`,
    });
    expect(event!.before).toMatchObject({ gpus: 4, used: 2 });
    expect(event!.after).toMatchObject({ gpus: 3, allocatable: 32, overcommitted: false });

    expect(await changeGpuQuota(FRANK, frank, { tenant: scratch, gpus: 3, expected: 3, confirmed: {} })).toMatchObject({
      status: 'unchanged',
    });
    expect(await quotaAudits()).toHaveLength(1);
  });

  it('refuses when the quota is no longer what the admin saw, and changes nothing', async () => {
    const error = await changeGpuQuota(FRANK, frank, { tenant: scratch, gpus: 2, expected: 4, confirmed: {} }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(UserFacingError);
    expect((error as Error).message).toBe(
      `Someone changed ${scratch}'s GPU quota while you were deciding: it is now 3 GPUs, not 4 GPUs. Nothing was changed; look at the new value and submit again.`,
    );
    expect(await hard()).toBe('3');
  });

  it('asks to confirm a limit below what is in use, and sets it once confirmed', async () => {
    const asked = await changeGpuQuota(FRANK, frank, { tenant: scratch, gpus: 1, expected: 3, confirmed: {} });
    expect(asked).toEqual({
      status: 'needs-confirmation',
      confirmations: [
        { kind: 'below-usage', message: expect.stringContaining(`${scratch}'s pods already request 2 GPUs`) },
      ],
    });
    expect(await hard()).toBe('3');

    expect(
      await changeGpuQuota(FRANK, frank, { tenant: scratch, gpus: 1, expected: 3, confirmed: { 'below-usage': true } }),
    ).toMatchObject({ status: 'changed', after: 1 });
    expect(await hard()).toBe('1');
    expect((await quotaAudits())[0]?.reason).toBe('confirmed: below-usage');
  });

  it('asks to confirm a raise that over-commits the cluster', async () => {
    const asked = await changeGpuQuota(FRANK, frank, { tenant: scratch, gpus: 40, expected: 1, confirmed: {} });
    expect(asked).toMatchObject({
      status: 'needs-confirmation',
      confirmations: [{ kind: 'overcommit', message: expect.stringContaining('This over-commits the cluster') }],
    });
    expect(await hard()).toBe('1');
    expect(
      await changeGpuQuota(FRANK, frank, { tenant: scratch, gpus: 40, expected: 1, confirmed: { overcommit: true } }),
    ).toMatchObject({ status: 'changed' });
    const [event] = await quotaAudits();
    expect(event!.after).toMatchObject({ gpus: 40, overcommitted: true });
    await setHard('4');
  });

  it('retries a 409 Conflict on a fresh read: a concurrent change of another limit survives, and so does the new GPU limit', async () => {
    let writes = 0;
    const connection = hookedConnection(async () => {
      if (writes++ === 0) await setHard('4', { 'requests.cpu': '16' });
    });
    const result = await changeGpuQuota(
      FRANK,
      frank,
      { tenant: scratch, gpus: 3, expected: 4, confirmed: {} },
      { connection },
    );
    expect(result).toMatchObject({ status: 'changed', after: 3 });
    // The first write met the conflict and was retried on a fresh read; under load the quota
    // controller's own status update can cost one more conflict (each retried the same way).
    expect(writes).toBeGreaterThanOrEqual(2);
    const quota = await core.readNamespacedResourceQuota({ namespace: scratch, name: 'gpu-quota' });
    expect(quota.spec?.hard).toMatchObject({ [GPU]: '3', 'requests.cpu': '16' });
  });

  it('refuses when the fresh read after a conflict shows someone else changed the GPU limit, keeping theirs', async () => {
    const audits = (await quotaAudits()).length;
    const connection = hookedConnection(() => setHard('5'));
    const error = await changeGpuQuota(
      FRANK,
      frank,
      { tenant: scratch, gpus: 2, expected: 3, confirmed: { 'below-usage': true } },
      { connection },
    ).catch((e: unknown) => e);
    expect((error as Error).message).toContain('it is now 5 GPUs, not 3 GPUs');
    expect(await hard()).toBe('5');
    expect(await quotaAudits()).toHaveLength(audits);
  });

  it("is refused by the cluster's RBAC for someone it does not allow, even if the portal were to", async () => {
    const error = await changeGpuQuota({ name: 'alice' }, alice, {
      tenant: 'fraud',
      gpus: 7,
      expected: 8,
      confirmed: {},
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserFacingError);
    expect((error as Error).message).toBe('The cluster does not allow alice to update ResourceQuota fraud/gpu-quota');
    expect((await core.readNamespacedResourceQuota({ namespace: 'fraud', name: 'gpu-quota' })).spec?.hard?.[GPU]).toBe(
      '8',
    );
  });
});
