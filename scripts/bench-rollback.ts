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
import { spawn } from 'node:child_process';
import { KubeConfig, Watch } from '@kubernetes/client-node';
import { chromium } from '@playwright/test';
import { getDb } from '../lib/db/client';
import { inferenceServices, PORTAL_ACTOR } from '../lib/integrations/kubernetes';
import { stackContext } from '../stack/lib/context';
import { postgresUrl } from '../stack/components/postgres';
import { readSeededModels } from '../stack/seed/mlflow';
import { DEMO_USERS } from '../stack/oidc/users';
import { followSeededCanary } from '../stack/seed/portal';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const PORT = 3100;
const BASE = `http://127.0.0.1:${PORT}`;
const TENANT = 'pricing';
const ENDPOINT = 'price-elasticity';
const DATABASE = 'portal_bench';

const ctx = stackContext();

async function waitForPortal(timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ready = await fetch(`${BASE}/api/ready`, { signal: AbortSignal.timeout(2000) }).then((r) => r.ok, () => false);
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the portal did not become ready at ${BASE}`);
}

/** Resolves with the time the API server reports the canary at 0 %. */
function watchForRollback(kubeConfig: KubeConfig): { changed: Promise<number>; stop: () => void } {
  let abort: (() => void) | undefined;
  const changed = new Promise<number>((resolve, reject) => {
    new Watch(kubeConfig)
      .watch(
        `/apis/serving.kserve.io/v1beta1/namespaces/${TENANT}/inferenceservices`,
        { fieldSelector: `metadata.name=${ENDPOINT}` },
        (_type, object: { spec?: { predictor?: { canaryTrafficPercent?: number } } }) => {
          if (object.spec?.predictor?.canaryTrafficPercent === 0) resolve(performance.now());
        },
        (error) => (error ? reject(error as Error) : undefined),
      )
      .then((request) => (abort = () => request.abort()), reject);
  });
  return { changed, stop: () => abort?.() };
}

async function main() {
  const seeded = (await readSeededModels(ctx))?.tenants.find((t) => t.tenant === TENANT);
  if (!seeded) throw new Error('the local platform is not seeded: run `npm run stack -- up` and `npm run stack -- seed`');
  process.loadEnvFile(ctx.envFile);

  const portal = spawn(process.execPath, ['--import', 'tsx', 'stack/demo.ts'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PORTAL_PORT: String(PORT), PORTAL_DATABASE: DATABASE, DEMO_FRESH: '1', LOG_LEVEL: 'warn', ROLLOUT_CHECK_INTERVAL_SECONDS: '3600' },
  });
  const samples: number[] = [];
  try {
    await waitForPortal();
    process.env.DATABASE_URL = postgresUrl(ctx, DATABASE);
    const tenant = await getDb().tenant.findUniqueOrThrow({ where: { name: TENANT } });
    const adminConfig = new KubeConfig();
    adminConfig.loadFromFile(ctx.kubeconfig);

    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = await browser.newPage({ baseURL: BASE });
    const erin = DEMO_USERS.find((u) => u.username === 'erin')!;
    await page.goto('/signin');
    await page.getByRole('button', { name: /^Sign in with/ }).click();
    await page.getByLabel('Username').fill(erin.username);
    await page.getByLabel('Password').fill(erin.password);
    await page.getByRole('button', { name: /sign in/i }).click();
    await page.getByTestId('signed-in-user').waitFor();

    for (let round = 1; round <= ROUNDS; round++) {
      // A live canary the portal follows: the challenger at 20 % over the champion.
      await getDb().rollout.updateMany({ where: { tenantId: tenant.id, endpoint: ENDPOINT, state: 'progressing' }, data: { state: 'superseded' } });
      await inferenceServices(TENANT, PORTAL_ACTOR).update(ENDPOINT, (current) => ({
        ...current,
        spec: { ...current.spec, predictor: { ...current.spec.predictor, canaryTrafficPercent: 20, model: { ...current.spec.predictor.model, storageUri: seeded.challenger.storageUri } } },
      }));
      await getDb().$transaction((tx) => followSeededCanary(tx, { id: tenant.id, name: TENANT }, seeded, { endpoint: ENDPOINT, percent: 20, actor: 'bench' }));

      await page.goto(`/t/${TENANT}/deployments/${ENDPOINT}`);
      await page.getByRole('button', { name: 'Rollback' }).click();
      const confirm = page.getByRole('button', { name: 'Roll back now' });
      await confirm.waitFor();
      const watch = watchForRollback(adminConfig);
      await new Promise((resolve) => setTimeout(resolve, 200)); // the watch is established
      const clicked = performance.now();
      await confirm.click();
      const changedAt = await Promise.race([watch.changed, new Promise<number>((_, reject) => setTimeout(() => reject(new Error('no spec change within 10 s')), 10_000))]);
      watch.stop();
      const ms = Math.round(changedAt - clicked);
      samples.push(ms);
      console.log(`round ${String(round).padStart(2)}: ${ms} ms`);
    }
    await browser.close();
  } finally {
    portal.kill('SIGTERM');
    await getDb().$disconnect().catch(() => {});
  }

  const sorted = samples.toSorted((a, b) => a - b);
  const quantile = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : Math.round((sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2);
  console.log(`rollbacks=${samples.length} min=${sorted[0]} p95=${quantile(0.95)} max=${sorted.at(-1)} (goal: median under 1000 ms)`);
  console.log(`rollback_ms_median=${median}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench:rollback failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
