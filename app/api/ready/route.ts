import { getDb } from '@/lib/db/client';
import { log } from '@/lib/observability/logger';
import { isShuttingDown, watchCacheCheck } from '@/lib/observability/readiness';

export const dynamic = 'force-dynamic';

const NO_STORE = { 'Cache-Control': 'no-store' };

type DatabaseCheck = { ok: true; ms: number } | { ok: false; error: string };

async function databaseCheck(): Promise<DatabaseCheck> {
  const started = performance.now();
  try {
    await Promise.race([
      getDb().$queryRaw`SELECT 1`,
      new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 2 s')), 2_000)),
    ]);
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (error) {
    log.warn('not ready: database unreachable', { error });
    return { ok: false, error: 'The database cannot be reached; the portal log says why.' };
  }
}

/**
 * Readiness: the database answers, and the watch caches the pages read have synced (waited for
 * at start only: lib/observability/readiness.ts). Not ready while shutting down. Why not is the
 * log's business, never the caller's.
 */
export async function GET() {
  if (isShuttingDown()) return Response.json({ status: 'shutting down' }, { status: 503, headers: NO_STORE });
  const database = await databaseCheck();
  const watchCaches = watchCacheCheck();
  const ready = database.ok && watchCaches.ok;
  return Response.json(
    { status: ready ? 'ready' : 'not ready', checks: { database, watchCaches } },
    ready ? {} : { status: 503, headers: NO_STORE },
  );
}
