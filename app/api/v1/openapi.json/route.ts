import { openApiDocument } from '@/lib/api/openapi';

// Public, like any API description: it names no tenant and no data.
export const dynamic = 'force-dynamic';

export function GET() {
  return Response.json(openApiDocument(), { headers: { 'Cache-Control': 'public, max-age=300' } });
}
