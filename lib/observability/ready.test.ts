import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GET } from '@/app/api/ready/route';
import { getDb } from '../db/client';

// A port where nothing listens: the database cannot be reached, as when it is down.
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let saved: string | undefined;
let port: number;
beforeAll(async () => {
  saved = process.env.DATABASE_URL;
  port = await closedPort();
  process.env.DATABASE_URL = `postgresql://portal:secret-password@127.0.0.1:${port}/portal`;
});
afterAll(async () => {
  await getDb().$disconnect();
  process.env.DATABASE_URL = saved;
});

describe('/api/ready', () => {
  it('says the database cannot be reached in general words, never the driver’s', async () => {
    const response = await GET();
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({
      status: 'not ready',
      checks: {
        database: { ok: false, error: 'The database cannot be reached; the portal log says why.' },
        // No watch caches started in this process (the custom server starts them): nothing to wait for.
        watchCaches: { ok: true, synced: 0, of: 0 },
      },
    });
    for (const leak of ['ECONNREFUSED', String(port), '127.0.0.1', 'secret-password', 'prisma', 'Invalid'])
      expect(text).not.toContain(leak);
  });
});
