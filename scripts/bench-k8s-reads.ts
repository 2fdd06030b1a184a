/**
 * `npm run bench:k8s-reads`: how many LIST calls the Kubernetes API server serves per 100 views
 * of a tenant's GPU page, read from the API server's own `apiserver_request_total` metric.
 *
 * Runs the real portal as the browser tests do (stack/demo.ts on port 3100 with its own
 * database), signs alice in through the identity provider in Chromium, views /t/fraud/gpu once
 * (the first view starts the portal's watch caches: one LIST per watched kind), then views it
 * BENCH_VIEWS (100) more times, each until its GPU pods table has rendered — and every tenth time
 * also asks its live route, as the open page does every 10 s (another bundle of the server: it
 * must find the same caches) — counting the API server's LISTs before and after: every LIST,
 * from any client, so background LISTs of other components count against the portal too.
 * Last line: `list_calls_per_100_views=<n>` (goal: at most 1).
 */
import { request as httpsRequest, type RequestOptions } from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { stackContext } from '../stack/lib/context';
import { readSeededModels } from '../stack/seed/mlflow';
import { signedInPage, startPortal } from './bench-support';

const VIEWS = Number(process.env.BENCH_VIEWS ?? 100);
const TENANT = 'fraud';
const DATABASE = 'portal_bench_k8s';

const ctx = stackContext();

/** LIST requests the API server has served so far, per resource (`apiserver_request_total{verb="LIST"}`). */
async function listCalls(kubeConfig: KubeConfig): Promise<Map<string, number>> {
  const options: RequestOptions = {};
  await kubeConfig.applyToHTTPSOptions(options);
  const text = await new Promise<string>((resolve, reject) => {
    const req = httpsRequest(`${kubeConfig.getCurrentCluster()!.server}/metrics`, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        res.statusCode === 200
          ? resolve(Buffer.concat(chunks).toString('utf8'))
          : reject(new Error(`the API server answered ${res.statusCode} for /metrics`)),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
  const counts = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('apiserver_request_total{') || !line.includes('verb="LIST"')) continue;
    const resource = /resource="([^"]*)"/.exec(line)?.[1] ?? '?';
    const subresource = /subresource="([^"]*)"/.exec(line)?.[1];
    const key = subresource ? `${resource}/${subresource}` : resource;
    counts.set(key, (counts.get(key) ?? 0) + Number(line.slice(line.lastIndexOf(' ') + 1)));
  }
  return counts;
}

function delta(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  const result = new Map<string, number>();
  for (const [key, value] of after) {
    const d = value - (before.get(key) ?? 0);
    if (d > 0) result.set(key, d);
  }
  return result;
}

const total = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);
const describe = (counts: Map<string, number>) =>
  counts.size === 0
    ? 'none'
    : [...counts.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([resource, n]) => `${resource} ${n}`)
        .join(', ');

async function main() {
  if (!(await readSeededModels(ctx)))
    throw new Error('the local platform is not seeded: run `npm run stack -- up` and `npm run stack -- seed`');
  process.loadEnvFile(ctx.envFile);
  const adminConfig = new KubeConfig();
  adminConfig.loadFromFile(ctx.kubeconfig);
  await listCalls(adminConfig); // the API server's metrics are readable

  const { portal, ready } = startPortal(DATABASE);
  const durations: number[] = [];
  let warmup = new Map<string, number>();
  let measured = new Map<string, number>();
  try {
    await ready;
    const { browser, page } = await signedInPage('alice');

    const view = async () => {
      const started = performance.now();
      await page.goto(`/t/${TENANT}/gpu`);
      await page.getByTestId('gpu-pods').waitFor();
      return performance.now() - started;
    };

    const beforeWarmup = await listCalls(adminConfig);
    await view();
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const beforeViews = await listCalls(adminConfig);
    warmup = delta(beforeWarmup, beforeViews);

    for (let i = 1; i <= VIEWS; i++) {
      durations.push(await view());
      if (i % 10 === 0) {
        // Every ~5 s: the kept-alive connection may be closed by the server just then (Node's
        // 5 s keep-alive timeout); a reset before any answer is tried once more.
        const poll = () => page.request.get(`/t/${TENANT}/gpu/live`);
        const live = await poll().catch((error: unknown) =>
          String(error).includes('ECONNRESET') ? poll() : Promise.reject(error),
        );
        if (!live.ok()) throw new Error(`the live route answered ${live.status()}`);
      }
      if (i % 25 === 0) console.log(`views: ${i}`);
    }
    measured = delta(beforeViews, await listCalls(adminConfig));
    await browser.close();
  } finally {
    portal.kill('SIGTERM');
  }

  const sorted = durations.toSorted((a, b) => a - b);
  const median = Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0);
  console.log(`first view (starts the watch caches): ${total(warmup)} LISTs (${describe(warmup)})`);
  console.log(
    `${VIEWS} views: ${total(measured)} LISTs (${describe(measured)}); page load median ${median} ms, max ${Math.round(sorted.at(-1) ?? 0)} ms`,
  );
  console.log(`list_calls_per_100_views=${Math.round((total(measured) * 100) / VIEWS)}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench:k8s-reads failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
