import { describe, expect, it } from 'vitest';
import { mapWithConcurrency } from './concurrency';

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

describe('mapWithConcurrency', () => {
  it('never has more than the limit in flight and keeps the input order', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    const results = await mapWithConcurrency([5, 1, 4, 2, 3, 0, 6, 7, 9, 8], 4, async (n, index) => {
      inFlight++;
      mostInFlight = Math.max(mostInFlight, inFlight);
      for (let i = 0; i < n; i++) await tick();
      inFlight--;
      return `${index}:${n}`;
    });
    expect(mostInFlight).toBe(4);
    expect(results).toEqual(['0:5', '1:1', '2:4', '3:2', '4:3', '5:0', '6:6', '7:7', '8:9', '9:8']);
  });

  it('answers an empty list without calling the work', async () => {
    expect(await mapWithConcurrency([], 4, () => Promise.reject(new Error('called')))).toEqual([]);
  });

  it('rejects with the first failure and starts nothing after it', async () => {
    const started: number[] = [];
    const mapping = mapWithConcurrency([0, 1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n);
      await tick();
      if (n === 1) throw new Error('version 1 failed');
      return n;
    });
    await expect(mapping).rejects.toThrow('version 1 failed');
    await tick();
    expect(started).toEqual([0, 1, 2]);
  });

  it('refuses a limit that would start nothing', async () => {
    await expect(mapWithConcurrency([1], 0, async (n) => n)).rejects.toThrow(
      'The concurrency limit must be a positive integer, not 0.',
    );
  });
});
