/**
 * The notification vocabulary: every event kind (named in ./kind-names.ts), the data its payload carries (one zod schema
 * each, checked before an event is written), who it concerns by default, and what a person must
 * be allowed to read to see it. Pure: no I/O.
 */
import { z } from 'zod';
import type { TenantAction } from '../auth/authorize';
import { NOTIFICATION_KINDS, SUBSCRIBABLE_KINDS, type NotificationKind } from './kind-names';

export const notificationKindSchema = z.enum(NOTIFICATION_KINDS);
export const subscribableKindSchema = z.enum(SUBSCRIBABLE_KINDS, { message: 'Unknown event kind' });

const promotionRef = {
  requestId: z.uuid(),
  model: z.string(),
  version: z.string(),
  endpoint: z.string(),
  /** The requester's name (a person, or a pipeline's service token). */
  requester: z.string(),
};

const rolloutRef = {
  rolloutId: z.uuid(),
  endpoint: z.string(),
  model: z.string(),
  version: z.string(),
  /** The promotion request that started the rollout, when it came from one. */
  requestId: z.uuid().nullable(),
};

const gateSummary = z.object({ id: z.string(), label: z.string(), passed: z.boolean(), blocking: z.boolean() });

/** The `data` of each kind's payload. */
export const NOTIFICATION_DATA = {
  'promotion.requested': z.object({
    ...promotionRef,
    requiredApprovals: z.number().int(),
    gates: z.array(gateSummary),
  }),
  'promotion.approved': z.object({ ...promotionRef, approvers: z.array(z.string()) }),
  'promotion.rejected': z.object({ ...promotionRef, rejectedBy: z.string(), comment: z.string() }),
  /**
   * A gate failed: a blocking one refused the filing (`filed: false`, no request exists), or a
   * non-blocking one failed on a request that was filed (`filed: true`).
   */
  'promotion.gate_failed': z.object({
    requestId: z.uuid().nullable(),
    model: z.string(),
    version: z.string(),
    requester: z.string(),
    filed: z.boolean(),
    failed: z.array(gateSummary.extend({ detail: z.string() })),
  }),
  'canary.step': z.object({
    ...rolloutRef,
    fromPercent: z.number(),
    /** 100 when the version now serves all traffic (promoted). */
    toPercent: z.number(),
    actor: z.string(),
    reason: z.string(),
  }),
  'rollout.rolled_back.automatic': z.object({
    ...rolloutRef,
    previousVersion: z.string().nullable(),
    percent: z.number().nullable(),
    reason: z.string(),
    /** The canary's numbers that drove the decision, when judgment read them. */
    errorRate: z.number().nullable(),
    p99Ms: z.number().nullable(),
  }),
  'rollout.rolled_back.manual': z.object({
    ...rolloutRef,
    previousVersion: z.string().nullable(),
    percent: z.number().nullable(),
    reason: z.string(),
    actor: z.string(),
  }),
  'judgment.paused': z.object({ ...rolloutRef, percent: z.number(), reason: z.string() }),
  'quota.gpu_high': z.object({
    used: z.number(),
    hard: z.number(),
    /** used / hard, 0–1. */
    share: z.number(),
    threshold: z.number(),
  }),
  'slo.fast_burn': z.object({
    endpoint: z.string(),
    objective: z.enum(['availability', 'latency']),
    /** The objective's target, e.g. 0.999. */
    target: z.number(),
    window: z.string(),
    longBurnRate: z.number(),
    shortBurnRate: z.number(),
    factor: z.number(),
  }),
  /** A served model's inputs drift: features whose drift score (0–1) is above the tenant policy's threshold. */
  'model.drift': z.object({
    endpoint: z.string(),
    threshold: z.number(),
    /** The policy's version the threshold is from; 0 for the defaults. */
    policyVersion: z.number().int(),
    features: z.array(z.object({ feature: z.string(), score: z.number() })),
  }),
  test: z.object({ webhookId: z.uuid(), webhookName: z.string(), requestedBy: z.string() }),
} as const satisfies Record<NotificationKind, z.ZodType>;

export type NotificationData<K extends NotificationKind> = z.output<(typeof NOTIFICATION_DATA)[K]>;

/** An event before it is written: the kind's data, its subject, and the sentence and link people see. */
export type NotificationInput = {
  [K in NotificationKind]: {
    kind: K;
    tenant: string;
    subject: { type: 'promotion-request' | 'rollout' | 'quota' | 'slo' | 'endpoint' | 'webhook'; id: string };
    /** One sentence for people, e.g. "fraud: v7 of fraud-model was rolled back automatically …". */
    title: string;
    /** The portal path it is about, e.g. /t/fraud/promotions/<id>. */
    link: string;
    data: NotificationData<K>;
  };
}[NotificationKind];

/** What is stored in `payload`: the sentence, the link and the data. */
export const storedPayloadSchema = z.object({
  title: z.string(),
  link: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type StoredPayload = z.output<typeof storedPayloadSchema>;

/** What a person must be allowed to do in the event's tenant to see it (in the inbox, or subscribe to it). */
export const READ_ACTION: Record<NotificationKind, TenantAction> = {
  'promotion.requested': 'promotion.read',
  'promotion.approved': 'promotion.read',
  'promotion.rejected': 'promotion.read',
  'promotion.gate_failed': 'promotion.read',
  'canary.step': 'deployment.read',
  'rollout.rolled_back.automatic': 'deployment.read',
  'rollout.rolled_back.manual': 'deployment.read',
  'judgment.paused': 'deployment.read',
  'quota.gpu_high': 'gpu.read',
  'slo.fast_burn': 'slo.read',
  'model.drift': 'deployment.read',
  test: 'notification.webhook.manage',
};

/**
 * Whom each kind concerns when nobody chose otherwise (lib/notifications/recipients.ts reads it):
 * - `approvers`: members who may decide on the request (never its requester);
 * - `requester`: the person who filed the promotion request (or set up the pipeline's token);
 * - `operators`: members who may operate the tenant's deployments (roll back, promote);
 * - `admins`: the tenant's admins;
 * - `owners`: the tenant's model owners — members with the approver role or above (PRODUCT.md's
 *   "Approver / model owner"), for what concerns a model rather than one request.
 */
export type Audience = 'approvers' | 'requester' | 'operators' | 'admins' | 'owners';
export const DEFAULT_AUDIENCE: Record<NotificationKind, readonly Audience[]> = {
  'promotion.requested': ['approvers'],
  'promotion.approved': ['requester'],
  'promotion.rejected': ['requester'],
  'promotion.gate_failed': ['requester'],
  'canary.step': ['requester'],
  'rollout.rolled_back.automatic': ['requester', 'operators'],
  'rollout.rolled_back.manual': ['requester', 'operators'],
  'judgment.paused': ['requester', 'operators'],
  'quota.gpu_high': ['admins'],
  'slo.fast_burn': ['operators'],
  'model.drift': ['owners'],
  test: [],
};

/** Parses an event's data with its kind's schema (throws on a mismatch: a bug in the emitting code). */
export function parseNotificationData<K extends NotificationKind>(kind: K, data: unknown): NotificationData<K> {
  return NOTIFICATION_DATA[kind].parse(data) as NotificationData<K>;
}
