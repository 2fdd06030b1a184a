import pg from 'pg';
import type { Component } from '../lib/component';
import { HOST, type StackContext } from '../lib/context';
import { startProcess, stopProcess } from '../lib/processes';

export function postgresUrl(ctx: StackContext, database = 'portal'): string {
  return `postgresql://postgres:postgres@${HOST}:${ctx.ports.postgres}/${database}`;
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Creates `name` in the stack's PostgreSQL unless it exists; returns its URL. */
export async function ensureDatabase(ctx: StackContext, name: string): Promise<string> {
  const client = new pg.Client({ connectionString: postgresUrl(ctx, 'postgres') });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name.replaceAll('"', '')}"`);
  } finally {
    await client.end();
  }
  return postgresUrl(ctx, name);
}

export const postgres: Component = {
  name: 'postgres',
  dependsOn: [],
  url: (ctx) => postgresUrl(ctx),
  async start(ctx) {
    await startProcess(ctx, {
      name: 'postgres',
      command: process.execPath,
      args: ['--import', 'tsx', 'stack/postgres/main.ts'],
      env: { PG_DATA_DIR: ctx.dataDir('postgres'), PG_PORT: String(ctx.ports.postgres) },
      ready: () => canConnect(postgresUrl(ctx)),
      timeoutMs: 90_000,
    });
  },
  isUp: (ctx) => canConnect(postgresUrl(ctx)),
  stop: (ctx) => stopProcess(ctx, 'postgres', 30_000),
  env: (ctx) => ({ DATABASE_URL: postgresUrl(ctx) }),
};
