/**
 * `npm run bench:timeline`: the server render time of a model's timeline with 20 versions and 200
 * events. In a throwaway portal database on the local platform's PostgreSQL (`portal_bench_timeline`,
 * created and migrated for the run and dropped after it: rollout history is append-only, so no
 * tenant holding some can be deleted) it creates a tenant whose model has
 * 20 promotion requests (each with 3 gates and an approval) and 20 rollouts (each a start and 4
 * automatic judgments) — 200 events (the rows are written directly, not through the services).
 *
 * What is timed, per render: the timeline page's loader (lib/model-story/service.ts `modelStory`:
 * the portal's records from PostgreSQL and MLflow read live — for the throwaway tenant MLflow
 * answers that it has no such model, as it would for a model deleted there), the filter and the
 * page, and React's server render of the timeline list (renderToString of
 * components/model-story/model-timeline.tsx). Not the page over HTTP (no session is needed this
 * way); the app shell around it is the same on every page. The seeded fraud model's timeline,
 * with its real MLflow versions and runs, is timed the same way for comparison.
 *
 * Last line: `timeline_p50_ms=<n> timeline_p95_ms=<n> events=<n>`. Goal: p95 under 300 ms.
 */
import { randomBytes } from 'node:crypto';
import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { ModelTimeline } from '../components/model-story/model-timeline';
import type { Principal } from '../lib/auth/authorize';
import { getDb } from '../lib/db/client';
import { migrate } from '../lib/db/migrator';
import { modelStory } from '../lib/model-story/service';
import { filterTimeline, timelinePage } from '../lib/model-story/timeline';
import pg from 'pg';
import { postgresUrl } from '../stack/components/postgres';
import { stackContext } from '../stack/lib/context';
import { loadStackEnv } from '../test/stack';

const RENDERS = Number(process.env.BENCH_RENDERS ?? 50);
const VERSIONS = 20;
const CHECKS_PER_ROLLOUT = 4;
const MODEL = 'bench-model';
const DATABASE = 'portal_bench_timeline';

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

const gate = (id: string, value: number, min: number) => ({
  id: `threshold:${id}`,
  kind: 'threshold',
  label: `${id} ≥ ${min}`,
  passed: value >= min,
  blocking: true,
  detail: `${id} is ${value}.`,
  values: { metric: id, value, min },
});

async function createStory(tenantId: string, tenant: string, approverId: string) {
  const db = getDb();
  const start = Date.now() - VERSIONS * 3_600_000;
  for (let v = 1; v <= VERSIONS; v++) {
    const filed = new Date(start + v * 3_600_000);
    const request = await db.promotionRequest.create({
      data: {
        tenantId,
        modelName: MODEL,
        version: String(v),
        runId: randomBytes(16).toString('hex'),
        storageUri: `s3://bench/${v}/model`,
        endpoint: 'bench-endpoint',
        requesterId: approverId,
        requesterName: 'bench-requester',
        notes: `Version ${v}`,
        modelCardUrl: 'https://wiki.example.com/bench',
        gates: [gate('holdout_auc', 0.86 + v / 1000, 0.85), gate('cv_f1_mean', 0.81, 0.8), gate('latency', 1, 0)],
        policy: {},
        requiredApprovals: 1,
        status: 'deployed',
        expiresAt: new Date(filed.getTime() + 72 * 3_600_000),
        createdAt: filed,
        decidedAt: new Date(filed.getTime() + 60_000),
      },
    });
    await db.approval.create({
      data: {
        requestId: request.id,
        approverId,
        approverName: 'bench-approver',
        decision: 'approve',
        comment: 'ok',
        standing: 'Counts.',
        createdAt: new Date(filed.getTime() + 60_000),
      },
    });
    const rollout = await db.rollout.create({
      data: {
        tenantId,
        endpoint: 'bench-endpoint',
        promotionRequestId: request.id,
        modelName: MODEL,
        version: String(v),
        storageUri: `s3://bench/${v}/model`,
        previousStorageUri: `s3://bench/${v - 1}/model`,
        previousVersion: v > 1 ? String(v - 1) : null,
        steps: [10, 25, 50, 100],
        currentPercent: 10,
        state: v === VERSIONS ? 'progressing' : 'superseded',
      },
    });
    await db.rolloutEvent.createMany({
      data: [
        {
          rolloutId: rollout.id,
          occurredAt: new Date(filed.getTime() + 120_000),
          kind: 'start',
          actor: 'bench-approver',
          decision: 'canary started',
          reason: `v${v} receives 10 % of traffic`,
          values: {
            canaryTrafficPercent: 10,
            storageUri: 's3://x',
            previousStorageUri: 's3://y',
            steps: [10, 25, 50, 100],
          },
        },
        ...Array.from({ length: CHECKS_PER_ROLLOUT }, (_, i) => ({
          rolloutId: rollout.id,
          occurredAt: new Date(filed.getTime() + 180_000 + i * 30_000),
          kind: 'check',
          actor: 'worker',
          decision: 'pass',
          reason: 'canary healthy',
          values: {
            check: 'pass',
            metrics: {
              canary: { revision: 'c', requests: 300, requestRate: 5, errorRate: 0.004, p50Ms: 40, p99Ms: 180 },
              stable: { revision: 's', requests: 2900, requestRate: 48, errorRate: 0.003, p50Ms: 38, p99Ms: 170 },
            },
            thresholds: { maxErrorRate: 0.02, maxP99Ms: 500, minRequests: 100 },
            percent: 10,
            checksAtStep: i + 1,
          },
        })),
      ],
    });
  }
}

async function timeRenders(principal: Principal, tenant: string, model: string) {
  const ms: number[] = [];
  let events = 0;
  let problem: string | null = null;
  for (let i = 0; i < RENDERS + 3; i++) {
    const started = performance.now();
    const story = await modelStory(principal, tenant, model);
    const page = timelinePage(filterTimeline(story.events, {}));
    const html = renderToString(
      createElement(ModelTimeline, { events: page.events, base: `/t/${tenant}/models/${model}/timeline`, filter: {} }),
    );
    const elapsed = performance.now() - started;
    if (html.length === 0) throw new Error('the timeline rendered nothing');
    // The first renders warm the database connections and the module code.
    if (i >= 3) ms.push(elapsed);
    events = story.events.length;
    problem = story.mlflowProblem;
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 0.5), p95: percentile(ms, 0.95), events, problem };
}

async function onServer(sql: string) {
  const client = new pg.Client({ connectionString: postgresUrl(ctx, 'postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

loadStackEnv();
const ctx = stackContext();
await onServer(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
await onServer(`CREATE DATABASE ${DATABASE}`);
const databaseUrl = postgresUrl(ctx, DATABASE);
await migrate(databaseUrl);
process.env.DATABASE_URL = databaseUrl;
const db = getDb();
// The seeded fraud model is timed too (MLflow's versions and runs; no portal records here).
await db.tenant.create({ data: { name: 'fraud', displayName: 'Fraud detection', status: 'active' } });
const tenantName = `bench-timeline-${randomBytes(3).toString('hex')}`;
const principal: Principal = { id: 'bench-timeline', platformRoles: ['platform-admin'], memberships: [] };
const tenant = await db.tenant.create({ data: { name: tenantName, displayName: 'Timeline bench', status: 'active' } });
const user = await db.user.create({ data: { subject: tenantName, username: tenantName } });
try {
  await createStory(tenant.id, tenantName, user.id);
  const bench = await timeRenders(principal, tenantName, MODEL);
  console.log(
    `${MODEL} in ${tenantName}: ${bench.events} events, ${RENDERS} renders: p50 ${bench.p50.toFixed(1)} ms, p95 ${bench.p95.toFixed(1)} ms (MLflow: ${bench.problem ?? 'answered'})`,
  );
  const fraud = await timeRenders(principal, 'fraud', 'fraud-detector').catch((error: unknown) => {
    console.log(`the seeded fraud-detector timeline could not be timed: ${String(error)}`);
    return null;
  });
  if (fraud)
    console.log(
      `fraud-detector (seeded, MLflow live): ${fraud.events} events: p50 ${fraud.p50.toFixed(1)} ms, p95 ${fraud.p95.toFixed(1)} ms (MLflow: ${fraud.problem ?? 'answered'})`,
    );
  console.log(`goal p95 < 300 ms: ${bench.p95 < 300 ? 'met' : 'NOT met'}`);
  console.log(
    `timeline_p50_ms=${Math.round(bench.p50)} timeline_p95_ms=${Math.round(bench.p95)} events=${bench.events}`,
  );
} finally {
  await db.$disconnect();
  await onServer(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
}
