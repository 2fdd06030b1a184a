/**
 * The metrics half of the KServe simulator: a Prometheus exporter that looks like Knative's
 * queue-proxy (request counts and latency histograms per revision, in milliseconds) and NVIDIA's
 * dcgm-exporter (GPU utilisation and framebuffer memory per allocated GPU), driven by what the
 * KServe half knows (`SimulatorView`): requests follow each InferenceService's traffic split.
 *
 * Everything that shapes the numbers is a pure function of (namespace, service, revision, time),
 * shared with `backfill.ts`, so 30 days of history and the live series are the same series with
 * the same character. Counters advance with elapsed time (not per scrape), so `rate()` is right
 * whatever the scrape interval.
 *
 * Control API for demos and tests: `POST /faults` injects errors and/or latency into a service's
 * canary (or stable) revisions, `DELETE /faults?namespace=&service=` clears, `GET /faults` lists.
 * The models' input drift scores and their `/drift` control are drift.ts's.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { DriftBook, INPUT_DRIFT_HELP, driftLines, driftScores, handleDrift } from './drift';
import type { GpuPod, RevisionTraffic, SimulatorView } from './view';
import { mulberry32 } from '../lib/random';

// ---------------------------------------------------------------------------------------------
// Names, labels, buckets

export const REQUEST_COUNT = 'revision_request_count';
export const REQUEST_LATENCIES = 'revision_request_latencies';
export const GPU_UTIL = 'DCGM_FI_DEV_GPU_UTIL';
export const GPU_FB_USED = 'DCGM_FI_DEV_FB_USED';
export const GPU_FB_FREE = 'DCGM_FI_DEV_FB_FREE';

/** Knative queue-proxy's latency distribution (milliseconds), `defaultLatencyDistribution`. */
export const LATENCY_BUCKETS_MS = [
  5, 10, 20, 40, 60, 80, 100, 150, 200, 250, 300, 350, 400, 450, 500, 600, 700, 800, 900, 1000, 2000, 5000, 10000,
  20000, 50000, 100000,
] as const;

export const CODE_CLASSES = ['2xx', '5xx'] as const;
export type CodeClass = (typeof CODE_CLASSES)[number];

export type Labels = ReadonlyArray<readonly [string, string]>;

/** The identifying labels of a revision, as Knative's queue-proxy sets them. */
export function revisionLabels(t: Pick<RevisionTraffic, 'namespace' | 'service' | 'revision'>): Labels {
  return [
    ['namespace_name', t.namespace],
    ['configuration_name', `${t.service}-predictor`],
    ['revision_name', t.revision],
  ];
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

export function formatLabels(labels: Labels): string {
  return labels.length ? `{${labels.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',')}}` : '';
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return Number.isInteger(value) ? value.toFixed(0) : String(Number(value.toFixed(6)));
}

/** One exposition line; `timestampSeconds` for OpenMetrics (backfill), none for live scrapes. */
export function sampleLine(name: string, labels: Labels, value: number, timestampSeconds?: number): string {
  return `${name}${formatLabels(labels)} ${formatValue(value)}${timestampSeconds === undefined ? '' : ` ${timestampSeconds}`}\n`;
}

// ---------------------------------------------------------------------------------------------
// Deterministic character of a model

/** FNV-1a, mapped to [0, 1). */
export function hash01(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 0x1_0000_0000;
}

/** A small seeded PRNG (mulberry32) for reproducible noise. */
export function seededRandom(seed: number): () => number {
  return mulberry32(Math.floor(seed * 0x1_0000_0000));
}

export interface ServiceProfile {
  /** Mean requests per second of the whole InferenceService (all revisions). */
  rps: number;
  /** Base share of 5xx responses. */
  errorRatio: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * Per model, deterministic from namespace/service: 5–40 rps, 0.01–0.06 % errors (within a 99.9 %
 * availability objective, so that incidents are what spends a budget), p50 20–60 ms, p99 80–250 ms.
 */
export function serviceProfile(namespace: string, service: string): ServiceProfile {
  const key = `${namespace}/${service}`;
  const p50Ms = 20 + 40 * hash01(`${key}#p50`);
  return {
    rps: 5 + 35 * hash01(`${key}#rps`),
    errorRatio: 0.0001 + 0.0005 * hash01(`${key}#errors`),
    p50Ms,
    p99Ms: Math.max(p50Ms * 2.5, 80 + 170 * hash01(`${key}#p99`)),
  };
}

/**
 * Daily and weekly shape of traffic, mean about 1: a peak around 14:00 UTC, a trough at night,
 * quieter weekends.
 */
export function trafficShape(timeMs: number): number {
  const date = new Date(timeMs);
  const hours = date.getUTCHours() + date.getUTCMinutes() / 60;
  const daily = 1 + 0.35 * Math.cos((2 * Math.PI * (hours - 14)) / 24);
  const day = date.getUTCDay();
  return daily * (day === 0 || day === 6 ? 0.75 : 1.07);
}

/** What one revision does over a short interval. */
export interface Behaviour {
  rps: number;
  errorRatio: number;
  p50Ms: number;
  p99Ms: number;
  /** Added to every request (a fault or an incident). */
  addedLatencyMs: number;
}

export interface Disturbance {
  /** Replaces the base error ratio, 0–1. */
  errorRate?: number;
  /** Added to every request's latency. */
  latencyMs?: number;
}

/** Noise multipliers for one interval; 1 = none. */
export interface Noise {
  rate: number;
  errors: number;
}

export const NO_NOISE: Noise = { rate: 1, errors: 1 };

/** Noise for one interval: ±10 % on the rate, 0.5–1.5× on the base error ratio. */
export function drawNoise(random: () => number): Noise {
  return { rate: 0.9 + 0.2 * random(), errors: 0.5 + random() };
}

/**
 * One revision's behaviour at `timeMs`, given its share of the service's traffic (`share`, 0–1)
 * and any disturbance. A revision differs a little from its siblings (±10 % latency, ±20 % errors);
 * a disturbance's error rate replaces the base ratio and is not subject to noise.
 */
export function behaviourAt(
  revision: Pick<RevisionTraffic, 'namespace' | 'service' | 'revision'>,
  share: number,
  timeMs: number,
  disturbance?: Disturbance,
  noise: Noise = NO_NOISE,
): Behaviour {
  const profile = serviceProfile(revision.namespace, revision.service);
  const revKey = `${revision.namespace}/${revision.revision}`;
  const latencyFactor = 0.9 + 0.2 * hash01(`${revKey}#latency`);
  const errorFactor = 0.8 + 0.4 * hash01(`${revKey}#errors`);
  const baseErrors = Math.min(1, profile.errorRatio * errorFactor * noise.errors);
  return {
    rps: Math.max(0, profile.rps * trafficShape(timeMs) * share * noise.rate),
    errorRatio: disturbance?.errorRate ?? baseErrors,
    p50Ms: profile.p50Ms * latencyFactor,
    p99Ms: profile.p99Ms * latencyFactor,
    addedLatencyMs: disturbance?.latencyMs ?? 0,
  };
}

// ---------------------------------------------------------------------------------------------
// Latency distribution: log-normal around p50/p99, shifted by any added latency

/** Standard normal CDF (Abramowitz–Stegun 7.1.26, error < 1.5e-7). */
export function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return Math.min(1, Math.max(0, x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf)));
}

const Z99 = 2.326348;

function sigma(b: Behaviour): number {
  return Math.max(0.05, Math.log(b.p99Ms / b.p50Ms) / Z99);
}

/** Share of requests that take at most `leMs`. */
export function latencyCdf(leMs: number, b: Behaviour): number {
  const x = leMs - b.addedLatencyMs;
  if (x <= 0) return 0;
  return normalCdf((Math.log(x) - Math.log(b.p50Ms)) / sigma(b));
}

export function meanLatencyMs(b: Behaviour): number {
  const s = sigma(b);
  return b.addedLatencyMs + b.p50Ms * Math.exp((s * s) / 2);
}

// ---------------------------------------------------------------------------------------------
// Counters

export interface ClassCounters {
  count: number;
  /** Cumulative, one per LATENCY_BUCKETS_MS entry (the +Inf bucket is `count`). */
  buckets: number[];
  sumMs: number;
}

export type RevisionCounters = Record<CodeClass, ClassCounters>;

export function newCounters(): RevisionCounters {
  const fresh = (): ClassCounters => ({ count: 0, buckets: LATENCY_BUCKETS_MS.map(() => 0), sumMs: 0 });
  return { '2xx': fresh(), '5xx': fresh() };
}

/**
 * Adds the expected requests of `seconds` of `b` to the counters (fractional; exposed floored,
 * which keeps every series monotonic and buckets ordered).
 */
export function advanceCounters(counters: RevisionCounters, b: Behaviour, seconds: number): void {
  if (!(seconds > 0) || !(b.rps > 0)) return;
  const requests = b.rps * seconds;
  const errorRatio = Math.min(1, Math.max(0, b.errorRatio));
  const cdf = LATENCY_BUCKETS_MS.map((le) => latencyCdf(le, b));
  const mean = meanLatencyMs(b);
  for (const cls of CODE_CLASSES) {
    const n = cls === '5xx' ? requests * errorRatio : requests * (1 - errorRatio);
    const c = counters[cls];
    c.count += n;
    cdf.forEach((p, i) => {
      c.buckets[i] = (c.buckets[i] ?? 0) + n * p;
    });
    c.sumMs += n * mean;
  }
}

/** `name{labels}` of every series of one revision, formatted once. */
export interface RevisionSeriesNames {
  count: Record<CodeClass, string>;
  /** One per LATENCY_BUCKETS_MS entry, then `+Inf`. */
  buckets: Record<CodeClass, string[]>;
  sum: Record<CodeClass, string>;
  total: Record<CodeClass, string>;
}

export function revisionSeriesNames(labels: Labels): RevisionSeriesNames {
  const names = { count: {}, buckets: {}, sum: {}, total: {} } as RevisionSeriesNames;
  for (const cls of CODE_CLASSES) {
    const base: Labels = [...labels, ['response_code_class', cls]];
    names.count[cls] = `${REQUEST_COUNT}${formatLabels(base)}`;
    names.buckets[cls] = [...LATENCY_BUCKETS_MS.map(String), '+Inf'].map(
      (le) => `${REQUEST_LATENCIES}_bucket${formatLabels([...base, ['le', le]])}`,
    );
    names.sum[cls] = `${REQUEST_LATENCIES}_sum${formatLabels(base)}`;
    names.total[cls] = `${REQUEST_LATENCIES}_count${formatLabels(base)}`;
  }
  return names;
}

/** The exposition lines of one revision's counters (no HELP/TYPE). */
export function revisionSeriesLines(
  names: RevisionSeriesNames,
  counters: RevisionCounters,
  timestampSeconds?: number,
): {
  count: string[];
  latencies: string[];
} {
  const suffix = timestampSeconds === undefined ? '\n' : ` ${timestampSeconds}\n`;
  const count: string[] = [];
  const latencies: string[] = [];
  for (const cls of CODE_CLASSES) {
    const c = counters[cls];
    const total = Math.floor(c.count);
    count.push(`${names.count[cls]} ${total}${suffix}`);
    const buckets = names.buckets[cls];
    for (let i = 0; i < LATENCY_BUCKETS_MS.length; i++) {
      latencies.push(`${buckets[i]} ${Math.min(total, Math.floor(c.buckets[i] ?? 0))}${suffix}`);
    }
    latencies.push(`${buckets[LATENCY_BUCKETS_MS.length]} ${total}${suffix}`);
    latencies.push(`${names.sum[cls]} ${formatValue(c.sumMs)}${suffix}`);
    latencies.push(`${names.total[cls]} ${total}${suffix}`);
  }
  return { count, latencies };
}

// ---------------------------------------------------------------------------------------------
// Traffic apportioning

export interface RevisionShare {
  traffic: RevisionTraffic;
  /** 0–1 of the service's requests. */
  share: number;
}

/**
 * Each revision's share of its service's traffic: `percent` normalised over the service's
 * revisions (KServe's percentages add up to 100; if they do not, the proportions still hold).
 */
export function apportion(traffic: RevisionTraffic[]): RevisionShare[] {
  const totals = new Map<string, number>();
  for (const t of traffic) {
    const key = `${t.namespace}/${t.service}`;
    totals.set(key, (totals.get(key) ?? 0) + Math.max(0, t.percent));
  }
  return traffic.map((t) => {
    const total = totals.get(`${t.namespace}/${t.service}`) ?? 0;
    return { traffic: t, share: total > 0 ? Math.max(0, t.percent) / total : 0 };
  });
}

// ---------------------------------------------------------------------------------------------
// Faults

export type FaultTarget = 'canary' | 'stable';

export interface Fault extends Disturbance {
  namespace: string;
  service: string;
  target: FaultTarget;
  /** ISO time it was set. */
  since: string;
}

export const faultInput = z
  .object({
    namespace: z.string({ error: 'namespace (a string) is required' }).trim().min(1, 'namespace is required'),
    service: z
      .string({ error: 'service (the InferenceService name) is required' })
      .trim()
      .min(1, 'service (the InferenceService name) is required'),
    errorRate: z
      .number({ error: 'errorRate is a number between 0 and 1' })
      .min(0)
      .max(1, 'errorRate is a fraction between 0 and 1')
      .optional(),
    latencyMs: z.number({ error: 'latencyMs is a number of milliseconds' }).min(0).max(600_000).optional(),
    target: z.enum(['canary', 'stable']).default('canary'),
  })
  .strict()
  .refine((f) => f.errorRate !== undefined || f.latencyMs !== undefined, {
    message: 'give errorRate (0–1) and/or latencyMs',
  });

export type FaultInput = z.infer<typeof faultInput>;

export class FaultBook {
  private faults = new Map<string, Fault>();

  private static key(namespace: string, service: string, target: FaultTarget): string {
    return `${namespace}/${service}/${target}`;
  }

  set(input: FaultInput, now: Date): Fault {
    const fault: Fault = {
      namespace: input.namespace,
      service: input.service,
      target: input.target,
      ...(input.errorRate !== undefined ? { errorRate: input.errorRate } : {}),
      ...(input.latencyMs !== undefined ? { latencyMs: input.latencyMs } : {}),
      since: now.toISOString(),
    };
    this.faults.set(FaultBook.key(fault.namespace, fault.service, fault.target), fault);
    return fault;
  }

  /** Clears one target, or both when `target` is not given; returns what it cleared. */
  clear(namespace: string, service: string, target?: FaultTarget): Fault[] {
    const cleared: Fault[] = [];
    for (const t of target ? [target] : (['canary', 'stable'] as const)) {
      const key = FaultBook.key(namespace, service, t);
      const fault = this.faults.get(key);
      if (fault) {
        cleared.push(fault);
        this.faults.delete(key);
      }
    }
    return cleared;
  }

  list(): Fault[] {
    return [...this.faults.values()];
  }

  /** The fault that applies to this revision now (by its current role), if any. */
  forRevision(t: Pick<RevisionTraffic, 'namespace' | 'service' | 'role'>): Fault | undefined {
    return this.faults.get(FaultBook.key(t.namespace, t.service, t.role));
  }
}

// ---------------------------------------------------------------------------------------------
// GPUs (dcgm-exporter)

export interface GpuDevice {
  namespace: string;
  pod: string;
  container: string;
  node: string;
  gpu: number;
  uuid: string;
  modelName: string;
  memoryMiB: number;
  idle: boolean;
}

export const GPU_MODEL = { name: 'NVIDIA A100-SXM4-40GB', memoryMiB: 40960 } as const;

function gpuUuid(node: string, index: number): string {
  const hex = createHash('sha256').update(`${node}#gpu${index}`).digest('hex');
  return `GPU-${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

/**
 * Hands out GPU indices per node the way a device plugin would: a pod keeps its GPUs for as long
 * as it exists (its series do not change when other pods come and go); a new pod takes the lowest
 * free indices on its node. Pods first seen together are served in namespace/pod order.
 */
export function createGpuAllocator(): (pods: GpuPod[]) => GpuDevice[] {
  const held = new Map<string, { node: string; indices: number[] }>();
  return (pods) => {
    const present = new Set(pods.map((p) => `${p.namespace}/${p.pod}`));
    for (const [key, allocation] of held) {
      const pod = pods.find((p) => `${p.namespace}/${p.pod}` === key);
      if (
        !present.has(key) ||
        !pod ||
        pod.node !== allocation.node ||
        allocation.indices.length !== Math.max(0, Math.floor(pod.gpus))
      )
        held.delete(key);
    }
    const sorted = [...pods].sort((a, b) => `${a.namespace}/${a.pod}`.localeCompare(`${b.namespace}/${b.pod}`));
    const devices: GpuDevice[] = [];
    for (const pod of sorted) {
      const key = `${pod.namespace}/${pod.pod}`;
      let allocation = held.get(key);
      if (!allocation) {
        const taken = new Set([...held.values()].filter((a) => a.node === pod.node).flatMap((a) => a.indices));
        const indices: number[] = [];
        for (let gpu = 0; indices.length < Math.max(0, Math.floor(pod.gpus)); gpu++)
          if (!taken.has(gpu)) indices.push(gpu);
        allocation = { node: pod.node, indices };
        held.set(key, allocation);
      }
      for (const gpu of allocation.indices) {
        devices.push({
          namespace: pod.namespace,
          pod: pod.pod,
          container: pod.pod.includes('-predictor-') ? 'kserve-container' : 'main',
          node: pod.node,
          gpu,
          uuid: gpuUuid(pod.node, gpu),
          modelName: GPU_MODEL.name,
          memoryMiB: GPU_MODEL.memoryMiB,
          idle: pod.idle,
        });
      }
    }
    return devices;
  };
}

/** The devices a fresh allocator gives this set of pods (indices per node in namespace/pod order). */
export function gpuDevices(pods: GpuPod[]): GpuDevice[] {
  return createGpuAllocator()(pods);
}

/**
 * The devices of `pods` as a live scrape shows them (`DCGM_FI_DEV_GPU_UTIL` lines), so a backfill
 * writes exactly the series the simulator exports; pods the text does not show are left out.
 */
export function gpuDevicesFromScrape(text: string, pods: GpuPod[]): GpuDevice[] {
  const byKey = new Map(pods.map((p) => [`${p.namespace}/${p.pod}`, p]));
  const devices: GpuDevice[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${GPU_UTIL}{`)) continue;
    const labels = new Map<string, string>();
    for (const m of line.slice(0, line.lastIndexOf('}')).matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels.set(
        m[1]!,
        m[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c)),
      );
    }
    const pod = byKey.get(`${labels.get('namespace')}/${labels.get('pod')}`);
    const gpu = Number(labels.get('gpu'));
    if (!pod || !Number.isInteger(gpu)) continue;
    devices.push({
      namespace: pod.namespace,
      pod: pod.pod,
      container: labels.get('container') ?? 'main',
      node: labels.get('Hostname') ?? pod.node,
      gpu,
      uuid: labels.get('UUID') ?? gpuUuid(pod.node, gpu),
      modelName: labels.get('modelName') ?? GPU_MODEL.name,
      memoryMiB: GPU_MODEL.memoryMiB,
      idle: pod.idle,
    });
  }
  return devices;
}

export function gpuLabels(d: GpuDevice): Labels {
  return [
    ['gpu', String(d.gpu)],
    ['UUID', d.uuid],
    ['device', `nvidia${d.gpu}`],
    ['modelName', d.modelName],
    ['Hostname', d.node],
    ['namespace', d.namespace],
    ['pod', d.pod],
    ['container', d.container],
  ];
}

export interface GpuSample {
  utilPercent: number;
  fbUsedMiB: number;
  fbFreeMiB: number;
}

/**
 * A device's utilisation and memory at `timeMs`: idle devices 0–3 % with a few hundred MiB,
 * busy ones 40–95 % wandering slowly (two sine waves per device) with 30–85 % of memory used.
 * `jitter` in [0, 1) adds a little per-sample noise.
 */
export function gpuSampleAt(d: GpuDevice, timeMs: number, jitter = 0.5): GpuSample {
  const key = `${d.uuid}/${d.namespace}/${d.pod}`;
  const minutes = timeMs / 60_000;
  let util: number;
  let used: number;
  if (d.idle) {
    util = Math.min(3, Math.floor(3 * hash01(`${key}#idle`) * (0.5 + jitter)));
    used = Math.round(256 + 512 * hash01(`${key}#idlemem`));
  } else {
    const base = 55 + 25 * hash01(`${key}#util`);
    const slow =
      10 * Math.sin((2 * Math.PI * minutes) / (40 + 60 * hash01(`${key}#slow`)) + 6 * hash01(`${key}#phase`));
    const fast = 4 * Math.sin((2 * Math.PI * minutes) / (5 + 5 * hash01(`${key}#fast`)));
    util = Math.round(Math.min(95, Math.max(40, base + slow + fast + 4 * (jitter - 0.5))));
    const share = 0.3 + 0.55 * hash01(`${key}#mem`);
    used = Math.round(d.memoryMiB * share + 400 * Math.sin((2 * Math.PI * minutes) / 90) + 100 * (jitter - 0.5));
  }
  used = Math.min(d.memoryMiB, Math.max(0, used));
  return { utilPercent: util, fbUsedMiB: used, fbFreeMiB: d.memoryMiB - used };
}

export function gpuSeriesLines(
  d: GpuDevice,
  s: GpuSample,
  timestampSeconds?: number,
  extraLabels: Labels = [],
): { util: string; used: string; free: string } {
  const labels = [...gpuLabels(d), ...extraLabels];
  return {
    util: sampleLine(GPU_UTIL, labels, s.utilPercent, timestampSeconds),
    used: sampleLine(GPU_FB_USED, labels, s.fbUsedMiB, timestampSeconds),
    free: sampleLine(GPU_FB_FREE, labels, s.fbFreeMiB, timestampSeconds),
  };
}

// ---------------------------------------------------------------------------------------------
// The live exporter

const HELP = {
  [REQUEST_COUNT]: ['counter', 'The number of requests that are routed to queue-proxy'],
  [REQUEST_LATENCIES]: ['histogram', 'The response time in millisecond'],
  [GPU_UTIL]: ['gauge', 'GPU utilization (in %).'],
  [GPU_FB_USED]: ['gauge', 'Framebuffer memory used (in MiB).'],
  [GPU_FB_FREE]: ['gauge', 'Framebuffer memory free (in MiB).'],
} as const;

function header(name: keyof typeof HELP): string {
  const [type, help] = HELP[name];
  return `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n`;
}

/** Longest stretch integrated as one step, so the daily shape applies across gaps. */
const MAX_STEP_SECONDS = 60;
/** Longest gap integrated at all (a machine asleep for a week does not produce a week of requests). */
const MAX_GAP_SECONDS = 6 * 3600;

export interface MetricsSimulatorOptions {
  now?: () => number;
  random?: () => number;
}

export interface MetricsSimulator {
  /** Serves `/metrics`, `/faults` and `/drift`; resolves false for any other path. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** Brings the counters up to now (done on every scrape and fault change). */
  advance(): void;
  /** The exposition text as a scrape would get it now. */
  scrape(): string;
  faults: FaultBook;
  drift: DriftBook;
}

interface LiveRevision {
  names: RevisionSeriesNames;
  counters: RevisionCounters;
}

export function createMetricsSimulator(view: SimulatorView, options: MetricsSimulatorOptions = {}): MetricsSimulator {
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const faults = new FaultBook();
  const drift = new DriftBook();
  const revisions = new Map<string, LiveRevision>();
  const allocateGpus = createGpuAllocator();
  let last = now();

  function advance(): void {
    const current = now();
    const shares = apportion(view.traffic());
    const seen = new Set<string>();
    let elapsed = Math.min(MAX_GAP_SECONDS, Math.max(0, (current - last) / 1000));
    const steps: { seconds: number; at: number }[] = [];
    let cursor = current - elapsed * 1000;
    while (elapsed > 0) {
      const seconds = Math.min(MAX_STEP_SECONDS, elapsed);
      steps.push({ seconds, at: cursor + (seconds * 1000) / 2 });
      cursor += seconds * 1000;
      elapsed -= seconds;
    }
    for (const { traffic, share } of shares) {
      const key = `${traffic.namespace}/${traffic.revision}`;
      seen.add(key);
      let live = revisions.get(key);
      if (!live) {
        // A revision appears with zero counters; its requests start now.
        live = { names: revisionSeriesNames(revisionLabels(traffic)), counters: newCounters() };
        revisions.set(key, live);
        continue;
      }
      const fault = faults.forRevision(traffic);
      for (const step of steps) {
        advanceCounters(live.counters, behaviourAt(traffic, share, step.at, fault, drawNoise(random)), step.seconds);
      }
    }
    for (const key of revisions.keys()) if (!seen.has(key)) revisions.delete(key);
    last = current;
  }

  function scrape(): string {
    advance();
    const count: string[] = [];
    const latencies: string[] = [];
    const byKey = [...revisions.entries()].sort(([a], [b]) => a.localeCompare(b));
    for (const [, live] of byKey) {
      const lines = revisionSeriesLines(live.names, live.counters);
      count.push(...lines.count);
      latencies.push(...lines.latencies);
    }
    const util: string[] = [];
    const used: string[] = [];
    const free: string[] = [];
    const t = now();
    for (const device of allocateGpus(view.gpuPods())) {
      const lines = gpuSeriesLines(device, gpuSampleAt(device, t, random()));
      util.push(lines.util);
      used.push(lines.used);
      free.push(lines.free);
    }
    return [
      header(REQUEST_COUNT),
      ...count,
      header(REQUEST_LATENCIES),
      ...latencies,
      header(GPU_UTIL),
      ...util,
      header(GPU_FB_USED),
      ...used,
      header(GPU_FB_FREE),
      ...free,
      INPUT_DRIFT_HELP,
      ...driftLines(driftScores(drift, t)),
    ].join('');
  }

  function affected(namespace: string, service: string, target: FaultTarget): string[] {
    return view
      .traffic()
      .filter((t) => t.namespace === namespace && t.service === service && t.role === target)
      .map((t) => t.revision);
  }

  function describe(fault: Fault) {
    return { ...fault, revisions: affected(fault.namespace, fault.service, fault.target) };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    if (url.pathname === '/metrics') {
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return sendJson(res, 405, { error: 'use GET /metrics' }, 'GET, HEAD');
      const body = scrape();
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : body);
      return true;
    }
    if (url.pathname === '/drift') return handleDrift(drift, req, res, now, readBody);
    if (url.pathname !== '/faults') return false;

    if (req.method === 'GET') return sendJson(res, 200, { faults: faults.list().map(describe) });

    if (req.method === 'POST') {
      let body: unknown;
      try {
        body = JSON.parse(await readBody(req));
      } catch (error) {
        return sendJson(res, 400, {
          error: `the body must be JSON: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
      const parsed = faultInput.safeParse(body);
      if (!parsed.success) return sendJson(res, 400, { error: describeIssues(parsed.error) });
      advance(); // requests until now keep the behaviour they had
      const fault = describe(faults.set(parsed.data, new Date(now())));
      const note = fault.revisions.length
        ? undefined
        : `no ${fault.target} revision of ${fault.namespace}/${fault.service} is known to the simulator yet; the fault applies as soon as one is`;
      return sendJson(res, 200, { fault, ...(note ? { note } : {}) });
    }

    if (req.method === 'DELETE') {
      const namespace = url.searchParams.get('namespace')?.trim();
      const service = url.searchParams.get('service')?.trim();
      const target = url.searchParams.get('target')?.trim();
      if (!namespace || !service)
        return sendJson(res, 400, { error: 'give ?namespace=…&service=… (and optionally &target=canary|stable)' });
      if (target && target !== 'canary' && target !== 'stable')
        return sendJson(res, 400, { error: 'target is canary or stable' });
      advance();
      const cleared = faults.clear(namespace, service, target as FaultTarget | undefined);
      return sendJson(res, 200, { cleared });
    }

    return sendJson(res, 405, { error: 'use GET, POST or DELETE /faults' }, 'GET, POST, DELETE');
  }

  return { handle, advance, scrape, faults, drift };
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

function sendJson(res: ServerResponse, status: number, body: unknown, allow?: string): true {
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    ...(allow ? { allow } : {}),
  });
  res.end(JSON.stringify(body));
  return true;
}

const MAX_BODY = 64 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
