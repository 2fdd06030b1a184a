import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS, retryDelayMs, verdictAfter } from './retry';

describe('retryDelayMs', () => {
  it('doubles from 5 s and stops growing at 15 min', () => {
    expect([1, 2, 3, 4, 5].map(retryDelayMs)).toEqual([5_000, 10_000, 20_000, 40_000, 80_000]);
    expect(retryDelayMs(9)).toBe(900_000);
    expect(retryDelayMs(30)).toBe(900_000);
  });
});

describe('verdictAfter', () => {
  const now = new Date('2026-12-10T08:00:00Z');

  it('counts any 2xx as acknowledged', () => {
    for (const statusCode of [200, 201, 202, 204, 299])
      expect(verdictAfter({ statusCode }, 1, now)).toEqual({ status: 'delivered' });
  });

  it('tries again after anything else — another status, a timeout, a refused connection — with backoff', () => {
    expect(verdictAfter({ statusCode: 500 }, 1, now)).toEqual({
      status: 'pending',
      nextAttemptAt: new Date('2026-12-10T08:00:05Z'),
    });
    expect(verdictAfter({ statusCode: 301 }, 2, now)).toEqual({
      status: 'pending',
      nextAttemptAt: new Date('2026-12-10T08:00:10Z'),
    });
    expect(verdictAfter({ error: 'no answer within 5000 ms' }, 3, now)).toMatchObject({ status: 'pending' });
  });

  it('gives up after the last attempt, unless that one was acknowledged', () => {
    expect(verdictAfter({ statusCode: 503 }, MAX_ATTEMPTS, now)).toEqual({ status: 'failed-permanently' });
    expect(verdictAfter({ statusCode: 200 }, MAX_ATTEMPTS, now)).toEqual({ status: 'delivered' });
  });
});
