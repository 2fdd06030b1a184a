/**
 * Readiness and the watch caches with an API server where nothing listens: a starting replica is
 * not ready while its caches have not synced, then — the bounded wait over — ready without them
 * for good, its answer counts only; the staleness metric counts from the caches' start.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, kubeconfigAt } from '../../test/stack';
import { stopSharedWatchCaches } from '../integrations/kubernetes/watch-cache';
import { metrics } from './metrics';
import {
  PAGE_WATCHED_KINDS,
  isShuttingDown,
  markShuttingDown,
  startWatchCacheReadiness,
  watchCacheCheck,
} from './readiness';

let port: number;
beforeAll(async () => {
  port = await closedPort();
  process.env.KUBERNETES_PORTAL_KUBECONFIG = kubeconfigAt(port);
});
afterAll(() => stopSharedWatchCaches());

describe('readiness with the API server down at start', () => {
  it('waits for the watch caches, at most the bounded wait, then stays ready', async () => {
    const started = Date.now();
    startWatchCacheReadiness(1);
    const first = watchCacheCheck();
    expect(first).toEqual({
      ok: false,
      synced: 0,
      of: PAGE_WATCHED_KINDS.length,
      error: 'The Kubernetes watch caches have not synced yet.',
    });
    const text = JSON.stringify(first);
    for (const leak of [String(port), '127.0.0.1', 'ECONNREFUSED', 'Pod']) expect(text).not.toContain(leak);

    // Polled as a probe would, until the wait is over.
    let check = first;
    while (!check.ok) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      check = watchCacheCheck();
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(check).toEqual({ ok: true, synced: 0, of: PAGE_WATCHED_KINDS.length });
    // Latched: later checks pass whatever the caches do.
    expect(watchCacheCheck(Date.now() + 3_600_000).ok).toBe(true);
  });

  it('exports each kind’s staleness (counted from its start) and sync state', async () => {
    const text = await metrics().registry.metrics();
    for (const kind of ['Pod', 'InferenceService', 'Workflow']) {
      const staleness = new RegExp(`portal_watch_cache_staleness_seconds\\{kind="${kind}"\\} ([0-9.e+-]+)`).exec(text);
      expect(Number(staleness?.[1]), kind).toBeGreaterThanOrEqual(1);
      expect(text).toContain(`portal_watch_cache_synced{kind="${kind}"} 0`);
    }
  });

  it('says not ready from shutdown on', () => {
    expect(isShuttingDown()).toBe(false);
    markShuttingDown();
    expect(isShuttingDown()).toBe(true);
  });
});
