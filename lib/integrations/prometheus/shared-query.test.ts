import { describe, expect, it } from 'vitest';
import type { InstantSample, PrometheusApi, RangeSeries, TimeRange } from './client';
import { alignRange, instantAnswer, rangeAnswer, sharedPrometheus, shareTtlMs } from './shared-query';

const TTL = 15_000;

/** A fake Prometheus whose answers the test releases one by one, and a clock the test moves. */
function fakePrometheus() {
  const asked: { promql: string; range?: TimeRange; time?: Date }[] = [];
  const pending: { resolve: (value: InstantSample[] & RangeSeries[]) => void; reject: (error: Error) => void }[] = [];
  const answer = () =>
    new Promise<InstantSample[] & RangeSeries[]>((resolve, reject) => pending.push({ resolve, reject }));
  const upstream: PrometheusApi = {
    query: (promql, time) => {
      asked.push({ promql, time });
      return answer();
    },
    queryRange: (promql, range) => {
      asked.push({ promql, range });
      return answer();
    },
  };
  let time = 1_000_000;
  const clock = {
    now: () => time,
    advance: (ms: number) => {
      time += ms;
    },
  };
  /** Answers the oldest open query with one sample of value `value`. */
  const resolveNext = async (value: number) => {
    pending.shift()!.resolve([{ metric: {}, time: 0, value }] as InstantSample[] & RangeSeries[]);
    await flush();
  };
  const rejectNext = async (message: string) => {
    pending.shift()!.reject(new Error(message));
    await flush();
  };
  return { upstream, asked, pending, clock, resolveNext, rejectNext };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));
const valueOf = (samples: InstantSample[]) => samples[0]?.value;

describe('sharedPrometheus', () => {
  it('asks Prometheus once for concurrent identical asks (single flight), then serves the answer for the TTL', async () => {
    const fake = fakePrometheus();
    const shared = sharedPrometheus(fake.upstream, { ttlMs: TTL, now: fake.clock.now });
    const first = shared.queryAnswer('up');
    const second = shared.query('up');
    expect(fake.asked).toHaveLength(1);
    await fake.resolveNext(1);
    expect((await first).samples).toEqual([{ metric: {}, time: 0, value: 1 }]);
    expect((await first).freshness.asOf).toEqual(new Date(1_000_000).toISOString());
    expect(valueOf(await second)).toBe(1);

    fake.clock.advance(TTL - 1);
    expect(valueOf(await shared.query('up'))).toBe(1);
    expect(fake.asked).toHaveLength(1);

    // Another query is another answer.
    void shared.query('sum(up)');
    expect(fake.asked.map((a) => a.promql)).toEqual(['up', 'sum(up)']);
  });

  it('serves a stale answer at once and refreshes it once in the background, up to 4 × TTL', async () => {
    const fake = fakePrometheus();
    const shared = sharedPrometheus(fake.upstream, { ttlMs: TTL, now: fake.clock.now });
    void shared.query('up');
    await fake.resolveNext(1);

    fake.clock.advance(TTL);
    const stale = await shared.queryAnswer('up');
    expect(valueOf(stale.samples)).toBe(1);
    expect(stale.freshness.asOf).toEqual(new Date(1_000_000).toISOString());
    expect(valueOf(await shared.query('up'))).toBe(1);
    expect(fake.asked).toHaveLength(2);

    await fake.resolveNext(2);
    const fresh = await shared.queryAnswer('up');
    expect(valueOf(fresh.samples)).toBe(2);
    expect(fresh.freshness.asOf).toEqual(new Date(1_000_000 + TTL).toISOString());
    expect(fake.asked).toHaveLength(2);
  });

  it('waits for a new answer when the old one is 4 × TTL old', async () => {
    const fake = fakePrometheus();
    const shared = sharedPrometheus(fake.upstream, { ttlMs: TTL, now: fake.clock.now });
    void shared.query('up');
    await fake.resolveNext(1);

    fake.clock.advance(4 * TTL);
    let settled: number | undefined;
    void shared.query('up').then((samples) => (settled = valueOf(samples)));
    await flush();
    expect(settled).toBeUndefined();
    expect(fake.asked).toHaveLength(2);
    await fake.resolveNext(2);
    expect(settled).toBe(2);
  });

  it('keeps no failure: the next ask tries again', async () => {
    const fake = fakePrometheus();
    const shared = sharedPrometheus(fake.upstream, { ttlMs: TTL, now: fake.clock.now });
    const first = expect(shared.query('up')).rejects.toThrow('Prometheus cannot be reached');
    const second = expect(shared.query('up')).rejects.toThrow('Prometheus cannot be reached');
    expect(fake.asked).toHaveLength(1);
    await fake.rejectNext('Prometheus cannot be reached');
    await first;
    await second;

    const third = shared.query('up');
    expect(fake.asked).toHaveLength(2);
    await fake.resolveNext(3);
    expect(valueOf(await third)).toBe(3);
  });

  it('keeps the old answer when a background refresh fails, until it is 4 × TTL old', async () => {
    const fake = fakePrometheus();
    const shared = sharedPrometheus(fake.upstream, { ttlMs: TTL, now: fake.clock.now });
    void shared.query('up');
    await fake.resolveNext(1);

    fake.clock.advance(2 * TTL);
    expect(valueOf(await shared.query('up'))).toBe(1);
    await fake.rejectNext('Prometheus did not answer within 5 s');

    // Still served, and the refresh is tried again.
    expect(valueOf(await shared.query('up'))).toBe(1);
    expect(fake.asked).toHaveLength(3);
    await fake.rejectNext('Prometheus did not answer within 5 s');

    fake.clock.advance(2 * TTL);
    const late = expect(shared.query('up')).rejects.toThrow('did not answer');
    expect(fake.asked).toHaveLength(4);
    await fake.rejectNext('Prometheus did not answer within 5 s');
    await late;
  });

  it('shares ranges aligned to the step, and queries the aligned range', async () => {
    const fake = fakePrometheus();
    const shared = sharedPrometheus(fake.upstream, { ttlMs: TTL, now: fake.clock.now });
    const first = shared.queryRangeAnswer('up', {
      start: new Date(3_600_000 + 12_345),
      end: new Date(7_200_000 + 59_999),
      stepSeconds: 60,
    });
    const second = shared.queryRange('up', {
      start: new Date(3_600_000 + 1),
      end: new Date(7_200_000 + 30_000),
      stepSeconds: 60,
    });
    expect(fake.asked).toEqual([
      { promql: 'up', range: { start: new Date(3_600_000), end: new Date(7_200_000), stepSeconds: 60 } },
    ]);
    await fake.resolveNext(1);
    expect((await first).series).toBe(await second);

    // The next step is another range; another step too.
    void shared.queryRange('up', { start: new Date(3_660_000), end: new Date(7_260_000), stepSeconds: 60 });
    void shared.queryRange('up', { start: new Date(3_600_000), end: new Date(7_200_000), stepSeconds: 30 });
    expect(fake.asked).toHaveLength(3);
  });

  it('passes instant queries at an explicit time straight through', async () => {
    const fake = fakePrometheus();
    const shared = sharedPrometheus(fake.upstream, { ttlMs: TTL, now: fake.clock.now });
    const at = new Date(5_000);
    void shared.query('up', at);
    void shared.query('up', at);
    expect(fake.asked).toEqual([
      { promql: 'up', time: at },
      { promql: 'up', time: at },
    ]);
  });

  it('holds at most maxEntries answers, dropping expired ones first', async () => {
    const fake = fakePrometheus();
    const shared = sharedPrometheus(fake.upstream, { ttlMs: TTL, now: fake.clock.now, maxEntries: 2 });
    void shared.query('a');
    await fake.resolveNext(1);
    fake.clock.advance(4 * TTL);
    void shared.query('b');
    await fake.resolveNext(2);
    void shared.query('c');
    await fake.resolveNext(3);
    // 'a' expired and was dropped to make room; 'b' and 'c' are kept.
    expect(valueOf(await shared.query('b'))).toBe(2);
    expect(valueOf(await shared.query('c'))).toBe(3);
    expect(fake.asked).toHaveLength(3);

    // A third live answer pushes out the oldest.
    void shared.query('d');
    await fake.resolveNext(4);
    void shared.query('b');
    expect(fake.asked.map((a) => a.promql)).toEqual(['a', 'b', 'c', 'd', 'b']);
  });

  it('turns a synchronous failure of the client into a rejection', async () => {
    const failing: PrometheusApi = {
      query: () => {
        throw new Error('PROMETHEUS_URL is not set');
      },
      queryRange: async () => [],
    };
    await expect(sharedPrometheus(failing).query('up')).rejects.toThrow('PROMETHEUS_URL is not set');
  });
});

describe('answers with their time', () => {
  it('take the time from a plain client when asked, and align its ranges too', async () => {
    const ranges: TimeRange[] = [];
    const plain: PrometheusApi = {
      query: async () => [],
      queryRange: async (_promql, range) => {
        ranges.push(range);
        return [];
      },
    };
    const before = Date.now();
    const { freshness } = await instantAnswer(plain, 'up');
    expect(Date.parse(freshness.asOf)).toBeGreaterThanOrEqual(before);
    await rangeAnswer(plain, 'up', { start: new Date(90_000), end: new Date(190_000), stepSeconds: 60 });
    expect(ranges).toEqual([{ start: new Date(60_000), end: new Date(180_000), stepSeconds: 60 }]);
  });
});

describe('settings', () => {
  it('reads the TTL from PROMETHEUS_SHARE_TTL_SECONDS, 20 s by default', () => {
    expect(shareTtlMs(undefined)).toBe(20_000);
    expect(shareTtlMs('')).toBe(20_000);
    expect(shareTtlMs('2.5')).toBe(2500);
    expect(shareTtlMs('0')).toBe(0);
    expect(() => shareTtlMs('soon')).toThrow('PROMETHEUS_SHARE_TTL_SECONDS must be a number of seconds');
    expect(() => shareTtlMs('-1')).toThrow('PROMETHEUS_SHARE_TTL_SECONDS');
  });

  it('aligns ranges down to a multiple of the step', () => {
    expect(alignRange({ start: new Date(61_000), end: new Date(299_999), stepSeconds: 60 })).toEqual({
      start: new Date(60_000),
      end: new Date(240_000),
      stepSeconds: 60,
    });
    expect(() => alignRange({ start: new Date(0), end: new Date(1), stepSeconds: 0 })).toThrow('positive step');
  });
});
