/**
 * History for the stack's Prometheus: the simulator's series (same names, same labels, same
 * job/instance as live scrapes) for the past 30 days, written as OpenMetrics and imported with
 * `promtool tsdb create-blocks-from openmetrics`.
 *
 * - Stable revisions carry their service's whole traffic over the window; canaries have no past.
 * - A few incidents (a bad day, a sharp outage inside the last three days, a latency regression,
 *   small blips) make error budgets, burn rates and SLO history worth looking at.
 * - Resolution: 60 s over the last day, 5 min before that (rate windows of 15 m and more are
 *   sound over the whole history, 5 m ones over the last day and live); counters are integrated
 *   every 60 s either way and are monotonic. About 9,800 samples per series; measured for 9
 *   services and 12 GPUs (576 series, 5.5 M samples): 1.3 GB of OpenMetrics written in 6 s,
 *   imported by promtool in 24 s, one 54 h block window at a time (~95 MB files, each deleted once
 *   imported), 14 MB of TSDB blocks; about a minute in all with Prometheus' block rescan.
 * - The seeded endpoints' input drift scores (drift.ts) have the same history: at rest, except the
 *   seed's drifting features, which rise over the days before the window's last day.
 * - The window ends before the first live scrape of the simulator (or a minute before now), so
 *   backfilled and scraped samples of a series never interleave; a history of drift scores alone
 *   (added to a stack backfilled before they existed) ends before their first live sample.
 * - Idempotent: a marker in the Prometheus data folder records which services and GPU pods have
 *   history; a re-run imports only what is missing (nothing, usually). Wiping the data folder
 *   wipes the marker with it.
 * - Prometheus picks up new blocks on its own (it rescans the data folder every minute); if the
 *   history is not queryable within two minutes, the component is restarted.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, type WriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { prometheus, PROMTOOL_BIN } from '../components/prometheus';
import type { StackContext } from '../lib/context';
import { waitFor } from '../lib/processes';
import { progress } from '../lib/progress';
import { SIMULATOR_JOB, prometheusUrl, simulatorInstance } from '../prometheus/config';
import {
  advanceCounters,
  behaviourAt,
  drawNoise,
  gpuDevices,
  gpuDevicesFromScrape,
  gpuSampleAt,
  gpuSeriesLines,
  hash01,
  newCounters,
  revisionLabels,
  revisionSeriesLines,
  revisionSeriesNames,
  seededRandom,
  type Disturbance,
  type GpuDevice,
  type Labels,
  type RevisionCounters,
  type RevisionSeriesNames,
} from './metrics';
import { ENDPOINT_FEATURES, INPUT_DRIFT_SCORE, driftLines, historicalDrift } from './drift';
import type { GpuPod, RevisionTraffic } from './view';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** promtool's block size for `--max-block-duration=54h`; one OpenMetrics file per block window. */
const BLOCK_MS = 54 * HOUR;
/** Counters are integrated at this step whatever the emission step. */
const INTEGRATION_MS = MINUTE;

export interface BackfillOptions {
  /** Days of history; default 30. */
  days?: number;
  /** Emission step for the older part of the window; default 300 s. */
  stepSeconds?: number;
  /** Emission step for the most recent `recentDays`; default 60 s. */
  recentStepSeconds?: number;
  /** Days at `recentStepSeconds`; default 1. */
  recentDays?: number;
  /** End of the window (ms); default: a minute before now, and before the first live scrape. */
  end?: number;
  now?: number;
  /** Replaces the planned incidents. */
  incidents?: Incident[];
}

export interface Incident {
  namespace: string;
  service: string;
  startMs: number;
  endMs: number;
  errorRate?: number;
  latencyMs?: number;
  description: string;
}

export interface BackfillResult {
  skipped: boolean;
  reason?: string;
  startMs?: number;
  endMs?: number;
  services?: string[];
  gpuPods?: string[];
  /** Endpoints whose input drift scores were backfilled. */
  drift?: string[];
  series?: number;
  samples?: number;
  fileBytes?: number;
  generateSeconds?: number;
  promtoolSeconds?: number;
  blocks?: number;
  incidents?: Incident[];
  /** Whether Prometheus had to be restarted to see the blocks. */
  restarted?: boolean;
}

interface Marker {
  version: 1;
  runs: { at: string; startMs: number; endMs: number; services: string[]; gpuPods: string[]; drift?: string[] }[];
}

const serviceKey = (t: { namespace: string; service: string }) => `${t.namespace}/${t.service}`;
const podKey = (p: GpuPod) => `${p.namespace}/${p.pod}`;

export function markerFile(ctx: StackContext): string {
  return path.join(ctx.dataDir('prometheus'), 'stack-backfill.json');
}

async function readMarker(ctx: StackContext): Promise<Marker> {
  try {
    const marker = JSON.parse(await readFile(markerFile(ctx), 'utf8')) as Marker;
    if (marker.version === 1 && Array.isArray(marker.runs)) return marker;
  } catch {
    // none yet
  }
  return { version: 1, runs: [] };
}

// ---------------------------------------------------------------------------------------------
// The plan (pure)

/**
 * Incidents for the window ending at `endMs`, deterministic for a given set of services:
 * the most incident-prone service has a bad day (5 % errors and +150 ms for 6 h, 9 days ago),
 * the next a sharp outage inside the last three days (25 % errors for 30 min), the third a latency
 * regression (+400 ms, 2 % errors for 90 min, 13 days ago); about a third of the rest a 10-minute
 * blip (10 % errors).
 */
export function planIncidents(
  services: { namespace: string; service: string }[],
  endMs: number,
  days: number,
): Incident[] {
  const startOfWindow = endMs - days * DAY;
  const ranked = [...new Map(services.map((s) => [serviceKey(s), s])).values()].sort(
    (a, b) => hash01(`${serviceKey(a)}#incident`) - hash01(`${serviceKey(b)}#incident`),
  );
  const at = (daysAgo: number, hourUtc: number) => {
    const day = Math.floor((endMs - daysAgo * DAY) / DAY) * DAY;
    return day + hourUtc * HOUR;
  };
  const incidents: Incident[] = [];
  ranked.forEach((s, i) => {
    const h = hash01(`${serviceKey(s)}#when`);
    if (i === 0) {
      const startMs = at(9, 8 + Math.floor(4 * h));
      incidents.push({
        ...s,
        startMs,
        endMs: startMs + 6 * HOUR,
        errorRate: 0.05,
        latencyMs: 150,
        description: 'bad day: 5 % errors and +150 ms for 6 h',
      });
    } else if (i === 1) {
      const startMs = at(2, 10 + Math.floor(6 * h)) + 17 * MINUTE;
      incidents.push({
        ...s,
        startMs,
        endMs: startMs + 30 * MINUTE,
        errorRate: 0.25,
        description: 'outage: 25 % errors for 30 min',
      });
    } else if (i === 2) {
      const startMs = at(13, 13 + Math.floor(4 * h)) + 40 * MINUTE;
      incidents.push({
        ...s,
        startMs,
        endMs: startMs + 90 * MINUTE,
        errorRate: 0.02,
        latencyMs: 400,
        description: 'latency regression: +400 ms, 2 % errors for 90 min',
      });
    } else if (h < 0.35) {
      const startMs =
        at(4 + Math.floor(22 * hash01(`${serviceKey(s)}#blipday`)), Math.floor(24 * h * 2.8)) + 5 * MINUTE;
      incidents.push({
        ...s,
        startMs,
        endMs: startMs + 10 * MINUTE,
        errorRate: 0.1,
        description: 'blip: 10 % errors for 10 min',
      });
    }
  });
  return incidents.filter((x) => x.startMs >= startOfWindow && x.endMs <= endMs);
}

function disturbanceAt(incidents: Incident[], t: number): Disturbance | undefined {
  const found = incidents.find((x) => t >= x.startMs && t < x.endMs);
  if (!found) return undefined;
  return {
    ...(found.errorRate !== undefined ? { errorRate: found.errorRate } : {}),
    ...(found.latencyMs !== undefined ? { latencyMs: found.latencyMs } : {}),
  };
}

/** Emission times (ms): `step` up to `recentFrom`, `recentStep` after, aligned to their steps, last one at or before `end`. */
export function sampleTimes(
  startMs: number,
  endMs: number,
  stepMs: number,
  recentStepMs: number,
  recentFromMs: number,
): number[] {
  const times: number[] = [];
  let t = Math.ceil(startMs / stepMs) * stepMs;
  for (; t < recentFromMs && t <= endMs; t += stepMs) times.push(t);
  for (t = Math.ceil(Math.max(t, recentFromMs) / recentStepMs) * recentStepMs; t <= endMs; t += recentStepMs)
    times.push(t);
  return times;
}

interface RevisionHistory {
  traffic: RevisionTraffic;
  names: RevisionSeriesNames;
  counters: RevisionCounters;
  random: () => number;
  incidents: Incident[];
}

interface DeviceHistory {
  device: GpuDevice;
  fromMs: number;
  random: () => number;
}

export interface OpenMetricsPlan {
  revisions: RevisionTraffic[];
  devices: { device: GpuDevice; fromMs: number }[];
  times: number[];
  incidents: Incident[];
  /** Endpoints ("namespace/service") whose drift scores to write. */
  drift?: string[];
  extraLabels: Labels;
}

/**
 * The plan's samples in time order, one chunk per emission time with the block window it falls
 * in; counters are integrated every minute between emissions. Returns the number of samples and
 * series when done.
 */
export function* generateOpenMetrics(
  plan: OpenMetricsPlan,
): Generator<{ window: number; text: string }, { samples: number; series: number }> {
  const revisions: RevisionHistory[] = plan.revisions.map((traffic) => ({
    traffic,
    names: revisionSeriesNames([...revisionLabels(traffic), ...plan.extraLabels]),
    counters: newCounters(),
    random: seededRandom(hash01(`${traffic.namespace}/${traffic.revision}#backfill`)),
    incidents: plan.incidents.filter((x) => x.namespace === traffic.namespace && x.service === traffic.service),
  }));
  const devices: DeviceHistory[] = plan.devices.map(({ device, fromMs }) => ({
    device,
    fromMs,
    random: seededRandom(hash01(`${device.uuid}/${device.pod}#backfill`)),
  }));
  let samples = 0;
  const series = new Set<string>();
  const remember = (lines: string[]) => {
    for (const line of lines) series.add(line.slice(0, line.lastIndexOf('}') + 1));
  };
  let previous: number | undefined;
  for (const t of plan.times) {
    const ts = Math.round(t / 1000);
    const out: string[] = [];
    for (const r of revisions) {
      if (previous !== undefined) {
        for (let from = previous; from < t; from += INTEGRATION_MS) {
          const seconds = (Math.min(t, from + INTEGRATION_MS) - from) / 1000;
          const mid = from + (seconds * 1000) / 2;
          advanceCounters(
            r.counters,
            behaviourAt(r.traffic, 1, mid, disturbanceAt(r.incidents, mid), drawNoise(r.random)),
            seconds,
          );
        }
      }
      const lines = revisionSeriesLines(r.names, r.counters, ts);
      out.push(...lines.count, ...lines.latencies);
      if (previous === undefined) remember(out);
    }
    for (const d of devices) {
      if (t < d.fromMs) continue;
      const lines = gpuSeriesLines(d.device, gpuSampleAt(d.device, t, d.random()), ts, plan.extraLabels);
      const three = [lines.util, lines.used, lines.free];
      remember(three);
      out.push(...three);
    }
    if (plan.drift?.length) {
      const lines = driftLines(historicalDrift(plan.drift, t, plan.times.at(-1)!), ts, plan.extraLabels);
      remember(lines);
      out.push(...lines);
    }
    samples += out.length;
    yield { window: Math.floor(t / BLOCK_MS) * BLOCK_MS, text: out.join('') };
    previous = t;
  }
  return { samples, series: series.size };
}

// ---------------------------------------------------------------------------------------------
// Import

async function query(
  ctx: StackContext,
  promql: string,
  timeSeconds?: number,
): Promise<{ metric: Record<string, string>; value: [number, string] }[]> {
  const url = new URL('/api/v1/query', prometheusUrl(ctx));
  url.searchParams.set('query', promql);
  if (timeSeconds !== undefined) url.searchParams.set('time', String(timeSeconds));
  const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  const body = (await response.json()) as {
    status: string;
    error?: string;
    data?: { result: { metric: Record<string, string>; value: [number, string] }[] };
  };
  if (body.status !== 'success') throw new Error(`prometheus query ${promql} failed: ${body.error ?? response.status}`);
  return body.data?.result ?? [];
}

/** The time (ms) of the first live scrape of the simulator, or of its first drift score, if Prometheus has one. */
async function firstLiveScrape(ctx: StackContext, days: number, of: 'scrape' | 'drift'): Promise<number | null> {
  const series = of === 'scrape' ? `up{job="${SIMULATOR_JOB}"}` : `${INPUT_DRIFT_SCORE}{job="${SIMULATOR_JOB}"}`;
  const result = await query(ctx, `min(min_over_time(timestamp(${series})[${days + 16}d:1m]))`);
  const value = result[0]?.value[1];
  return value === undefined ? null : Number(value) * 1000;
}

/** The simulator's /metrics now, or null when it does not answer. */
async function liveScrape(ctx: StackContext): Promise<string | null> {
  try {
    const response = await fetch(`http://${simulatorInstance(ctx)}/metrics`, { signal: AbortSignal.timeout(5_000) });
    return response.ok ? await response.text() : null;
  } catch {
    return null;
  }
}

function runPromtool(file: string, outDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      PROMTOOL_BIN,
      ['tsdb', 'create-blocks-from', 'openmetrics', '--max-block-duration=54h', '--quiet', file, outDir],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`promtool failed on ${file} (exit ${code}):\n${output.slice(-2000)}`)),
    );
  });
}

/** Runs promtool over the files as they are written, at most `parallel` at a time. */
class ImportQueue {
  private running = 0;
  private waiting: (() => void)[] = [];
  private jobs: Promise<void>[] = [];
  busyMs = 0;

  constructor(
    private outDir: string,
    private parallel: number,
  ) {}

  add(file: string): void {
    this.jobs.push(
      (async () => {
        while (this.running >= this.parallel) await new Promise<void>((resolve) => this.waiting.push(resolve));
        this.running++;
        const started = Date.now();
        try {
          await runPromtool(file, this.outDir);
          await rm(file, { force: true });
        } finally {
          this.busyMs += Date.now() - started;
          this.running--;
          this.waiting.shift()?.();
        }
      })(),
    );
  }

  async done(): Promise<void> {
    await Promise.all(this.jobs);
  }
}

function writeChunk(stream: WriteStream, text: string): Promise<void> | undefined {
  if (stream.write(text)) return undefined;
  return new Promise((resolve) => stream.once('drain', resolve));
}

function closeStream(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.end('# EOF\n', () => resolve());
  });
}

/**
 * Backfills `traffic`'s stable revisions (each at 100 % of its service) and `gpuPods` into the
 * stack's Prometheus, once. Starts Prometheus if it is not running.
 */
export async function backfillPrometheus(
  ctx: StackContext,
  traffic: RevisionTraffic[],
  gpuPods: GpuPod[],
  options: BackfillOptions = {},
): Promise<BackfillResult> {
  const days = options.days ?? 30;
  const now = options.now ?? Date.now();
  const dataDir = ctx.dataDir('prometheus');

  const marker = await readMarker(ctx);
  const doneServices = new Set(marker.runs.flatMap((r) => r.services));
  const donePods = new Set(marker.runs.flatMap((r) => r.gpuPods));
  const stable = new Map<string, RevisionTraffic>();
  for (const t of traffic) {
    if (t.role !== 'stable' || doneServices.has(serviceKey(t))) continue;
    // One stable revision per service carries its history (the highest percentage wins).
    const current = stable.get(serviceKey(t));
    if (!current || t.percent > current.percent) stable.set(serviceKey(t), t);
  }
  const pods = gpuPods.filter((p) => p.gpus > 0 && !donePods.has(podKey(p)));
  const doneDrift = new Set(marker.runs.flatMap((r) => r.drift ?? []));
  const drift = [...new Set(traffic.map(serviceKey))].filter((key) => ENDPOINT_FEATURES[key] && !doneDrift.has(key));
  if (stable.size === 0 && pods.length === 0 && drift.length === 0) {
    return { skipped: true, reason: `history exists already for every given service and GPU pod (${markerFile(ctx)})` };
  }

  if (!(await prometheus.isUp(ctx))) {
    await prometheus.install?.(ctx);
    await prometheus.start(ctx);
  }
  // Revision and GPU history ends before the simulator's first scrape; drift history alone, before its first score.
  const firstLive = await firstLiveScrape(ctx, days, stable.size + pods.length > 0 ? 'scrape' : 'drift');
  const stepMs = (options.stepSeconds ?? 300) * 1000;
  const recentStepMs = (options.recentStepSeconds ?? 60) * 1000;
  let endMs = options.end ?? now - MINUTE;
  // The first live scrape is known to a minute (the subquery's step); stay a step clear of that.
  if (firstLive !== null) endMs = Math.min(endMs, firstLive - MINUTE - recentStepMs);
  endMs = Math.floor(endMs / recentStepMs) * recentStepMs;
  const startMs = endMs - days * DAY;
  const recentFromMs = endMs - (options.recentDays ?? 1) * DAY;
  const times = sampleTimes(startMs, endMs, stepMs, recentStepMs, recentFromMs);

  const revisions = [...stable.values()];
  const incidents = options.incidents ?? planIncidents(revisions, endMs, days);
  // The GPU series as the simulator exports them now (its device indices and UUIDs), so history
  // and live are one series; pods it does not show get the indices a fresh allocation gives.
  const liveDevices = gpuDevicesFromScrape((await liveScrape(ctx)) ?? '', pods);
  const live = new Set(liveDevices.map((d) => `${d.namespace}/${d.pod}`));
  // Serving pods have held their GPUs all along; training pods for the last 1–5 days.
  const devices = [...liveDevices, ...gpuDevices(pods.filter((p) => !live.has(podKey(p))))].map((device) => ({
    device,
    fromMs: device.pod.includes('-predictor-')
      ? startMs
      : endMs - (1 + 4 * hash01(`${device.namespace}/${device.pod}#age`)) * DAY,
  }));
  const extraLabels: Labels = [
    ['job', SIMULATOR_JOB],
    ['instance', simulatorInstance(ctx)],
  ];

  progress(
    'prometheus',
    `backfilling ${days} days (${new Date(startMs).toISOString()} → ${new Date(endMs).toISOString()}) for ${revisions.length} services, ${devices.length} GPUs and the drift scores of ${drift.length} endpoints`,
  );
  if (!existsSync(PROMTOOL_BIN)) await prometheus.install?.(ctx);
  const staging = path.join(path.dirname(dataDir), 'prometheus-backfill');
  await rm(staging, { recursive: true, force: true });
  const blocksDir = path.join(staging, 'blocks');
  await mkdir(blocksDir, { recursive: true });

  const queue = new ImportQueue(blocksDir, 1);
  let fileBytes = 0;
  let current: { window: number; file: string; stream: WriteStream } | null = null;
  let pending: Promise<void> | undefined;
  const finishFile = async () => {
    if (!current) return;
    await closeStream(current.stream);
    fileBytes += (await stat(current.file)).size;
    queue.add(current.file);
    current = null;
  };
  // Generation, writing and promtool overlap: promtool imports one block window while the next is written.
  let generateMs = 0;
  const generator = generateOpenMetrics({ revisions, devices, times, incidents, drift, extraLabels });
  let stats: { samples: number; series: number };
  for (;;) {
    const t0 = Date.now();
    const next = generator.next();
    generateMs += Date.now() - t0;
    if (next.done) {
      stats = next.value;
      break;
    }
    const { window, text } = next.value;
    if (!current || current.window !== window) {
      await finishFile();
      const file = path.join(staging, `backfill-${window}.om`);
      current = { window, file, stream: createWriteStream(file) };
    }
    pending = writeChunk(current.stream, text);
    if (pending) await pending;
  }
  const { samples, series } = stats;
  await finishFile();
  await queue.done();
  const promtoolMs = queue.busyMs;

  const blocks = (await readdir(blocksDir)).filter((name) => /^[0-9A-HJKMNP-TV-Z]{26}$/.test(name));
  for (const block of blocks) await rename(path.join(blocksDir, block), path.join(dataDir, block));
  await rm(staging, { recursive: true, force: true });

  marker.runs.push({
    at: new Date(now).toISOString(),
    startMs,
    endMs,
    services: revisions.map(serviceKey),
    gpuPods: pods.map(podKey),
    drift,
  });
  await writeFile(markerFile(ctx), JSON.stringify(marker, null, 2));

  // Prometheus rescans its data folder every minute; restart it only if it does not see the blocks.
  const probe = revisions[0]
    ? `count(revision_request_count{job="${SIMULATOR_JOB}",namespace_name="${revisions[0].namespace}",revision_name="${revisions[0].revision}"})`
    : pods.length
      ? `count(DCGM_FI_DEV_GPU_UTIL{job="${SIMULATOR_JOB}"})`
      : `count(${INPUT_DRIFT_SCORE}{job="${SIMULATOR_JOB}"})`;
  const probeAt = Math.round((revisions[0] || !pods.length ? startMs + HOUR : endMs - MINUTE) / 1000);
  const visible = async () => (await query(ctx, probe, probeAt)).length > 0;
  let restarted = false;
  try {
    await waitFor('backfilled history in prometheus', visible, 150_000);
  } catch {
    progress('prometheus', 'restarting to load the backfilled blocks');
    await prometheus.stop(ctx);
    await prometheus.start(ctx);
    restarted = true;
    await waitFor('backfilled history in prometheus after a restart', visible, 60_000);
  }
  const result: BackfillResult = {
    skipped: false,
    startMs,
    endMs,
    services: revisions.map(serviceKey),
    gpuPods: pods.map(podKey),
    drift,
    series,
    samples,
    fileBytes,
    generateSeconds: generateMs / 1000,
    promtoolSeconds: promtoolMs / 1000,
    blocks: blocks.length,
    incidents,
    restarted,
  };
  progress(
    'prometheus',
    `backfilled ${series} series, ${(samples / 1e6).toFixed(1)} M samples (${(fileBytes / 1e6).toFixed(0)} MB OpenMetrics, promtool ${result.promtoolSeconds?.toFixed(0)} s, ${blocks.length} blocks)`,
  );
  return result;
}
