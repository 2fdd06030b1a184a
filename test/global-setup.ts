import type { TestProject } from 'vitest/node';
import { startEmbeddedDatabase } from '../lib/db/embedded';

// Integration tests run against a real PostgreSQL: the embedded one, on its own port and folder
// (TEST_PG_PORT, TEST_PG_DIR: two test runs at once each need their own).
export default async function setup(project: TestProject) {
  const port = Number(process.env.TEST_PG_PORT ?? 54331);
  let db;
  try {
    db = await startEmbeddedDatabase({
      dataDir: process.env.TEST_PG_DIR ?? '.data/test-postgres',
      port,
      database: 'postgres',
    });
  } catch (error) {
    throw new Error(`PostgreSQL (embedded, port ${port}) could not start for the integration tests: ${String(error)}`);
  }
  project.provide('pgAdminUrl', db.url);
  return async () => {
    await db.stop();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}
