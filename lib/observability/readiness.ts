/**
 * What /api/ready answers besides the database, kept per process (the custom server sets it, the
 * route handler — another copy of this module in Next.js' bundle — reads it):
 *
 * - **Watch caches.** The web server starts the shared Kubernetes watch caches the pages read
 *   (`startWatchCacheReadiness`) and is not ready until each has had its first LIST — for at most
 *   `READY_WATCH_CACHE_WAIT_SECONDS`. After that, or once all have synced, this check passes for
 *   the rest of the process's life: an API server that goes away later makes the pages say so
 *   (their data carries its age), it does not take replicas out of the Service.
 * - **Shutting down.** From SIGTERM on, the replica says it is not ready while it drains.
 *
 * The answer is for anonymous callers: counts only, never which kind failed or why (the log says).
 */
import { log } from './logger';
import { processSingleton } from '../process-singleton';
import { WARNING_EVENTS_WATCHED } from '../integrations/kubernetes/events';
import { INFERENCE_SERVICES_WATCHED } from '../integrations/kubernetes/inference-services';
import { JOBS_WATCHED } from '../integrations/kubernetes/jobs';
import { NODES_WATCHED } from '../integrations/kubernetes/nodes';
import { PODS_WATCHED } from '../integrations/kubernetes/pods';
import { RESOURCE_QUOTAS_WATCHED } from '../integrations/kubernetes/resource-quotas';
import { startSharedWatchCaches, type WatchCache, type WatchedKind } from '../integrations/kubernetes/watch-cache';
import { WORKFLOWS_WATCHED } from '../integrations/kubernetes/workflows';

/** The kinds the pages read from watch caches (GPU views, pipelines, operations, SLOs, deployments). */
export const PAGE_WATCHED_KINDS: readonly WatchedKind<unknown>[] = [
  INFERENCE_SERVICES_WATCHED,
  PODS_WATCHED,
  RESOURCE_QUOTAS_WATCHED,
  WARNING_EVENTS_WATCHED,
  JOBS_WATCHED,
  NODES_WATCHED,
  WORKFLOWS_WATCHED,
] as readonly WatchedKind<unknown>[];

/** How long a starting replica waits for its watch caches before it is ready without them. */
export const DEFAULT_WATCH_CACHE_WAIT_SECONDS = 30;

interface ReadinessState {
  caches: WatchCache<unknown>[];
  /** Until when a starting replica waits for its caches (ms since the epoch); 0: not started here. */
  waitUntil: number;
  /** Latched: the caches synced, or the wait is over. */
  passed: boolean;
  shuttingDown: boolean;
}

const state = () =>
  processSingleton('observability.readiness', (): ReadinessState => ({
    caches: [],
    waitUntil: 0,
    passed: false,
    shuttingDown: false,
  }));

export interface WatchCacheCheck {
  ok: boolean;
  /** Caches that have had their first LIST, of those readiness waits for. */
  synced: number;
  of: number;
  error?: string;
}

/**
 * Starts the pages' watch caches and makes readiness wait for them, for at most `waitSeconds`.
 * Without a Kubernetes connection (not configured) there is nothing to wait for.
 */
export function startWatchCacheReadiness(
  waitSeconds = Number(process.env.READY_WATCH_CACHE_WAIT_SECONDS ?? DEFAULT_WATCH_CACHE_WAIT_SECONDS),
  kinds: readonly WatchedKind<unknown>[] = PAGE_WATCHED_KINDS,
): void {
  const held = state();
  try {
    held.caches = startSharedWatchCaches(kinds);
  } catch (error) {
    log.warn('readiness does not wait for Kubernetes watch caches', { error });
    held.caches = [];
  }
  held.waitUntil = Date.now() + Math.max(0, waitSeconds) * 1000;
  held.passed = held.caches.length === 0;
}

/** The watch caches' part of readiness (see the module's comment). */
export function watchCacheCheck(now = Date.now()): WatchCacheCheck {
  const held = state();
  const of = held.caches.length;
  const health = held.caches.map((cache) => cache.health());
  const synced = health.filter((h) => h.synced).length;
  if (!held.passed && synced === of) {
    held.passed = true;
    if (of > 0) log.info('watch caches synced: ready', { kinds: of });
  } else if (!held.passed && now >= held.waitUntil) {
    held.passed = true;
    log.warn('ready without every watch cache: they did not sync in time, their pages say why', {
      waiting: health.filter((h) => !h.synced).map((h) => ({ kind: h.kind, problem: h.problem })),
    });
  }
  return held.passed
    ? { ok: true, synced, of }
    : { ok: false, synced, of, error: 'The Kubernetes watch caches have not synced yet.' };
}

/** From now on the replica answers not ready (SIGTERM: it drains and stops). */
export function markShuttingDown(): void {
  state().shuttingDown = true;
}

export function isShuttingDown(): boolean {
  return state().shuttingDown;
}
