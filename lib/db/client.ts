import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client';

export type Db = PrismaClient;
/** The client handed to code running inside `db.$transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

export function createPrismaClient(databaseUrl: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: 10 }) });
}

// One client per process, shared by the custom server and Next's bundled route code.
const holder = globalThis as unknown as { __mlpPrisma?: { url: string; client: PrismaClient } };

export function getDb(): PrismaClient {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: start the portal with `npm start` or `npm run demo`.');
  if (!holder.__mlpPrisma || holder.__mlpPrisma.url !== url) {
    holder.__mlpPrisma = { url, client: createPrismaClient(url) };
  }
  return holder.__mlpPrisma.client;
}
