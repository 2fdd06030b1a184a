/**
 * Reads shared across viewers: a dashboard that many people keep open asks an upstream once per
 * `ttlMs` whoever is looking. Concurrent asks share one read; once an answer is older than the
 * TTL the next ask gets it at once while one refresh runs in the background (for up to
 * 4 × TTL — after that it waits for fresh data). Failures are never kept: the next ask tries again.
 */

interface Entry {
  value?: { data: unknown; at: Date };
  refreshing?: Promise<{ data: unknown; at: Date }>;
}

const STALE_FACTOR = 4;
const MAX_ENTRIES = 2_000;

const holder = globalThis as unknown as { __mlpSharedReads?: Map<string, Entry> };
function entries(): Map<string, Entry> {
  holder.__mlpSharedReads ??= new Map();
  return holder.__mlpSharedReads;
}

export interface SharedAnswer<T> {
  data: T;
  /** When the upstream answered. */
  at: Date;
}

export function sharedRead<T>(key: string, ttlMs: number, read: () => Promise<T>, now: () => number = Date.now): Promise<SharedAnswer<T>> {
  const map = entries();
  const entry: Entry = map.get(key) ?? {};
  map.set(key, entry);
  const age = entry.value ? now() - entry.value.at.getTime() : Infinity;

  const refresh = () => {
    entry.refreshing ??= read()
      .then((data) => {
        entry.value = { data, at: new Date(now()) };
        return entry.value;
      })
      .finally(() => {
        entry.refreshing = undefined;
      });
    return entry.refreshing;
  };

  if (age < ttlMs) return Promise.resolve(entry.value as SharedAnswer<T>);
  if (age < ttlMs * STALE_FACTOR) {
    // Keep answering from the last value; a failed background refresh is retried by a later ask.
    refresh().catch(() => undefined);
    return Promise.resolve(entry.value as SharedAnswer<T>);
  }
  if (map.size > MAX_ENTRIES) prune(map, ttlMs * STALE_FACTOR, now());
  return refresh() as Promise<SharedAnswer<T>>;
}

function prune(map: Map<string, Entry>, maxAgeMs: number, now: number): void {
  for (const [key, entry] of map) {
    if (!entry.refreshing && (!entry.value || now - entry.value.at.getTime() > maxAgeMs)) map.delete(key);
  }
}

/** Forgets every shared answer (tests, and after a change the next view must show at once). */
export function forgetSharedReads(prefix = ''): void {
  for (const key of entries().keys()) if (key.startsWith(prefix)) entries().delete(key);
}
