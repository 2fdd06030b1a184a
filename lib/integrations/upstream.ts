import { z } from 'zod';
import { UserFacingError } from '../errors';
import { log } from '../observability/logger';
import { formatDuration } from '../format';

/**
 * What every adapter shares: one error type whose message a person can act on, a timeout on
 * every call, and retries with backoff for idempotent reads only (a write is never repeated
 * behind the caller's back).
 */

export type UpstreamSystem = 'Kubernetes' | 'MLflow' | 'Object storage' | 'Prometheus';

export type UpstreamErrorKind =
  'timeout' | 'unreachable' | 'not-found' | 'forbidden' | 'conflict' | 'invalid-response' | 'rejected';

/** Marks upstream errors for instanceof across copies of this module (see UpstreamError). */
const UPSTREAM_ERROR = Symbol.for('mlp.UpstreamError');

export class UpstreamError extends Error {
  readonly [UPSTREAM_ERROR] = true;

  /**
   * Next.js bundles each route with its own copy of this module, and answers shared across
   * viewers (globalThis caches) keep errors made by another route's copy: recognised by the mark.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === 'object' && value !== null && UPSTREAM_ERROR in value;
  }

  constructor(
    readonly system: UpstreamSystem,
    readonly kind: UpstreamErrorKind,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'UpstreamError';
  }
}

export function isUpstreamError(error: unknown, kind?: UpstreamErrorKind): error is UpstreamError {
  return error instanceof UpstreamError && (kind === undefined || error.kind === kind);
}

export interface RetryOptions {
  /** Attempts in all, including the first. */
  attempts: number;
  /** Delay before the second attempt; doubled each time, with jitter. */
  baseDelayMs: number;
}

export const READ_RETRY: RetryOptions = { attempts: 3, baseDelayMs: 150 };
export const NO_RETRY: RetryOptions = { attempts: 1, baseDelayMs: 0 };

/**
 * Worth another try: the upstream was unreachable or briefly failing (5xx, 429). A timeout is
 * not: the caller has already waited the whole budget, and a page must say "did not answer within
 * 5 s" after 5 s, not after three times that.
 */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof UpstreamError)) return false;
  if (error.kind === 'timeout') return false;
  if (error.kind === 'unreachable') return true;
  return error.status !== undefined && (error.status >= 500 || error.status === 429);
}

export async function withRetry<T>(retry: RetryOptions, attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (n >= retry.attempts || !isTransient(error)) throw error;
      const delay = retry.baseDelayMs * 2 ** (n - 1) * (0.75 + Math.random() * 0.5);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

export interface HttpRequest<S extends z.ZodType> {
  system: UpstreamSystem;
  url: string;
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  headers?: Record<string, string>;
  body?: unknown;
  /** Validates the JSON answer; a mismatch is an `invalid-response` error naming the system. */
  schema: S;
  timeoutMs: number;
  /** Defaults to READ_RETRY for GET and NO_RETRY otherwise. Pass READ_RETRY for POST reads (e.g. MLflow search). */
  retry?: RetryOptions;
  /** Turns an HTTP error answer into a message for people; return undefined for the default. */
  describeError?: (status: number, body: string) => { kind: UpstreamErrorKind; message: string } | undefined;
}

function defaultKind(status: number): UpstreamErrorKind {
  if (status === 404) return 'not-found';
  if (status === 401 || status === 403) return 'forbidden';
  if (status === 409) return 'conflict';
  return 'rejected';
}

/** One JSON call over HTTP with a timeout, optional retries and a validated answer. */
export async function httpJson<S extends z.ZodType>(request: HttpRequest<S>): Promise<z.output<S>> {
  const method = request.method ?? 'GET';
  const retry = request.retry ?? (method === 'GET' ? READ_RETRY : NO_RETRY);
  const where = new URL(request.url);
  return withRetry(retry, async () => {
    let response: Response;
    try {
      response = await fetch(request.url, {
        method,
        headers: {
          accept: 'application/json',
          ...(request.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...request.headers,
        },
        body: request.body !== undefined ? JSON.stringify(request.body) : undefined,
        signal: AbortSignal.timeout(request.timeoutMs),
        cache: 'no-store',
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw timedOut
        ? new UpstreamError(
            request.system,
            'timeout',
            `${request.system} did not answer within ${formatDuration(request.timeoutMs)}`,
            undefined,
            { cause: error },
          )
        : new UpstreamError(
            request.system,
            'unreachable',
            `${request.system} cannot be reached at ${where.host}`,
            undefined,
            { cause: error },
          );
    }
    const text = await response.text();
    if (!response.ok) {
      const described = request.describeError?.(response.status, text);
      throw new UpstreamError(
        request.system,
        described?.kind ?? defaultKind(response.status),
        described?.message ?? `${request.system} answered ${response.status} to ${method} ${where.pathname}`,
        response.status,
      );
    }
    let json: unknown;
    try {
      json = text === '' ? {} : JSON.parse(text);
    } catch (error) {
      throw new UpstreamError(
        request.system,
        'invalid-response',
        `${request.system} sent an answer that is not JSON (${where.pathname})`,
        response.status,
        { cause: error },
      );
    }
    const parsed = request.schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new UpstreamError(
        request.system,
        'invalid-response',
        `${request.system} sent an unexpected answer to ${where.pathname} (${issue?.path.join('.') || 'root'}: ${issue?.message})`,
        response.status,
      );
    }
    return parsed.data;
  });
}

// Configuration errors are written for people too.
const PEOPLE_FACING =
  /^The (kubernetes|prometheus|mlflow) connection is not configured|^The Prometheus query templates/i;

/**
 * A failure to read `what`, in words for people: an upstream's own message is written for them;
 * anything else is logged and summarised.
 */
export function failureMessage(what: string, error: unknown): string {
  if (error instanceof UpstreamError || error instanceof UserFacingError) return error.message;
  if (error instanceof Error && PEOPLE_FACING.test(error.message)) return error.message;
  log.error(`could not read ${what}`, { error });
  return `${what[0]!.toUpperCase()}${what.slice(1)} could not be read; the portal's log has the details.`;
}
