import type { NextRequest } from 'next/server';
import { getCurrentUser } from '@/lib/auth/session';
import { presignArtifactDownload } from '@/lib/experiments/artifacts';
import { findTenant } from '@/lib/tenancy/service';

function redirect(location: string): Response {
  return new Response(null, { status: 303, headers: { location, 'cache-control': 'no-store' } });
}

/**
 * Downloads one artifact of a run: authorizes (`artifact.download`), audits, and redirects to a
 * short-lived presigned URL of object storage. When it cannot, it sends the browser back to the
 * run's artifacts with a reason code the page turns into a message.
 */
export async function GET(request: NextRequest, { params }: { params: Promise<{ tenant: string; runId: string }> }) {
  const { tenant: tenantName, runId } = await params;
  const path = request.nextUrl.searchParams.get('path') ?? undefined;
  const [user, tenant] = await Promise.all([getCurrentUser(), findTenant(tenantName)]);
  const outcome = await presignArtifactDownload({ user, tenant, tenantName, runId, path });
  if (outcome.ok) return redirect(outcome.url);
  if (outcome.reason === 'signin') return redirect('/signin');
  // Relative locations keep the browser on the host it used (behind a proxy the server may not know it).
  const back = new URLSearchParams({ downloadError: outcome.reason });
  const folder = path?.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  if (folder) back.set('path', folder);
  return redirect(
    `/t/${encodeURIComponent(tenantName)}/runs/${encodeURIComponent(runId)}?${back.toString()}#artifacts`,
  );
}
