/**
 * Webhook delivery, run by the worker's leader beside its tick (lib/rollout/worker.ts):
 *
 * 1. claim due deliveries in one short transaction (`FOR UPDATE SKIP LOCKED`), moving their next
 *    attempt past a lease, so that no other process picks them meanwhile;
 * 2. POST each one — outside any transaction, with a timeout — in its endpoint's format, signed;
 * 3. record the attempt in the delivery log and the delivery's new state in one transaction:
 *    delivered on a 2xx, otherwise the next attempt after a backoff (retry.ts), or failed
 *    permanently after the last.
 *
 * A worker killed between 1 and 3 records nothing: the delivery stays pending and the next leader
 * tries it again once the lease is over. A receiver whose 2xx was recorded never gets the event
 * again; one may get an event again that it did not acknowledge — or whose acknowledgement the
 * worker died before recording — and dedupes by `X-MLP-Event-Id` (formats.ts).
 *
 * The loop wakes when an event is committed (`pg_notify` on the outbox channel, listened to on
 * the leader's lock connection) and otherwise polls every second for retries coming due.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { getDb } from '../db/client';
import { log } from '../observability/logger';
import { notificationMetrics } from '../observability/metrics';
import { deliveryHeaders, formatBody, type OutgoingEvent } from './formats';
import type { NotificationKind } from './kind-names';
import { storedPayloadSchema } from './kinds';
import { verdictAfter, type AttemptResult } from './retry';
import { isNonPublicAddress, privateNetworksAllowed } from './webhook-url';

export const DEFAULT_WEBHOOK_TIMEOUT_MS = 5_000;
/** How often the loop looks for retries coming due when nothing woke it. */
export const DELIVERY_POLL_MS = 1_000;
/** Deliveries claimed and sent at once. */
const BATCH = 20;

export function webhookTimeoutMs(env: string | undefined = process.env.WEBHOOK_TIMEOUT_MS): number {
  const value = Number(env);
  return Number.isFinite(value) && value > 0 ? value : DEFAULT_WEBHOOK_TIMEOUT_MS;
}

const portalUrl = () => process.env.PORTAL_URL ?? 'http://127.0.0.1:3000';

function metrics() {
  return notificationMetrics(() => getDb().webhookDelivery.count({ where: { status: 'pending' } }));
}

/** Refuses names that resolve to non-public addresses, checked on the address actually connected to. */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    const refused = addresses.find((a) => isNonPublicAddress(a.address));
    if (refused || addresses.length === 0)
      return callback(
        // Not which address: the delivery log is read by tenant admins, and internal DNS is not theirs to map.
        new Error(
          refused
            ? `${hostname} resolves to an address that is not public (WEBHOOK_ALLOW_PRIVATE_NETWORKS)`
            : `${hostname} resolves to no address`,
        ),
        '',
        0,
      );
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};

/** One POST: the receiver's status, or why none came (the answer's body is not read). */
export function postWebhook(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; allowPrivate: boolean },
): Promise<AttemptResult> {
  return new Promise((resolve) => {
    const target = new URL(url);
    const host = target.hostname.replace(/^\[|\]$/g, '');
    if (!options.allowPrivate && isIP(host) && isNonPublicAddress(host)) {
      resolve({ error: `${host} is not a public address (WEBHOOK_ALLOW_PRIVATE_NETWORKS)` });
      return;
    }
    const client = target.protocol === 'https:' ? https : http;
    const request = client.request(target, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      timeout: options.timeoutMs,
      ...(options.allowPrivate ? {} : { lookup: publicOnlyLookup }),
    });
    // The whole attempt, not only idle time, is bounded.
    const deadline = setTimeout(
      () => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    request.on('response', (response) => {
      clearTimeout(deadline);
      response.resume();
      resolve({ statusCode: response.statusCode ?? 0 });
    });
    request.on('error', (error) => {
      clearTimeout(deadline);
      resolve({ error: error.message.slice(0, 500) || 'the connection failed' });
    });
    request.end(body);
  });
}

interface Claimed {
  id: string;
  attempts: number;
  url: string;
  format: 'generic' | 'slack' | 'teams';
  secret: string;
  event: OutgoingEvent;
}

/** Claims up to BATCH due deliveries of enabled endpoints (a `test` event goes to a disabled one too), leased for `leaseMs`. */
async function claimDue(leaseMs: number): Promise<Claimed[]> {
  const ids = await getDb().$queryRaw<{ id: string }[]>`
    UPDATE webhook_deliveries d
    SET next_attempt_at = now() + make_interval(secs => ${leaseMs / 1000})
    WHERE d.id IN (
      SELECT w.id FROM webhook_deliveries w
      JOIN webhook_endpoints e ON e.id = w.endpoint_id
      JOIN notification_events n ON n.id = w.event_id
      WHERE w.status = 'pending' AND w.next_attempt_at <= now() AND (e.enabled OR n.kind = 'test')
      ORDER BY w.next_attempt_at
      LIMIT ${BATCH}
      FOR UPDATE OF w SKIP LOCKED
    )
    RETURNING d.id`;
  if (ids.length === 0) return [];
  const rows = await getDb().webhookDelivery.findMany({
    where: { id: { in: ids.map((r) => r.id) } },
    include: {
      endpoint: { select: { url: true, format: true, secret: true } },
      event: { include: { tenant: { select: { name: true } } } },
    },
  });
  return rows.map((row) => {
    const payload = storedPayloadSchema.safeParse(row.event.payload);
    return {
      id: row.id,
      attempts: row.attempts,
      url: row.endpoint.url,
      format: row.endpoint.format,
      secret: row.endpoint.secret,
      event: {
        id: row.event.id,
        kind: row.event.kind as NotificationKind,
        tenant: row.event.tenant.name,
        occurredAt: row.event.createdAt,
        subject: { type: row.event.subjectType, id: row.event.subjectId },
        title: payload.success ? payload.data.title : row.event.kind,
        link: payload.success ? payload.data.link : `/t/${row.event.tenant.name}`,
        data: payload.success ? payload.data.data : {},
      },
    };
  });
}

/** Sends one claimed delivery and records the attempt with the delivery's new state. */
async function deliverOne(delivery: Claimed, timeoutMs: number, allowPrivate: boolean): Promise<string> {
  const body = formatBody(delivery.format, delivery.event, portalUrl());
  const started = new Date();
  const result = await postWebhook(
    delivery.url,
    body,
    deliveryHeaders(delivery.event, delivery.secret, body, started),
    {
      timeoutMs,
      allowPrivate,
    },
  );
  const finished = new Date();
  const attempts = delivery.attempts + 1;
  const verdict = verdictAfter(result, attempts, finished);
  const statusCode = 'statusCode' in result ? result.statusCode : null;
  const error = 'error' in result ? result.error : null;
  await getDb().$transaction(async (tx) => {
    await tx.webhookDeliveryAttempt.create({
      data: {
        deliveryId: delivery.id,
        attemptedAt: started,
        statusCode,
        error,
        durationMs: finished.getTime() - started.getTime(),
      },
    });
    await tx.webhookDelivery.updateMany({
      where: { id: delivery.id, status: 'pending' },
      data: {
        attempts,
        lastStatusCode: statusCode,
        lastError: error,
        ...(verdict.status === 'delivered'
          ? { status: 'delivered', deliveredAt: finished }
          : verdict.status === 'pending'
            ? { nextAttemptAt: verdict.nextAttemptAt }
            : { status: 'failed_permanently' }),
      },
    });
  });
  const outcome = verdict.status === 'pending' ? 'retry' : verdict.status;
  metrics().webhookDeliveries.inc({ outcome });
  const fields = {
    delivery: delivery.id,
    event: delivery.event.id,
    kind: delivery.event.kind,
    tenant: delivery.event.tenant,
    attempt: attempts,
    statusCode,
    error,
    ms: finished.getTime() - started.getTime(),
  };
  if (verdict.status === 'delivered') {
    metrics().webhookDeliveryLatency.observe((finished.getTime() - delivery.event.occurredAt.getTime()) / 1000);
    log.info('webhook delivered', fields);
  } else if (verdict.status === 'pending')
    log.warn('webhook delivery failed; trying again', { ...fields, next: verdict.nextAttemptAt.toISOString() });
  else log.error('webhook delivery failed permanently', fields);
  return outcome;
}

/** One pass: claims what is due and delivers it; returns how many were attempted. */
export async function deliverDue(options: { timeoutMs?: number; allowPrivate?: boolean } = {}): Promise<number> {
  const timeoutMs = options.timeoutMs ?? webhookTimeoutMs();
  const allowPrivate = options.allowPrivate ?? privateNetworksAllowed();
  // The lease outlasts the longest attempt and its recording.
  const claimed = await claimDue(timeoutMs + 10_000);
  await Promise.all(
    claimed.map((delivery) =>
      deliverOne(delivery, timeoutMs, allowPrivate).catch((error: unknown) =>
        // Not recorded: the delivery stays pending, tried again after its lease.
        log.error('a webhook attempt could not be recorded', { delivery: delivery.id, error }),
      ),
    ),
  );
  return claimed.length;
}

export interface DeliveryLoop {
  /** Look now (an event was committed). */
  wake(): void;
  /** No further pass; waits for the one under way (at most `timeoutMs`). */
  stop(timeoutMs?: number): Promise<void>;
}

/** Delivers while `isLeader()`, woken by `wake()` and every `pollMs`. */
export function startDeliveryLoop(options: { isLeader: () => boolean; pollMs?: number; name: string }): DeliveryLoop {
  const pollMs = options.pollMs ?? DELIVERY_POLL_MS;
  let stopped = false;
  let woken: (() => void) | null = null;
  let again = false;

  const rest = () =>
    new Promise<void>((resolve) => {
      if (again || stopped) return resolve();
      const timer = setTimeout(() => {
        woken = null;
        resolve();
      }, pollMs);
      woken = () => {
        clearTimeout(timer);
        woken = null;
        resolve();
      };
    });

  const run = async () => {
    while (!stopped) {
      again = false;
      if (options.isLeader()) {
        try {
          // A full batch may have left more behind: go on at once.
          if ((await deliverDue()) >= BATCH) again = true;
        } catch (error) {
          log.error('webhook delivery pass failed', { worker: options.name, error });
        }
      }
      await rest();
    }
  };
  const running = run();

  return {
    wake() {
      again = true;
      woken?.();
    },
    async stop(timeoutMs = 20_000) {
      stopped = true;
      woken?.();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([running, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
    },
  };
}
