import { getDb } from '@/lib/db/client';
import { log } from '@/lib/observability/logger';

export const dynamic = 'force-dynamic';

/** Readiness: the database answers. Why it does not is the log's business, never the caller's. */
export async function GET() {
  const started = performance.now();
  try {
    await Promise.race([
      getDb().$queryRaw`SELECT 1`,
      new Promise((_, reject) => setTimeout(() => reject(new Error('no answer within 2 s')), 2_000)),
    ]);
    return Response.json({
      status: 'ready',
      checks: { database: { ok: true, ms: Math.round(performance.now() - started) } },
    });
  } catch (error) {
    log.warn('not ready: database unreachable', { error });
    return Response.json(
      {
        status: 'not ready',
        checks: { database: { ok: false, error: 'The database cannot be reached; the portal log says why.' } },
      },
      { status: 503, headers: { 'Cache-Control': 'no-store' } },
    );
  }
}
