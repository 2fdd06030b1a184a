/**
 * `npm run bench:notify`: how long from an automatic rollback to its webhook delivery, at the
 * worker's default check interval (30 s), over a few rollbacks.
 *
 * Runs the real portal and worker as the browser tests do (stack/demo.ts on port 3100 with its own
 * fresh database), registers a pricing webhook pointing at a local receiver (test/webhook-receiver.ts,
 * checking every signature), and for each round puts pricing/price-elasticity into a canary the
 * portal follows and makes that canary fail at the simulator, so the worker judges it and rolls it
 * back by itself. Measured per round: from the moment the API server shows the canary at 0 % (a
 * Kubernetes watch) to the moment the receiver has the signed `rollout.rolled_back.automatic`
 * event. The demo's endpoints are restored afterwards. Last line: `rollback_to_webhook_ms_median=<n>`.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { loadSessionUser } from '../lib/auth/users';
import { getDb } from '../lib/db/client';
import { createWebhook } from '../lib/notifications/service';
import { stackContext } from '../stack/lib/context';
import { postgresUrl } from '../stack/components/postgres';
import { readSeededModels } from '../stack/seed/mlflow';
import { resetDemoState } from '../stack/seed/index';
import { startWebhookReceiver } from '../test/webhook-receiver';
import { assertBenchPortFree, startPortal, startSeededCanary, watchForRollback } from './bench-support';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const TENANT = 'pricing';
const ENDPOINT = 'price-elasticity';
const DATABASE = 'portal_bench_notify';
const KIND = 'rollout.rolled_back.automatic';
/** One check interval, the metrics' scrape and rate window, and the judgment: generous, as a bound. */
const ROUND_TIMEOUT_MS = 180_000;

const ctx = stackContext();

async function simulatorFault(method: 'POST' | 'DELETE') {
  const base = process.env.SIMULATOR_URL;
  if (!base) throw new Error('SIMULATOR_URL is not set: is the local platform up (`npm run stack -- up`)?');
  const response =
    method === 'POST'
      ? await fetch(`${base}/faults`, {
          method,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ namespace: TENANT, service: ENDPOINT, target: 'canary', errorRate: 1, latencyMs: 0 }),
        })
      : await fetch(`${base}/faults?namespace=${TENANT}&service=${ENDPOINT}`, { method });
  if (!response.ok) throw new Error(`the simulator refused the fault (${method}): HTTP ${response.status}`);
}

/** A tenant admin of pricing in the bench's own database (the demo's people include none). */
async function pricingAdmin(tenantId: string) {
  const user = await getDb().user.upsert({
    where: { subject: 'bench-notify-admin' },
    create: { subject: 'bench-notify-admin', username: 'bench-notify-admin', name: 'Notification bench' },
    update: {},
  });
  await getDb().membership.upsert({
    where: { userId_tenantId: { userId: user.id, tenantId } },
    create: { userId: user.id, tenantId, role: 'admin', source: 'idp', approverSince: new Date() },
    update: { role: 'admin' },
  });
  return (await loadSessionUser(user.id))!;
}

async function main() {
  await assertBenchPortFree();
  const seeded = (await readSeededModels(ctx))?.tenants.find((t) => t.tenant === TENANT);
  if (!seeded)
    throw new Error('the local platform is not seeded: run `npm run stack -- up` and `npm run stack -- seed`');
  process.loadEnvFile(ctx.envFile);
  // The receiver listens on 127.0.0.1, which a production portal refuses as a webhook address.
  process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS = 'true';

  const receiver = await startWebhookReceiver();
  const { portal, ready } = startPortal(DATABASE, {
    fresh: true,
    env: { ROLLOUT_CHECK_INTERVAL_SECONDS: '30', WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'true' },
  });
  const samples: number[] = [];
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(ctx.kubeconfig);
  try {
    await ready;
    process.env.DATABASE_URL = postgresUrl(ctx, DATABASE);
    const tenant = await getDb().tenant.findUniqueOrThrow({ where: { name: TENANT } });
    const { webhook, secret } = await createWebhook(await pricingAdmin(tenant.id), {
      tenant: TENANT,
      name: 'bench receiver',
      url: `${receiver.url}/bench`,
      kinds: [KIND],
    });
    receiver.secrets.set('/bench', secret);
    console.log(`webhook ${webhook.id} → ${webhook.url}; worker checking every 30 s (the default)`);

    for (let round = 1; round <= ROUNDS; round++) {
      const rollout = await startSeededCanary({ id: tenant.id, name: TENANT }, seeded, ENDPOINT, 20);
      const watch = watchForRollback(kubeConfig, TENANT, ENDPOINT);
      await simulatorFault('POST');
      try {
        const rolledBackAt = await Promise.race([
          watch.changed,
          new Promise<number>((_, reject) =>
            setTimeout(
              () => reject(new Error(`the worker did not roll back within ${ROUND_TIMEOUT_MS / 1000} s`)),
              ROUND_TIMEOUT_MS,
            ),
          ),
        ]);
        const delivered = await receiver.waitFor(
          `the automatic rollback of rollout ${rollout.id}`,
          (r) =>
            r.kind === KIND && (JSON.parse(r.body) as { data?: { rolloutId?: string } }).data?.rolloutId === rollout.id,
          30_000,
        );
        if (!delivered.signatureValid) throw new Error(`event ${delivered.eventId} arrived with a wrong signature`);
        const ms = delivered.at - rolledBackAt;
        samples.push(ms);
        console.log(`round ${round}: rolled back at the API server, webhook received ${ms} ms later`);
      } finally {
        watch.stop();
        await simulatorFault('DELETE');
      }
    }
  } finally {
    portal.kill('SIGTERM');
    await receiver.close();
    // pricing's canary as the seed left it, for the demo and the tests.
    await resetDemoState(ctx);
    await getDb()
      .$disconnect()
      .catch(() => {});
  }

  const sorted = samples.toSorted((a, b) => a - b);
  const median =
    sorted.length % 2
      ? sorted[(sorted.length - 1) / 2]!
      : Math.round((sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2);
  console.log(`rollbacks=${samples.length} min=${sorted[0]} max=${sorted.at(-1)} (goal: under 5000 ms each)`);
  console.log(`rollback_to_webhook_ms_median=${median}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench:notify failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
