/**
 * The portal's process: starts an embedded PostgreSQL when DATABASE_URL is unset, applies
 * migrations, then serves Next.js — giving every request an id (x-request-id), a JSON log line
 * and a duration in /api/metrics. Stops the database with the portal.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import next from 'next';
import { resolveDatabase } from './lib/db/embedded';
import { migrate } from './lib/db/migrator';
import { log } from './lib/observability/logger';
import { metrics, routePattern } from './lib/observability/metrics';
import { REQUEST_ID_HEADER, requestContext } from './lib/observability/request-context';

// The local platform writes where its components are (`npm run stack -- up`); variables already
// set in the environment win, so a real installation simply sets them and has no such file.
const envFile = process.env.PORTAL_ENV_FILE ?? '.data/stack/stack.env';
if (existsSync(envFile)) process.loadEnvFile(envFile);

const dev = process.argv.includes('--dev');
const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 3000);

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

async function main(): Promise<void> {
  await prepareDatabase();
  const app = next({ dev, hostname: host, port });
  const handle = app.getRequestHandler();
  await app.prepare();
  const { httpRequestDuration } = metrics();

  const server = createServer((req, res) => {
    const incoming = req.headers[REQUEST_ID_HEADER];
    const requestId = typeof incoming === 'string' && VALID_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.headers[REQUEST_ID_HEADER] = requestId;
    res.setHeader(REQUEST_ID_HEADER, requestId);
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
    requestContext.run({ requestId }, () => {
      handle(req, res).catch((error: unknown) => {
        log.error('unhandled request error', { error });
        if (!res.headersSent) res.writeHead(500).end('Internal error');
      });
    });
  });

  server.listen(port, host, () => log.info('portal listening', { url: `http://${host}:${port}`, dev }));

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    server.close();
    server.closeAllConnections();
    await app.close?.().catch(() => {});
    await database?.stop().catch((error: unknown) => log.error('could not stop the embedded PostgreSQL', { error }));
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch(async (error: unknown) => {
  log.error('portal failed to start', { error });
  await database?.stop().catch(() => {});
  process.exit(1);
});
