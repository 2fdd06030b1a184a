/**
 * Prometheus answers shared across viewers, for the dashboards: a page watched by fifty people
 * costs Prometheus one query per TTL, not fifty.
 *
 * - Instant queries at "now" are keyed by their PromQL; range queries by PromQL and range, the
 *   range aligned to its step (start and end rounded down to a multiple of it) and queried so, so
 *   that viewers opening the same range a few seconds apart share one answer.
 * - Shared as lib/cache/answer-cache.ts shares answers: single flight, fresh for the TTL
 *   (PROMETHEUS_SHARE_TTL_SECONDS, 20 s by default), then served while one refresh runs up to
 *   4 × TTL; failures never kept; each answer with the time its query was sent. A query that
 *   took long is fresh for at least SLOW_READ_FRESH_TIMES its duration (a fleet-wide query that
 *   takes 20 s is not sent again every 20 s).
 *
 * Instant queries at an explicit time pass straight through. Every query actually sent counts in
 * `portal_prometheus_queries_total`. The rollout worker judges on fresh data and must not use this.
 */
import { z } from 'zod';
import { metrics } from '../../observability/metrics';
import { answerCache, SLOW_READ_FRESH_TIMES } from '../../cache/answer-cache';
import type { Freshness } from '../../freshness';
import { processSingleton } from '../../process-singleton';
import { failureMessage } from '../upstream';
import {
  defaultPrometheusConnection,
  prometheusApi,
  type InstantSample,
  type PrometheusApi,
  type RangeSeries,
  type TimeRange,
} from './client';

export interface SharedPrometheusApi extends PrometheusApi {
  /** An instant query at "now" and when it was sent (up to 4 × TTL ago). */
  queryAnswer(promql: string): Promise<{ samples: InstantSample[]; freshness: Freshness }>;
  /** A range query over `range` aligned to its step, and when it was sent. */
  queryRangeAnswer(promql: string, range: TimeRange): Promise<{ series: RangeSeries[]; freshness: Freshness }>;
}

export interface ShareOptions {
  ttlMs?: number;
  /**
   * Each query may take at least this long (the connection's timeout if longer): for fleet-wide
   * queries, refreshed in the background for every viewer, which nobody waits for once answered.
   */
  timeoutMs?: number;
  /** Answers kept at most (expired ones are dropped first). */
  maxEntries?: number;
  /** The clock, in milliseconds; tests pass their own. */
  now?: () => number;
}

const DEFAULT_MAX_ENTRIES = 500;

/** PROMETHEUS_SHARE_TTL_SECONDS in milliseconds (20 s when unset; 0 leaves only single flight). */
export function shareTtlMs(env: string | undefined = process.env.PROMETHEUS_SHARE_TTL_SECONDS): number {
  const parsed = z.coerce
    .number()
    .min(0)
    .max(3600)
    .safeParse(env?.trim() || 20);
  if (!parsed.success)
    throw new Error(`PROMETHEUS_SHARE_TTL_SECONDS must be a number of seconds from 0 to 3600, not "${env}"`);
  return parsed.data * 1000;
}

/** The range with start and end rounded down to a multiple of its step. */
export function alignRange({ start, end, stepSeconds }: TimeRange): TimeRange {
  const stepMs = stepSeconds * 1000;
  if (!(stepMs > 0)) throw new Error('A Prometheus range needs a positive step');
  const down = (date: Date) => new Date(Math.floor(date.getTime() / stepMs) * stepMs);
  return { start: down(start), end: down(end), stepSeconds };
}

/**
 * Answers shared across everyone using the result. Without `upstream`: the process-wide one for
 * the configured Prometheus.
 * With `upstream`: a cache of its own over that client, with `options`.
 */
export function sharedPrometheus(upstream?: PrometheusApi, options: ShareOptions = {}): SharedPrometheusApi {
  if (upstream) return createShared(upstream, options);
  const configured = defaultPrometheusConnection();
  const connection = { ...configured, timeoutMs: Math.max(configured.timeoutMs, options.timeoutMs ?? 0) };
  const caches = processSingleton('prometheus.shared-answers', () => new Map<string, SharedPrometheusApi>());
  const ttlMs = options.ttlMs ?? shareTtlMs();
  const key = `${connection.url} ${connection.timeoutMs} ${ttlMs}`;
  let shared = caches.get(key);
  if (!shared) {
    shared = createShared(prometheusApi(connection), { ...options, ttlMs });
    caches.set(key, shared);
  }
  return shared;
}

/**
 * For answers that move slowly — SLO counts over windows of 5 minutes to 28 days, GPU means over
 * 10 minutes: shared four times as long (burn-rate alerts are commonly evaluated once a minute).
 */
export function slowlySharedPrometheus(): SharedPrometheusApi {
  return sharedPrometheus(undefined, { ttlMs: 4 * shareTtlMs() });
}

function createShared(
  upstream: PrometheusApi,
  { ttlMs = shareTtlMs(), maxEntries = DEFAULT_MAX_ENTRIES, now = Date.now }: ShareOptions,
): SharedPrometheusApi {
  const ask = answerCache({
    ttlMs,
    maxEntries,
    now,
    freshForReadTimes: SLOW_READ_FRESH_TIMES,
    describeError: (error) => failureMessage('Prometheus', error),
  });
  const counted =
    <T>(type: 'instant' | 'range', send: () => Promise<T>) =>
    () => {
      metrics().prometheusQueries.inc({ type });
      return send();
    };

  async function queryAnswer(promql: string) {
    const { value, freshness } = await ask(
      `instant\u0000${promql}`,
      counted('instant', () => upstream.query(promql)),
    );
    return { samples: value, freshness };
  }

  async function queryRangeAnswer(promql: string, range: TimeRange) {
    const aligned = alignRange(range);
    const key = `range\u0000${aligned.start.getTime()}\u0000${aligned.end.getTime()}\u0000${aligned.stepSeconds}\u0000${promql}`;
    const { value, freshness } = await ask(
      key,
      counted('range', () => upstream.queryRange(promql, aligned)),
    );
    return { series: value, freshness };
  }

  return {
    queryAnswer,
    queryRangeAnswer,
    async query(promql, time) {
      if (time) return counted('instant', () => upstream.query(promql, time))();
      return (await queryAnswer(promql)).samples;
    },
    async queryRange(promql, range) {
      return (await queryRangeAnswer(promql, range)).series;
    },
  };
}

function isShared(api: PrometheusApi): api is SharedPrometheusApi {
  return 'queryAnswer' in api && 'queryRangeAnswer' in api;
}

/** An instant query at "now" with the time of its answer: the shared answer's, or now for a plain client. */
export async function instantAnswer(
  api: PrometheusApi,
  promql: string,
): Promise<{ samples: InstantSample[]; freshness: Freshness }> {
  if (isShared(api)) return api.queryAnswer(promql);
  const asOf = new Date().toISOString();
  return { samples: await api.query(promql), freshness: { asOf } };
}

/** A range query over `range` aligned to its step, with the time of its answer. */
export async function rangeAnswer(
  api: PrometheusApi,
  promql: string,
  range: TimeRange,
): Promise<{ series: RangeSeries[]; freshness: Freshness }> {
  if (isShared(api)) return api.queryRangeAnswer(promql, range);
  const asOf = new Date().toISOString();
  return { series: await api.queryRange(promql, alignRange(range)), freshness: { asOf } };
}
