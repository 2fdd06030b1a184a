import { metrics } from '@/lib/observability/metrics';
import { metricsAccess } from '@/lib/observability/metrics-access';

export const dynamic = 'force-dynamic';

export async function GET(request: Request) {
  const access = metricsAccess(request.headers.get('authorization'), process.env.METRICS_TOKEN);
  if (access !== 'allowed') {
    return new Response(
      access === 'missing' ? 'The metrics need a bearer token (METRICS_TOKEN).' : 'That is not the metrics token.',
      {
        status: 401,
        headers: {
          'content-type': 'text/plain',
          'www-authenticate': 'Bearer realm="portal metrics"',
          'cache-control': 'no-store',
        },
      },
    );
  }
  const { registry } = metrics();
  return new Response(await registry.metrics(), {
    headers: { 'content-type': registry.contentType, 'cache-control': 'no-store' },
  });
}
