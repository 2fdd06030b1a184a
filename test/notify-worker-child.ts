/**
 * A worker process for lib/notifications/notifications.int.test.ts (never imported by the product):
 * runs the real worker (leader election, tick, webhook delivery) on the parent's DATABASE_URL,
 * prints `leading` once it holds the leader lock, and runs until its parent SIGKILLs it — in the
 * middle of a webhook delivery the test's receiver holds open.
 *
 *   node --import tsx test/notify-worker-child.ts
 */
import { startWorker } from '../lib/rollout/worker';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is not set');
// A long tick interval: only the delivery loop matters here.
const worker = startWorker({
  databaseUrl: url,
  intervalMs: 3_600_000,
  resumeDeploymentsAfterMs: 3_600_000,
  name: 'child',
});
const announce = setInterval(() => {
  if (!worker.isLeader()) return;
  process.stdout.write('leading\n');
  clearInterval(announce);
}, 20);
