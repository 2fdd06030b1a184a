/**
 * The metrics simulator's own logic, with a fake view and a fake clock: traffic follows the split,
 * counters advance with elapsed time and stay monotonic, faults land on the right revision, and the
 * exposition text is what Prometheus parses.
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  LATENCY_BUCKETS_MS,
  advanceCounters,
  apportion,
  behaviourAt,
  createGpuAllocator,
  createMetricsSimulator,
  gpuDevices,
  gpuDevicesFromScrape,
  gpuSampleAt,
  latencyCdf,
  newCounters,
  revisionLabels,
  sampleLine,
  serviceProfile,
  type Behaviour,
} from './metrics';
import type { GpuPod, RevisionTraffic, SimulatorView } from './view';

const TRAFFIC: RevisionTraffic[] = [
  { namespace: 'fraud', service: 'scorer', revision: 'scorer-predictor-00001', percent: 80, role: 'stable' },
  { namespace: 'fraud', service: 'scorer', revision: 'scorer-predictor-00002', percent: 20, role: 'canary' },
  { namespace: 'pricing', service: 'elastic', revision: 'elastic-predictor-00003', percent: 100, role: 'stable' },
];
const PODS: GpuPod[] = [
  { namespace: 'fraud', pod: 'scorer-predictor-00001-deployment-abc', node: 'gpu-node-1', gpus: 1, idle: false },
  { namespace: 'forecast', pod: 'train-xyz', node: 'gpu-node-1', gpus: 2, idle: true },
];

function fakeView(traffic = TRAFFIC, pods = PODS): SimulatorView & { traffic: () => RevisionTraffic[] } {
  return { traffic: () => traffic, gpuPods: () => pods };
}

/** Parses exposition text into { 'name{labels}': value }. */
function parse(text: string): Map<string, number> {
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*(?:\{.*\})?) (\S+)$/.exec(line);
    if (!match) throw new Error(`unparseable line: ${line}`);
    samples.set(match[1]!, Number(match[2]));
  }
  return samples;
}

function value(samples: Map<string, number>, prefix: string): number {
  const found = [...samples].find(([k]) => k === prefix);
  if (!found) throw new Error(`no sample ${prefix}`);
  return found[1];
}

const count = (ns: string, svc: string, rev: string, cls: string) =>
  `revision_request_count{namespace_name="${ns}",configuration_name="${svc}-predictor",revision_name="${rev}",response_code_class="${cls}"}`;

function fakeRequest(method: string, url: string, body?: string): IncomingMessage {
  const req = new EventEmitter() as IncomingMessage;
  Object.assign(req, { method, url, destroy: () => req });
  setImmediate(() => {
    if (body !== undefined) req.emit('data', Buffer.from(body));
    req.emit('end');
  });
  return req;
}

function fakeResponse() {
  const out = { status: 0, headers: {} as Record<string, string>, body: '' };
  const res = {
    writeHead(status: number, headers: Record<string, string>) {
      out.status = status;
      out.headers = headers;
      return res;
    },
    end(body?: string) {
      out.body = body ?? '';
      return res;
    },
  };
  return { res: res as unknown as ServerResponse, out };
}

describe('traffic apportioning', () => {
  it('splits each service by its percentages', () => {
    const shares = apportion(TRAFFIC);
    expect(shares.map((s) => s.share)).toEqual([0.8, 0.2, 1]);
  });

  it('normalises percentages that do not add up to 100 and gives no traffic to a service at 0 %', () => {
    const shares = apportion([
      { namespace: 'a', service: 's', revision: 'r1', percent: 30, role: 'stable' },
      { namespace: 'a', service: 's', revision: 'r2', percent: 10, role: 'canary' },
      { namespace: 'b', service: 's', revision: 'r3', percent: 0, role: 'stable' },
    ]);
    expect(shares.map((s) => s.share)).toEqual([0.75, 0.25, 0]);
  });

  it('gives every model a stable character within the advertised ranges', () => {
    const a = serviceProfile('fraud', 'scorer');
    expect(serviceProfile('fraud', 'scorer')).toEqual(a);
    for (const [ns, svc] of [
      ['fraud', 'scorer'],
      ['pricing', 'elastic'],
      ['forecast', 'demand'],
      ['x', 'y'],
    ] as const) {
      const p = serviceProfile(ns, svc);
      expect(p.rps).toBeGreaterThanOrEqual(5);
      expect(p.rps).toBeLessThanOrEqual(40);
      expect(p.errorRatio).toBeGreaterThan(0);
      expect(p.errorRatio).toBeLessThan(0.005);
      expect(p.p50Ms).toBeGreaterThanOrEqual(20);
      expect(p.p50Ms).toBeLessThanOrEqual(60);
      expect(p.p99Ms).toBeGreaterThan(p.p50Ms);
      expect(p.p99Ms).toBeLessThanOrEqual(250);
    }
  });
});

describe('latency distribution', () => {
  const b: Behaviour = { rps: 10, errorRatio: 0, p50Ms: 40, p99Ms: 200, addedLatencyMs: 0 };

  it('puts half the requests under p50 and 99 % under p99', () => {
    expect(latencyCdf(40, b)).toBeCloseTo(0.5, 3);
    expect(latencyCdf(200, b)).toBeCloseTo(0.99, 3);
  });

  it('shifts every request by an added latency', () => {
    const slow = { ...b, addedLatencyMs: 300 };
    expect(latencyCdf(300, slow)).toBe(0);
    expect(latencyCdf(340, slow)).toBeCloseTo(0.5, 3);
  });
});

describe('counter advancement', () => {
  it('adds rate × elapsed requests, split by error ratio, with ordered cumulative buckets', () => {
    const counters = newCounters();
    const b: Behaviour = { rps: 10, errorRatio: 0.1, p50Ms: 40, p99Ms: 200, addedLatencyMs: 0 };
    advanceCounters(counters, b, 60);
    expect(counters['2xx'].count + counters['5xx'].count).toBeCloseTo(600, 6);
    expect(counters['5xx'].count).toBeCloseTo(60, 6);
    const buckets = counters['2xx'].buckets;
    for (let i = 1; i < buckets.length; i++) expect(buckets[i]!).toBeGreaterThanOrEqual(buckets[i - 1]!);
    expect(buckets.at(-1)!).toBeCloseTo(counters['2xx'].count, 3);
    expect(counters['2xx'].sumMs / counters['2xx'].count).toBeGreaterThan(40);
  });

  it('advances with the fake clock, not with the number of scrapes', () => {
    let now = Date.UTC(2025, 0, 8, 14, 0, 0);
    const sim = createMetricsSimulator(fakeView(), { now: () => now, random: () => 0.5 });
    sim.scrape(); // revisions appear with zero counters
    now += 60_000;
    const once = parse(sim.scrape());

    let now2 = Date.UTC(2025, 0, 8, 14, 0, 0);
    const sim2 = createMetricsSimulator(fakeView(), { now: () => now2, random: () => 0.5 });
    sim2.scrape();
    for (let i = 0; i < 12; i++) {
      now2 += 5_000;
      sim2.scrape();
    }
    const often = parse(sim2.scrape());
    const key = count('pricing', 'elastic', 'elastic-predictor-00003', '2xx');
    expect(value(often, key)).toBeGreaterThan(0);
    expect(Math.abs(value(often, key) - value(once, key))).toBeLessThanOrEqual(2);
  });

  it('follows the split: the canary gets about a quarter of what the stable revision gets', () => {
    let now = Date.UTC(2025, 0, 8, 14, 0, 0);
    const sim = createMetricsSimulator(fakeView(), { now: () => now, random: () => 0.5 });
    sim.scrape();
    now += 600_000;
    const s = parse(sim.scrape());
    const stable = value(s, count('fraud', 'scorer', 'scorer-predictor-00001', '2xx'));
    const canary = value(s, count('fraud', 'scorer', 'scorer-predictor-00002', '2xx'));
    expect(canary / stable).toBeGreaterThan(0.2);
    expect(canary / stable).toBeLessThan(0.3);
  });

  it('never lets a counter go down across scrapes with noise', () => {
    let now = Date.UTC(2025, 0, 8, 0, 0, 0);
    let seed = 1;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const sim = createMetricsSimulator(fakeView(), { now: () => now, random });
    let previous = parse(sim.scrape());
    for (let i = 0; i < 50; i++) {
      now += 5_000 + i * 1_000;
      const current = parse(sim.scrape());
      for (const [key, v] of current) {
        if (!key.startsWith('revision_request')) continue;
        expect(v, key).toBeGreaterThanOrEqual(previous.get(key) ?? 0);
      }
      previous = current;
    }
  });

  it('drops a revision that left the view and starts a new one at zero', () => {
    let now = Date.UTC(2025, 0, 8, 14, 0, 0);
    let traffic = TRAFFIC;
    const sim = createMetricsSimulator(
      { traffic: () => traffic, gpuPods: () => [] },
      { now: () => now, random: () => 0.5 },
    );
    sim.scrape();
    now += 60_000;
    traffic = [
      { namespace: 'fraud', service: 'scorer', revision: 'scorer-predictor-00002', percent: 100, role: 'stable' },
      { namespace: 'fraud', service: 'scorer', revision: 'scorer-predictor-00003', percent: 0, role: 'canary' },
    ];
    const s = parse(sim.scrape());
    expect([...s.keys()].some((k) => k.includes('scorer-predictor-00001'))).toBe(false);
    expect(value(s, count('fraud', 'scorer', 'scorer-predictor-00003', '2xx'))).toBe(0);
    expect(value(s, count('fraud', 'scorer', 'scorer-predictor-00002', '2xx'))).toBeGreaterThan(0);
  });
});

describe('faults', () => {
  it('applies a fault to the canary only and clears it', async () => {
    let now = Date.UTC(2025, 0, 8, 14, 0, 0);
    const sim = createMetricsSimulator(fakeView(), { now: () => now, random: () => 0.5 });
    sim.scrape();

    const post = fakeResponse();
    await sim.handle(
      fakeRequest(
        'POST',
        '/faults',
        JSON.stringify({ namespace: 'fraud', service: 'scorer', errorRate: 0.5, latencyMs: 400 }),
      ),
      post.res,
    );
    expect(post.out.status).toBe(200);
    expect(JSON.parse(post.out.body)).toMatchObject({
      fault: { target: 'canary', errorRate: 0.5, revisions: ['scorer-predictor-00002'] },
    });

    now += 300_000;
    const s = parse(sim.scrape());
    const errors = (rev: string) => value(s, count('fraud', 'scorer', rev, '5xx'));
    const total = (rev: string) => errors(rev) + value(s, count('fraud', 'scorer', rev, '2xx'));
    expect(errors('scorer-predictor-00002') / total('scorer-predictor-00002')).toBeCloseTo(0.5, 2);
    expect(errors('scorer-predictor-00001') / total('scorer-predictor-00001')).toBeLessThan(0.01);
    const under500 = (rev: string) =>
      value(
        s,
        `revision_request_latencies_bucket{namespace_name="fraud",configuration_name="scorer-predictor",revision_name="${rev}",response_code_class="2xx",le="300"}`,
      );
    expect(under500('scorer-predictor-00002')).toBe(0);
    expect(under500('scorer-predictor-00001')).toBeGreaterThan(0);

    const list = fakeResponse();
    await sim.handle(fakeRequest('GET', '/faults'), list.res);
    expect(JSON.parse(list.out.body).faults).toHaveLength(1);

    const del = fakeResponse();
    await sim.handle(fakeRequest('DELETE', '/faults?namespace=fraud&service=scorer'), del.res);
    expect(del.out.status).toBe(200);
    expect(JSON.parse(del.out.body).cleared).toHaveLength(1);
    expect(sim.faults.list()).toEqual([]);

    const before = errors('scorer-predictor-00002');
    now += 300_000;
    const after = value(parse(sim.scrape()), count('fraud', 'scorer', 'scorer-predictor-00002', '5xx'));
    expect(after - before).toBeLessThan(5);
  });

  it('targets the stable revision on request and accepts a fault for a service not seen yet', async () => {
    const sim = createMetricsSimulator(fakeView(), { now: () => 0, random: () => 0.5 });
    const stable = fakeResponse();
    await sim.handle(
      fakeRequest(
        'POST',
        '/faults',
        JSON.stringify({ namespace: 'pricing', service: 'elastic', latencyMs: 100, target: 'stable' }),
      ),
      stable.res,
    );
    expect(JSON.parse(stable.out.body).fault.revisions).toEqual(['elastic-predictor-00003']);
    const unseen = fakeResponse();
    await sim.handle(
      fakeRequest('POST', '/faults', JSON.stringify({ namespace: 'x', service: 'new', errorRate: 1 })),
      unseen.res,
    );
    expect(unseen.out.status).toBe(200);
    expect(JSON.parse(unseen.out.body).note).toMatch(/applies as soon as/);
  });

  it.each([
    ['not JSON', '{', /must be JSON/],
    ['no disturbance', JSON.stringify({ namespace: 'a', service: 'b' }), /errorRate .*latencyMs/],
    ['error rate above 1', JSON.stringify({ namespace: 'a', service: 'b', errorRate: 5 }), /errorRate/],
    ['unknown key', JSON.stringify({ namespace: 'a', service: 'b', error_rate: 0.5 }), /error_rate/],
    ['bad target', JSON.stringify({ namespace: 'a', service: 'b', errorRate: 0.5, target: 'both' }), /target/],
    ['missing service', JSON.stringify({ namespace: 'a', errorRate: 0.5 }), /service/],
  ])('refuses %s with 400 and a message', async (_name, body, message) => {
    const sim = createMetricsSimulator(fakeView());
    const r = fakeResponse();
    await sim.handle(fakeRequest('POST', '/faults', body), r.res);
    expect(r.out.status).toBe(400);
    expect(JSON.parse(r.out.body).error).toMatch(message);
  });

  it('refuses a DELETE without namespace and service', async () => {
    const sim = createMetricsSimulator(fakeView());
    const r = fakeResponse();
    await sim.handle(fakeRequest('DELETE', '/faults?namespace=fraud'), r.res);
    expect(r.out.status).toBe(400);
  });

  it('leaves other paths to the rest of the simulator', async () => {
    const sim = createMetricsSimulator(fakeView());
    const r = fakeResponse();
    expect(await sim.handle(fakeRequest('GET', '/healthz'), r.res)).toBe(false);
    expect(r.out.status).toBe(0);
  });
});

describe('GPU series', () => {
  it('gives every allocated GPU its own device, index and UUID per node', () => {
    const devices = gpuDevices(PODS);
    expect(devices.map((d) => [d.pod, d.gpu])).toEqual([
      ['train-xyz', 0],
      ['train-xyz', 1],
      ['scorer-predictor-00001-deployment-abc', 2],
    ]);
    expect(new Set(devices.map((d) => d.uuid)).size).toBe(3);
    expect(devices[2]!.container).toBe('kserve-container');
  });

  it('keeps a pod on its GPUs while others come and go, and hands freed indices to newcomers', () => {
    const allocate = createGpuAllocator();
    const a: GpuPod = { namespace: 'z', pod: 'a', node: 'n1', gpus: 1, idle: false };
    const b: GpuPod = { namespace: 'z', pod: 'b', node: 'n1', gpus: 2, idle: false };
    const early: GpuPod = { namespace: 'a', pod: 'early', node: 'n1', gpus: 1, idle: true };
    expect(allocate([a, b]).map((d) => [d.pod, d.gpu])).toEqual([
      ['a', 0],
      ['b', 1],
      ['b', 2],
    ]);
    // `early` sorts first but arrives later: nobody moves.
    expect(allocate([a, b, early]).map((d) => [d.pod, d.gpu])).toEqual([
      ['early', 3],
      ['a', 0],
      ['b', 1],
      ['b', 2],
    ]);
    // `b` leaves; a newcomer gets its indices.
    const c: GpuPod = { namespace: 'z', pod: 'c', node: 'n1', gpus: 2, idle: false };
    expect(allocate([a, early, c]).map((d) => [d.pod, d.gpu])).toEqual([
      ['early', 3],
      ['a', 0],
      ['c', 1],
      ['c', 2],
    ]);
  });

  it('reads the devices back from a live scrape, so a backfill writes the same series', () => {
    const sim = createMetricsSimulator(fakeView(), { now: () => 0, random: () => 0.5 });
    const fromScrape = gpuDevicesFromScrape(sim.scrape(), PODS);
    expect(fromScrape).toEqual(expect.arrayContaining(gpuDevices(PODS)));
    expect(fromScrape).toHaveLength(3);
    expect(gpuDevicesFromScrape(sim.scrape(), [PODS[0]!])).toHaveLength(1);
  });

  it('keeps idle GPUs near 0 % and busy ones between 40 and 95 %', () => {
    const [idle, , busy] = gpuDevices(PODS);
    for (let t = 0; t < 24 * 3600_000; t += 7 * 60_000) {
      for (const jitter of [0, 0.99]) {
        expect(gpuSampleAt(idle!, t, jitter).utilPercent).toBeLessThanOrEqual(3);
        const b = gpuSampleAt(busy!, t, jitter);
        expect(b.utilPercent).toBeGreaterThanOrEqual(40);
        expect(b.utilPercent).toBeLessThanOrEqual(95);
        expect(b.fbUsedMiB + b.fbFreeMiB).toBe(40960);
      }
    }
  });
});

describe('exposition text', () => {
  it('writes HELP/TYPE once per family and a full histogram per revision and class', () => {
    const sim = createMetricsSimulator(fakeView(), { now: () => Date.UTC(2025, 0, 8), random: () => 0.5 });
    const text = sim.scrape();
    expect(text.match(/^# TYPE revision_request_count counter$/gm)).toHaveLength(1);
    expect(text.match(/^# TYPE revision_request_latencies histogram$/gm)).toHaveLength(1);
    expect(text.match(/^# TYPE DCGM_FI_DEV_GPU_UTIL gauge$/gm)).toHaveLength(1);
    const buckets = text.match(
      /^revision_request_latencies_bucket\{[^}]*revision_name="scorer-predictor-00002",response_code_class="5xx"/gm,
    );
    expect(buckets).toHaveLength(LATENCY_BUCKETS_MS.length + 1);
    expect(text).toContain('DCGM_FI_DEV_GPU_UTIL{gpu="2",UUID="');
    expect(text).toMatch(
      /Hostname="gpu-node-1",namespace="fraud",pod="scorer-predictor-00001-deployment-abc",container="kserve-container"\} \d+\n/,
    );
    parse(text);
  });

  it('escapes label values and appends OpenMetrics timestamps in seconds', () => {
    expect(sampleLine('m', [['a', 'x"y\\z\nw']], 1.5, 1700000000)).toBe('m{a="x\\"y\\\\z\\nw"} 1.5 1700000000\n');
    expect(sampleLine('m', revisionLabels(TRAFFIC[0]!), 3)).toBe(
      'm{namespace_name="fraud",configuration_name="scorer-predictor",revision_name="scorer-predictor-00001"} 3\n',
    );
  });

  it('models behave the same at the same time whoever asks (backfill and live agree)', () => {
    const t = Date.UTC(2025, 0, 8, 3, 0, 0);
    expect(behaviourAt(TRAFFIC[0]!, 0.8, t)).toEqual(behaviourAt(TRAFFIC[0]!, 0.8, t));
    expect(behaviourAt(TRAFFIC[0]!, 1, Date.UTC(2025, 0, 8, 14)).rps).toBeGreaterThan(
      behaviourAt(TRAFFIC[0]!, 1, t).rps,
    );
  });
});
