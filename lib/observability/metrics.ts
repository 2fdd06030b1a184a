import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { routeTemplate } from './routes';
import { processSingleton } from '../process-singleton';

interface PortalMetrics {
  registry: Registry;
  httpRequestDuration: Histogram<'method' | 'route' | 'status'>;
  serverActions: Counter<'action' | 'outcome'>;
  prometheusQueries: Counter<'type'>;
}

function create(): PortalMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'portal_' });
  return {
    registry,
    httpRequestDuration: new Histogram({
      name: 'portal_http_request_duration_seconds',
      help: 'Duration of HTTP requests served by the portal, by route pattern.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    serverActions: new Counter({
      name: 'portal_server_actions_total',
      help: 'Server actions handled, by action and outcome (success, invalid, denied, failed).',
      labelNames: ['action', 'outcome'],
      registers: [registry],
    }),
    prometheusQueries: new Counter({
      name: 'portal_prometheus_queries_total',
      help: 'Queries sent to Prometheus by the shared (dashboard) client, answers served from its cache not counted; by type (instant, range).',
      labelNames: ['type'],
      registers: [registry],
    }),
  };
}

/** The process's one registry. */
export function metrics(): PortalMetrics {
  return processSingleton('observability.metrics', create);
}

/**
 * The route label of a request: the template of the app route serving it, written with `:name`
 * for dynamic segments (/t/fraud/models → /t/:tenant/models), `/_next/*` for Next.js' files and
 * `other` for any path the portal has no route for — a bounded set, whatever URLs are requested.
 */
export function routePattern(pathname: string): string {
  return routeTemplate(pathname)
    .replace(/\[\.\.\.[^\]]+\]/g, '*')
    .replace(/\[([^\]]+)\]/g, ':$1');
}
