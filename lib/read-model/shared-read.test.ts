import { beforeEach, describe, expect, it } from 'vitest';
import { forgetSharedReads, sharedRead } from './shared-read';

let clock = 0;
const now = () => clock;

function counter() {
  let calls = 0;
  let fail = false;
  return {
    read: async () => {
      calls += 1;
      if (fail) throw new Error('upstream down');
      return calls;
    },
    get calls() {
      return calls;
    },
    failNext(value: boolean) {
      fail = value;
    },
  };
}

describe('sharedRead', () => {
  beforeEach(() => {
    clock = 1_000_000;
    forgetSharedReads();
  });

  it('answers from one read while fresh, and shares a read in flight', async () => {
    const upstream = counter();
    const [a, b] = await Promise.all([sharedRead('k', 1_000, upstream.read, now), sharedRead('k', 1_000, upstream.read, now)]);
    expect(upstream.calls).toBe(1);
    expect(a.data).toBe(1);
    expect(b.data).toBe(1);
    clock += 999;
    expect((await sharedRead('k', 1_000, upstream.read, now)).data).toBe(1);
    expect(upstream.calls).toBe(1);
  });

  it('after the TTL answers at once with the old value and refreshes once in the background', async () => {
    const upstream = counter();
    await sharedRead('k', 1_000, upstream.read, now);
    clock += 1_500;
    const [stale, again] = await Promise.all([sharedRead('k', 1_000, upstream.read, now), sharedRead('k', 1_000, upstream.read, now)]);
    expect(stale.data).toBe(1);
    expect(again.data).toBe(1);
    await Promise.resolve();
    await Promise.resolve();
    expect(upstream.calls).toBe(2);
    expect((await sharedRead('k', 1_000, upstream.read, now)).data).toBe(2);
  });

  it('waits for fresh data once the answer is older than four TTLs', async () => {
    const upstream = counter();
    await sharedRead('k', 1_000, upstream.read, now);
    clock += 4_001;
    expect((await sharedRead('k', 1_000, upstream.read, now)).data).toBe(2);
  });

  it('keeps no failure: the next ask reads again', async () => {
    const upstream = counter();
    upstream.failNext(true);
    await expect(sharedRead('k', 1_000, upstream.read, now)).rejects.toThrow('upstream down');
    upstream.failNext(false);
    expect((await sharedRead('k', 1_000, upstream.read, now)).data).toBe(2);
  });

  it('keeps keys apart', async () => {
    const upstream = counter();
    await sharedRead('a', 1_000, upstream.read, now);
    await sharedRead('b', 1_000, upstream.read, now);
    expect(upstream.calls).toBe(2);
  });
});
