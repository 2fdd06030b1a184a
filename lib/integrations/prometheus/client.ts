/**
 * Prometheus' HTTP API (`/api/v1/query`, `/api/v1/query_range`): answers validated, sample values
 * as numbers (NaN stays NaN, +Inf/-Inf become ±Infinity — callers decide what an empty quantile
 * means), a timeout that Prometheus is told too, retries for reads, and messages people can act on.
 */
import { z } from 'zod';
import { integrationConfig } from '../config';
import { httpJson, UpstreamError, type UpstreamErrorKind } from '../upstream';

export interface PrometheusConnection {
  url: string;
  timeoutMs: number;
}

export function defaultPrometheusConnection(): PrometheusConnection {
  const config = integrationConfig('prometheus');
  return { url: config.PROMETHEUS_URL, timeoutMs: config.PROMETHEUS_TIMEOUT_MS };
}

export type Labels = Record<string, string>;

export interface InstantSample {
  metric: Labels;
  /** Unix time in seconds, as Prometheus gives it. */
  time: number;
  value: number;
}

export interface RangeSeries {
  metric: Labels;
  points: { time: number; value: number }[];
}

export interface TimeRange {
  start: Date;
  end: Date;
  stepSeconds: number;
}

/** Prometheus writes sample values as strings, including "NaN", "+Inf" and "-Inf". */
export function parseSampleValue(text: string): number {
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN') return NaN;
  const value = Number(text);
  if (Number.isNaN(value) || text.trim() === '') throw new Error(`"${text}" is not a sample value`);
  return value;
}

const sampleSchema = z.tuple([z.number(), z.string()]).transform(([time, text], ctx) => {
  try {
    return { time, value: parseSampleValue(text) };
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
});

const labelsSchema = z.record(z.string(), z.string());

const answerSchema = z.object({
  status: z.literal('success'),
  data: z.discriminatedUnion('resultType', [
    z.object({
      resultType: z.literal('vector'),
      result: z.array(z.object({ metric: labelsSchema, value: sampleSchema })),
    }),
    z.object({
      resultType: z.literal('matrix'),
      result: z.array(z.object({ metric: labelsSchema, values: z.array(sampleSchema) })),
    }),
    z.object({ resultType: z.literal('scalar'), result: sampleSchema }),
    z.object({ resultType: z.literal('string'), result: z.tuple([z.number(), z.string()]) }),
  ]),
});

type Answer = z.output<typeof answerSchema>['data'];

const errorSchema = z.object({ errorType: z.string().optional(), error: z.string().optional() });

/** Prometheus answers a failed query with `{status: "error", errorType, error}`. Pure; exported for tests. */
export function describePrometheusFailure(status: number, body: string): { kind: UpstreamErrorKind; message: string } {
  let detail: z.output<typeof errorSchema> = {};
  try {
    detail = errorSchema.parse(JSON.parse(body));
  } catch {
    // not Prometheus' JSON (a proxy's page, say): the status says enough
  }
  if (status === 400 || status === 422)
    return { kind: 'rejected', message: `Prometheus rejected the query: ${detail.error ?? `HTTP ${status}`}` };
  if (detail.errorType === 'timeout')
    return { kind: 'timeout', message: `Prometheus gave up on the query: ${detail.error ?? 'timeout'}` };
  return {
    kind: 'rejected',
    message: `Prometheus could not run the query (${status}${detail.error ? `: ${detail.error}` : ''})`,
  };
}

function unixSeconds(date: Date): string {
  return (date.getTime() / 1000).toFixed(3);
}

export interface PrometheusApi {
  /** An instant query; a scalar answer is one sample without labels. */
  query(promql: string, time?: Date): Promise<InstantSample[]>;
  queryRange(promql: string, range: TimeRange): Promise<RangeSeries[]>;
}

export function prometheusApi(connection: PrometheusConnection = defaultPrometheusConnection()): PrometheusApi {
  async function call(path: string, params: Record<string, string>): Promise<Answer> {
    const url = new URL(path, connection.url.endsWith('/') ? connection.url : `${connection.url}/`);
    // Prometheus stops evaluating when the portal stops waiting. Durations as float seconds: its
    // duration syntax ("5s") takes whole numbers only.
    url.search = new URLSearchParams({ ...params, timeout: String(connection.timeoutMs / 1000) }).toString();
    const answer = await httpJson({
      system: 'Prometheus',
      url: url.toString(),
      schema: answerSchema,
      timeoutMs: connection.timeoutMs,
      describeError: describePrometheusFailure,
    });
    return answer.data;
  }

  return {
    async query(promql, time) {
      const data = await call('api/v1/query', { query: promql, ...(time ? { time: unixSeconds(time) } : {}) });
      if (data.resultType === 'vector') return data.result.map(({ metric, value }) => ({ metric, ...value }));
      if (data.resultType === 'scalar') return [{ metric: {}, ...data.result }];
      throw new UpstreamError(
        'Prometheus',
        'invalid-response',
        `Prometheus answered an instant query with a ${data.resultType}; use a range query for range vectors`,
      );
    },

    async queryRange(promql, range) {
      if (!(range.stepSeconds > 0) || range.end < range.start)
        throw new Error('A Prometheus range needs start <= end and a positive step');
      const data = await call('api/v1/query_range', {
        query: promql,
        start: unixSeconds(range.start),
        end: unixSeconds(range.end),
        step: String(range.stepSeconds),
      });
      if (data.resultType !== 'matrix')
        throw new UpstreamError(
          'Prometheus',
          'invalid-response',
          `Prometheus answered a range query with a ${data.resultType}`,
        );
      return data.result.map(({ metric, values }) => ({ metric, points: values }));
    },
  };
}

export function query(promql: string, time?: Date): Promise<InstantSample[]> {
  return prometheusApi().query(promql, time);
}

export function queryRange(promql: string, range: TimeRange): Promise<RangeSeries[]> {
  return prometheusApi().queryRange(promql, range);
}
