/**
 * `npm run demo` (after stack/demo.sh has installed and built what is missing): brings the local
 * platform up (building and seeding it the first time), then starts the portal against it.
 * Also the web server of the browser tests, on another port and with its own database
 * (PORTAL_PORT, PORTAL_DATABASE). Ctrl-C stops the portal; `npm run stack -- down` the platform.
 */
import './lib/project-node';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { getDb } from '../lib/db/client';
import { migrate } from '../lib/db/migrator';
import { up } from './cli';
import { ensureDatabase, postgresUrl } from './components/postgres';
import { stackContext } from './lib/context';
import { DEMO_USERS } from './oidc/users';
import { pipelineVersion, runPromotionPipeline, type PipelineRun } from './seed/pipeline-promotion';
import { seedModelHistory } from './seed/model-history';
import { seedDemo, seedRollouts } from './seed/portal';
import { resetDemoState, seedStack } from './seed/index';
import { readSeededModels } from './seed/mlflow';

const ctx = stackContext();
const portalPort = Number(process.env.PORTAL_PORT ?? 3000);
const database = process.env.PORTAL_DATABASE ?? 'portal';
const portalUrl = `http://127.0.0.1:${portalPort}`;
const started = Date.now();

function progress(message: string) {
  console.log(`[demo ${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${message}`);
}

/** DEMO_FRESH=1: the portal's database starts empty (the browser tests start this way). */
async function recreateDatabase(name: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresUrl(ctx, 'postgres') });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS "${name.replaceAll('"', '')}" WITH (FORCE)`);
  } finally {
    await client.end();
  }
}

async function waitForReady(url: string, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the portal exited with code ${child.exitCode} before it was ready`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the portal did not become ready at ${url} within ${timeoutMs / 1000} s`);
}

async function main() {
  progress(
    `Node.js ${process.version} (the portal and the worker run on it too); bringing the local platform up (npm run stack -- up)`,
  );
  await up(ctx);
  await seedStack(ctx);
  process.loadEnvFile(ctx.envFile);

  if (process.env.DEMO_FRESH === '1') {
    progress(`starting from an empty portal database "${database}" and the seeded endpoints (DEMO_FRESH=1)`);
    await recreateDatabase(database);
    await resetDemoState(ctx);
  }
  const databaseUrl = await ensureDatabase(ctx, database);
  process.env.DATABASE_URL = databaseUrl;
  progress('applying migrations');
  await migrate(databaseUrl);
  progress('seeding demo tenants and users');
  await seedDemo();
  const models = await readSeededModels(ctx);
  if (models) {
    await seedRollouts(models);
    // fraud's model: versions served, rolled back and never deployed, for its story and rollback to a version.
    await seedModelHistory(models);
  }

  // Everything of the demo is on this machine, so are the webhook receivers someone tries with it.
  process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS ??= 'true';
  progress('starting the portal');
  const portal = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      PORT: String(portalPort),
      PORTAL_URL: portalUrl,
      NEXTAUTH_URL: portalUrl,
      NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? randomBytes(32).toString('hex'),
      DATABASE_URL: databaseUrl,
      OIDC_DISPLAY_NAME: process.env.OIDC_DISPLAY_NAME ?? 'the demo identity provider',
    },
  });

  progress('starting the worker (canary judgment)');
  const worker = spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DATABASE_URL: databaseUrl },
  });

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    progress('stopping');
    await Promise.all(
      [portal, worker]
        .filter((child) => child.exitCode === null)
        .map((child) => {
          child.kill('SIGTERM');
          return new Promise((resolve) => child.once('exit', resolve));
        }),
    );
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  for (const [name, child] of [
    ['portal', portal],
    ['worker', worker],
  ] as const) {
    child.on('exit', (code) => {
      if (!stopping) {
        console.error(`the ${name} exited (code ${code})`);
        void stop(1);
      }
    });
  }

  await waitForReady(`${portalUrl}/api/ready`, portal);
  // The seeded pipeline's last step files a promotion request through the portal's REST API, so
  // it runs once the portal answers — and before the portal is announced ready (the browser tests
  // wait for that line), so that nobody sees the database change under them.
  let pipeline: PipelineRun | null = null;
  if (models) {
    progress('running the last step of the seeded pipeline: it files a promotion request through /api/v1');
    try {
      pipeline = await runPromotionPipeline(ctx, { portalUrl, database, version: pipelineVersion(models) });
    } catch (error) {
      console.error(`The seeded pipeline could not run: ${error instanceof Error ? error.message : String(error)}`);
      await stop(1);
    }
  }
  await getDb().$disconnect();
  const width = Math.max(...DEMO_USERS.map((u) => u.username.length));
  console.log(
    [
      '',
      `  The portal is ready: ${portalUrl}`,
      `  Identity provider:   ${process.env.OIDC_ISSUER}`,
      `  Local platform:      npm run stack -- status (kubeconfig ${ctx.kubeconfig})`,
      `  Worker:              judging canaries every ${process.env.ROLLOUT_CHECK_INTERVAL_SECONDS ?? 30} s`,
      ...(pipeline
        ? [
            `  Pipeline:            fraud/${pipeline.workflow} ${pipeline.phase === 'Failed' ? `failed: ${pipeline.message}` : `filed ${portalUrl}/t/fraud/promotions/${pipeline.requestId}`}`,
          ]
        : []),
      '',
      '  Demo users (username / password — role):',
      ...DEMO_USERS.map((u) => `    ${u.username.padEnd(width)} / ${u.password.padEnd(width + 5)} — ${u.description}`),
      '',
      '  Ctrl-C stops the portal; `npm run stack -- down` stops the platform.',
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  console.error(`The demo could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
