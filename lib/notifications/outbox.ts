/**
 * The outbox: `emitNotification` writes one event inside the caller's transaction — the one that
 * makes the change the event reports — and fans it out there, to the inboxes of the people it
 * reaches (recipients.ts) and to a delivery per enabled webhook endpoint of the tenant that takes
 * its kind. So an event exists exactly when its cause committed: never lost, never emitted for a
 * change that rolled back. The worker delivers the webhooks afterwards, outside any transaction
 * (delivery.ts); `pg_notify` wakes it as the transaction commits (and not at all if it does not).
 */
import type { Principal, TenantRole } from '../auth/authorize';
import type { PlatformRole as DbPlatformRole } from '../db/generated/enums';
import type { Prisma } from '../db/generated/client';
import type { Tx } from '../db/client';
import { storableJson } from '../audit/sanitize';
import { parseNotificationData, type NotificationInput } from './kinds';
import { recipientsOf } from './recipients';

/** The channel the worker's delivery loop listens on. */
export const OUTBOX_CHANNEL = 'mlp_notification_outbox';

export interface EmitOptions {
  /** The promotion request's requester, for the kinds that concern them. */
  requesterId?: string | null;
  /** Who caused the event: not told about their own action. */
  actorId?: string | null;
  /** Deliver to this endpoint only and to nobody's inbox (the `test` event). */
  onlyEndpointId?: string;
}

export interface Emitted {
  eventId: string;
  recipients: number;
  deliveries: number;
}

const fromDbRole = (role: DbPlatformRole) => role.replace('_', '-') as Principal['platformRoles'][number];

/** The people who might receive the event, as the authorization module sees them. */
async function candidatesFor(tx: Tx, tenantId: string, kind: string, requesterId: string | null) {
  const users = await tx.user.findMany({
    where: {
      OR: [
        { memberships: { some: { tenantId } } },
        { subscriptions: { some: { tenantId, kind, subscribed: true } } },
        ...(requesterId ? [{ id: requesterId }] : []),
      ],
    },
    select: {
      id: true,
      platformRoles: true,
      memberships: { select: { role: true, tenant: { select: { name: true } } } },
      subscriptions: { where: { tenantId, kind }, select: { subscribed: true } },
    },
  });
  const principals: Principal[] = users.map((user) => ({
    id: user.id,
    platformRoles: user.platformRoles.map(fromDbRole),
    memberships: user.memberships.map((m) => ({ tenant: m.tenant.name, role: m.role as TenantRole })),
  }));
  const subscriptions = new Map(
    users.flatMap((user) =>
      user.subscriptions.map((s) => [user.id, s.subscribed ? ('all' as const) : ('none' as const)] as const),
    ),
  );
  return { principals, subscriptions };
}

/** Writes the event and its fan-out in `tx`; throws (so the caller's change rolls back with it) on a bug such as data that does not fit its kind. */
export async function emitNotification(tx: Tx, input: NotificationInput, options: EmitOptions = {}): Promise<Emitted> {
  const data = parseNotificationData(input.kind, input.data);
  const tenant = await tx.tenant.findUniqueOrThrow({
    where: { name: input.tenant },
    select: { id: true, status: true },
  });
  const payload = storableJson({ title: input.title, link: input.link, data }) as Prisma.InputJsonValue;
  const event = await tx.notificationEvent.create({
    data: {
      kind: input.kind,
      tenantId: tenant.id,
      subjectType: input.subject.type,
      subjectId: input.subject.id.slice(0, 300),
      payload,
    },
    select: { id: true },
  });

  let recipients: string[] = [];
  if (!options.onlyEndpointId) {
    const requesterId = options.requesterId ?? null;
    const { principals, subscriptions } = await candidatesFor(tx, tenant.id, input.kind, requesterId);
    recipients = recipientsOf(
      {
        kind: input.kind,
        tenant: input.tenant,
        tenantStatus: tenant.status,
        requesterId,
        actorId: options.actorId ?? null,
      },
      principals,
      subscriptions,
    );
    if (recipients.length > 0)
      await tx.inboxItem.createMany({ data: recipients.map((userId) => ({ eventId: event.id, userId })) });
  }

  const endpoints = await tx.webhookEndpoint.findMany({
    where: options.onlyEndpointId
      ? { id: options.onlyEndpointId, tenantId: tenant.id }
      : { tenantId: tenant.id, enabled: true, OR: [{ kinds: { isEmpty: true } }, { kinds: { has: input.kind } }] },
    select: { id: true },
  });
  if (endpoints.length > 0) {
    await tx.webhookDelivery.createMany({
      data: endpoints.map((endpoint) => ({ eventId: event.id, endpointId: endpoint.id })),
    });
    // Delivered to the listening worker when (and only if) the transaction commits.
    await tx.$executeRaw`SELECT pg_notify(${OUTBOX_CHANNEL}, ${event.id})`;
  }
  return { eventId: event.id, recipients: recipients.length, deliveries: endpoints.length };
}
