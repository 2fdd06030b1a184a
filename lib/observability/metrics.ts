import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { watchCacheHealth } from '../integrations/kubernetes/watch-cache';
import { routeTemplate } from './routes';
import { processSingleton } from '../process-singleton';

interface PortalMetrics {
  registry: Registry;
  httpRequestDuration: Histogram<'method' | 'route' | 'status'>;
  serverActions: Counter<'action' | 'outcome'>;
  apiCalls: Counter<'operation' | 'outcome'>;
  prometheusQueries: Counter<'type'>;
}

interface WorkerMetrics {
  /** 1 while this worker holds the leader lock, else 0. */
  leader: Gauge;
  /** How long one worker tick took to judge every live canary. */
  judgmentDuration: Histogram;
}

function create(): PortalMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'portal_' });
  // Read at each scrape from the process's shared watch caches: one series per watched kind (a
  // handful, fixed by the code), none before a cache is started.
  new Gauge({
    name: 'portal_watch_cache_staleness_seconds',
    help: 'Seconds since the watch cache of a Kubernetes kind was last known current (0 while its watch is live; before its first LIST, seconds since it started).',
    labelNames: ['kind'],
    registers: [registry],
    collect() {
      this.reset();
      const now = Date.now();
      for (const cache of watchCacheHealth()) {
        const since = cache.state === 'live' ? now : (cache.currentAt ?? cache.startedAt).getTime();
        this.set({ kind: cache.kind }, Math.max(0, (now - since) / 1000));
      }
    },
  });
  new Gauge({
    name: 'portal_watch_cache_synced',
    help: 'Whether the watch cache of a Kubernetes kind has had its first LIST (1) or not yet (0).',
    labelNames: ['kind'],
    registers: [registry],
    collect() {
      this.reset();
      for (const cache of watchCacheHealth()) this.set({ kind: cache.kind }, cache.synced ? 1 : 0);
    },
  });
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
    apiCalls: new Counter({
      name: 'portal_api_calls_total',
      help: 'Calls of /api/v1 handled, by operation and outcome (unauthenticated, rate-limited, invalid, denied, failed, success).',
      labelNames: ['operation', 'outcome'],
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

/** The worker's series, in the same registry; made by the worker only, so web replicas do not export them. */
export function workerMetrics(): WorkerMetrics {
  return processSingleton('observability.worker-metrics', (): WorkerMetrics => ({
    leader: new Gauge({
      name: 'portal_worker_leader',
      help: 'Whether this worker holds the leader lock and so judges canaries (1) or stands by (0).',
      registers: [metrics().registry],
    }),
    judgmentDuration: new Histogram({
      name: 'portal_worker_judgment_duration_seconds',
      help: "Duration of one worker tick's judgment of every live canary (metrics read, check recorded, action taken).",
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [metrics().registry],
    }),
  }));
}

interface NotificationMetrics {
  /** Webhook delivery attempts by outcome: delivered (2xx), retry (scheduled again), failed-permanently. */
  webhookDeliveries: Counter<'outcome'>;
  /** From an event's commit to its receiver's 2xx. */
  webhookDeliveryLatency: Histogram;
}

/**
 * The worker's notification series, in the same registry. `outboxPending` is read at each scrape
 * by `pendingDeliveries` (a count over the outbox), so every worker — leader or not — reports it.
 */
export function notificationMetrics(pendingDeliveries: () => Promise<number>): NotificationMetrics {
  return processSingleton('observability.notification-metrics', (): NotificationMetrics => {
    new Gauge({
      name: 'portal_webhook_outbox_pending',
      help: 'Webhook deliveries waiting in the outbox (not yet acknowledged by their receiver nor failed permanently).',
      registers: [metrics().registry],
      async collect() {
        this.set(await pendingDeliveries());
      },
    });
    return {
      webhookDeliveries: new Counter({
        name: 'portal_webhook_deliveries_total',
        help: 'Webhook delivery attempts by outcome: delivered (the receiver answered 2xx), retry (tried again later), failed-permanently (no attempts left).',
        labelNames: ['outcome'],
        registers: [metrics().registry],
      }),
      webhookDeliveryLatency: new Histogram({
        name: 'portal_webhook_delivery_latency_seconds',
        help: 'Time from an event being committed to its receiver acknowledging it (2xx), retries included.',
        buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 300, 3600],
        registers: [metrics().registry],
      }),
    };
  });
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
