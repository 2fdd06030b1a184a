/**
 * `npm run worker`: the portal's background worker (canary judgment, promotion expiry, finishing
 * interrupted deployments and rollout actions). Run as many as you like; one leads at a time.
 *
 * With WORKER_METRICS_PORT set it serves `/metrics` (Prometheus, behind METRICS_TOKEN like the
 * portal's: portal_worker_leader, portal_worker_judgment_duration_seconds, the watch caches' and
 * the process's) and `/health` on HOST (default 127.0.0.1).
 *
 * On SIGTERM (or SIGINT) — node is PID 1 in the image, so this is the only handler there is — it
 * starts no further tick, lets the one under way finish (at most WORKER_STOP_TIMEOUT_SECONDS,
 * default 20), releases the leader lock, closes its watches and database pool and exits 0.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { hostname } from 'node:os';
import { z } from 'zod';
import { getDb } from '../lib/db/client';
import { stopSharedWatchCaches } from '../lib/integrations/kubernetes/watch-cache';
import { log } from '../lib/observability/logger';
import { metrics } from '../lib/observability/metrics';
import { metricsAccess } from '../lib/observability/metrics-access';
import { startWorker } from '../lib/rollout/worker';

const envFile = process.env.PORTAL_ENV_FILE ?? '.data/stack/stack.env';
if (existsSync(envFile)) process.loadEnvFile(envFile);

const settings = z
  .object({
    DATABASE_URL: z.string().min(1, 'DATABASE_URL must point at the portal database'),
    ROLLOUT_CHECK_INTERVAL_SECONDS: z.coerce.number().positive().default(30),
    RESUME_DEPLOYMENTS_AFTER_SECONDS: z.coerce.number().positive().default(60),
    /** How long a rollback or promote may stay without a recorded outcome before the worker settles it. */
    RESUME_ROLLOUT_ACTIONS_AFTER_SECONDS: z.coerce.number().positive().default(15),
    WORKER_METRICS_PORT: z.coerce.number().int().min(1).max(65_535).optional(),
    WORKER_STOP_TIMEOUT_SECONDS: z.coerce.number().positive().default(20),
    HOST: z.string().min(1).default('127.0.0.1'),
  })
  .safeParse(process.env);
if (!settings.success) {
  console.error(
    `The worker's configuration is incomplete: ${settings.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
  );
  process.exit(1);
}
const config = settings.data;
const name = `${hostname()}:${process.pid}`;

/** /metrics and /health for Prometheus and a liveness probe; nothing else. */
function serveMetrics(port: number, host: string): Server {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || (path !== '/metrics' && path !== '/health')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    if (path === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok' }));
      return;
    }
    const access = metricsAccess(req.headers.authorization ?? null, process.env.METRICS_TOKEN);
    if (access !== 'allowed') {
      res
        .writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer realm="portal metrics"' })
        .end('The metrics need a bearer token (METRICS_TOKEN).');
      return;
    }
    const { registry } = metrics();
    registry.metrics().then(
      (text) => res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' }).end(text),
      (error: unknown) => {
        log.error('worker metrics could not be collected', { error });
        res.writeHead(500, { 'content-type': 'text/plain' }).end('The metrics could not be collected.');
      },
    );
  });
  server.listen(port, host, () => log.info('worker metrics listening', { url: `http://${host}:${port}/metrics` }));
  return server;
}

const worker = startWorker({
  databaseUrl: config.DATABASE_URL,
  intervalMs: config.ROLLOUT_CHECK_INTERVAL_SECONDS * 1000,
  resumeDeploymentsAfterMs: config.RESUME_DEPLOYMENTS_AFTER_SECONDS * 1000,
  resumeActionsAfterMs: config.RESUME_ROLLOUT_ACTIONS_AFTER_SECONDS * 1000,
  name,
});
const metricsServer = config.WORKER_METRICS_PORT ? serveMetrics(config.WORKER_METRICS_PORT, config.HOST) : undefined;
log.info('worker started', { worker: name, intervalSeconds: config.ROLLOUT_CHECK_INTERVAL_SECONDS });

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  const started = Date.now();
  log.info('worker stopping', { worker: name, signal });
  await worker.stop(config.WORKER_STOP_TIMEOUT_SECONDS * 1000);
  await stopSharedWatchCaches().catch((error: unknown) => log.error('could not close the watches', { error }));
  await getDb()
    .$disconnect()
    .catch((error: unknown) => log.error('could not close the database pool', { error }));
  metricsServer?.closeAllConnections();
  await new Promise((resolve) => (metricsServer ? metricsServer.close(resolve) : resolve(undefined)));
  log.info('worker stopped', { worker: name, signal, ms: Date.now() - started });
  process.exit(0);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void stop(signal));
