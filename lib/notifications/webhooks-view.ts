/**
 * A webhook's page as plain JSON (dates as ISO strings): the page renders it and its live route
 * sends the same shape while deliveries are pending. Reads only, through service.ts, which
 * authorizes (tenant admins) and never returns a secret.
 */
import type { SessionUser } from '../auth/users';
import { deliveryLog, listWebhooks, type DeliveryLogEntry, type WebhookSummary } from './service';

/** The latest deliveries a webhook's page shows. */
export const DELIVERY_LOG_LIMIT = 50;

type Json<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };

export type WebhookJson = Omit<Json<WebhookSummary>, 'deliveries'> & {
  deliveries: Json<WebhookSummary['deliveries']>;
};
export type DeliveryAttemptJson = Json<DeliveryLogEntry['attemptLog'][number]>;
export type DeliveryJson = Omit<Json<DeliveryLogEntry>, 'attemptLog'> & { attemptLog: DeliveryAttemptJson[] };

export interface WebhookDetailView {
  /** When this view was read. */
  at: string;
  webhook: WebhookJson;
  /** Newest first. */
  deliveries: DeliveryJson[];
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function webhookJson(webhook: WebhookSummary): WebhookJson {
  return {
    ...webhook,
    createdAt: webhook.createdAt.toISOString(),
    updatedAt: webhook.updatedAt.toISOString(),
    deliveries: { ...webhook.deliveries, lastDeliveredAt: iso(webhook.deliveries.lastDeliveredAt) },
  };
}

function deliveryJson(entry: DeliveryLogEntry): DeliveryJson {
  return {
    ...entry,
    occurredAt: entry.occurredAt.toISOString(),
    nextAttemptAt: iso(entry.nextAttemptAt),
    deliveredAt: iso(entry.deliveredAt),
    attemptLog: entry.attemptLog.map((attempt) => ({ ...attempt, attemptedAt: attempt.attemptedAt.toISOString() })),
  };
}

/**
 * One webhook of a tenant with its latest deliveries, or null when the tenant has no such webhook.
 * Throws NotificationRefusedError for anyone but the tenant's admins.
 */
export async function webhookDetail(
  user: SessionUser,
  tenant: string,
  webhookId: string,
): Promise<WebhookDetailView | null> {
  const webhook = (await listWebhooks(user, tenant)).find((w) => w.id === webhookId);
  if (!webhook) return null;
  const deliveries = await deliveryLog(user, { tenant, webhookId, limit: DELIVERY_LOG_LIMIT });
  return { at: new Date().toISOString(), webhook: webhookJson(webhook), deliveries: deliveries.map(deliveryJson) };
}
