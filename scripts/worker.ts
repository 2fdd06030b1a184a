/**
 * `npm run worker`: the portal's background worker (canary judgment, promotion expiry, finishing
 * interrupted deployments and rollout actions). Run as many as you like; one leads at a time.
 */
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { z } from 'zod';
import { log } from '../lib/observability/logger';
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
  })
  .safeParse(process.env);
if (!settings.success) {
  console.error(
    `The worker's configuration is incomplete: ${settings.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
  );
  process.exit(1);
}

const worker = startWorker({
  databaseUrl: settings.data.DATABASE_URL,
  intervalMs: settings.data.ROLLOUT_CHECK_INTERVAL_SECONDS * 1000,
  resumeDeploymentsAfterMs: settings.data.RESUME_DEPLOYMENTS_AFTER_SECONDS * 1000,
  resumeActionsAfterMs: settings.data.RESUME_ROLLOUT_ACTIONS_AFTER_SECONDS * 1000,
  name: `${hostname()}:${process.pid}`,
});
log.info('worker started', { intervalSeconds: settings.data.ROLLOUT_CHECK_INTERVAL_SECONDS });

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log.info('worker stopping', { signal });
    void worker.stop().then(() => process.exit(0));
  });
}
