/**
 * Shared watch caches ("informers"): one LIST, then a WATCH that keeps an in-memory copy of a
 * kind current, so pages read Kubernetes from memory instead of sending a LIST per request.
 *
 * - One cache per watched kind and process, kept by `processSingleton` (Next.js may load this module
 *   more than once — per bundle, and again on every reload in development — and each copy must
 *   find the same caches instead of opening more watches).
 * - Started lazily by the first read, as the portal's own identity (KUBERNETES_PORTAL_KUBECONFIG
 *   or the in-cluster service account), which must be allowed to list and watch the kind
 *   cluster-wide. Who may see what is decided by the caller (the authorization module), never by
 *   the cache.
 * - `@kubernetes/client-node`'s `ListWatch` keeps the objects; the watch itself is made here with
 *   node:http(s) like every other call (`kubeRequest`): bookmarks keep the resourceVersion fresh,
 *   the server ends each watch after WATCH_TIMEOUT_SECONDS and it is resumed from the last
 *   resourceVersion (no new LIST), and a watch that goes silent is dropped and resumed. Only an
 *   expired resourceVersion (410 Gone) costs a new LIST.
 * - When the API server cannot be reached, the watch is retried with backoff; reads meanwhile get
 *   the last known objects with the time they were last known current (`freshness`), or — before
 *   the first successful LIST — an `UpstreamError` that says why Kubernetes cannot be read.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { createInterface } from 'node:readline';
import { ListWatch, Watch, type KubernetesListObject, type KubernetesObject } from '@kubernetes/client-node';
import { z } from 'zod';
import { UpstreamError, isUpstreamError, type UpstreamErrorKind } from '../upstream';
import { formatDuration } from '../../format';
import { defaultKubeConnection, describeKubeFailure, kubeRequest, PORTAL_ACTOR, type KubeConnection } from './client';
import { collectionPath, type ResourceKind } from './resource';
import type { Freshness } from '../../freshness';
import { processSingleton } from '../../process-singleton';

/**
 * A kind watched across all namespaces (or a cluster-scoped kind): the kind's one description
 * (`ResourceKind`: its collection is `collectionPath(kind)`, e.g. `/api/v1/pods`; objects that do
 * not pass its schema are left out of reads and counted in `health`), and what to watch of it.
 */
export interface WatchedKind<T> extends ResourceKind<T> {
  labelSelector?: string;
  fieldSelector?: string;
  /** Removes, in place, parts of each object the portal never reads, before it is kept (memory: e.g. a Workflow's node tree). */
  trim?: (object: KubernetesObject) => void;
}

export type CacheState = 'starting' | 'live' | 'reconnecting' | 'stopped';

export interface CacheHealth {
  kind: string;
  state: CacheState;
  /** The first LIST has arrived: reads answer from memory. */
  synced: boolean;
  /** When the data was last known current: now while live, else when the watch was lost. */
  currentAt: Date | null;
  /** When the cache was made (its first LIST asked for): staleness counts from here until it syncs. */
  startedAt: Date;
  /** Why the cache is not live, in words for people. */
  problem: string | null;
  /** LISTs sent so far (the first, and one after each expired resourceVersion). */
  lists: number;
  /** Objects that did not match the kind's schema (left out of reads). */
  invalid: number;
}

export interface CacheSnapshot<T> {
  items: T[];
  /** Now while the watch is live; otherwise when these objects were last known current, and why not since. */
  freshness: Freshness;
}

export interface WatchCache<T> {
  readonly kind: string;
  /**
   * The objects (in `namespace`, or all), waiting up to `waitMs` for the first LIST. Before the
   * first LIST has arrived it throws an `UpstreamError` saying why.
   */
  read(namespace?: string, waitMs?: number): Promise<CacheSnapshot<T>>;
  /** One object by name, or null; same waiting and errors as `read`. */
  get(namespace: string | undefined, name: string, waitMs?: number): Promise<T | null>;
  /**
   * Resolves once `predicate` holds for the cached object `namespace/name` (null when absent), or
   * after `timeoutMs` with false. For writers that want their change visible before a page renders.
   */
  waitFor(
    namespace: string | undefined,
    name: string,
    predicate: (object: T | null) => boolean,
    timeoutMs: number,
  ): Promise<boolean>;
  health(): CacheHealth;
  stop(): Promise<void>;
}

/** How long a read waits for the first LIST before the page says Kubernetes cannot be read. */
export const DEFAULT_SYNC_WAIT_MS = 3_000;
/** The API server ends each watch after this long; the cache resumes it where it was. */
export const WATCH_TIMEOUT_SECONDS = 300;
/** A watch that sends nothing (not even a bookmark) for this long is presumed dead and resumed. */
const WATCH_SILENCE_MS = (WATCH_TIMEOUT_SECONDS + 60) * 1000;
/** A page of a LIST may take longer than an ordinary call. */
const MIN_LIST_TIMEOUT_MS = 30_000;
/**
 * A kind is LISTed in pages of this many objects (as client-go's reflector does), each page a call
 * of its own: at 56,000 pods a single LIST did not finish within 30 s on a busy API server.
 */
export const LIST_PAGE_SIZE = 500;
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 30_000;

interface WatchHooks {
  /** ListWatch is about to watch: any LIST it made is stored by now. */
  watching(): void;
  /** The watch is open (HTTP 200): the cache is live. */
  opened(): void;
}

/** An error ListWatch understands: a 410 means "LIST again". */
function watchError(status: number, body: string, kind: WatchedKind<unknown>): Error {
  const failure =
    status === 410
      ? {
          kind: 'rejected' as UpstreamErrorKind,
          message: `The resourceVersion of the ${kind.kindPlural} watch expired`,
        }
      : describeKubeFailure(
          status,
          body,
          { verb: 'list', kind: kind.kind, kindPlural: kind.kindPlural, namespace: 'all namespaces' },
          PORTAL_ACTOR,
        );
  return Object.assign(new UpstreamError('Kubernetes', failure.kind, failure.message, status), { statusCode: status });
}

/**
 * The WATCH half, made with node:http(s) and the connection's credentials (as `kubeRequest`
 * does), with bookmarks, a server-side timeout and a silence detector. `ListWatch` calls it with
 * the path and the resourceVersion to resume from.
 */
class PortalWatch extends Watch {
  constructor(
    private readonly connection: KubeConnection,
    private readonly watched: WatchedKind<unknown>,
    private readonly hooks: WatchHooks,
  ) {
    super(connection.kubeConfig);
  }

  override async watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: unknown, watchObj?: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController> {
    const controller = new AbortController();
    let finished = false;
    let silence: NodeJS.Timeout | undefined;
    // Ended by ListWatch itself (stop, or before the next attempt): it expects no callback then.
    controller.signal.addEventListener('abort', () => {
      finished = true;
      clearTimeout(silence);
    });
    const finish = (error: unknown) => {
      if (finished) return;
      finished = true;
      clearTimeout(silence);
      controller.abort();
      done(error);
    };
    const heard = (ms = WATCH_SILENCE_MS) => {
      clearTimeout(silence);
      silence = setTimeout(
        () =>
          finish(
            new UpstreamError(
              'Kubernetes',
              'timeout',
              ms === WATCH_SILENCE_MS
                ? `The ${this.watched.kindPlural} watch went silent`
                : `Kubernetes did not answer within ${formatDuration(ms)}`,
            ),
          ),
        ms,
      );
      silence.unref();
    };

    this.hooks.watching();
    try {
      const cluster = this.connection.kubeConfig.getCurrentCluster();
      if (!cluster) throw new Error('The Kubernetes kubeconfig has no current cluster');
      const server = new URL(cluster.server);
      const url = new URL(`${server.pathname.replace(/\/$/, '')}${path}`, server);
      for (const [key, value] of Object.entries(queryParams))
        if (value !== undefined && value !== '') url.searchParams.set(key, String(value));
      url.searchParams.set('watch', 'true');
      url.searchParams.set('allowWatchBookmarks', 'true');
      url.searchParams.set('timeoutSeconds', String(WATCH_TIMEOUT_SECONDS));
      const options: RequestOptions = {
        method: 'GET',
        headers: { accept: 'application/json', 'user-agent': 'ml-platform-portal (watch cache)' },
      };
      await this.connection.kubeConfig.applyToHTTPSOptions(options);
      if (finished) return controller;
      // Until the API server answers, the ordinary per-call time budget applies.
      heard(this.connection.timeoutMs);
      const request = (url.protocol === 'http:' ? httpRequest : httpsRequest)(
        url,
        { ...options, signal: controller.signal },
        (response) => {
          if (response.statusCode !== 200) {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () =>
              finish(watchError(response.statusCode ?? 0, Buffer.concat(chunks).toString('utf8'), this.watched)),
            );
            response.on('error', finish);
            return;
          }
          heard();
          this.hooks.opened();
          const lines = createInterface({ input: response, crlfDelay: Infinity });
          lines.on('error', finish); // readline re-emits the response's errors (e.g. "aborted")
          lines.on('line', (line) => {
            if (finished) return; // lines still buffered after the watch ended are not applied
            heard();
            let event: { type?: unknown; object?: unknown };
            try {
              event = JSON.parse(line) as typeof event;
            } catch {
              event = {};
            }
            if (typeof event.type !== 'string' || !event.object || typeof event.object !== 'object') {
              // Resumed from the last resourceVersion applied, the watch sends this event again.
              finish(
                new UpstreamError(
                  'Kubernetes',
                  'invalid-response',
                  `Kubernetes sent an unreadable ${this.watched.kindPlural} watch event`,
                ),
              );
              return;
            }
            keepOnlyRead(this.watched, event.object as KubernetesObject);
            callback(event.type, event.object, event);
          });
          response.on('error', finish);
          response.on('close', () => finish(null));
        },
      );
      request.on('error', (error) => finish(connectionError(error, server.host)));
      request.end();
    } catch (error) {
      finish(error);
    }
    return controller;
  }
}

/**
 * Drops, before an object is kept, what the portal never reads: every kind's managedFields (the
 * API server's field ownership, often larger than the rest of a pod), then the kind's own trim.
 */
function keepOnlyRead<T>(watched: WatchedKind<T>, object: KubernetesObject): void {
  if (object.metadata) delete object.metadata.managedFields;
  watched.trim?.(object);
}

function connectionError(error: Error, host: string): UpstreamError {
  const code = (error as NodeJS.ErrnoException).code;
  return new UpstreamError(
    'Kubernetes',
    'unreachable',
    `Kubernetes cannot be reached at ${host}${code ? ` (${code})` : ''}`,
    undefined,
    { cause: error },
  );
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}

const listSchema = z.looseObject({
  metadata: z.looseObject({ resourceVersion: z.string().optional(), continue: z.string().optional() }).optional(),
  items: z.array(z.looseObject({ metadata: z.looseObject({ name: z.string(), namespace: z.string().optional() }) })),
});

/** A watch cache of `watched`, not shared: `sharedWatchCache` is what the portal uses. */
export function createWatchCache<T>(
  watched: WatchedKind<T>,
  connection: KubeConnection,
  { listPageSize = LIST_PAGE_SIZE }: { listPageSize?: number } = {},
): WatchCache<T> {
  let state: CacheState = 'starting';
  const startedAt = new Date();
  let synced = false;
  let currentAt: Date | null = null;
  let lostAt: Date | null = null;
  let problem: string | null = null;
  let lastError: unknown = null;
  let lists = 0;
  let failures = 0;
  let retry: NodeJS.Timeout | undefined;
  const waiters = new Set<() => void>();
  const parsed = new WeakMap<object, T | null>();
  let invalid = 0;

  const notify = () => waiters.forEach((wake) => wake());

  const listConnection: KubeConnection = {
    ...connection,
    timeoutMs: Math.max(connection.timeoutMs, MIN_LIST_TIMEOUT_MS),
  };
  const list = async (): Promise<KubernetesListObject<KubernetesObject>> => {
    lists++;
    const items: KubernetesObject[] = [];
    let resourceVersion: string | undefined;
    let next: string | undefined;
    do {
      const answer = await kubeRequest(listConnection, PORTAL_ACTOR, {
        method: 'GET',
        path: collectionPath(watched),
        query: {
          labelSelector: watched.labelSelector,
          fieldSelector: watched.fieldSelector,
          limit: String(listPageSize),
          continue: next,
        },
        schema: listSchema,
        operation: { verb: 'list', kind: watched.kind, kindPlural: watched.kindPlural, namespace: 'all namespaces' },
      });
      for (const item of answer.items as KubernetesObject[]) {
        keepOnlyRead(watched, item);
        items.push(item);
      }
      // Every page of one LIST is of the same resourceVersion, the one the watch resumes from.
      resourceVersion = answer.metadata?.resourceVersion;
      next = answer.metadata?.continue || undefined;
    } while (next);
    return { metadata: { resourceVersion }, items };
  };

  let listed = false;
  const hooks: WatchHooks = {
    watching() {
      if (!listed) return;
      // Just listed: current, until the watch that follows fails.
      listed = false;
      synced = true;
      currentAt = new Date();
      state = 'live';
      problem = null;
      lostAt = null;
      notify();
    },
    opened() {
      failures = 0;
      state = 'live';
      problem = null;
      lostAt = null;
      notify();
    },
  };

  const informer = new ListWatch<KubernetesObject>(
    collectionPath(watched),
    new PortalWatch(connection, watched as WatchedKind<unknown>, hooks),
    async () => {
      const answer = await list();
      // ListWatch stores the items once this resolves, then opens the watch (hooks.watching).
      listed = true;
      return answer;
    },
    false,
    watched.labelSelector,
    watched.fieldSelector,
  );
  informer.on('change', notify);
  informer.on('error', (error: unknown) => {
    if (state === 'stopped') return;
    lastError = error;
    if (state === 'live') lostAt = new Date();
    state = synced ? 'reconnecting' : 'starting';
    problem = describe(error);
    failures++;
    const delay = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** Math.min(failures - 1, 5));
    clearTimeout(retry);
    retry = setTimeout(() => void informer.start().catch(() => undefined), delay);
    retry.unref();
    notify();
  });

  let started: Promise<void> | undefined;
  const ensureStarted = () => (started ??= informer.start().catch(() => undefined));

  /**
   * Until the first LIST: waits for it (up to `waitMs`), or for the attempt to fail. Once an
   * attempt has failed, reads fail at once with its reason while the cache keeps retrying behind
   * them, so a page of an unreachable cluster is not slowed down by every view.
   */
  const whenSynced = async (waitMs: number): Promise<void> => {
    void ensureStarted();
    if (synced) return;
    if (lastError === null) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          if (!synced && state !== 'stopped' && lastError === null) return;
          clearTimeout(timer);
          waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(wake);
          resolve();
        }, waitMs);
        waiters.add(wake);
      });
    }
    if (synced) return;
    if (isUpstreamError(lastError))
      throw new UpstreamError('Kubernetes', lastError.kind, lastError.message, lastError.status, { cause: lastError });
    if (lastError)
      throw new UpstreamError(
        'Kubernetes',
        'unreachable',
        `Kubernetes cannot be read: ${describe(lastError)}`,
        undefined,
        { cause: lastError },
      );
    throw new UpstreamError(
      'Kubernetes',
      'timeout',
      `Kubernetes has not sent the ${watched.kindPlural} within ${formatDuration(waitMs)}`,
    );
  };

  const valid = (raw: KubernetesObject): T | null => {
    const cached = parsed.get(raw);
    if (cached !== undefined) return cached;
    const result = watched.schema.safeParse(raw);
    if (!result.success) invalid++;
    const value = result.success ? result.data : null;
    parsed.set(raw, value);
    return value;
  };

  const freshness = (): Freshness =>
    state === 'live'
      ? { asOf: new Date().toISOString() }
      : {
          asOf: (lostAt ?? currentAt ?? new Date()).toISOString(),
          error: `Kubernetes data may be out of date: ${problem ?? 'the watch is reconnecting'}`,
        };

  return {
    kind: watched.kind,

    async read(namespace, waitMs = DEFAULT_SYNC_WAIT_MS) {
      await whenSynced(waitMs);
      const items = informer
        .list(namespace)
        .map(valid)
        .filter((item): item is NonNullable<typeof item> => item !== null) as T[];
      return { items, freshness: freshness() };
    },

    async get(namespace, name, waitMs = DEFAULT_SYNC_WAIT_MS) {
      await whenSynced(waitMs);
      const raw = informer.get(name, namespace);
      return raw ? valid(raw) : null;
    },

    async waitFor(namespace, name, predicate, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      try {
        await whenSynced(timeoutMs);
      } catch {
        return false;
      }
      const check = () => {
        const raw = informer.get(name, namespace);
        return predicate(raw ? valid(raw) : null);
      };
      if (check()) return true;
      return new Promise<boolean>((resolve) => {
        const wake = () => {
          if (!check()) return;
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(true);
        };
        const timer = setTimeout(
          () => {
            waiters.delete(wake);
            resolve(check());
          },
          Math.max(0, deadline - Date.now()),
        );
        waiters.add(wake);
      });
    },

    health() {
      return {
        kind: watched.kind,
        state,
        synced,
        currentAt: state === 'live' ? new Date() : (lostAt ?? currentAt),
        startedAt,
        problem: state === 'live' ? null : problem,
        lists,
        invalid,
      };
    },

    async stop() {
      state = 'stopped';
      clearTimeout(retry);
      await informer.stop();
      notify();
    },
  };
}

interface Registry {
  caches: Map<string, WatchCache<unknown>>;
}

function registry(): Registry {
  return processSingleton('kubernetes.watch-caches', (): Registry => ({ caches: new Map() }));
}

function keyOf(watched: WatchedKind<unknown>): string {
  return `${collectionPath(watched)}?labelSelector=${watched.labelSelector ?? ''}&fieldSelector=${watched.fieldSelector ?? ''}`;
}

/**
 * The process's one cache of `watched`, started on first use with the portal's own connection.
 * Throws when the Kubernetes connection is not configured (the message says which setting).
 */
export function sharedWatchCache<T>(watched: WatchedKind<T>, connection?: KubeConnection): WatchCache<T> {
  const { caches } = registry();
  const key = keyOf(watched as WatchedKind<unknown>);
  let cache = caches.get(key) as WatchCache<T> | undefined;
  if (!cache) {
    cache = createWatchCache(watched, connection ?? defaultKubeConnection());
    caches.set(key, cache as WatchCache<unknown>);
  }
  return cache;
}

/** The health of every shared cache started so far (for readiness, metrics and diagnostics). */
export function watchCacheHealth(): CacheHealth[] {
  return [...registry().caches.values()].map((cache) => cache.health());
}

/**
 * Starts the shared caches of `kinds` now rather than at their first read (the web server at
 * start, so that readiness can wait for them) and returns them. Throws like
 * `sharedWatchCache` when the Kubernetes connection is not configured.
 */
export function startSharedWatchCaches(kinds: readonly WatchedKind<unknown>[]): WatchCache<unknown>[] {
  return kinds.map((kind) => {
    const cache = sharedWatchCache(kind);
    // A read starts the watch; its answer (or its UpstreamError before the first LIST) is not needed here.
    void cache.read(undefined, 0).catch(() => undefined);
    return cache;
  });
}

/** Stops and forgets every shared cache (tests, shutdown). */
export async function stopSharedWatchCaches(): Promise<void> {
  const { caches } = registry();
  const all = [...caches.values()];
  caches.clear();
  await Promise.all(all.map((cache) => cache.stop()));
}
