/**
 * ResourceQuotas and the shared watch caches against the running local platform (`npm run stack
 * -- up`, then `seed`). Quotas are written only in a namespace of the test's own (deleted
 * afterwards); the seeded tenants are only read. It fails (never skips) when the API server
 * cannot be reached.
 */
import { readFileSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, loadStackEnv, requireSetting, silentServer } from '../../../test/stack';
import { PORTAL_ACTOR, userActor, type KubeActor, type KubeConnection } from './client';
import { WARNING_EVENTS_WATCHED } from './events';
import { NODES_WATCHED } from './nodes';
import { PODS_WATCHED } from './pods';
import { MAX_UPDATE_ATTEMPTS } from './resource';
import { RESOURCE_QUOTAS_WATCHED, resourceQuotas } from './resource-quotas';
import { createWatchCache, sharedWatchCache, stopSharedWatchCaches, type WatchCache } from './watch-cache';

loadStackEnv();

const runId = Date.now().toString(36);
const scratch = `gpu-kinds-${runId}`;
let alice: KubeActor;
let frank: KubeActor;
let admin: CoreV1Api;
let adminConfig: KubeConfig;
const caches: WatchCache<unknown>[] = [];

function portalConnection(beforeWrite?: () => Promise<void>): KubeConnection {
  class HookedKubeConfig extends KubeConfig {
    override async applyToHTTPSOptions(options: RequestOptions): Promise<void> {
      if (options.method === 'PUT' && beforeWrite) await beforeWrite();
      return super.applyToHTTPSOptions(options);
    }
  }
  const kubeConfig = new HookedKubeConfig();
  kubeConfig.loadFromFile(requireSetting('KUBERNETES_PORTAL_KUBECONFIG', 'kubernetes'));
  return { kubeConfig, timeoutMs: 5000 };
}

/** The portal's credentials against another address (a proxy, a closed port, a silent server). */
function portalConnectionTo(server: string, timeoutMs = 5000): KubeConnection {
  const connection = portalConnection();
  const cluster = connection.kubeConfig.getCurrentCluster()!;
  connection.kubeConfig.clusters = connection.kubeConfig.clusters.map((c) =>
    c.name === cluster.name ? { ...c, server } : c,
  );
  return { kubeConfig: connection.kubeConfig, timeoutMs };
}

/** LISTs the API server has served for `resource`, from its own metrics (`apiserver_request_total`). */
async function apiServerLists(resource: string): Promise<number> {
  const options: RequestOptions = {};
  await adminConfig.applyToHTTPSOptions(options);
  const text = await new Promise<string>((resolve, reject) => {
    const req = httpsRequest(`${adminConfig.getCurrentCluster()!.server}/metrics`, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    req.on('error', reject);
    req.end();
  });
  let total = 0;
  for (const line of text.split('\n')) {
    if (
      line.startsWith('apiserver_request_total{') &&
      line.includes('verb="LIST"') &&
      line.includes(`resource="${resource}"`)
    )
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

/** A TCP proxy to the API server that the test can cut and restore. */
async function cuttableProxy(
  target: URL,
): Promise<{ url: string; cut(): Promise<void>; restore(): Promise<void>; close(): Promise<void> }> {
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(Number(target.port), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as { port: number }).port;
        resolve();
      });
    });
  const cut = async () => {
    sockets.forEach((s) => s.destroy());
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  };
  await listen();
  return { url: `https://127.0.0.1:${port}`, cut, restore: listen, close: cut };
}

async function eventually(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

beforeAll(async () => {
  const server = requireSetting('KUBERNETES_API_URL', 'kubernetes');
  adminConfig = new KubeConfig();
  adminConfig.loadFromFile(requireSetting('KUBECONFIG', 'kubernetes (admin kubeconfig)'));
  admin = adminConfig.makeApiClient(CoreV1Api);
  try {
    await resourceQuotas('fraud', PORTAL_ACTOR).list();
  } catch (error) {
    throw new Error(
      `kubernetes: the API server at ${server} cannot be used (${(error as Error).message}) — start the local platform (npm run stack -- up, then seed)`,
    );
  }
  const users = JSON.parse(readFileSync(requireSetting('KUBERNETES_USERS_FILE', 'kubernetes'), 'utf8')) as {
    users: Record<string, { username: string; groups: string[] }>;
  };
  alice = userActor(users.users.alice!.username, users.users.alice!.groups);
  frank = userActor(users.users.frank!.username, users.users.frank!.groups);
  await admin.createNamespace({
    body: { metadata: { name: scratch, labels: { 'app.kubernetes.io/managed-by': 'gpu-kinds-test' } } },
  });
});

afterAll(async () => {
  await Promise.all(caches.map((c) => c.stop()));
  await stopSharedWatchCaches();
  await admin?.deleteNamespace({ name: scratch }).catch(() => undefined);
});

describe('ResourceQuotas', () => {
  it("reads fraud's seeded GPU quota, as the portal and as alice", async () => {
    for (const actor of [PORTAL_ACTOR, alice]) {
      const quota = await resourceQuotas('fraud', actor).get('gpu-quota');
      expect(
        quota?.spec.hard['requests.nvidia.com/gpu'],
        'the seeded fraud/gpu-quota (run npm run stack -- seed)',
      ).toBeDefined();
      expect(quota?.status?.used['requests.nvidia.com/gpu']).toMatch(/^\d+$/);
    }
    expect((await resourceQuotas('fraud', PORTAL_ACTOR).list()).map((q) => q.metadata.name)).toContain('gpu-quota');
    expect(await resourceQuotas('fraud', PORTAL_ACTOR).get('no-such-quota')).toBeNull();
  });

  it('apply creates a quota, leaves an equal one alone, and sets named keys keeping the others', async () => {
    const api = resourceQuotas(scratch, frank);
    const created = await api.apply(
      'gpu-quota',
      { 'requests.nvidia.com/gpu': '4' },
      { 'mlp.example.com/managed-by': 'ml-platform-portal' },
    );
    expect(created.spec.hard).toEqual({ 'requests.nvidia.com/gpu': '4' });
    expect(created.metadata.labels).toMatchObject({ 'mlp.example.com/managed-by': 'ml-platform-portal' });

    let writes = 0;
    const counted = resourceQuotas(
      scratch,
      frank,
      portalConnection(async () => {
        writes++;
      }),
    );
    const again = await counted.apply('gpu-quota', { 'requests.nvidia.com/gpu': '4' });
    expect(again.spec.hard).toEqual({ 'requests.nvidia.com/gpu': '4' });
    expect(writes).toBe(0);

    await api.update('gpu-quota', (q) => ({
      ...q,
      spec: { ...q.spec, hard: { ...q.spec.hard, 'requests.cpu': '16' } },
    }));
    const merged = await api.apply('gpu-quota', { 'requests.nvidia.com/gpu': '6' }, { team: 'ml' });
    expect(merged.spec.hard).toEqual({ 'requests.nvidia.com/gpu': '6', 'requests.cpu': '16' });
    expect(merged.metadata.labels).toMatchObject({ 'mlp.example.com/managed-by': 'ml-platform-portal', team: 'ml' });
  });

  it('refuses a change the cluster does not allow, saying who was refused what', async () => {
    await expect(
      resourceQuotas('fraud', alice).apply('gpu-quota', { 'requests.nvidia.com/gpu': '80' }),
    ).rejects.toMatchObject({
      kind: 'forbidden',
      message: 'The cluster does not allow alice to update ResourceQuota fraud/gpu-quota',
    });
    const fraud = await resourceQuotas('fraud', PORTAL_ACTOR).get('gpu-quota');
    expect(fraud?.spec.hard['requests.nvidia.com/gpu']).not.toBe('80');
  });

  it('update re-reads on 409 Conflict: a change made between its read and its write survives, and so does its own', async () => {
    let concurrent = 0;
    const api = resourceQuotas(
      scratch,
      frank,
      portalConnection(async () => {
        if (concurrent++ > 0) return;
        // Someone else (another admin, another replica) changes the quota meanwhile.
        await resourceQuotas(scratch, frank).update('gpu-quota', (q) => ({
          ...q,
          spec: { ...q.spec, hard: { ...q.spec.hard, 'requests.memory': '64Gi' } },
        }));
      }),
    );
    const seen: string[] = [];
    const updated = await api.update('gpu-quota', (q) => {
      seen.push(q.metadata.resourceVersion);
      q.spec.hard['requests.nvidia.com/gpu'] = '5';
      return q;
    });
    // Read again after the conflict — and once more if the quota controller wrote the quota's status
    // in between (it recounts usage after a spec change): each attempt starts from a fresh read.
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(new Set(seen).size).toBe(seen.length);
    expect(updated.spec.hard).toMatchObject({
      'requests.nvidia.com/gpu': '5',
      'requests.memory': '64Gi',
      'requests.cpu': '16',
    });
    expect((await resourceQuotas(scratch, PORTAL_ACTOR).get('gpu-quota'))?.spec.hard).toMatchObject({
      'requests.nvidia.com/gpu': '5',
      'requests.memory': '64Gi',
    });
  });

  it(`gives up after ${MAX_UPDATE_ATTEMPTS} conflicting attempts`, async () => {
    let round = 0;
    const api = resourceQuotas(
      scratch,
      frank,
      portalConnection(() =>
        resourceQuotas(scratch, frank)
          .update('gpu-quota', (q) => ({
            ...q,
            metadata: { ...q.metadata, labels: { ...q.metadata.labels, round: String(++round) } },
          }))
          .then(() => undefined),
      ),
    );
    await expect(api.update('gpu-quota', (q) => q)).rejects.toMatchObject({
      kind: 'conflict',
      message: expect.stringContaining(`(${MAX_UPDATE_ATTEMPTS} attempts)`),
    });
  });
});

describe('watch caches', () => {
  it('list once, then keep up through the watch: no LIST per read', async () => {
    const cache = createWatchCache(RESOURCE_QUOTAS_WATCHED, portalConnection());
    caches.push(cache as WatchCache<unknown>);
    const first = await cache.read();
    expect(first.freshness.error).toBeUndefined();
    expect(first.items.some((q) => q.metadata.namespace === 'fraud' && q.metadata.name === 'gpu-quota')).toBe(true);
    expect((await cache.read(scratch)).items.map((q) => q.metadata.name)).toEqual(['gpu-quota']);

    const listsBefore = await apiServerLists('resourcequotas');
    for (let i = 0; i < 50; i++) await cache.read('fraud');
    expect(await apiServerLists('resourcequotas')).toBe(listsBefore);
    expect(cache.health()).toMatchObject({ state: 'live', synced: true, lists: 1, invalid: 0 });

    // A change reaches the cache through the watch, within moments.
    const started = Date.now();
    await resourceQuotas(scratch, frank).apply('gpu-quota', { 'requests.nvidia.com/gpu': '7' });
    expect(
      await cache.waitFor(scratch, 'gpu-quota', (q) => q?.spec.hard['requests.nvidia.com/gpu'] === '7', 3000),
    ).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await cache.get(scratch, 'gpu-quota'))?.spec.hard['requests.nvidia.com/gpu']).toBe('7');
    expect(cache.health().lists).toBe(1);
  });

  it('list a kind in pages, each page a call of its own, then keep up through the watch', async () => {
    const whole = createWatchCache(RESOURCE_QUOTAS_WATCHED, portalConnection());
    caches.push(whole as WatchCache<unknown>);
    const expected = (await whole.read()).items.map((q) => `${q.metadata.namespace}/${q.metadata.name}`).sort();
    expect(expected.length).toBeGreaterThanOrEqual(4);

    const listsBefore = await apiServerLists('resourcequotas');
    const paged = createWatchCache(RESOURCE_QUOTAS_WATCHED, portalConnection(), { listPageSize: 2 });
    caches.push(paged as WatchCache<unknown>);
    const first = await paged.read();
    expect(first.freshness.error).toBeUndefined();
    expect(first.items.map((q) => `${q.metadata.namespace}/${q.metadata.name}`).sort()).toEqual(expected);
    // One LIST of the cache's, sent as one call per page of two.
    expect(paged.health().lists).toBe(1);
    expect((await apiServerLists('resourcequotas')) - listsBefore).toBeGreaterThanOrEqual(
      Math.ceil(expected.length / 2),
    );

    // The watch resumes from the pages' resourceVersion: a change made now arrives.
    await resourceQuotas(scratch, frank).apply('gpu-quota', { 'requests.nvidia.com/gpu': '5' });
    expect(
      await paged.waitFor(scratch, 'gpu-quota', (q) => q?.spec.hard['requests.nvidia.com/gpu'] === '5', 3000),
    ).toBe(true);
  });

  it('are shared per process, kept on globalThis, for pods, nodes, quotas and Warning events', async () => {
    const pods = sharedWatchCache(PODS_WATCHED);
    expect(sharedWatchCache(PODS_WATCHED)).toBe(pods);
    expect(
      (globalThis as Record<symbol, unknown>)[Symbol.for('ml-platform-portal.kubernetes.watch-caches')],
    ).toBeDefined();
    const [podList, nodes, events] = await Promise.all([
      pods.read('fraud'),
      sharedWatchCache(NODES_WATCHED).read(),
      sharedWatchCache(WARNING_EVENTS_WATCHED).read('fraud'),
    ]);
    expect(podList.items.length).toBeGreaterThan(0);
    expect(podList.items.every((p) => p.metadata.namespace === 'fraud')).toBe(true);
    expect(nodes.items.filter((n) => n.status.allocatable['nvidia.com/gpu'] === '8')).toHaveLength(4);
    expect(events.items.every((e) => e.type === 'Warning')).toBe(true);
    expect(events.items.some((e) => e.reason === 'FailedScheduling' || e.reason === 'FailedCreate')).toBe(true);
  });

  it('serve the last known objects with their age when the API server is lost, and recover', async () => {
    const proxy = await cuttableProxy(new URL(requireSetting('KUBERNETES_API_URL', 'kubernetes')));
    const cache = createWatchCache(NODES_WATCHED, portalConnectionTo(proxy.url, 2000));
    caches.push(cache as WatchCache<unknown>);
    try {
      expect((await cache.read()).items.length).toBe(6);
      await proxy.cut();
      await eventually('the cache to notice', () => cache.health().state === 'reconnecting');
      const stale = await cache.read();
      expect(stale.items.length).toBe(6);
      expect(Date.parse(stale.freshness.asOf)).toBeLessThan(Date.now());
      expect(stale.freshness.error).toMatch(
        /^Kubernetes data may be out of date: Kubernetes cannot be reached at 127\.0\.0\.1:\d+ \(ECONNREFUSED\)$/,
      );

      await proxy.restore();
      await eventually('the cache to reconnect', () => cache.health().state === 'live', 40_000);
      expect((await cache.read()).freshness.error).toBeUndefined();
      // Resumed from its resourceVersion: no second LIST.
      expect(cache.health().lists).toBe(1);
    } finally {
      await proxy.close();
    }
  }, 60_000);

  it('say why Kubernetes cannot be read before the first LIST', async () => {
    const port = await closedPort();
    const refused = createWatchCache(PODS_WATCHED, portalConnectionTo(`https://127.0.0.1:${port}`, 1000));
    caches.push(refused as WatchCache<unknown>);
    await expect(refused.read(undefined, 1500)).rejects.toMatchObject({
      kind: 'unreachable',
      message: `Kubernetes cannot be reached at 127.0.0.1:${port} (ECONNREFUSED)`,
    });
    expect(refused.health()).toMatchObject({ state: 'starting', synced: false });

    const silent = await silentServer();
    try {
      const hanging = createWatchCache(PODS_WATCHED, portalConnectionTo(`https://127.0.0.1:${silent.port}`, 500));
      caches.push(hanging as WatchCache<unknown>);
      const started = Date.now();
      await expect(hanging.read(undefined, 800)).rejects.toMatchObject({ name: 'UpstreamError', system: 'Kubernetes' });
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      await silent.close();
    }
  });
});
