// Liveness: the process serves requests. Dependencies are /api/ready's business.
export const dynamic = 'force-dynamic';

export function GET() {
  return Response.json({ status: 'ok' });
}
