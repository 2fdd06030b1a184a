/**
 * `npm run bench:rollback`: how long from an on-call engineer's Rollback click (the confirmation)
 * to the InferenceService's spec changing at the Kubernetes API server, over 20 rollbacks.
 *
 * Runs the real portal as the browser tests do (stack/demo.ts on port 3100 with its own fresh
 * database), signs erin in through the identity provider in Chromium, and for each round puts
 * pricing/price-elasticity into a canary the portal follows, clicks Rollback → "Roll back now",
 * and waits on a Kubernetes watch for the spec with canaryTrafficPercent 0. Last line:
 * `rollback_ms_median=<n>`.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { getDb } from '../lib/db/client';
import { stackContext } from '../stack/lib/context';
import { postgresUrl } from '../stack/components/postgres';
import { readSeededModels } from '../stack/seed/mlflow';
import { signedInPage, startPortal, startSeededCanary, watchForRollback } from './bench-support';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const TENANT = 'pricing';
const ENDPOINT = 'price-elasticity';
const DATABASE = 'portal_bench';

const ctx = stackContext();

async function main() {
  const seeded = (await readSeededModels(ctx))?.tenants.find((t) => t.tenant === TENANT);
  if (!seeded)
    throw new Error('the local platform is not seeded: run `npm run stack -- up` and `npm run stack -- seed`');
  process.loadEnvFile(ctx.envFile);

  const { portal, ready } = startPortal(DATABASE, { fresh: true });
  const samples: number[] = [];
  try {
    await ready;
    process.env.DATABASE_URL = postgresUrl(ctx, DATABASE);
    const tenant = await getDb().tenant.findUniqueOrThrow({ where: { name: TENANT } });
    const adminConfig = new KubeConfig();
    adminConfig.loadFromFile(ctx.kubeconfig);
    const { browser, page } = await signedInPage('erin');

    for (let round = 1; round <= ROUNDS; round++) {
      await startSeededCanary({ id: tenant.id, name: TENANT }, seeded, ENDPOINT, 20);

      await page.goto(`/t/${TENANT}/deployments/${ENDPOINT}`);
      await page.getByRole('button', { name: 'Rollback' }).click();
      const confirm = page.getByRole('button', { name: 'Roll back now' });
      await confirm.waitFor();
      const watch = watchForRollback(adminConfig, TENANT, ENDPOINT);
      await new Promise((resolve) => setTimeout(resolve, 200)); // the watch is established
      const clicked = Date.now();
      await confirm.click();
      const changedAt = await Promise.race([
        watch.changed,
        new Promise<number>((_, reject) => setTimeout(() => reject(new Error('no spec change within 10 s')), 10_000)),
      ]);
      watch.stop();
      const ms = Math.round(changedAt - clicked);
      samples.push(ms);
      console.log(`round ${String(round).padStart(2)}: ${ms} ms`);
    }
    await browser.close();
  } finally {
    portal.kill('SIGTERM');
    await getDb()
      .$disconnect()
      .catch(() => {});
  }

  const sorted = samples.toSorted((a, b) => a - b);
  const quantile = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const median =
    sorted.length % 2
      ? sorted[(sorted.length - 1) / 2]!
      : Math.round((sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2);
  console.log(
    `rollbacks=${samples.length} min=${sorted[0]} p95=${quantile(0.95)} max=${sorted.at(-1)} (goal: median under 1000 ms)`,
  );
  console.log(`rollback_ms_median=${median}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench:rollback failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
