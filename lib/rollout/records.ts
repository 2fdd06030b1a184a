import type { Tx } from '../db/client';
import { getDb } from '../db/client';
import {
  idempotentActionSchema,
  parseRolloutEvent,
  recordRolloutEvent,
  type IdempotentAction,
  type IntentValues,
  type RolloutEventInput,
} from './events';

/** The rollout history the portal keeps: one row per canary, every decision as an event (lib/rollout/events.ts). */

/** Serialises everything that moves one endpoint, across processes, until the transaction ends. */
export async function lockEndpoint(tx: Tx, tenant: string, endpoint: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`rollout:${tenant}/${endpoint}`}))`;
}

export interface StartInput {
  tenantId: string;
  tenant: string;
  endpoint: string;
  promotionRequestId: string | null;
  modelName: string;
  version: string;
  storageUri: string;
  previousStorageUri: string;
  previousVersion: string | null;
  steps: number[];
  actor: string;
  /** Where the canary is now; defaults to the first step. */
  currentPercent?: number;
}

/** Starts tracking a canary; a newer rollout on the same endpoint supersedes the live one. Idempotent per promotion request. */
export async function startRollout(tx: Tx, input: StartInput) {
  await lockEndpoint(tx, input.tenant, input.endpoint);
  if (input.promotionRequestId) {
    const existing = await tx.rollout.findUnique({ where: { promotionRequestId: input.promotionRequestId } });
    if (existing) return existing;
  }
  const live = await tx.rollout.findMany({
    where: { tenantId: input.tenantId, endpoint: input.endpoint, state: 'progressing' },
  });
  for (const old of live) {
    await tx.rollout.update({ where: { id: old.id }, data: { state: 'superseded', finishedAt: new Date() } });
    // An action still pending on it can no longer be finished: the new version owns the endpoint.
    for (const intent of await pendingIntentsOf([old.id], tx)) {
      await recordRolloutEvent(
        tx,
        old.id,
        intent.actor,
        {
          kind: 'failed',
          decision: 'failed',
          reason: `Not confirmed: v${input.version} of ${input.modelName} took over the endpoint before the outcome of this action was recorded; the endpoint now serves the new version`,
          values: { action: intent.action, error: 'superseded before its outcome was recorded' },
        },
        { intentId: intent.id },
      );
    }
    await recordRolloutEvent(tx, old.id, input.actor, {
      kind: 'supersede',
      decision: 'superseded',
      reason: `v${input.version} of ${input.modelName} took over the endpoint`,
      values: { by: input.version },
    });
  }
  const percent = input.currentPercent ?? input.steps[0]!;
  const rollout = await tx.rollout.create({
    data: {
      tenantId: input.tenantId,
      endpoint: input.endpoint,
      promotionRequestId: input.promotionRequestId,
      modelName: input.modelName,
      version: input.version,
      storageUri: input.storageUri,
      previousStorageUri: input.previousStorageUri,
      previousVersion: input.previousVersion,
      steps: input.steps,
      currentPercent: percent,
      state: percent >= 100 ? 'promoted' : 'progressing',
      finishedAt: percent >= 100 ? new Date() : null,
    },
  });
  await recordRolloutEvent(tx, rollout.id, input.actor, startEvent({ ...input, percent }));
  return rollout;
}

/** The `start` event of a rollout of `version` at `percent` (100: deployed whole, no canary). */
export function startEvent(rollout: {
  version: string;
  percent: number;
  storageUri: string;
  previousStorageUri: string;
  steps: number[];
}): RolloutEventInput {
  const { version, percent } = rollout;
  return {
    kind: 'start',
    decision: percent >= 100 ? 'deployed' : 'canary started',
    reason:
      percent >= 100
        ? `v${version} deployed (no earlier version to compare with)`
        : `v${version} receives ${percent} % of traffic`,
    values: {
      canaryTrafficPercent: percent,
      storageUri: rollout.storageUri,
      previousStorageUri: rollout.previousStorageUri,
      steps: rollout.steps,
    },
  };
}

/** Who filed the promotion request a rollout came from (the person its news concerns), if any. */
export async function requesterOf(tx: Tx, rollout: { promotionRequestId: string | null }): Promise<string | null> {
  if (!rollout.promotionRequestId) return null;
  const request = await tx.promotionRequest.findUnique({
    where: { id: rollout.promotionRequestId },
    select: { requesterId: true },
  });
  return request?.requesterId ?? null;
}

/** An intent without an outcome: an action asked for whose result is not recorded yet. */
const PENDING_INTENT = { kind: 'intent', outcome: { is: null } } as const;

/**
 * The live rollouts automatic judgment checks: those with an action still pending are left to the
 * worker's pass over unfinished actions (lib/rollout/actions.ts) until it is settled.
 */
export async function liveRollouts() {
  return getDb().rollout.findMany({
    where: { state: 'progressing', tenant: { status: 'active' }, events: { none: PENDING_INTENT } },
    include: { tenant: { select: { name: true } } },
  });
}

export interface PendingIntent {
  id: bigint;
  rolloutId: string;
  occurredAt: Date;
  actor: string;
  reason: string;
  /** null when the stored row does not say (it was not written by recordRolloutEvent). */
  action: IdempotentAction | null;
  /** What it asks the cluster to serve; null when its values do not read. */
  target: IntentValues['target'] | null;
}

/** The actions pending on these rollouts (at most one each), oldest first. */
export async function pendingIntentsOf(rolloutIds: string[], db: Tx = getDb()): Promise<PendingIntent[]> {
  if (rolloutIds.length === 0) return [];
  const rows = await db.rolloutEvent.findMany({
    where: { rolloutId: { in: rolloutIds }, ...PENDING_INTENT },
    orderBy: { id: 'asc' },
  });
  return rows.map((row) => {
    const parsed = parseRolloutEvent(row);
    const values = parsed.ok && parsed.event.kind === 'intent' ? parsed.event.values : null;
    return {
      id: row.id,
      rolloutId: row.rolloutId,
      occurredAt: row.occurredAt,
      actor: row.actor,
      reason: row.reason,
      action: values?.action ?? idempotentActionSchema.safeParse(row.idempotencyAction).data ?? null,
      target: values?.target ?? null,
    };
  });
}

export async function rolloutsOf(tenant: string, endpoint: string) {
  return getDb().rollout.findMany({
    where: { tenant: { name: tenant }, endpoint },
    orderBy: { createdAt: 'desc' },
    take: 20,
  });
}

/** Whether `rolloutId` is one of the endpoint's recent rollouts in this tenant: what an action names must be what it acts on. */
export async function isRolloutOf(tenant: string, endpoint: string, rolloutId: string): Promise<boolean> {
  return (await rolloutsOf(tenant, endpoint)).some((r) => r.id === rolloutId);
}

export async function eventsOf(rolloutIds: string[], limit = 200) {
  return getDb().rolloutEvent.findMany({
    where: { rolloutId: { in: rolloutIds } },
    orderBy: { id: 'desc' },
    take: limit,
  });
}
