/**
 * Readiness and the watch caches against the local platform's real API server, reached through a
 * relay that can be cut: a replica is ready once the pages' caches have synced, and stays ready
 * when the API server goes away afterwards — the caches say how stale they are instead.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayTo, type Relay } from '../../test/relay';
import { eventually, loadStackEnv, requireSetting } from '../../test/stack';
import { stopSharedWatchCaches, watchCacheHealth } from '../integrations/kubernetes/watch-cache';
import { metrics } from './metrics';
import { PAGE_WATCHED_KINDS, startWatchCacheReadiness, watchCacheCheck } from './readiness';

loadStackEnv();

let relay: Relay;

beforeAll(async () => {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(requireSetting('KUBERNETES_PORTAL_KUBECONFIG', 'Kubernetes'));
  const cluster = kubeConfig.getCurrentCluster()!;
  relay = await relayTo(new URL(cluster.server));
  const relayed = new KubeConfig();
  relayed.loadFromOptions({
    clusters: [{ ...cluster, server: cluster.server.replace(/:\/\/[^/]+/, `://${new URL(relay.url).host}`) }],
    users: kubeConfig.users,
    contexts: kubeConfig.contexts,
    currentContext: kubeConfig.currentContext,
  });
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'readiness-')), 'kubeconfig');
  writeFileSync(file, relayed.exportConfig());
  process.env.KUBERNETES_PORTAL_KUBECONFIG = file;
});

afterAll(async () => {
  await stopSharedWatchCaches();
  await relay?.cut();
});

const staleness = async (kind: string) => {
  const text = await metrics().registry.metrics();
  return Number(new RegExp(`portal_watch_cache_staleness_seconds\\{kind="${kind}"\\} (\\S+)`).exec(text)?.[1]);
};

describe('readiness and the watch caches on the real API server', () => {
  it('is ready once the caches have synced, and stays ready when the API server goes away', async () => {
    startWatchCacheReadiness(120);
    const synced = await eventually(
      'every page cache to sync',
      60_000,
      async () => {
        const check = watchCacheCheck();
        return { done: check.ok, value: check };
      },
      100,
    );
    expect(synced).toEqual({ ok: true, synced: PAGE_WATCHED_KINDS.length, of: PAGE_WATCHED_KINDS.length });
    expect(await staleness('Pod')).toBe(0);
    expect(await metrics().registry.metrics()).toContain('portal_watch_cache_synced{kind="Pod"} 1');

    await relay.cut();
    await eventually(
      'the caches to notice the API server is gone',
      30_000,
      async () => {
        const states = watchCacheHealth().map((h) => h.state);
        return { done: states.every((s) => s !== 'live'), value: states };
      },
      100,
    );
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(watchCacheCheck()).toEqual({ ok: true, synced: PAGE_WATCHED_KINDS.length, of: PAGE_WATCHED_KINDS.length });
    expect(await staleness('Pod')).toBeGreaterThanOrEqual(1);
  });
});
