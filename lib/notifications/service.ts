/**
 * Notifications for the pages: a person's inbox and subscription settings, and a tenant's
 * outgoing webhooks (create, change, delete, send a test event, read the delivery log). Every
 * function takes the signed-in user and asks the one authorization module (`can`); every change
 * is audited in its own transaction, a refused one as denied. The inputs' zod schemas are exported
 * beside the functions: the server actions parse with them, and the functions parse again.
 *
 * A webhook's secret is returned once, by createWebhook (and updateWebhook with `rotateSecret`),
 * and never read again by anything but the worker that signs with it.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { can, type TenantStatus } from '../auth/authorize';
import type { SessionUser } from '../auth/users';
import { recordAudit, recordAuditAlone, type Actor } from '../audit/log';
import { getDb } from '../db/client';
import type { Prisma } from '../db/generated/client';
import type { WebhookFormat } from '../db/generated/enums';
import { UserFacingError } from '../errors';
import { tenantNameSchema } from '../tenancy/names';
import { KIND_LABELS, SUBSCRIBABLE_KINDS, type NotificationKind, type SubscribableKind } from './kind-names';
import {
  DEFAULT_AUDIENCE,
  notificationKindSchema,
  READ_ACTION,
  storedPayloadSchema,
  subscribableKindSchema,
} from './kinds';
import { emitNotification } from './outbox';
import { concernedByDefault, SUBSCRIPTION_MODES, type SubscriptionMode } from './recipients';
import { maskedWebhookUrl, webhookUrlProblem } from './webhook-url';

export class NotificationRefusedError extends UserFacingError {
  constructor(message: string, field?: string) {
    super(message, field);
    this.name = 'NotificationRefusedError';
  }
}

const actorOf = (user: SessionUser): Actor & { id: string } => ({ id: user.id, name: user.username });

/** A form's checkbox ("on"), a JSON boolean, or "true"/"false". */
const checkbox = z.preprocess(
  (value) => (value === 'on' || value === 'true' ? true : value === 'false' || value === '' ? false : value),
  z.boolean(),
);

// ---------------------------------------------------------------------------------------------
// The inbox

export const listInboxSchema = z.object({
  unreadOnly: checkbox.default(false),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Keyset pagination: items older than this one (its id). */
  before: z.uuid().optional(),
});

export interface InboxEntry {
  id: string;
  eventId: string;
  kind: NotificationKind;
  kindLabel: string;
  tenant: string;
  /** The sentence for people. */
  title: string;
  /** The portal path it is about. */
  link: string;
  occurredAt: Date;
  readAt: Date | null;
  /** The kind's data (kinds.ts NOTIFICATION_DATA). */
  data: Record<string, unknown>;
}

export interface InboxPage {
  items: InboxEntry[];
  /** Pass as `before` for the next page; absent on the last. */
  nextBefore?: string;
}

function mayRead(user: SessionUser, kind: string, tenant: { name: string; status: TenantStatus }): boolean {
  const parsed = notificationKindSchema.safeParse(kind);
  return (
    parsed.success &&
    can(user, READ_ACTION[parsed.data], { kind: 'tenant', tenant: tenant.name, status: tenant.status })
  );
}

function requirePerson(user: SessionUser): void {
  if (!can(user, 'notification.inbox', { kind: 'self' }))
    throw new NotificationRefusedError('Only a signed-in person has an inbox.');
}

/**
 * The user's inbox, newest first. Items of a tenant or kind the user may no longer read are left
 * out (permissions are judged now, not when the item was made).
 */
export async function listInbox(user: SessionUser, raw: z.input<typeof listInboxSchema> = {}): Promise<InboxPage> {
  requirePerson(user);
  const input = listInboxSchema.parse(raw);
  const cursor = input.before
    ? await getDb().inboxItem.findFirst({
        where: { id: input.before, userId: user.id },
        select: { createdAt: true, id: true },
      })
    : null;
  const rows = await getDb().inboxItem.findMany({
    where: {
      userId: user.id,
      ...(input.unreadOnly ? { readAt: null } : {}),
      ...(cursor
        ? { OR: [{ createdAt: { lt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { lt: cursor.id } }] }
        : {}),
    },
    include: { event: { include: { tenant: { select: { name: true, status: true } } } } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: input.limit + 1,
  });
  const page = rows.slice(0, input.limit);
  const items = page
    .filter((row) => mayRead(user, row.event.kind, row.event.tenant))
    .map((row): InboxEntry => {
      const payload = storedPayloadSchema.safeParse(row.event.payload);
      const kind = row.event.kind as NotificationKind;
      return {
        id: row.id,
        eventId: row.eventId,
        kind,
        kindLabel: KIND_LABELS[kind],
        tenant: row.event.tenant.name,
        title: payload.success ? payload.data.title : KIND_LABELS[kind],
        link: payload.success ? payload.data.link : `/t/${row.event.tenant.name}`,
        occurredAt: row.event.createdAt,
        readAt: row.readAt,
        data: payload.success ? payload.data.data : {},
      };
    });
  return { items, ...(rows.length > input.limit ? { nextBefore: page[page.length - 1]!.id } : {}) };
}

/** Unread items the user may still read: the shell's badge. */
export async function unreadCount(user: SessionUser): Promise<number> {
  if (!can(user, 'notification.inbox', { kind: 'self' })) return 0;
  const groups = await getDb().$queryRaw<{ tenant: string; status: TenantStatus; kind: string; count: bigint }[]>`
    SELECT t.name AS tenant, t.status::text AS status, e.kind, count(*) AS count
    FROM inbox_items i
    JOIN notification_events e ON e.id = i.event_id
    JOIN tenants t ON t.id = e.tenant_id
    WHERE i.user_id = ${user.id}::uuid AND i.read_at IS NULL
    GROUP BY t.name, t.status, e.kind`;
  return groups
    .filter((g) => mayRead(user, g.kind, { name: g.tenant, status: g.status }))
    .reduce((sum, g) => sum + Number(g.count), 0);
}

export const markReadSchema = z.union([
  z.object({ all: z.literal(true) }),
  z.object({ ids: z.array(z.uuid('That is not an inbox item')).min(1).max(200) }),
]);

/** Marks the user's own items (some, or all) read; others' ids change nothing. Returns how many changed. */
export async function markRead(user: SessionUser, raw: z.input<typeof markReadSchema>): Promise<{ marked: number }> {
  requirePerson(user);
  const input = markReadSchema.parse(raw);
  const changed = await getDb().inboxItem.updateMany({
    where: { userId: user.id, readAt: null, ...('ids' in input ? { id: { in: input.ids } } : {}) },
    data: { readAt: new Date() },
  });
  return { marked: changed.count };
}

// ---------------------------------------------------------------------------------------------
// Subscriptions

export interface KindSubscription {
  kind: SubscribableKind;
  label: string;
  /** default: the events that concern them; all: every event of the kind in the tenant; none. */
  mode: SubscriptionMode;
  /** Whether `default` can reach them at all in this tenant (e.g. approval requests need the approver role). */
  concernsByDefault: boolean;
}

export interface TenantSubscriptions {
  tenant: string;
  displayName: string;
  kinds: KindSubscription[];
}

/** The requester of a request the settings page imagines an approver deciding on: not the user. */
const ANOTHER_PERSON = '00000000-0000-0000-0000-000000000000';

/** For the settings page: every tenant the user may see, each kind they may read there, and their choice. */
export async function getSubscriptions(user: SessionUser): Promise<TenantSubscriptions[]> {
  requirePerson(user);
  const [tenants, rows] = await Promise.all([
    getDb().tenant.findMany({
      where: { status: { not: 'archived' } },
      select: { id: true, name: true, displayName: true, status: true },
      orderBy: { name: 'asc' },
    }),
    getDb().notificationSubscription.findMany({ where: { userId: user.id } }),
  ]);
  const chosen = new Map<string, SubscriptionMode>(
    rows.map((r) => [`${r.tenantId}/${r.kind}`, r.subscribed ? 'all' : 'none']),
  );
  return tenants
    .filter((t) => can(user, 'tenant.view', { kind: 'tenant', tenant: t.name, status: t.status }))
    .map((t) => ({
      tenant: t.name,
      displayName: t.displayName,
      kinds: SUBSCRIBABLE_KINDS.filter((kind) => mayRead(user, kind, t)).map((kind) => ({
        kind,
        label: KIND_LABELS[kind],
        mode: chosen.get(`${t.id}/${kind}`) ?? 'default',
        // Approvers are judged on someone else's request (nobody approves their own); the requester
        // of a request is anyone who may file one; the other audiences follow the role.
        concernsByDefault: DEFAULT_AUDIENCE[kind].some((audience) =>
          concernedByDefault(user, [audience], {
            tenant: t.name,
            tenantStatus: t.status,
            requesterId:
              audience === 'approvers'
                ? ANOTHER_PERSON
                : can(user, 'promotion.request', { kind: 'tenant', tenant: t.name, status: t.status })
                  ? user.id
                  : null,
          }),
        ),
      })),
    }))
    .filter((t) => t.kinds.length > 0);
}

export const setSubscriptionsSchema = z.object({
  changes: z
    .array(
      z.object({
        tenant: tenantNameSchema,
        kind: subscribableKindSchema,
        mode: z.enum(SUBSCRIPTION_MODES, { message: 'Choose default, all or none' }),
      }),
    )
    .min(1, 'Nothing to change')
    .max(500),
});

/** Saves the user's choices (each for a kind they may read in a tenant they may see); audited. */
export async function setSubscriptions(
  user: SessionUser,
  raw: z.input<typeof setSubscriptionsSchema>,
): Promise<{ changed: number }> {
  requirePerson(user);
  const { changes } = setSubscriptionsSchema.parse(raw);
  const names = [...new Set(changes.map((c) => c.tenant))];
  const tenants = new Map(
    (
      await getDb().tenant.findMany({ where: { name: { in: names } }, select: { id: true, name: true, status: true } })
    ).map((t) => [t.name, t]),
  );
  const refused = changes.filter((c) => {
    const tenant = tenants.get(c.tenant);
    return !tenant || tenant.status === 'archived' || !mayRead(user, c.kind, tenant);
  });
  if (refused.length > 0) {
    await recordAuditAlone({
      actor: actorOf(user),
      action: 'notification.subscriptions',
      outcome: 'denied',
      reason: 'a tenant or event kind the user may not see',
      after: { refused: refused.slice(0, 20) },
    });
    throw new NotificationRefusedError(
      `You may not subscribe to ${refused
        .slice(0, 3)
        .map((c) => `${KIND_LABELS[c.kind]} in ${c.tenant}`)
        .join(', ')}.`,
    );
  }
  await getDb().$transaction(async (tx) => {
    for (const change of changes) {
      const tenantId = tenants.get(change.tenant)!.id;
      const key = { userId_tenantId_kind: { userId: user.id, tenantId, kind: change.kind } };
      if (change.mode === 'default') await tx.notificationSubscription.deleteMany({ where: key.userId_tenantId_kind });
      else
        await tx.notificationSubscription.upsert({
          where: key,
          create: { ...key.userId_tenantId_kind, subscribed: change.mode === 'all' },
          update: { subscribed: change.mode === 'all' },
        });
    }
    await recordAudit(tx, {
      actor: actorOf(user),
      action: 'notification.subscriptions',
      target: { type: 'user', id: user.id },
      after: { changes },
      outcome: 'success',
    });
  });
  return { changed: changes.length };
}

// ---------------------------------------------------------------------------------------------
// Webhooks

export const WEBHOOK_FORMATS = ['generic', 'slack', 'teams'] as const satisfies readonly WebhookFormat[];

const webhookUrlSchema = z
  .string()
  .trim()
  .min(1, 'Enter the receiver’s URL')
  .max(2000, 'At most 2,000 characters')
  .superRefine((url, ctx) => {
    const problem = webhookUrlProblem(url);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

// A form sends the kinds as one comma-separated field (or none for every kind); a JSON caller as a list.
const kindsSchema = z.preprocess(
  (value) => (typeof value === 'string' ? value.split(/[\s,]+/).filter(Boolean) : value),
  z.array(subscribableKindSchema).max(SUBSCRIBABLE_KINDS.length),
);

const webhookRef = z.object({ tenant: tenantNameSchema, webhookId: z.uuid('That is not a webhook id') });

export const createWebhookSchema = z.object({
  tenant: tenantNameSchema,
  name: z.string().trim().min(1, 'Name the webhook, e.g. after its channel').max(100, 'At most 100 characters'),
  url: webhookUrlSchema,
  format: z.enum(WEBHOOK_FORMATS, { message: 'Choose generic, Slack or Teams' }).default('generic'),
  /** Empty: every kind. */
  kinds: kindsSchema.default([]),
  enabled: checkbox.default(true),
});

export const updateWebhookSchema = webhookRef.extend({
  name: createWebhookSchema.shape.name.optional(),
  /** Blank (the edit form's field, which never shows the stored URL): unchanged. */
  url: z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    webhookUrlSchema.optional(),
  ),
  format: z.enum(WEBHOOK_FORMATS, { message: 'Choose generic, Slack or Teams' }).optional(),
  kinds: kindsSchema.optional(),
  enabled: checkbox.optional(),
  /** A new secret, returned once; the old one stops signing at once. */
  rotateSecret: checkbox.default(false),
});

export const deleteWebhookSchema = webhookRef;
export const sendTestEventSchema = webhookRef;
export const deliveryLogSchema = webhookRef.extend({ limit: z.coerce.number().int().min(1).max(200).default(50) });

export interface WebhookSummary {
  id: string;
  tenant: string;
  name: string;
  url: string;
  format: WebhookFormat;
  /** Empty: every kind. */
  kinds: SubscribableKind[];
  enabled: boolean;
  /** `whsec_` and the secret's next characters, so people can recognise it; never the secret. */
  secretPrefix: string;
  createdByName: string;
  createdAt: Date;
  updatedAt: Date;
  deliveries: { pending: number; failedPermanently: number; lastDeliveredAt: Date | null };
}

export interface WebhookWithSecret {
  webhook: WebhookSummary;
  /** Shown once: the receiver verifies `X-MLP-Signature` with it. */
  secret: string;
}

/** Never `secret`: what any page may read of an endpoint. */
const SUMMARY_FIELDS = {
  id: true,
  name: true,
  url: true,
  format: true,
  kinds: true,
  enabled: true,
  secretPrefix: true,
  createdByName: true,
  createdAt: true,
  updatedAt: true,
  tenant: { select: { name: true } },
} as const satisfies Prisma.WebhookEndpointSelect;

function newWebhookSecret(): { secret: string; prefix: string } {
  const secret = `whsec_${randomBytes(32).toString('base64url')}`;
  return { secret, prefix: secret.slice(0, 12) };
}

type EndpointRow = Prisma.WebhookEndpointGetPayload<{ select: typeof SUMMARY_FIELDS }>;

/** A webhook as its audit rows describe it: never the secret, and the URL masked (it is a credential). */
function audited(webhook: {
  name: string;
  url: string;
  format: string;
  kinds: readonly string[];
  enabled: boolean;
  secretPrefix: string;
}) {
  const { name, url, format, kinds, enabled, secretPrefix } = webhook;
  return { name, url: maskedWebhookUrl(url), format, kinds, enabled, secretPrefix };
}

async function summaries(rows: EndpointRow[]): Promise<WebhookSummary[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [counts, delivered] = await Promise.all([
    getDb().webhookDelivery.groupBy({
      by: ['endpointId', 'status'],
      where: { endpointId: { in: ids }, status: { in: ['pending', 'failed_permanently'] } },
      _count: { _all: true },
    }),
    getDb().webhookDelivery.groupBy({
      by: ['endpointId'],
      where: { endpointId: { in: ids }, status: 'delivered' },
      _max: { deliveredAt: true },
    }),
  ]);
  return rows.map((row) => {
    const count = (status: 'pending' | 'failed_permanently') =>
      counts.find((c) => c.endpointId === row.id && c.status === status)?._count._all ?? 0;
    return {
      ...row,
      url: maskedWebhookUrl(row.url),
      tenant: row.tenant.name,
      kinds: row.kinds.filter((k): k is SubscribableKind => subscribableKindSchema.safeParse(k).success),
      deliveries: {
        pending: count('pending'),
        failedPermanently: count('failed_permanently'),
        lastDeliveredAt: delivered.find((d) => d.endpointId === row.id)?._max.deliveredAt ?? null,
      },
    };
  });
}

/** The tenant, if the user may manage its webhooks; otherwise the refusal is audited and thrown. */
async function manageableTenant(user: SessionUser, tenant: string, action: string, target?: string) {
  const row = await getDb().tenant.findUnique({
    where: { name: tenant },
    select: { id: true, name: true, status: true },
  });
  if (row && can(user, 'notification.webhook.manage', { kind: 'tenant', tenant, status: row.status })) return row;
  await recordAuditAlone({
    actor: actorOf(user),
    action,
    tenant,
    target: target ? { type: 'webhook', id: target } : null,
    outcome: 'denied',
    reason: row ? 'not an admin of the tenant' : 'no such tenant',
  });
  throw new NotificationRefusedError('Only an admin of the tenant may manage its webhooks.');
}

async function findWebhook(tenantId: string, webhookId: string) {
  const row = await getDb().webhookEndpoint.findFirst({ where: { id: webhookId, tenantId }, select: SUMMARY_FIELDS });
  if (!row) throw new NotificationRefusedError('There is no such webhook in this tenant.');
  return row;
}

/** A tenant's webhooks, for its admins (never a secret). */
export async function listWebhooks(user: SessionUser, tenant: string): Promise<WebhookSummary[]> {
  const name = tenantNameSchema.parse(tenant);
  const row = await getDb().tenant.findUnique({ where: { name }, select: { id: true, status: true } });
  if (!row || !can(user, 'notification.webhook.manage', { kind: 'tenant', tenant: name, status: row.status }))
    throw new NotificationRefusedError('Only an admin of the tenant may see its webhooks.');
  const rows = await getDb().webhookEndpoint.findMany({
    where: { tenantId: row.id },
    select: SUMMARY_FIELDS,
    orderBy: { createdAt: 'asc' },
    take: 200,
  });
  return summaries(rows);
}

/** Creates a webhook of an active tenant; the secret is in the answer, once. Audited. */
export async function createWebhook(
  user: SessionUser,
  raw: z.input<typeof createWebhookSchema>,
): Promise<WebhookWithSecret> {
  const input = createWebhookSchema.parse(raw);
  const tenant = await manageableTenant(user, input.tenant, 'notification.webhook.create');
  if (tenant.status !== 'active') throw new NotificationRefusedError('Webhooks are only made for active tenants.');
  const { secret, prefix } = newWebhookSecret();
  const row = await getDb().$transaction(async (tx) => {
    const created = await tx.webhookEndpoint.create({
      data: {
        tenantId: tenant.id,
        name: input.name,
        url: input.url,
        format: input.format,
        kinds: input.kinds,
        enabled: input.enabled,
        secret,
        secretPrefix: prefix,
        createdById: user.id,
        createdByName: user.username,
      },
      select: SUMMARY_FIELDS,
    });
    await recordAudit(tx, {
      actor: actorOf(user),
      action: 'notification.webhook.create',
      tenant: input.tenant,
      target: { type: 'webhook', id: created.id },
      after: audited({ ...input, secretPrefix: prefix }),
      outcome: 'success',
    });
    return created;
  });
  const [webhook] = await summaries([row]);
  return { webhook: webhook!, secret };
}

/** Changes a webhook; with `rotateSecret` the new secret is in the answer, once. Audited (before and after). */
export async function updateWebhook(
  user: SessionUser,
  raw: z.input<typeof updateWebhookSchema>,
): Promise<{ webhook: WebhookSummary; secret?: string }> {
  const input = updateWebhookSchema.parse(raw);
  const tenant = await manageableTenant(user, input.tenant, 'notification.webhook.update', input.webhookId);
  const before = await findWebhook(tenant.id, input.webhookId);
  const rotated = input.rotateSecret ? newWebhookSecret() : null;
  const change = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.url !== undefined ? { url: input.url } : {}),
    ...(input.format !== undefined ? { format: input.format } : {}),
    ...(input.kinds !== undefined ? { kinds: input.kinds } : {}),
    ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
  };
  const row = await getDb().$transaction(async (tx) => {
    const updated = await tx.webhookEndpoint.update({
      where: { id: before.id },
      data: { ...change, ...(rotated ? { secret: rotated.secret, secretPrefix: rotated.prefix } : {}) },
      select: SUMMARY_FIELDS,
    });
    await recordAudit(tx, {
      actor: actorOf(user),
      action: 'notification.webhook.update',
      tenant: input.tenant,
      target: { type: 'webhook', id: before.id },
      before: audited(before),
      after: {
        ...change,
        ...(change.url !== undefined ? { url: maskedWebhookUrl(change.url) } : {}),
        ...(rotated ? { secretPrefix: rotated.prefix } : {}),
      },
      outcome: 'success',
    });
    return updated;
  });
  const [webhook] = await summaries([row]);
  return { webhook: webhook!, ...(rotated ? { secret: rotated.secret } : {}) };
}

/** Deletes a webhook with its deliveries and their log. Audited. */
export async function deleteWebhook(user: SessionUser, raw: z.input<typeof deleteWebhookSchema>): Promise<void> {
  const input = deleteWebhookSchema.parse(raw);
  const tenant = await manageableTenant(user, input.tenant, 'notification.webhook.delete', input.webhookId);
  const before = await findWebhook(tenant.id, input.webhookId);
  await getDb().$transaction(async (tx) => {
    await tx.webhookEndpoint.delete({ where: { id: before.id } });
    await recordAudit(tx, {
      actor: actorOf(user),
      action: 'notification.webhook.delete',
      tenant: input.tenant,
      target: { type: 'webhook', id: before.id },
      before: audited(before),
      outcome: 'success',
    });
  });
}

/**
 * Enqueues a `test` event for this one endpoint (even a disabled one: the admin asked for it);
 * the worker delivers it like any other. Returns the event's id, which the delivery log shows.
 */
export async function sendTestEvent(
  user: SessionUser,
  raw: z.input<typeof sendTestEventSchema>,
): Promise<{ eventId: string }> {
  const input = sendTestEventSchema.parse(raw);
  const tenant = await manageableTenant(user, input.tenant, 'notification.webhook.test', input.webhookId);
  const webhook = await findWebhook(tenant.id, input.webhookId);
  return getDb().$transaction(async (tx) => {
    const emitted = await emitNotification(
      tx,
      {
        kind: 'test',
        tenant: input.tenant,
        subject: { type: 'webhook', id: webhook.id },
        title: `${input.tenant}: test event for the webhook "${webhook.name}", sent by ${user.username}`,
        link: `/t/${input.tenant}`,
        data: { webhookId: webhook.id, webhookName: webhook.name, requestedBy: user.username },
      },
      { onlyEndpointId: webhook.id, actorId: user.id },
    );
    await recordAudit(tx, {
      actor: actorOf(user),
      action: 'notification.webhook.test',
      tenant: input.tenant,
      target: { type: 'webhook', id: webhook.id },
      after: { eventId: emitted.eventId },
      outcome: 'success',
    });
    return { eventId: emitted.eventId };
  });
}

export interface DeliveryAttemptEntry {
  attemptedAt: Date;
  /** The receiver's HTTP status; null when it did not answer. */
  statusCode: number | null;
  /** Why no answer came (timeout, connection refused…), or a short note on a refused answer. */
  error: string | null;
  durationMs: number;
}

export interface DeliveryLogEntry {
  deliveryId: string;
  eventId: string;
  kind: NotificationKind;
  title: string;
  occurredAt: Date;
  status: 'pending' | 'delivered' | 'failed-permanently';
  attempts: number;
  nextAttemptAt: Date | null;
  deliveredAt: Date | null;
  lastStatusCode: number | null;
  /** Newest first. */
  attemptLog: DeliveryAttemptEntry[];
}

/** A webhook's latest deliveries, newest first, each with every attempt. */
export async function deliveryLog(
  user: SessionUser,
  raw: z.input<typeof deliveryLogSchema>,
): Promise<DeliveryLogEntry[]> {
  const input = deliveryLogSchema.parse(raw);
  const row = await getDb().tenant.findUnique({ where: { name: input.tenant }, select: { id: true, status: true } });
  if (!row || !can(user, 'notification.webhook.manage', { kind: 'tenant', tenant: input.tenant, status: row.status }))
    throw new NotificationRefusedError('Only an admin of the tenant may read its webhooks’ deliveries.');
  await findWebhook(row.id, input.webhookId);
  const deliveries = await getDb().webhookDelivery.findMany({
    where: { endpointId: input.webhookId },
    include: {
      event: { select: { kind: true, payload: true, createdAt: true } },
      attemptLog: { orderBy: { id: 'desc' }, take: 50 },
    },
    orderBy: { createdAt: 'desc' },
    take: input.limit,
  });
  return deliveries.map((d) => {
    const payload = storedPayloadSchema.safeParse(d.event.payload);
    const kind = d.event.kind as NotificationKind;
    return {
      deliveryId: d.id,
      eventId: d.eventId,
      kind,
      title: payload.success ? payload.data.title : KIND_LABELS[kind],
      occurredAt: d.event.createdAt,
      status: d.status === 'failed_permanently' ? 'failed-permanently' : d.status,
      attempts: d.attempts,
      nextAttemptAt: d.status === 'pending' ? d.nextAttemptAt : null,
      deliveredAt: d.deliveredAt,
      lastStatusCode: d.lastStatusCode,
      attemptLog: d.attemptLog.map((a) => ({
        attemptedAt: a.attemptedAt,
        statusCode: a.statusCode,
        error: a.error,
        durationMs: a.durationMs,
      })),
    };
  });
}

export { KIND_LABELS, SUBSCRIBABLE_KINDS, type NotificationKind, type SubscribableKind };
