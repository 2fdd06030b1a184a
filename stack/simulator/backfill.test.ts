/**
 * The backfill's pure parts: sample times, the incident plan, and the generated OpenMetrics —
 * the same series as a live scrape, monotonic counters, incidents visible in the counts.
 */
import { describe, expect, it } from 'vitest';
import { generateOpenMetrics, planIncidents, sampleTimes, type Incident } from './backfill';
import { createMetricsSimulator, gpuDevices } from './metrics';
import { ENDPOINT_FEATURES } from './drift';
import type { GpuPod, RevisionTraffic } from './view';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const END = Date.UTC(2025, 2, 20, 12, 0, 0);

const STABLE: RevisionTraffic[] = [
  { namespace: 'fraud', service: 'scorer', revision: 'scorer-predictor-00001', percent: 100, role: 'stable' },
  { namespace: 'pricing', service: 'elastic', revision: 'elastic-predictor-00003', percent: 100, role: 'stable' },
];
const PODS: GpuPod[] = [
  { namespace: 'fraud', pod: 'scorer-predictor-00001-deployment-abc', node: 'gpu-node-1', gpus: 2, idle: false },
];

function collect(plan: Parameters<typeof generateOpenMetrics>[0]) {
  const generator = generateOpenMetrics(plan);
  let text = '';
  const windows = new Set<number>();
  for (;;) {
    const next = generator.next();
    if (next.done) return { text, windows, stats: next.value };
    text += next.value.text;
    windows.add(next.value.window);
  }
}

/** `name{a="1",b="2"}` with labels sorted, as Prometheus identifies a series. */
function canonical(series: string): string {
  const open = series.indexOf('{');
  const pairs = series.slice(open + 1, -1).match(/[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"/g) ?? [];
  return `${series.slice(0, open)}{${[...pairs].sort().join(',')}}`;
}

/** series → [timestamp, value][] */
function parseOpenMetrics(text: string): Map<string, [number, number][]> {
  const series = new Map<string, [number, number][]>();
  for (const line of text.split('\n')) {
    if (!line) continue;
    const match = /^(\S+\{.*\}) (\S+) (\d+)$/.exec(line);
    if (!match) throw new Error(`bad line ${line}`);
    const list = series.get(match[1]!) ?? [];
    list.push([Number(match[3]), Number(match[2])]);
    series.set(match[1]!, list);
  }
  return series;
}

describe('sample times', () => {
  it('uses the coarse step for the past and the fine step for the recent part, aligned, ending at the end', () => {
    const times = sampleTimes(END - DAY, END, 5 * MIN, MIN, END - HOUR);
    expect(times[0]).toBe(END - DAY);
    expect(times.at(-1)).toBe(END);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(new Set(gaps.slice(0, 200))).toEqual(new Set([5 * MIN]));
    expect(new Set(gaps.slice(-60))).toEqual(new Set([MIN]));
    expect(times.length).toBe(23 * 12 + 60 + 1);
  });
});

describe('incident plan', () => {
  it('is deterministic, stays inside the window and gives the first services a bad day and a recent outage', () => {
    const services = [
      ...STABLE,
      {
        namespace: 'forecast',
        service: 'demand',
        revision: 'demand-predictor-00002',
        percent: 100,
        role: 'stable' as const,
      },
    ];
    const plan = planIncidents(services, END, 30);
    expect(planIncidents([...services].reverse(), END, 30)).toEqual(plan);
    expect(plan.length).toBeGreaterThanOrEqual(3);
    for (const x of plan) {
      expect(x.startMs).toBeGreaterThanOrEqual(END - 30 * DAY);
      expect(x.endMs).toBeLessThanOrEqual(END);
    }
    expect(plan.some((x) => x.description.startsWith('bad day'))).toBe(true);
    const outage = plan.find((x) => x.description.startsWith('outage'));
    expect(END - outage!.startMs).toBeLessThan(3 * DAY);
  });
});

describe('generated OpenMetrics', () => {
  const start = END - 2 * DAY;
  const times = sampleTimes(start, END, 5 * MIN, MIN, END - 6 * HOUR);
  const incident: Incident = {
    namespace: 'fraud',
    service: 'scorer',
    startMs: END - 30 * HOUR,
    endMs: END - 29 * HOUR,
    errorRate: 0.3,
    description: 'test outage',
  };
  const { text, windows, stats } = collect({
    revisions: STABLE,
    devices: gpuDevices(PODS).map((device) => ({ device, fromMs: start })),
    times,
    incidents: [incident],
    drift: Object.keys(ENDPOINT_FEATURES),
    extraLabels: [
      ['job', 'simulator'],
      ['instance', '127.0.0.1:9500'],
    ],
  });
  const series = parseOpenMetrics(text);

  it('writes the same series a live scrape has, plus the job and instance labels', () => {
    const live = createMetricsSimulator(
      { traffic: () => STABLE, gpuPods: () => PODS },
      { now: () => END, random: () => 0.5 },
    ).scrape();
    const liveSeries = new Set(
      live
        .split('\n')
        .filter((l) => l && !l.startsWith('#'))
        .map((l) => l.slice(0, l.lastIndexOf('}')) + ',job="simulator",instance="127.0.0.1:9500"}'),
    );
    expect(new Set([...series.keys()].map(canonical))).toEqual(new Set([...liveSeries].map(canonical)));
    expect(stats.series).toBe(liveSeries.size);
    expect(stats.samples).toBe(liveSeries.size * times.length);
  });

  it('keeps every counter monotonic and timestamps in seconds, in order', () => {
    const problems: string[] = [];
    for (const [name, samples] of series) {
      for (let i = 1; i < samples.length; i++) {
        if (samples[i]![0] <= samples[i - 1]![0]) problems.push(`${name} goes back in time at ${samples[i]![0]}`);
        if (name.startsWith('revision_request') && samples[i]![1] < samples[i - 1]![1])
          problems.push(`${name} decreases at ${samples[i]![0]}`);
      }
      if (samples[0]![0] !== start / 1000) problems.push(`${name} starts at ${samples[0]![0]}`);
    }
    expect(problems).toEqual([]);
  });

  it('shows the incident in the 5xx counts of that service only', () => {
    const errors = (rev: string, from: number, to: number) => {
      const key = [...series.keys()].find(
        (k) => k.startsWith('revision_request_count{') && k.includes(rev) && k.includes('5xx'),
      )!;
      const at = (t: number) => series.get(key)!.find(([ts]) => ts === t / 1000)![1];
      return at(to) - at(from);
    };
    const during = errors('scorer-predictor-00001', incident.startMs, incident.endMs);
    const before = errors('scorer-predictor-00001', incident.startMs - HOUR, incident.startMs);
    expect(during).toBeGreaterThan(20 * Math.max(1, before));
    const other = errors('elastic-predictor-00003', incident.startMs, incident.endMs);
    expect(other).toBeLessThan(during / 20);
  });

  it('splits the output by promtool block window (54 h)', () => {
    expect([...windows].every((w) => w % (54 * HOUR) === 0)).toBe(true);
  });
});
