import { describe, expect, it } from 'vitest';
import { answerCache } from './answer-cache';

function upstream() {
  let calls = 0;
  let failing = false;
  return {
    read: async () => {
      calls += 1;
      if (failing) throw new Error('upstream down');
      return calls;
    },
    get calls() {
      return calls;
    },
    fail(value: boolean) {
      failing = value;
    },
  };
}

/** Lets a background refresh settle. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('answerCache', () => {
  let clock = 1_000_000;
  const now = () => clock;

  it('answers from one read while fresh, and shares a read in flight', async () => {
    const ask = answerCache({ ttlMs: 1_000, maxEntries: 10, now });
    const source = upstream();
    const [a, b] = await Promise.all([ask('k', source.read), ask('k', source.read)]);
    expect(source.calls).toBe(1);
    expect([a.value, b.value]).toEqual([1, 1]);
    expect(Date.parse(a.freshness.asOf)).toBe(clock);
    clock += 999;
    expect((await ask('k', source.read)).value).toBe(1);
    expect(source.calls).toBe(1);
  });

  it('after the TTL answers at once with the old value and refreshes once in the background', async () => {
    const ask = answerCache({ ttlMs: 1_000, maxEntries: 10, now });
    const source = upstream();
    await ask('k', source.read);
    clock += 1_500;
    const [stale, again] = await Promise.all([ask('k', source.read), ask('k', source.read)]);
    expect([stale.value, again.value]).toEqual([1, 1]);
    await settle();
    expect(source.calls).toBe(2);
    expect((await ask('k', source.read)).value).toBe(2);
  });

  it('with jitter, keeps answers read together fresh for different spans, so they are refreshed apart', async () => {
    const spread = [0.8, 0.2];
    const ask = answerCache({ ttlMs: 1_000, maxEntries: 10, now, jitter: 0.5, random: () => spread.shift() ?? 0 });
    const first = upstream();
    const second = upstream();
    await Promise.all([ask('a', first.read), ask('b', second.read)]);
    // a is fresh for 1,400 ms, b for 1,100 ms.
    clock += 1_200;
    await Promise.all([ask('a', first.read), ask('b', second.read)]);
    await settle();
    expect([first.calls, second.calls]).toEqual([1, 2]);
    clock += 300;
    await ask('a', first.read);
    await settle();
    expect(first.calls).toBe(2);
  });

  it('keeps an answer whose read took long fresh for that many times as long, and serves it four times that', async () => {
    const ask = answerCache({ ttlMs: 1_000, maxEntries: 10, now, freshForReadTimes: 3 });
    let calls = 0;
    // Each read takes 2 s on the cache's clock: its answer is fresh for 6 s from when it was sent.
    const slowRead = async () => {
      clock += 2_000;
      return ++calls;
    };
    await ask('k', slowRead);
    clock += 3_900; // 5.9 s after it was sent: fresh, not the 1 s TTL
    expect((await ask('k', slowRead)).value).toBe(1);
    await settle();
    expect(calls).toBe(1);
    clock += 200; // 6.1 s: served at once, refreshed in the background
    expect((await ask('k', slowRead)).value).toBe(1);
    await settle();
    expect(calls).toBe(2);
    // The refresh was sent 6.1 s after the first read; 23.9 s after that it is still served (4 × 6 s)…
    clock += 21_900;
    expect((await ask('k', slowRead)).value).toBe(2);
    await settle();
    // …and far older the ask waits for a read of its own.
    clock += 100_000;
    expect((await ask('k', slowRead)).value).toBe(4);
  });

  it('keeps a quick read to the TTL when reads are timed', async () => {
    const ask = answerCache({ ttlMs: 1_000, maxEntries: 10, now, freshForReadTimes: 3 });
    const source = upstream();
    await ask('k', source.read);
    clock += 1_001;
    await ask('k', source.read);
    await settle();
    expect(source.calls).toBe(2);
  });

  it('waits for fresh data once the answer is four TTLs old', async () => {
    const ask = answerCache({ ttlMs: 1_000, maxEntries: 10, now });
    const source = upstream();
    await ask('k', source.read);
    clock += 4_000;
    expect((await ask('k', source.read)).value).toBe(2);
  });

  it('keeps no failure, and a failed refresh keeps the old answer', async () => {
    const ask = answerCache({ ttlMs: 1_000, maxEntries: 10, now });
    const source = upstream();
    source.fail(true);
    await expect(ask('k', source.read)).rejects.toThrow('upstream down');
    source.fail(false);
    expect((await ask('k', source.read)).value).toBe(2);
    clock += 1_500;
    source.fail(true);
    expect((await ask('k', source.read)).value).toBe(2);
    await settle();
    source.fail(false);
    expect((await ask('k', source.read)).value).toBe(2);
    await settle();
    expect((await ask('k', source.read)).value).toBe(4);
  });

  it('serves an answer whose refresh failed with that failure, until a refresh succeeds', async () => {
    const ask = answerCache({
      ttlMs: 1_000,
      maxEntries: 10,
      now,
      describeError: (error) => `in words: ${String(error)}`,
    });
    const source = upstream();
    const first = await ask('k', source.read);
    expect(first.freshness.error).toBeUndefined();
    clock += 1_500;
    source.fail(true);
    // The refresh starts now; until it has failed nothing is known to be wrong.
    expect((await ask('k', source.read)).freshness.error).toBeUndefined();
    await settle();
    const stale = await ask('k', source.read);
    expect(stale).toMatchObject({ value: 1, freshness: { asOf: first.freshness.asOf } });
    expect(stale.freshness.error).toBe('in words: Error: upstream down');
    await settle();
    source.fail(false);
    await ask('k', source.read);
    await settle();
    const fresh = await ask('k', source.read);
    expect(fresh.value).toBe(4);
    expect(fresh.freshness.error).toBeUndefined();
  });

  it('keeps keys apart and at most maxEntries answers', async () => {
    const ask = answerCache({ ttlMs: 1_000, maxEntries: 2, now });
    const source = upstream();
    await ask('a', source.read);
    await ask('b', source.read);
    await ask('c', source.read);
    expect(source.calls).toBe(3);
    // 'a' was dropped to make room: asking again reads again.
    await ask('a', source.read);
    expect(source.calls).toBe(4);
  });
});

describe('answerCache without serving stale answers', () => {
  it('waits for a fresh answer once the TTL has passed', async () => {
    let clock = 0;
    let calls = 0;
    const ask = answerCache({ ttlMs: 1_000, maxEntries: 10, now: () => clock, staleTtls: 1 });
    const read = async () => ++calls;
    await ask('k', read);
    clock += 1_000;
    expect((await ask('k', read)).value).toBe(2);
  });
});
