/**
 * `npm run bench:dashboards`: reading at scale — the operations dashboard (/ops), the SLO list (/slo)
 * and the platform health page (/platform/health) on a large platform, viewed by many people at once.
 *
 * 1. Seeds the large platform into the local stack (stack/seed/large-platform.ts: 50 tenants, 500
 *    InferenceServices, 5,000 pods, 2,000 workflows; `--tenants 500` ten times that), timing each phase.
 * 2. Runs the real portal as the other benchmarks do (stack/demo.ts on port 3100 with its own
 *    database; nothing else may listen there, so run it under `flock /tmp/e2e.lock`), signs the
 *    viewers in over plain HTTP — dave (manager) and, every fourth viewer, erin (on-call); both see
 *    every tenant through their platform roles, and both may read /platform/health (`health.read`
 *    is for platform admins, on-call and managers).
 *    It waits until the portal's watch caches have synced (their first LISTs) and says how long that took.
 * 3. Cold views: the portal's Prometheus query counter (`portal_prometheus_queries_total` in its
 *    /api/metrics, summed over labels) around the very first /ops view, then the first /slo view,
 *    then the first /platform/health view (its checks computed once, for all viewers) — what one
 *    view needs before any cache is warm.
 * 4. Load: BENCH_VIEWERS (20) viewers for BENCH_DURATION_SECONDS (60), each rotating over /ops,
 *    /slo and /platform/health, thinking BENCH_THINK_MS (3000, ±50 %) between views — people read
 *    a dashboard before they open the next (the pages themselves poll every 10–15 s); 0 makes it a
 *    closed loop — and after every fifth view fetching that page's live route once, as the open
 *    page polls it (/platform/health has no live route, so nothing then). A page view is one full
 *    GET of the server-rendered HTML, timed until its last byte; anything but a 200 is an error.
 * 5. Memory: the portal's resident memory (VmRSS of its server process in /proc) sampled every
 *    second from the moment it is ready until the load ends — after start, peak and at the end.
 * 6. Removes the large platform again (unless --keep), also when something failed.
 *
 * Flags: --seed-only (seed, report, remove unless --keep), --cleanup-only, --keep, --viewers N,
 * --duration S, --think-ms MS, --tenants N (1 to MAX_TENANTS; fewer for quick runs, 500 for ten
 * times the default platform).
 * Last line: `ops_p95_ms=<n> slo_p95_ms=<n> prom_queries_per_100_views=<n> health_p95_ms=<n>
 * html_kib=<n> rss_mib=<n>` (html_kib: the median /ops view's HTML; rss_mib: the portal's peak RSS).
 * Goals: p95 under 500 ms for each page; an /ops view under 300 KiB of HTML; Prometheus queries
 * per 100 views no more than one cold view needs (the mean over the three pages). Exits non-zero
 * when more than 1 % of the requests failed.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { migrate } from '../lib/db/migrator';
import { simulator } from '../stack/components/simulator';
import { ensureDatabase } from '../stack/components/postgres';
import { stackContext } from '../stack/lib/context';
import { readPid } from '../stack/lib/processes';
import { prometheusUrl } from '../stack/prometheus/config';
import {
  describeCensus,
  LARGE_PLATFORM,
  largePlatformCensus,
  removeLargePlatform,
  seedLargePlatform,
  type PhaseResult,
} from '../stack/seed/large-platform';
import { readSeededModels } from '../stack/seed/mlflow';
import { assertBenchPortFree, BENCH_BASE, signInOverHttp, startPortal, type HttpSession } from './bench-support';

const { values: flags } = parseArgs({
  options: {
    'seed-only': { type: 'boolean', default: false },
    'cleanup-only': { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    viewers: { type: 'string', default: process.env.BENCH_VIEWERS ?? '20' },
    duration: { type: 'string', default: process.env.BENCH_DURATION_SECONDS ?? '60' },
    'think-ms': { type: 'string', default: process.env.BENCH_THINK_MS ?? '3000' },
    tenants: { type: 'string', default: process.env.BENCH_TENANTS ?? String(LARGE_PLATFORM.tenants) },
  },
});

function positive(name: string, text: string, { zero = false } = {}): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < (zero ? 0 : 1))
    throw new Error(`--${name} must be a whole number${zero ? '' : ' above 0'}, not "${text}"`);
  return value;
}

const VIEWERS = positive('viewers', flags.viewers);
const DURATION_MS = positive('duration', flags.duration) * 1000;
const THINK_MS = positive('think-ms', flags['think-ms'], { zero: true });
/** Ten times the default platform was measured (500); the bench nodes' addresses run out past a few thousand. */
const MAX_TENANTS = 1000;
const SIZE = { ...LARGE_PLATFORM, tenants: positive('tenants', flags.tenants) };
if (SIZE.tenants > MAX_TENANTS) throw new Error(`--tenants must be at most ${MAX_TENANTS}, not ${SIZE.tenants}`);
const LIVE_EVERY = 5;
const PAGES = ['/ops', '/slo', '/platform/health'] as const;
type PagePath = (typeof PAGES)[number];
/** The route an open page polls, if it polls one. */
const LIVE_ROUTES: Record<PagePath, string | null> = {
  '/ops': '/ops/live',
  '/slo': '/slo/live',
  '/platform/health': null,
};
const POLLED_PAGES = PAGES.filter((page) => LIVE_ROUTES[page] !== null);
const DATABASE = 'portal_bench_dashboards';
const REQUEST_TIMEOUT_MS = 60_000;
const MAX_ERROR_SHARE = 0.01;
const CACHE_SYNC_PATIENCE_MS = 15 * 60_000;

const ctx = stackContext();
const started = Date.now();
const say = (line: string) => console.log(`[bench ${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${line}`);

// ---------------------------------------------------------------------------------------------
// Measuring

interface Sample {
  ms: number;
  /** When it started, ms after the load began (set by the load). */
  at?: number;
  status: number;
  bytes: number;
  /** Why it failed, if it did. */
  error?: string;
}

async function timedGet(session: HttpSession, path: string): Promise<Sample> {
  const begun = performance.now();
  try {
    const response = await fetch(`${BENCH_BASE}${path}`, {
      headers: { cookie: session.cookie },
      redirect: 'manual',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const body = await response.arrayBuffer();
    const ms = performance.now() - begun;
    return {
      ms,
      status: response.status,
      bytes: body.byteLength,
      ...(response.status === 200
        ? {}
        : {
            error: `HTTP ${response.status}${response.headers.get('location') ? ` → ${response.headers.get('location')}` : ''}`,
          }),
    };
  } catch (error) {
    return {
      ms: performance.now() - begun,
      status: 0,
      bytes: 0,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

/** Nearest-rank percentile of `values` (sorted ascending); NaN when empty. */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
}

function summary(samples: Sample[]) {
  const ok = samples.filter((s) => !s.error);
  const ms = ok.map((s) => s.ms).sort((a, b) => a - b);
  const errors = new Map<string, number>();
  for (const s of samples) if (s.error) errors.set(s.error, (errors.get(s.error) ?? 0) + 1);
  const bytes = ok.map((s) => s.bytes).sort((a, b) => a - b);
  return {
    count: samples.length,
    failed: samples.length - ok.length,
    p50: percentile(ms, 0.5),
    p95: percentile(ms, 0.95),
    max: ms.at(-1) ?? Number.NaN,
    medianBytes: percentile(bytes, 0.5),
    errors,
  };
}

const round = (n: number) => (Number.isFinite(n) ? Math.round(n) : 'n/a');

/** `portal_prometheus_queries_total`, summed over its labels, from the portal's own /api/metrics. */
async function prometheusQueries(): Promise<number> {
  const response = await fetch(`${BENCH_BASE}/api/metrics`, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`the portal's /api/metrics answered ${response.status}`);
  const text = await response.text();
  const lines = text.split('\n').filter((line) => /^portal_prometheus_queries_total[{ ]/.test(line));
  if (lines.length === 0 && !text.includes('# TYPE portal_prometheus_queries_total')) {
    throw new Error(
      "the portal's /api/metrics has no portal_prometheus_queries_total: the Prometheus queries cannot be counted",
    );
  }
  return lines.reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/** CPU seconds a process has used so far (utime + stime of /proc/<pid>/stat), or null. */
const clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
function cpuSeconds(pid: number | null | undefined): number | null {
  if (!pid) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / clockTicks;
  } catch {
    return null;
  }
}

/** The portal's Node process: stack/demo.ts's child that runs server.ts. */
function portalServerPid(demoPid: number | undefined): number | null {
  if (!demoPid) return null;
  try {
    const children = readdirSync(`/proc/${demoPid}/task`).flatMap((task) =>
      readFileSync(`/proc/${demoPid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean),
    );
    return Number(children.find((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('server.ts'))) || null;
  } catch {
    return null;
  }
}

/** A process's resident memory in MiB (VmRSS of /proc/<pid>/status), or null. */
function rssMib(pid: number | null): number | null {
  if (!pid) return null;
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((l) => l.startsWith('VmRSS:'));
    return line ? Number(line.split(/\s+/)[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Samples a process's RSS every second until stopped: the first sample, the peak and the last. */
function sampleRss(pid: number | null): () => { first: number; peak: number; last: number } | null {
  const samples: number[] = [];
  const take = () => {
    const mib = rssMib(pid);
    if (mib !== null) samples.push(mib);
  };
  take();
  const timer = setInterval(take, 1000);
  return () => {
    clearInterval(timer);
    take();
    return samples.length ? { first: samples[0]!, peak: Math.max(...samples), last: samples.at(-1)! } : null;
  };
}

const WATCHED = ['simulator', 'prometheus', 'kube-apiserver', 'etcd', 'kube-scheduler', 'kwok'] as const;

function cpuSnapshot(portalPid: number | null): Map<string, number | null> {
  const snapshot = new Map<string, number | null>(WATCHED.map((name) => [name, cpuSeconds(readPid(ctx, name))]));
  snapshot.set('portal', cpuSeconds(portalPid));
  return snapshot;
}

function describeCpu(before: Map<string, number | null>, after: Map<string, number | null>, seconds: number): string {
  return [...after]
    .map(([name, value]) => {
      const was = before.get(name);
      return value === null || was === null || was === undefined
        ? `${name} n/a`
        : `${name} ${Math.round(((value - was) / seconds) * 100)} %`;
    })
    .join(', ');
}

/** The simulator's scrape as Prometheus sees it: size, series, duration. */
async function simulatorScrape(): Promise<string> {
  const metrics = await (await fetch(`${simulator.url(ctx)}/metrics`, { signal: AbortSignal.timeout(30_000) })).text();
  const series = metrics.split('\n').filter((line) => line && !line.startsWith('#')).length;
  const targets = (await (await fetch(`${prometheusUrl(ctx)}/api/v1/targets?state=active`)).json()) as {
    data: { activeTargets: { scrapePool: string; lastScrapeDuration: number; health: string }[] };
  };
  const target = targets.data.activeTargets.find((t) => t.scrapePool === 'simulator');
  return `${(metrics.length / 1e6).toFixed(1)} MB, ${series} series per scrape; Prometheus scrapes it in ${target ? `${Math.round(target.lastScrapeDuration * 1000)} ms (${target.health})` : 'n/a'}`;
}

// ---------------------------------------------------------------------------------------------
// The phases

function printPhases(title: string, phases: PhaseResult[]) {
  say(`${title}: ${(phases.reduce((n, p) => n + p.ms, 0) / 1000).toFixed(1)} s`);
  for (const p of phases) console.log(`  ${p.phase.padEnd(26)} ${(p.ms / 1000).toFixed(1).padStart(6)} s  ${p.detail}`);
}

/** How many of the bench tenants and endpoints the live routes show (the pages render the same data). */
async function visibleScale(session: HttpSession): Promise<string> {
  const read = async (path: string) => {
    const response = await fetch(`${BENCH_BASE}${path}`, {
      headers: { cookie: session.cookie },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`${path} answered ${response.status}`);
    return response.json() as Promise<{
      tenants?: { name: string }[];
      rows?: { tenant: string }[];
      tenantCounts?: { all: number; healthy: number };
      pageCount?: number;
      slos?: { tenant: string; endpoint: string }[];
    }>;
  };
  const ops = await read('/ops/live');
  const slo = await read('/slo/live');
  const benchTenants = new Set((ops.rows ?? []).map((r) => r.tenant).filter((t) => t.startsWith('bench-')));
  const benchEndpoints = new Set(
    (slo.slos ?? []).filter((s) => s.tenant.startsWith('bench-')).map((s) => `${s.tenant}/${s.endpoint}`),
  );
  return (
    `/ops/live: ${ops.tenantCounts?.all ?? 0} tenants on ${ops.pageCount ?? 0} pages (${(ops.tenantCounts?.all ?? 0) - (ops.tenantCounts?.healthy ?? 0)} needing attention), the first page with rows for ${benchTenants.size} bench tenants (${ops.rows?.length ?? 0} rows); ` +
    `/slo/live: ${benchEndpoints.size} of ${SIZE.tenants * SIZE.servicesPerTenant} bench endpoints (${slo.slos?.length ?? 0} SLOs in all)`
  );
}

/** How many of the kinds the portal watches hold a first LIST (its /api/ready). */
async function watchCachesSynced(): Promise<{ synced: number; of: number }> {
  const response = await fetch(`${BENCH_BASE}/api/ready`, { signal: AbortSignal.timeout(10_000) });
  const body = (await response.json()) as { checks?: { watchCaches?: { synced: number; of: number } } };
  const caches = body.checks?.watchCaches;
  if (!caches) throw new Error("the portal's /api/ready says nothing of its watch caches");
  return caches;
}

/**
 * Waits until every watch cache of the portal has synced, so the views measure the portal at
 * work, not a portal still reading the cluster (at 500 tenants: minutes of LISTs of 56,000 pods,
 * 20,000 Workflows and 5,000 InferenceServices from a busy API server). Says how long it took.
 */
async function cachesSynced(since: number): Promise<string> {
  const deadline = Date.now() + CACHE_SYNC_PATIENCE_MS;
  for (;;) {
    const { synced, of } = await watchCachesSynced();
    if (synced === of) return `all ${of} synced ${((Date.now() - since) / 1000).toFixed(0)} s after the portal started`;
    if (Date.now() > deadline)
      throw new Error(
        `the portal's watch caches did not sync within ${CACHE_SYNC_PATIENCE_MS / 60_000} minutes (${synced} of ${of})`,
      );
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

interface LoadResult {
  views: Record<PagePath, Sample[]>;
  live: Record<PagePath, Sample[]>;
  seconds: number;
}

async function load(sessions: HttpSession[]): Promise<LoadResult> {
  const views = Object.fromEntries(PAGES.map((page) => [page, []])) as unknown as LoadResult['views'];
  const live = Object.fromEntries(PAGES.map((page) => [page, []])) as unknown as LoadResult['live'];
  const think = () =>
    THINK_MS === 0
      ? Promise.resolve()
      : new Promise((resolve) => setTimeout(resolve, THINK_MS * (0.5 + Math.random())));
  const begun = performance.now();
  const deadline = begun + DURATION_MS;
  await Promise.all(
    sessions.map(async (session, viewer) => {
      // Spread the first requests over one think time, as people do not all click at once.
      await new Promise((resolve) => setTimeout(resolve, (THINK_MS * viewer) / sessions.length));
      for (let n = 0; performance.now() < deadline; n++) {
        const page = PAGES[(viewer + n) % PAGES.length]!;
        const at = performance.now() - begun;
        views[page].push({ ...(await timedGet(session, page)), at });
        const liveRoute = LIVE_ROUTES[page];
        if (liveRoute && (n + 1) % LIVE_EVERY === 0) live[page].push(await timedGet(session, liveRoute));
        await think();
      }
    }),
  );
  return { views, live, seconds: (performance.now() - begun) / 1000 };
}

async function main(): Promise<number> {
  if (!(await readSeededModels(ctx)))
    throw new Error('the local platform is not seeded: run `npm run stack -- up` and `npm run stack -- seed`');
  process.loadEnvFile(ctx.envFile);
  const databaseUrl = await ensureDatabase(ctx, DATABASE);
  await migrate(databaseUrl);
  const platform = { databaseUrl, simulatorUrl: simulator.url(ctx), log: (line: string) => say(line) };
  if (flags['cleanup-only']) {
    printPhases('removed the large platform', await removeLargePlatform(ctx, platform));
    return 0;
  }

  say(
    `machine: ${cpus().length} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  if (!flags['seed-only']) await assertBenchPortFree();
  let exitCode = 0;
  let portal: ReturnType<typeof startPortal>['portal'] | undefined;
  try {
    printPhases('seeded the large platform', await seedLargePlatform(ctx, { ...platform, size: SIZE }));
    say(`in the cluster: ${describeCensus(await largePlatformCensus(ctx))}`);
    say(`simulator: ${await simulatorScrape()}`);
    const idle = cpuSnapshot(null);
    await new Promise((resolve) => setTimeout(resolve, 20_000));
    say(`CPU over 20 s with the large platform and no viewers: ${describeCpu(idle, cpuSnapshot(null), 20)}`);
    if (flags['seed-only']) return 0;

    say('starting the portal (stack/demo.ts on port 3100)');
    const bench = startPortal(DATABASE);
    portal = bench.portal;
    const portalStarted = Date.now();
    await bench.ready;
    say(
      `the portal is ready after ${((Date.now() - portalStarted) / 1000).toFixed(0)} s; waiting for its watch caches to sync (${await cachesSynced(portalStarted)})`,
    );
    const portalPid = portalServerPid(portal.pid);
    const stopRss = sampleRss(portalPid);
    const users = Array.from({ length: VIEWERS }, (_, i) => (i % 4 === 3 ? 'erin' : 'dave'));
    const sessions: HttpSession[] = [];
    for (let i = 0; i < users.length; i += 5)
      sessions.push(...(await Promise.all(users.slice(i, i + 5).map((user) => signInOverHttp(user)))));
    say(
      `signed in ${sessions.length} viewers over HTTP: ${users.filter((u) => u === 'dave').length} as dave (manager), ${users.filter((u) => u === 'erin').length} as erin (on-call); both may read /platform/health`,
    );

    const cold: Record<PagePath, { queries: number; sample: Sample }> = {} as never;
    for (const page of PAGES) {
      const before = await prometheusQueries();
      const sample = await timedGet(sessions[0]!, page);
      cold[page] = { queries: (await prometheusQueries()) - before, sample };
      if (sample.error) throw new Error(`the first view of ${page} failed: ${sample.error}`);
      say(
        `first (cold) view of ${page}: ${Math.round(sample.ms)} ms, ${(sample.bytes / 1024).toFixed(0)} KiB, ${cold[page].queries} Prometheus queries`,
      );
    }
    say(await visibleScale(sessions[0]!));

    const cpuBefore = cpuSnapshot(portalPid);
    const queriesBefore = await prometheusQueries();
    say(
      `load: ${VIEWERS} viewers for ${DURATION_MS / 1000} s, rotating over ${PAGES.join(', ')}, think time ${THINK_MS} ms ±50 % between views, the live route of ${POLLED_PAGES.join(' and ')} after every ${LIVE_EVERY}th view`,
    );
    const result = await load(sessions);
    const rss = stopRss();
    const queries = (await prometheusQueries()) - queriesBefore;
    say(
      `CPU during the load (100 % = one core of ${cpus().length}): ${describeCpu(cpuBefore, cpuSnapshot(portalPid), result.seconds)}`,
    );
    say(
      `load average after: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );

    const stats = Object.fromEntries(PAGES.map((page) => [page, summary(result.views[page])])) as Record<
      PagePath,
      ReturnType<typeof summary>
    >;
    const liveStats = Object.fromEntries(PAGES.map((page) => [page, summary(result.live[page])])) as Record<
      PagePath,
      ReturnType<typeof summary>
    >;
    const views = PAGES.reduce((n, page) => n + stats[page].count, 0);
    const requests = views + PAGES.reduce((n, page) => n + liveStats[page].count, 0);
    const failed = PAGES.reduce((n, page) => n + stats[page].failed + liveStats[page].failed, 0);
    console.log('');
    const labelWidth = Math.max(...PAGES.map((page) => (LIVE_ROUTES[page] ?? page).length));
    for (const page of PAGES) {
      const liveRoute = LIVE_ROUTES[page];
      const rows: [string, ReturnType<typeof summary>][] = [[page, stats[page]]];
      if (liveRoute) rows.push([liveRoute, liveStats[page]]);
      for (const [label, s] of rows) {
        console.log(
          `  ${label.padEnd(labelWidth)} ${String(s.count).padStart(5)} requests (${(s.count / result.seconds).toFixed(1)}/s), ${s.failed} failed; ` +
            `p50 ${round(s.p50)} ms, p95 ${round(s.p95)} ms, max ${round(s.max)} ms; ${(s.medianBytes / 1024).toFixed(0)} KiB`,
        );
        for (const [error, n] of s.errors) console.log(`      ${n} × ${error}`);
      }
      // When the slowest views started tells a stall (several at once) from a slow page (spread out).
      const slowest = [...result.views[page]].sort((a, b) => b.ms - a.ms).slice(0, 8);
      console.log(
        `      slowest views of ${page}: ${slowest.map((v) => `${round(v.ms)} ms at ${((v.at ?? 0) / 1000).toFixed(1)} s`).join(', ')}`,
      );
    }
    const perHundred = views > 0 ? Math.round((queries / views) * 1000) / 10 : Number.NaN;
    const oneView = PAGES.reduce((n, page) => n + cold[page].queries, 0) / PAGES.length;
    console.log('');
    console.log(
      `  page views: ${views} in ${result.seconds.toFixed(1)} s (${(views / result.seconds).toFixed(1)}/s); requests ${requests}, failed ${failed} (${((failed / Math.max(1, requests)) * 100).toFixed(2)} %)`,
    );
    console.log(
      `  Prometheus queries during the load: ${queries} (live polls included) = ${perHundred} per 100 page views`,
    );
    console.log(
      `  one cold view needs: ${PAGES.map((page) => `${page} ${cold[page].queries}`).join(', ')} (each after the ones before it: shared cache entries are not counted twice); mean ${oneView}`,
    );
    console.log(
      `  goal p95 < 500 ms: ${PAGES.map((page) => `${page} ${round(stats[page].p95)} ms`).join(', ')} — ${PAGES.every((page) => stats[page].p95 < 500) ? 'met' : 'NOT met'}`,
    );
    console.log(
      `  goal queries per 100 views ≤ one view's: ${perHundred} ≤ ${oneView} — ${perHundred <= oneView ? 'met' : 'NOT met'}`,
    );
    const opsKib = stats['/ops'].medianBytes / 1024;
    console.log(
      `  goal /ops HTML < 300 KiB per view: ${PAGES.map((page) => `${page} ${Math.round(stats[page].medianBytes / 1024)} KiB`).join(', ')} — ${opsKib < 300 ? 'met' : 'NOT met'}`,
    );
    console.log(
      rss
        ? `  portal RSS (server process ${portalPid}, every second from ready to the end of the load): ${Math.round(rss.first)} MiB after start, peak ${Math.round(rss.peak)} MiB, ${Math.round(rss.last)} MiB at the end`
        : `  portal RSS: n/a (the portal's server process was not found under ${portal.pid})`,
    );
    if (failed > requests * MAX_ERROR_SHARE) {
      console.error(`more than ${MAX_ERROR_SHARE * 100} % of the requests failed (${failed} of ${requests})`);
      exitCode = 1;
    }
    console.log(
      `ops_p95_ms=${round(stats['/ops'].p95)} slo_p95_ms=${round(stats['/slo'].p95)} prom_queries_per_100_views=${perHundred} health_p95_ms=${round(stats['/platform/health'].p95)} html_kib=${round(opsKib)} rss_mib=${rss ? Math.round(rss.peak) : 'n/a'}`,
    );
    return exitCode;
  } finally {
    if (portal && portal.exitCode === null) {
      const exited = new Promise((resolve) => portal!.once('exit', resolve));
      portal.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
    }
    if (flags.keep)
      say(
        '--keep: the large platform stays (remove it with `node --import tsx scripts/bench-dashboards.ts --cleanup-only`)',
      );
    else {
      try {
        printPhases('removed the large platform', await removeLargePlatform(ctx, platform));
      } catch (error) {
        console.error(
          `removing the large platform failed (run again with --cleanup-only): ${error instanceof Error ? error.message : String(error)}`,
        );
        cleanupFailed = true;
      }
    }
  }
}

let cleanupFailed = false;

main().then(
  (code) => process.exit(cleanupFailed ? 1 : code),
  (error: unknown) => {
    console.error(`bench:dashboards failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
