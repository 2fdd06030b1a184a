/**
 * Every notification kind and its name for people. Without zod, so the webhook pages' client code
 * can import them without shipping it; the payload schemas are in ./kinds.ts.
 */

export const NOTIFICATION_KINDS = [
  'promotion.requested',
  'promotion.approved',
  'promotion.rejected',
  'promotion.gate_failed',
  'canary.step',
  'rollout.rolled_back.automatic',
  'rollout.rolled_back.manual',
  'judgment.paused',
  'quota.gpu_high',
  'slo.fast_burn',
  'model.drift',
  'test',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** The kinds people subscribe to and endpoints filter on: `test` goes to the one endpoint it tests. */
export const SUBSCRIBABLE_KINDS = NOTIFICATION_KINDS.filter(
  (kind): kind is Exclude<NotificationKind, 'test'> => kind !== 'test',
);
export type SubscribableKind = (typeof SUBSCRIBABLE_KINDS)[number];

export const KIND_LABELS: Record<NotificationKind, string> = {
  'promotion.requested': 'Promotion requested',
  'promotion.approved': 'Promotion approved',
  'promotion.rejected': 'Promotion rejected',
  'promotion.gate_failed': 'Promotion gate failed',
  'canary.step': 'Canary step taken',
  'rollout.rolled_back.automatic': 'Automatic rollback',
  'rollout.rolled_back.manual': 'Manual rollback',
  'judgment.paused': 'Judgment paused',
  'quota.gpu_high': 'GPU quota above 90 %',
  'slo.fast_burn': 'SLO fast burn',
  'model.drift': 'Model input drift',
  test: 'Test event',
};
