/**
 * Answers shared across everyone asking the same, for reads that many viewers repeat (dashboards):
 *
 * - Single flight: identical asks while a read is under way wait for that one read.
 * - Fresh for the TTL. Up to `staleTtls` × TTL (4 by default) the previous answer is served at once
 *   and refreshed once in the background (a page never waits while an answer exists); older, the
 *   ask waits. With `staleTtls` 1 nothing older than the TTL is served.
 * - Failures are never kept: the next ask tries again. A failed background refresh leaves the
 *   previous answer in place until it is 4 × TTL old, served with the refresh's error
 *   (`refreshError`) so that a page can say its data is out of date and why.
 * - Each answer carries the time its read was started (`at`), so pages can say how old it is.
 * - At most `maxEntries` answers are kept (expired ones dropped first, then the oldest).
 * - With `jitter` (a fraction), each answer stays fresh for TTL × (1 + jitter × a random number in
 *   [0, 1)): answers read together (one per tenant) then expire apart, so their refreshes do not
 *   all land on the same moment.
 *
 * Answers are shared objects: treat them as read-only.
 */

/** By default answers are served while refreshing until this many TTLs old. */
const STALE_TTLS = 4;

interface Entry {
  /** When the query behind `value` was sent; undefined until the first answer. */
  at?: number;
  value?: unknown;
  /** How long `value` is fresh (the TTL, spread by the jitter). */
  freshMs?: number;
  flight?: Promise<{ value: unknown; at: Date }>;
  /** Why the latest background refresh failed; cleared by the next answer. */
  refreshError?: unknown;
}

/** When an answer's read was sent and, for an answer served past its freshness because a refresh failed, that failure. */
export interface AnswerAge {
  at: Date;
  refreshError?: unknown;
}

export type SharedAnswer<T> = { value: T } & AnswerAge;

export type AnswerCache = <T>(key: string, fetch: () => Promise<T>) => Promise<SharedAnswer<T>>;

export function answerCache(ttlMs: number, maxEntries: number, now: () => number = Date.now, staleTtls = STALE_TTLS, jitter = 0, random: () => number = Math.random): AnswerCache {
  const entries = new Map<string, Entry>();

  /** Drops answers too old to serve, then the oldest, so at most `maxEntries` remain; queries under way stay. */
  function sweep(time: number) {
    for (const [key, entry] of entries) {
      if (!entry.flight && (entry.at === undefined || time - entry.at >= staleTtls * ttlMs)) entries.delete(key);
    }
    for (const [key, entry] of entries) {
      if (entries.size < maxEntries) break;
      if (!entry.flight) entries.delete(key);
    }
  }

  function fly(key: string, entry: Entry, fetch: () => Promise<unknown>) {
    const sentAt = now();
    const flight = new Promise((resolve) => resolve(fetch())).then(
      (value) => {
        entry.flight = undefined;
        entry.value = value;
        entry.at = sentAt;
        entry.refreshError = undefined;
        entry.freshMs = ttlMs * (1 + jitter * random());
        return { value, at: new Date(sentAt) };
      },
      (error: unknown) => {
        entry.flight = undefined;
        if (entry.at === undefined && entries.get(key) === entry) entries.delete(key);
        else entry.refreshError = error;
        throw error;
      },
    );
    entry.flight = flight;
    return flight;
  }

  return function ask<T>(key: string, fetch: () => Promise<T>): Promise<SharedAnswer<T>> {
    const time = now();
    let entry = entries.get(key);
    if (!entry) {
      sweep(time);
      entry = {};
      entries.set(key, entry);
    }
    const age = entry.at === undefined ? Infinity : time - entry.at;
    if (age < staleTtls * ttlMs) {
      // The old answer stays if the refresh fails; the next ask tries again.
      const stale = age >= (entry.freshMs ?? ttlMs);
      if (stale && !entry.flight) fly(key, entry, fetch).catch(() => undefined);
      const answer: SharedAnswer<T> = { value: entry.value as T, at: new Date(entry.at!) };
      if (stale && entry.refreshError !== undefined) answer.refreshError = entry.refreshError;
      return Promise.resolve(answer);
    }
    return (entry.flight ?? fly(key, entry, fetch)) as Promise<{ value: T; at: Date }>;
  };
}
