import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db';
import { createRateLimiter } from './rate-limit';

let database: TestDatabase;
const pools: pg.Pool[] = [];
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
  await database.drop();
});

/** A replica of the portal: its own connection pool to the same database. */
function replica(url = database.url) {
  const pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 1000 });
  pool.on('error', () => {});
  pools.push(pool);
  return pool;
}

describe('rate limits in PostgreSQL', () => {
  it('are shared by every replica and answer when to retry', async () => {
    const spec = { name: 'test-shared', points: 4, windowSeconds: 60 };
    const a = createRateLimiter(replica(), spec);
    const b = createRateLimiter(replica(), spec);
    const answers = [];
    for (const limiter of [a, b, a, b]) answers.push(await limiter.consume('user-1'));
    expect(answers.map((d) => d.allowed)).toEqual([true, true, true, true]);
    const refused = await b.consume('user-1');
    expect(refused).toEqual({ allowed: false, retryAfterSeconds: expect.any(Number) });
    expect(!refused.allowed && refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(!refused.allowed && refused.retryAfterSeconds).toBeLessThanOrEqual(60);
    // Others are counted apart, and so are other limits.
    expect((await a.consume('user-2')).allowed).toBe(true);
    expect((await createRateLimiter(replica(), { ...spec, name: 'test-other' }).consume('user-1')).allowed).toBe(true);

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query<{ key: string; points: number }>(
      `SELECT key, points FROM rate_limits WHERE key LIKE 'test-shared:%' ORDER BY key`,
    );
    await client.end();
    expect(rows).toEqual([
      { key: 'test-shared:user-1', points: 5 },
      { key: 'test-shared:user-2', points: 1 },
    ]);
  });

  it('starts a new window once the old one is over', async () => {
    const limiter = createRateLimiter(replica(), { name: 'test-window', points: 1, windowSeconds: 1 });
    expect((await limiter.consume('k')).allowed).toBe(true);
    expect((await limiter.consume('k')).allowed).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await limiter.consume('k')).allowed).toBe(true);
  });

  it('counts in the process when the database cannot be reached, instead of refusing everyone', async () => {
    const unreachable = new URL(database.url);
    unreachable.port = '1';
    const limiter = createRateLimiter(replica(unreachable.toString()), {
      name: 'test-offline',
      points: 2,
      windowSeconds: 60,
    });
    expect((await limiter.consume('k')).allowed).toBe(true);
    expect((await limiter.consume('k')).allowed).toBe(true);
    expect((await limiter.consume('k')).allowed).toBe(false);
  });
});
