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
import { KubeConfig, Watch } from '@kubernetes/client-node';
import { getDb } from '../lib/db/client';
import { inferenceServices, PORTAL_ACTOR } from '../lib/integrations/kubernetes';
import { stackContext } from '../stack/lib/context';
import { postgresUrl } from '../stack/components/postgres';
import { readSeededModels } from '../stack/seed/mlflow';
import { seededCanaryAnnotations } from '../stack/seed/inference-services';
import { followSeededCanary } from '../stack/seed/portal';
import { signedInPage, startPortal } from './bench-support';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const TENANT = 'pricing';
const ENDPOINT = 'price-elasticity';
const DATABASE = 'portal_bench';

const ctx = stackContext();

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
      // A live canary the portal follows: the challenger at 20 % over the champion.
      await getDb().rollout.updateMany({
        where: { tenantId: tenant.id, endpoint: ENDPOINT, state: 'progressing' },
        data: { state: 'superseded' },
      });
      await inferenceServices(TENANT, PORTAL_ACTOR).update(ENDPOINT, (current) => ({
        ...current,
        // The challenger's evidence (the champion's as the previous), as the cluster's admission guard requires.
        metadata: {
          ...current.metadata,
          annotations: { ...current.metadata.annotations, ...seededCanaryAnnotations(TENANT, seeded) },
        },
        spec: {
          ...current.spec,
          predictor: {
            ...current.spec.predictor,
            canaryTrafficPercent: 20,
            model: { ...current.spec.predictor.model, storageUri: seeded.challenger.storageUri },
          },
        },
      }));
      await getDb().$transaction((tx) =>
        followSeededCanary(tx, { id: tenant.id, name: TENANT }, seeded, {
          endpoint: ENDPOINT,
          percent: 20,
          actor: 'bench',
        }),
      );

      await page.goto(`/t/${TENANT}/deployments/${ENDPOINT}`);
      await page.getByRole('button', { name: 'Rollback' }).click();
      const confirm = page.getByRole('button', { name: 'Roll back now' });
      await confirm.waitFor();
      const watch = watchForRollback(adminConfig);
      await new Promise((resolve) => setTimeout(resolve, 200)); // the watch is established
      const clicked = performance.now();
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
