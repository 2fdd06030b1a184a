/**
 * Answers shared across everyone asking the same, for reads that many viewers repeat (dashboards):
 *
 * - Single flight: identical asks while a read is under way wait for that one read.
 * - Fresh for the TTL. Up to `staleTtls` × TTL (4 by default) the previous answer is served at once
 *   and refreshed once in the background (a page never waits while an answer exists); older, the
 *   ask waits. With `staleTtls` 1 nothing older than the TTL is served.
 * - Failures are never kept: the next ask tries again. A failed background refresh leaves the
 *   previous answer in place until it is 4 × TTL old, served with the refresh's error
 *   (`freshness.error`, in the words `describeError` gives it) so that a page can say its data is
 *   out of date and why.
 * - Each answer carries the time its read was started (`freshness.asOf`), so pages can say how old it is.
 * - At most `maxEntries` answers are kept (expired ones dropped first, then the oldest).
 * - With `freshForReadTimes` (a factor), an answer whose read took long stays fresh for at least
 *   that many times as long, and is served while refreshing up to `staleTtls` times that: a
 *   read that takes 20 s is not repeated every 20 s (measured: Prometheus's fleet-wide serving
 *   query over 5,000 InferenceServices took 20 s, and was running all the time).
 * - With `jitter` (a fraction), each answer stays fresh for TTL × (1 + jitter × a random number in
 *   [0, 1)): answers read together (one per tenant) then expire apart, so their refreshes do not
 *   all land on the same moment.
 *
 * Answers are shared objects: treat them as read-only.
 */

import type { Freshness } from '../freshness';

export interface AnswerCacheOptions {
  /** How long an answer is fresh. */
  ttlMs: number;
  /** At most this many answers are kept. */
  maxEntries: number;
  /** Answers are served while refreshing until this many TTLs old (4); 1 serves nothing past the TTL. */
  staleTtls?: number;
  /** An answer is fresh for at least this many times as long as its read took (0: the TTL alone). */
  freshForReadTimes?: number;
  /** Spreads each answer's freshness by up to this fraction of the TTL (0). */
  jitter?: number;
  /** A failed refresh in words for people (default: the error's message). */
  describeError?: (error: unknown) => string;
  now?: () => number;
  random?: () => number;
}

interface Entry {
  /** When the query behind `value` was sent; undefined until the first answer. */
  at?: number;
  value?: unknown;
  /** How long `value` is fresh (the TTL, spread by the jitter, or longer for a slow read). */
  freshMs?: number;
  /** Until what age `value` is served (staleTtls × the TTL, or × the slow read's freshness). */
  servedMs?: number;
  flight?: Promise<SharedAnswer<unknown>>;
  /** Why the latest background refresh failed, in words; cleared by the next answer. */
  refreshError?: string;
}

/** An answer and how current it is. */
export interface SharedAnswer<T> {
  value: T;
  freshness: Freshness;
}

export type AnswerCache = <T>(key: string, fetch: () => Promise<T>) => Promise<SharedAnswer<T>>;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The `freshForReadTimes` the dashboards' shared answers use: a read that took 20 s is fresh for a minute. */
export const SLOW_READ_FRESH_TIMES = 3;

export function answerCache(options: AnswerCacheOptions): AnswerCache {
  const {
    ttlMs,
    maxEntries,
    staleTtls = 4,
    jitter = 0,
    freshForReadTimes = 0,
    describeError = messageOf,
    now = Date.now,
    random = Math.random,
  } = options;
  const entries = new Map<string, Entry>();
  const servedFor = (entry: Entry) => entry.servedMs ?? staleTtls * ttlMs;

  /** Drops answers too old to serve, then the oldest, so at most `maxEntries` remain; queries under way stay. */
  function sweep(time: number) {
    for (const [key, entry] of entries) {
      if (!entry.flight && (entry.at === undefined || time - entry.at >= servedFor(entry))) entries.delete(key);
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
        const slowFreshMs = freshForReadTimes * (now() - sentAt);
        entry.flight = undefined;
        entry.value = value;
        entry.at = sentAt;
        entry.refreshError = undefined;
        entry.freshMs = Math.max(ttlMs * (1 + jitter * random()), slowFreshMs);
        entry.servedMs = staleTtls * Math.max(ttlMs, slowFreshMs);
        return { value, freshness: { asOf: new Date(sentAt).toISOString() } };
      },
      (error: unknown) => {
        entry.flight = undefined;
        if (entry.at === undefined && entries.get(key) === entry) entries.delete(key);
        else entry.refreshError = describeError(error);
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
    if (age < servedFor(entry)) {
      // The old answer stays if the refresh fails; the next ask tries again.
      const stale = age >= (entry.freshMs ?? ttlMs);
      if (stale && !entry.flight) fly(key, entry, fetch).catch(() => undefined);
      const freshness: Freshness = { asOf: new Date(entry.at!).toISOString() };
      if (stale && entry.refreshError !== undefined) freshness.error = entry.refreshError;
      return Promise.resolve({ value: entry.value as T, freshness });
    }
    return (entry.flight ?? fly(key, entry, fetch)) as Promise<SharedAnswer<T>>;
  };
}
