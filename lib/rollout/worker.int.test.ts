/**
 * Leader election of the worker against a real PostgreSQL: however many run, one acts; when it
 * stops, another takes over.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase, type TestDatabase } from '../../test/db';
import { getDb } from '../db/client';
import { startWorker, type WorkerHandle } from './worker';

let database: TestDatabase;
const workers: WorkerHandle[] = [];

beforeAll(async () => {
  database = await useTestDatabase();
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop()));
  await getDb().$disconnect();
  await database.drop();
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('worker leadership', () => {
  it('lets exactly one of three workers lead, and hands over when the leader stops', async () => {
    for (const name of ['a', 'b', 'c']) {
      workers.push(startWorker({ databaseUrl: database.url, intervalMs: 100, resumeDeploymentsAfterMs: 60_000, name }));
    }
    await until(() => workers.some((w) => w.isLeader()));
    // Several election rounds pass: still one leader.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(workers.filter((w) => w.isLeader())).toHaveLength(1);

    const leader = workers.find((w) => w.isLeader())!;
    await leader.stop();
    workers.splice(workers.indexOf(leader), 1);
    await until(() => workers.some((w) => w.isLeader()));
    expect(workers.filter((w) => w.isLeader())).toHaveLength(1);
  });
});
