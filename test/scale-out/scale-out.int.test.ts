/**
 * The portal scaled out on this machine (./harness.ts): three web processes and two workers with
 * their containers' environment, behind HAProxy as the Service stand-in (round-robin, no sticky
 * sessions), on the local platform's real PostgreSQL, IdP, API server and Prometheus.
 *
 * - a user signs in and works across replicas: every page answered signed in, by every replica;
 * - 20 rollback clicks at once (20 idempotency keys, as 20 people would) spread over the replicas
 *   make one rollback: one write of the InferenceService, one audit entry;
 * - the leading worker SIGKILLed in the middle of a canary: the other worker judges within one
 *   check interval plus the lock timeout; no check judged twice, none skipped (the rollout's events);
 * - a web replica SIGTERMed under load: every request sent through HAProxy is answered.
 *
 * The measured numbers are printed (`[scale-out] …`). Pricing's endpoint is put into its seeded
 * canary first and left that way afterwards.
 */
import { randomUUID } from 'node:crypto';
import { chromium, type Browser, type BrowserContext } from '@playwright/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoUser, serverActionId, submitSignIn } from '../../e2e/support';
import { getDb } from '../../lib/db/client';
import { migrate } from '../../lib/db/migrator';
import { inferenceServices, PORTAL_ACTOR } from '../../lib/integrations/kubernetes';
import { LEADER_LOCK_TIMEOUT_SECONDS } from '../../lib/rollout/worker';
import { followSeededCanary, seedDemo } from '../../stack/seed/portal';
import { restoreSeededCanary } from '../seeded-canary';
import { eventually, loadStackEnv, seededTenant } from '../stack';
import { leaderOf, PUBLIC_URL, startScaleOut, type Replica, type ScaleOut } from './harness';

loadStackEnv();

const TENANT = 'pricing';
const ENDPOINT = 'price-elasticity';
const DATABASE = 'portal_scaleout';
const CHECK_INTERVAL_SECONDS = 2;

const began = Date.now();
let scale: ScaleOut;
let browser: Browser;
let rolloutId = '';
const contexts: BrowserContext[] = [];

const say = (line: string) => console.log(`[scale-out] ${line}`);

beforeAll(async () => {
  const seeded = seededTenant(TENANT);
  await restoreSeededCanary(seeded, ENDPOINT);
  scale = await startScaleOut({
    database: DATABASE,
    checkIntervalSeconds: CHECK_INTERVAL_SECONDS,
    async prepare(databaseUrl) {
      process.env.DATABASE_URL = databaseUrl;
      await migrate(databaseUrl);
      await seedDemo();
      const tenant = await getDb().tenant.findUniqueOrThrow({ where: { name: TENANT } });
      const rollout = await getDb().$transaction((tx) =>
        followSeededCanary(tx, { id: tenant.id, name: TENANT }, seeded, {
          endpoint: ENDPOINT,
          percent: 20,
          actor: 'scale-out test',
        }),
      );
      rolloutId = rollout.id;
    },
  });
  say(
    `3 web processes, 2 workers and HAProxy up in ${((Date.now() - began) / 1000).toFixed(1)} s; containers' env from ${scale.envs.source}`,
  );
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}, 300_000);

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => undefined);
  await browser?.close();
  await scale?.stop();
  await restoreSeededCanary(seededTenant(TENANT), ENDPOINT);
  await getDb().$disconnect();
  say(`whole file: ${((Date.now() - began) / 1000).toFixed(1)} s`);
}, 180_000);

/** A browser session (its own cookies) signed in as `username` through the IdP, via HAProxy. */
async function signedIn(username: string): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: PUBLIC_URL });
  contexts.push(context);
  const page = await context.newPage();
  await submitSignIn(page, demoUser(username));
  await page.getByTestId('signed-in-user').waitFor({ timeout: 30_000 });
  expect(await page.getByTestId('signed-in-user').textContent()).toContain(demoUser(username).name);
  await page.close();
  return context;
}

const isLive = (r: Replica) => r.process.exitCode === null && r.process.signalCode === null;

async function judgmentEvents() {
  return getDb().rolloutEvent.findMany({
    where: { rolloutId, kind: { in: ['check', 'pause'] } },
    orderBy: { id: 'asc' },
    select: { id: true, kind: true, occurredAt: true, values: true },
  });
}

describe('the portal scaled out behind HAProxy', () => {
  it('a user signs in and works across the replicas, without sticky sessions', async () => {
    const served: { path: string; by: string; status: number }[] = [];
    const context = await browser.newContext({ baseURL: PUBLIC_URL });
    contexts.push(context);
    context.on('response', (response) => {
      const by = response.headers()['x-served-by'];
      if (by && response.url().startsWith(PUBLIC_URL))
        served.push({ path: new URL(response.url()).pathname, by, status: response.status() });
    });
    const page = await context.newPage();
    await submitSignIn(page, demoUser('erin'));
    await page.getByTestId('signed-in-user').waitFor({ timeout: 30_000 });
    const signInBy = served.filter((s) => s.path.startsWith('/api/auth/')).map((s) => `${s.path} → ${s.by}`);

    const pages = [
      '/',
      `/t/${TENANT}/deployments`,
      `/t/${TENANT}/deployments/${ENDPOINT}`,
      '/ops',
      `/t/${TENANT}/gpu`,
      `/t/${TENANT}/models`,
      `/t/${TENANT}/deployments`,
      '/ops',
      `/t/${TENANT}/pipelines`,
    ];
    const pagesBy: string[] = [];
    for (const path of pages) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(200);
      expect(new URL(page.url()).pathname, `${path} kept the session`).toBe(path);
      expect(await page.getByTestId('signed-in-user').textContent(), path).toContain(demoUser('erin').name);
      pagesBy.push(response!.headers()['x-served-by']!);
    }
    const replicas = new Set(served.map((s) => s.by));
    const counts = Object.fromEntries([...replicas].sort().map((r) => [r, served.filter((s) => s.by === r).length]));
    say(`sign-in: ${signInBy.join(', ')}`);
    say(
      `pages signed in, served by: ${pagesBy.join(', ')}; all of the session's ${served.length} requests: ${JSON.stringify(counts)}`,
    );
    expect([...replicas].sort()).toEqual(['web-1', 'web-2', 'web-3']);
    expect(new Set(pagesBy).size, 'the signed-in pages came from more than one replica').toBeGreaterThan(1);
  }, 120_000);

  it('hands judgment to the other worker within one check interval plus the lock timeout when the leader is SIGKILLed', async () => {
    const leader = await eventually(
      'a worker to lead',
      30_000,
      async () => {
        const found = await leaderOf(scale.workers);
        return { done: found !== null, value: found };
      },
      200,
    );
    const other = scale.workers.find((w) => w !== leader)!;
    // The canary is being judged: a few judgments by the leader first.
    const before = await eventually(
      'the leader to judge the canary twice',
      60_000,
      async () => {
        const events = await judgmentEvents();
        return { done: events.length >= 2, value: events };
      },
      200,
    );
    // In the middle of an interval: half of one after the latest judgment.
    const last = before.at(-1)!.occurredAt.getTime();
    await new Promise((resolve) =>
      setTimeout(resolve, Math.max(0, last + (CHECK_INTERVAL_SECONDS * 1000) / 2 - Date.now())),
    );
    const killedAt = Date.now();
    leader!.process.kill('SIGKILL');
    await leader!.exited;

    const bound = CHECK_INTERVAL_SECONDS + LEADER_LOCK_TIMEOUT_SECONDS;
    const firstAfter = await eventually(
      'a judgment by the other worker',
      (bound + 30) * 1000,
      async () => {
        const events = (await judgmentEvents()).filter((e) => e.occurredAt.getTime() > killedAt);
        return { done: events.length > 0, value: events[0] };
      },
      100,
    );
    const failoverSeconds = (firstAfter!.occurredAt.getTime() - killedAt) / 1000;
    expect(await leaderOf(scale.workers)).toBe(other);
    const leadsLine = scale.logLines(other).find((l) => l.msg === 'worker is the leader');
    const tookLockSeconds = leadsLine ? (Date.parse(String(leadsLine.time)) - killedAt) / 1000 : NaN;

    // Judgment goes on: three more after the first.
    await eventually(
      'three more judgments',
      60_000,
      async () => {
        const events = (await judgmentEvents()).filter((e) => e.occurredAt.getTime() > killedAt);
        return { done: events.length >= 4, value: events.length };
      },
      200,
    );
    const events = await judgmentEvents();
    const checks = events
      .filter((e) => e.kind === 'check')
      .map((e) => (e.values as { checksAtStep?: number }).checksAtStep);
    const gaps = events.slice(1).map((e, i) => (e.occurredAt.getTime() - events[i]!.occurredAt.getTime()) / 1000);
    say(
      `leader ${leader!.name} SIGKILLed ${((killedAt - last) / 1000).toFixed(2)} s after its last judgment; ${other.name} took the lock after ${tookLockSeconds.toFixed(2)} s and judged after ${failoverSeconds.toFixed(2)} s (failover; bound ${CHECK_INTERVAL_SECONDS} s interval + ${LEADER_LOCK_TIMEOUT_SECONDS} s lock timeout)`,
    );
    say(
      `judgments: ${events.map((e) => e.kind).join(' ')}; checks numbered ${checks.join(',')}; gaps ${gaps.map((g) => g.toFixed(1)).join(' ')} s`,
    );
    expect(failoverSeconds).toBeLessThanOrEqual(bound);
    // Each check counts the ones before it at this step: a check judged twice would repeat a
    // number, one skipped would leave a gap.
    expect(checks).toEqual(checks.map((_, i) => i + 1));
    // No tick judged twice (two leaders at once would judge within milliseconds of each other).
    expect(Math.min(...gaps)).toBeGreaterThan(CHECK_INTERVAL_SECONDS / 4);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(bound + CHECK_INTERVAL_SECONDS);
  }, 180_000);

  it('20 rollback clicks at once over the replicas give one rollback: one cluster write, one audit entry', async () => {
    const sessions = [await signedIn('erin'), await signedIn('frank'), await signedIn('erin'), await signedIn('frank')];
    const api = inferenceServices(TENANT, PORTAL_ACTOR);
    const before = (await api.get(ENDPOINT))!;
    expect(before.spec.predictor.canaryTrafficPercent, 'the canary is live').toBe(20);

    const actionId = serverActionId('rollbackDeploymentAction');
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        sessions[i % sessions.length]!.request.post(`/t/${TENANT}/deployments/${ENDPOINT}`, {
          headers: {
            'Next-Action': actionId,
            'Content-Type': 'text/plain;charset=UTF-8',
            Accept: 'text/x-component',
            Origin: PUBLIC_URL,
          },
          data: JSON.stringify([null, { tenant: TENANT, endpoint: ENDPOINT, rolloutId, idempotencyKey: randomUUID() }]),
        }),
      ),
    );
    const by = responses.map((r) => r.headers()['x-served-by']);
    const texts = await Promise.all(responses.map((r) => r.text()));
    // The action's own result in the RSC answer (the re-rendered page may follow it).
    const answers = texts.map((t) => {
      const result = /\{"ok":(true|false),"(?:message|error)":"((?:[^"\\]|\\.)*)"/.exec(t);
      const words = result?.[2] ?? '';
      if (result?.[1] !== 'true') return `other: ${words || t.slice(0, 200)}`;
      if (/^Rolled back /.test(words)) return 'rolled back';
      if (/still under way/.test(words)) return 'another rollback under way';
      if (/already rolled back/.test(words)) return 'already rolled back';
      return `other: ${words}`;
    });
    const tally = (values: string[]) =>
      Object.fromEntries([...new Set(values)].sort().map((v) => [v, values.filter((x) => x === v).length]));
    say(
      `20 rollbacks at once: served by ${JSON.stringify(tally(by as string[]))}; answers ${JSON.stringify(tally(answers))}`,
    );
    expect(responses.map((r) => r.status())).toEqual(Array(20).fill(200));
    expect(new Set(by).size, 'spread over every replica').toBe(3);
    expect(answers.filter((a) => a === 'rolled back')).toHaveLength(1);
    expect(answers.filter((a) => a.startsWith('other'))).toEqual([]);

    const after = (await api.get(ENDPOINT))!;
    expect(after.spec.predictor.canaryTrafficPercent).toBe(0);
    expect(after.spec.predictor.model?.storageUri).toBe(seededTenant(TENANT).champion.storageUri);
    // One write of the spec: the generation moved by one.
    expect(after.metadata.generation).toBe(before.metadata.generation! + 1);
    const db = getDb();
    const audit = await db.auditEvent.findMany({ where: { action: 'deployment.rollback', tenant: TENANT } });
    expect(audit.map((a) => a.outcome)).toEqual(['success']);
    const events = await db.rolloutEvent.findMany({
      where: { rolloutId, kind: { in: ['intent', 'rollback', 'failed'] } },
    });
    expect(events.map((e) => e.kind).sort()).toEqual(['intent', 'rollback']);
    expect((await db.rollout.findUniqueOrThrow({ where: { id: rolloutId } })).state).toBe('rolled_back');
  }, 120_000);

  it('a web replica SIGTERMed during requests loses none of them', async () => {
    const erin = contexts[0]!;
    const cookie = (await erin.cookies(PUBLIC_URL)).map((c) => `${c.name}=${c.value}`).join('; ');
    const paths = [`/t/${TENANT}/deployments`, '/api/health', `/t/${TENANT}/deployments/${ENDPOINT}`, '/ops'];
    let sent = 0;
    let answered = 0;
    const failures: string[] = [];
    let stopLoad = false;
    const hardStop = Date.now() + 60_000;
    const client = async (n: number) => {
      for (let i = n; !stopLoad && Date.now() < hardStop; i++) {
        const path = paths[i % paths.length]!;
        sent++;
        try {
          const response = await fetch(`${PUBLIC_URL}${path}`, { headers: { cookie }, redirect: 'manual' });
          await response.arrayBuffer();
          if (response.status === 200) answered++;
          else failures.push(`${path}: ${response.status} from ${response.headers.get('x-served-by')}`);
        } catch (error) {
          failures.push(`${path}: ${String(error)}`);
        }
      }
    };
    const victim = scale.webs[1]!;
    const load = Array.from({ length: 10 }, (_, n) => client(n));
    // Under load, with requests in flight at the victim (HAProxy's count of its sessions).
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await eventually(
      'requests in flight at the victim',
      20_000,
      async () => {
        const state = await scale.backendState();
        return { done: (state[victim.name]?.current ?? 0) > 0, value: state };
      },
      20,
    );
    const terminatedAt = Date.now();
    const sentBefore = sent;
    victim.process.kill('SIGTERM');
    const exit = await victim.exited;
    const exitSeconds = (Date.now() - terminatedAt) / 1000;
    // Load goes on a while on the two left.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    stopLoad = true;
    await Promise.all(load);

    const stopping = scale.logLines(victim).find((l) => l.msg === 'stopping: not ready, draining requests in flight');
    const stopped = scale.logLines(victim).find((l) => l.msg === 'stopped');
    const lost = sent - answered;
    say(
      `SIGTERM to ${victim.name} with ${String(stopping?.inFlight)} requests in flight: exited ${exit.code} after ${exitSeconds.toFixed(2)} s (drain and close ${String(stopped?.ms)} ms); requests sent ${sent} (${sentBefore} before the signal), answered OK ${answered}, lost ${lost}${failures.length ? `: ${failures.slice(0, 5).join('; ')}` : ''}`,
    );
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Number(stopping?.inFlight)).toBeGreaterThan(0);
    expect(lost).toBe(0);
    expect(failures).toEqual([]);
    expect(scale.webs.filter(isLive)).toHaveLength(2);
  }, 120_000);
});
