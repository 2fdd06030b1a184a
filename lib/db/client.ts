import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/client';
import { processSingleton } from '../process-singleton';

export type Db = PrismaClient;
/** The client handed to code running inside `db.$transaction(async (tx) => …)`. */
export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

export function createPrismaClient(databaseUrl: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: 10 }) });
}

export function getDb(): PrismaClient {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set: start the portal with `npm start` or `npm run demo`.');
  // One client per process and database.
  const held = processSingleton('db.prisma', (): { url?: string; client?: PrismaClient } => ({}));
  if (!held.client || held.url !== url) Object.assign(held, { url, client: createPrismaClient(url) });
  return held.client!;
}
