import type { Tx } from '../db/client';
import type { Prisma } from '../db/generated/client';
import { getDb } from '../db/client';

/** The rollout history the portal keeps: one row per canary, every decision as an event. */

export interface EventInput {
  rolloutId: string;
  kind: 'start' | 'check' | 'step' | 'promote' | 'rollback' | 'pause' | 'supersede';
  actor: string;
  decision: string;
  reason: string;
  values: Record<string, unknown>;
  idempotencyKey?: string;
  /** What the key is used for; by default the action the transaction was started for (see useIdempotencyAction). */
  idempotencyAction?: string;
}

// The action each transaction acting on a rollout was started for (rollout events are append-only,
// so an event carries its key's action from the start).
const keyActions = new WeakMap<object, string>();

/** While `tx` runs, an event written with an idempotency key records that the key was used for `action`. */
export function useIdempotencyAction(tx: Tx, action: string): void {
  keyActions.set(tx, action);
}

export async function appendEvent(tx: Tx, event: EventInput) {
  const idempotencyAction = event.idempotencyKey ? (event.idempotencyAction ?? keyActions.get(tx) ?? null) : null;
  return tx.rolloutEvent.create({ data: { ...event, idempotencyAction, values: event.values as Prisma.InputJsonValue } });
}

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
  const live = await tx.rollout.findMany({ where: { tenantId: input.tenantId, endpoint: input.endpoint, state: 'progressing' } });
  for (const old of live) {
    await tx.rollout.update({ where: { id: old.id }, data: { state: 'superseded', finishedAt: new Date() } });
    await appendEvent(tx, { rolloutId: old.id, kind: 'supersede', actor: input.actor, decision: 'superseded', reason: `v${input.version} of ${input.modelName} took over the endpoint`, values: { by: input.version } });
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
  await appendEvent(tx, {
    rolloutId: rollout.id,
    kind: 'start',
    actor: input.actor,
    decision: percent >= 100 ? 'deployed' : 'canary started',
    reason: percent >= 100 ? `v${input.version} deployed (no earlier version to compare with)` : `v${input.version} receives ${percent} % of traffic`,
    values: { canaryTrafficPercent: percent, storageUri: input.storageUri, previousStorageUri: input.previousStorageUri, steps: input.steps },
  });
  return rollout;
}

export async function liveRollouts() {
  return getDb().rollout.findMany({ where: { state: 'progressing', tenant: { status: 'active' } }, include: { tenant: { select: { name: true } } } });
}

export async function rolloutsOf(tenant: string, endpoint: string) {
  return getDb().rollout.findMany({ where: { tenant: { name: tenant }, endpoint }, orderBy: { createdAt: 'desc' }, take: 20 });
}

export async function eventsOf(rolloutIds: string[], limit = 200) {
  return getDb().rolloutEvent.findMany({ where: { rolloutId: { in: rolloutIds } }, orderBy: { id: 'desc' }, take: limit });
}
