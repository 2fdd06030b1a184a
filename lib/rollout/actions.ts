/**
 * Rollback and promote — by people from the canary dashboard and by automatic judgment — with no
 * cluster write inside a database transaction:
 *
 * 1. the intent is recorded and committed: an `intent` event (pending) with its idempotency key,
 *    under the rollout's lock, after the key, the rollout's state and any action still pending
 *    were checked;
 * 2. the InferenceService is written (read-modify-write, retried on 409 with a fresh read);
 * 3. the outcome is recorded in a second short transaction: the rollout's new state, a `rollback`,
 *    `step` or `promote` event naming the intent, and the audit event — or a `failed` event.
 *
 * A crash or a failed commit anywhere leaves an intent without an outcome. The dashboard shows it
 * in words, judgment leaves the rollout alone, and the worker settles it after a grace period like
 * it finishes an interrupted promotion deployment (lib/promotion/deploy.ts): it reads the live
 * InferenceService and records the outcome if the cluster already shows it, applies it again if
 * the cluster still shows what the action started from, or records why it failed.
 */
import { randomUUID } from 'node:crypto';
import { recordAudit, type Actor } from '../audit/log';
import { getDb, type Tx } from '../db/client';
import type { Rollout } from '../db/generated/client';
import { UserFacingError } from '../errors';
import { formatTime } from '../format';
import { inferenceServices, PORTAL_ACTOR, type InferenceService, type KubeActor } from '../integrations/kubernetes';
import { mlflowFor } from '../integrations/mlflow';
import { UpstreamError } from '../integrations/upstream';
import { log } from '../observability/logger';
import { rollbackAnnotations, rollbackToAnnotations } from '../promotion/evidence';
import { nextStep } from '../promotion/policy';
import {
  idempotentActionSchema,
  isRollback,
  parseRolloutEvent,
  recordRolloutEvent,
  servedWords,
  type IdempotentAction,
  type IntentValues,
  type JudgmentValues,
  type RolloutEventInput,
  type RollbackTo,
  type Traffic,
} from './events';
import { rolloutOutcome } from '../notifications/events';
import { emitNotification } from '../notifications/outbox';
import { lockEndpoint, pendingIntentsOf, requesterOf } from './records';

/** Who acts: the name kept in the audit log and rollout history, and the identity used at the Kubernetes API. */
export interface Operator {
  actor: Actor;
  kube: KubeActor;
}

/** Set on an InferenceService by a rollback: the version whose canary was rolled back. */
export const ROLLED_BACK_ANNOTATION = 'mlp.example.com/rolled-back-version';

export const WORKER: Operator = { actor: { name: 'worker' }, kube: PORTAL_ACTOR };

export interface ActionOutcome {
  /** False when nothing was done because it had been done already (a repeated click, a finished rollout) or another action is under way. */
  changed: boolean;
  message: string;
}

/**
 * Points between the steps of an action, for tests that stop a process or fail the database
 * there. Nothing in the product passes them.
 */
export interface ActionHooks {
  /** The intent is committed; the API server is not written yet. */
  afterIntent?: () => Promise<void>;
  /** The API server took the change; its outcome is not recorded yet. */
  afterClusterWrite?: () => Promise<void>;
  /** Inside the outcome's transaction, before it commits. */
  beforeOutcomeCommit?: (tx: Tx) => Promise<void>;
}

/** How long after it was asked for the worker still applies an action that never reached the cluster; older ones are reported as failed. */
export const REAPPLY_WITHIN_MS = 10 * 60_000;

const ACTION_WORDS: Record<IdempotentAction, string> = {
  rollback: 'a rollback',
  'rollback-to-version': 'a rollback to a chosen version',
  'promote-next': 'a promotion to the next step',
  'promote-full': 'a promotion to 100 %',
};

/** A key's later attempts after a failed one: `<key>#2`, `<key>#3`… (people's keys are UUIDs, so never contain '#'). */
const ATTEMPT_SEPARATOR = '#';

async function lockRollout(tx: Tx, tenant: string, rolloutId: string): Promise<Rollout | null> {
  const rows = await tx.$queryRaw<{ id: string }[]>`
    SELECT r.id FROM rollouts r JOIN tenants t ON t.id = r.tenant_id WHERE r.id = ${rolloutId}::uuid AND t.name = ${tenant} FOR UPDATE OF r`;
  if (rows.length === 0) return null;
  const rollout = await tx.rollout.findUniqueOrThrow({ where: { id: rolloutId } });
  await lockEndpoint(tx, tenant, rollout.endpoint);
  return rollout;
}

const TRANSACTION = { timeout: 20_000, maxWait: 10_000 };

export function describeIsvc(isvc: InferenceService): Traffic {
  return {
    storageUri: isvc.spec.predictor.model?.storageUri ?? null,
    canaryTrafficPercent: isvc.spec.predictor.canaryTrafficPercent ?? null,
  };
}

const showsTarget = (traffic: Traffic, target: IntentValues['target']) =>
  traffic.storageUri === target.storageUri && traffic.canaryTrafficPercent === target.canaryTrafficPercent;

/**
 * Whether a failed write certainly left the cluster unchanged: the portal's own check refused it
 * before writing, or the API server answered with a refusal (4xx). A timeout, a lost connection or
 * a server error may come after the change was stored, so those leave the outcome to be read back.
 */
export function refusedForSure(error: unknown): boolean {
  if (error instanceof UserFacingError) return true;
  return error instanceof UpstreamError && error.status !== undefined && error.status >= 400 && error.status < 500;
}

/** An error in words safe for the rollout history, which every viewer of the tenant reads. */
function errorWords(error: unknown): string {
  if (error instanceof UserFacingError || error instanceof UpstreamError) return error.message;
  return "an internal error (the portal's log has the details)";
}

/** A committed intent, as the steps after it need it. */
interface Intent {
  id: bigint;
  rolloutId: string;
  tenant: string;
  endpoint: string;
  actor: string;
  reason: string;
  askedAt: Date;
  values: IntentValues;
}

// ---------------------------------------------------------------------------------------------
// Step 1: the intent

interface ActionRequest {
  action: IdempotentAction;
  key: string | undefined;
  reason: string;
  /** The values of the automatic judgment that decided it. */
  judgment?: JudgmentValues;
  /** Automatic judgment: act only while the canary is still at the percent it judged. */
  judgedAtPercent?: number;
  /** A rollback to a chosen version (rollback-to.ts). */
  chosen?: ChosenVersion;
}

/** What a rollback to a chosen version was asked with, read before its intent is recorded. */
export interface ChosenVersion {
  /**
   * The version's target, or why it is refused — judged after the key's history, so that a
   * repeated key is answered (the version chosen serves by then, so is no longer a target).
   */
  choice: { target: RollbackTo } | { refusal: string };
  /** What the InferenceService served when the targets were read; the write goes ahead only if it still does. */
  serving: { storageUri: string; percent: number; version: string | null };
}

/** What a key was used for before on this rollout: the latest attempt's state. */
async function keyHistory(tx: Tx, rolloutId: string, key: string) {
  const rows = await tx.rolloutEvent.findMany({
    where: {
      rolloutId,
      OR: [{ idempotencyKey: key }, { idempotencyKey: { startsWith: `${key}${ATTEMPT_SEPARATOR}` } }],
    },
    include: { outcome: { select: { kind: true } } },
    orderBy: { id: 'desc' },
  });
  const latest = rows[0];
  if (!latest) return null;
  // Before intents, the action's own event carried the key: it was done.
  const state =
    latest.kind !== 'intent'
      ? 'done'
      : !latest.outcome
        ? 'pending'
        : latest.outcome.kind === 'failed'
          ? 'failed'
          : 'done';
  return {
    state,
    reason: latest.reason,
    action: idempotentActionSchema.safeParse(latest.idempotencyAction).data ?? null,
    attempts: rows.length,
  };
}

function plan(rollout: Rollout, action: IdempotentAction): IntentValues['target'] {
  if (action === 'rollback-to-version')
    throw new Error('a rollback to a chosen version is planned from the version chosen');
  if (action === 'rollback') {
    if (!rollout.previousStorageUri)
      throw new UserFacingError(
        'This rollout does not know the previous stable version, so it cannot be rolled back automatically.',
      );
    return { storageUri: rollout.previousStorageUri, canaryTrafficPercent: 0 };
  }
  const step = action === 'promote-full' ? 100 : (nextStep(rollout.steps, rollout.currentPercent) ?? 100);
  // At 100 % the canary field goes: KServe then serves the latest revision alone.
  return { storageUri: rollout.storageUri, canaryTrafficPercent: step >= 100 ? null : step };
}

type Begun = { answer: ActionOutcome } | { intent: Intent };

/**
 * Records the intent under the rollout's lock, or answers without acting: a repeated key (keys
 * belong to one rollout and one action; one used for another action is refused), a finished
 * rollout, another action still pending, a canary that moved since it was judged.
 */
async function beginAction(
  operator: Operator,
  tenant: string,
  rolloutId: string,
  request: ActionRequest,
): Promise<Begun> {
  return getDb().$transaction(async (tx): Promise<Begun> => {
    const rollout = await lockRollout(tx, tenant, rolloutId);
    if (!rollout) throw new UserFacingError('There is no such rollout in this tenant.');
    let key = request.key;
    if (request.key) {
      const earlier = await keyHistory(tx, rollout.id, request.key);
      if (earlier) {
        if (earlier.action && earlier.action !== request.action) {
          throw new UserFacingError(
            `This request's key was already used for ${ACTION_WORDS[earlier.action] ?? 'another action'} of this rollout, so ${ACTION_WORDS[request.action]} was not done. Reload the page and try again.`,
          );
        }
        if (earlier.state === 'done') return { answer: { changed: false, message: `Already done: ${earlier.reason}` } };
        if (earlier.state === 'pending')
          return {
            answer: {
              changed: false,
              message: `Already under way: ${earlier.reason}. The page shows the outcome once it is recorded.`,
            },
          };
        // The key's last attempt failed: this one tries again, as the key's next attempt.
        key = `${request.key}${ATTEMPT_SEPARATOR}${earlier.attempts + 1}`;
      }
    }
    if (request.chosen) {
      // Any rollout but the endpoint's latest describes what served before: a rollback there would
      // undo a newer deployment, and the versions offered were read for an endpoint that has moved on.
      const latest = await tx.rollout.findFirst({
        where: { tenantId: rollout.tenantId, endpoint: rollout.endpoint },
        orderBy: { createdAt: 'desc' },
        select: { id: true },
      });
      if (latest?.id !== rollout.id || rollout.state === 'superseded')
        return {
          answer: {
            changed: false,
            message: `Nothing done: a newer version was deployed on ${rollout.endpoint} since this rollout. Reload the versions it can be rolled back to and choose again.`,
          },
        };
      if ('refusal' in request.chosen.choice) throw new UserFacingError(request.chosen.choice.refusal);
    } else if (rollout.state !== 'progressing') {
      return {
        answer: {
          changed: false,
          message: `Nothing to do: this rollout is already ${rollout.state.replace('_', ' ')}.`,
        },
      };
    }
    const [pending] = await pendingIntentsOf([rollout.id], tx);
    if (pending) {
      const what = pending.action ? ACTION_WORDS[pending.action] : 'an action';
      return {
        answer: {
          changed: false,
          message: `Nothing done: ${what} asked for by ${pending.actor} at ${formatTime(pending.occurredAt)} is still under way. The page shows its outcome once it is recorded.`,
        },
      };
    }
    if (request.judgedAtPercent !== undefined && rollout.currentPercent !== request.judgedAtPercent) {
      return {
        answer: {
          changed: false,
          message: `Nothing to do: the canary moved from ${request.judgedAtPercent} % to ${rollout.currentPercent} % since it was judged.`,
        },
      };
    }
    const kube = { kube: operator.kube, ...(operator.actor.id ? { actorId: operator.actor.id } : {}) };
    const values: IntentValues =
      request.chosen && 'target' in request.chosen.choice
        ? {
            action: request.action,
            // No canary share: all traffic to the chosen version's revision once it is ready (with a
            // canary share of 0, KServe would keep the last rolled-out revision, not the chosen one).
            target: { storageUri: request.chosen.choice.target.storageUri, canaryTrafficPercent: null },
            from: { storageUri: request.chosen.serving.storageUri, percent: request.chosen.serving.percent },
            version: request.chosen.serving.version ?? rollout.version,
            previousVersion: request.chosen.choice.target.version,
            ...kube,
            to: request.chosen.choice.target,
          }
        : {
            action: request.action,
            target: plan(rollout, request.action),
            from: { storageUri: rollout.storageUri, percent: rollout.currentPercent },
            version: rollout.version,
            previousVersion: rollout.previousVersion,
            ...kube,
            ...(request.judgment ? { judgment: request.judgment } : {}),
          };
    const row = await recordRolloutEvent(
      tx,
      rollout.id,
      operator.actor.name,
      { kind: 'intent', decision: 'pending', reason: request.reason, values },
      { idempotency: { key: key ?? randomUUID(), action: request.action } },
    );
    return {
      intent: {
        id: row.id,
        rolloutId: rollout.id,
        tenant,
        endpoint: rollout.endpoint,
        actor: operator.actor.name,
        reason: request.reason,
        askedAt: row.occurredAt,
        values,
      },
    };
  }, TRANSACTION);
}

// ---------------------------------------------------------------------------------------------
// Step 2: the cluster

/** Writes the intent's target on the InferenceService as `kube`; nothing when it is there already. */
async function writeCluster(intent: Intent, kube: KubeActor): Promise<{ before: Traffic; after: Traffic }> {
  const { values } = intent;
  const seen: { before?: Traffic } = {};
  const updated = await inferenceServices(intent.tenant, kube).update(intent.endpoint, (current) => {
    seen.before = describeIsvc(current);
    if (showsTarget(seen.before, values.target)) return null;
    const predictor = current.spec.predictor;
    // Only this rollout's canary is moved: a model put there since (a newer deployment, a break-glass change) is not overwritten.
    if (predictor.model?.storageUri !== values.from.storageUri) {
      throw new UserFacingError(
        `${intent.endpoint} no longer serves v${values.version}: it was changed outside this rollout.`,
      );
    }
    if (values.to) {
      // The chosen version alone, with its own evidence, so the cluster's admission guard judges it.
      const { canaryTrafficPercent: _dropped, ...rest } = predictor;
      return {
        ...current,
        metadata: {
          ...current.metadata,
          annotations: rollbackToAnnotations(current.metadata.annotations, values.to.evidence, {
            key: ROLLED_BACK_ANNOTATION,
            version: values.version,
            storageUri: values.from.storageUri,
          }),
        },
        spec: {
          ...current.spec,
          predictor: {
            ...rest,
            minReplicas: Math.max(1, predictor.minReplicas ?? 1),
            model: { ...predictor.model, storageUri: values.target.storageUri },
          },
        },
      };
    }
    if (values.action === 'rollback') {
      // All traffic back to the previous stable version — canaryTrafficPercent 0 *and* its
      // storageUri, since a percentage alone does not bring back a scaled-to-zero revision — with
      // its evidence, so the cluster's admission guard sees what serves.
      return {
        ...current,
        metadata: {
          ...current.metadata,
          annotations: rollbackAnnotations(current.metadata.annotations, {
            key: ROLLED_BACK_ANNOTATION,
            version: values.version,
          }),
        },
        spec: {
          ...current.spec,
          predictor: {
            ...predictor,
            canaryTrafficPercent: 0,
            model: { ...predictor.model, storageUri: values.target.storageUri },
          },
        },
      };
    }
    const { canaryTrafficPercent: _dropped, ...rest } = predictor;
    const percent = values.target.canaryTrafficPercent;
    return {
      ...current,
      spec: { ...current.spec, predictor: percent === null ? rest : { ...rest, canaryTrafficPercent: percent } },
    };
  });
  return { before: seen.before ?? describeIsvc(updated), after: describeIsvc(updated) };
}

// ---------------------------------------------------------------------------------------------
// Step 3: the outcome

interface Recorded {
  /** Set when the worker recorded it, after the process that asked stopped before it could. */
  recordedBy?: 'worker';
  reapplied?: boolean;
}

function outcomeEvent(
  intent: Intent,
  change: { before: Traffic | null; after: Traffic },
  recorded: Recorded,
): RolloutEventInput {
  const { values } = intent;
  const shared = { ...values.judgment, before: change.before, after: change.after, ...recorded };
  if (isRollback(values.action)) {
    return {
      kind: 'rollback',
      decision: 'rolled-back',
      reason: intent.reason,
      values: {
        ...shared,
        version: values.version,
        previousVersion: values.previousVersion,
        ...(values.to ? { toRequestId: values.to.requestId } : {}),
      },
    };
  }
  const percent = values.target.canaryTrafficPercent;
  if (percent === null) return { kind: 'promote', decision: 'promoted', reason: intent.reason, values: shared };
  return { kind: 'step', decision: `stepped to ${percent} %`, reason: intent.reason, values: shared };
}

const auditActor = (intent: Intent): Actor => ({
  ...(intent.values.actorId ? { id: intent.values.actorId } : {}),
  name: intent.actor,
});
const auditTarget = (intent: Intent) => ({ type: 'inference-service', id: `${intent.tenant}/${intent.endpoint}` });

/** The change the cluster took, in one short transaction: rollout state, history, audit. False when the intent was settled already (by the worker, another replica, a newer deployment). */
async function recordOutcome(
  intent: Intent,
  change: { before: Traffic | null; after: Traffic },
  recorded: Recorded,
  beforeCommit?: (tx: Tx) => Promise<void>,
): Promise<boolean> {
  return getDb().$transaction(async (tx) => {
    const rollout = await lockRollout(tx, intent.tenant, intent.rolloutId);
    if (!rollout) throw new Error(`rollout ${intent.rolloutId} of ${intent.tenant} is gone`);
    if (await tx.rolloutEvent.findUnique({ where: { intentId: intent.id }, select: { id: true } })) return false;
    const { action, target, to } = intent.values;
    const now = new Date();
    if (isRollback(action)) {
      await tx.rollout.update({
        where: { id: rollout.id },
        data: { state: 'rolled_back', currentPercent: 0, finishedAt: rollout.finishedAt ?? now },
      });
    } else {
      const percent = target.canaryTrafficPercent ?? 100;
      const promoted = percent >= 100;
      await tx.rollout.update({
        where: { id: rollout.id },
        data: {
          currentPercent: percent,
          stepStartedAt: now,
          state: promoted ? 'promoted' : 'progressing',
          finishedAt: promoted ? now : null,
        },
      });
    }
    const event = outcomeEvent(intent, change, recorded);
    await recordRolloutEvent(tx, rollout.id, intent.actor, event, { intentId: intent.id });
    // Told in the same transaction: the event exists exactly when the outcome does.
    const metrics = intent.values.judgment?.metrics;
    await emitNotification(
      tx,
      // A rollback to a chosen version goes from what served to that version.
      rolloutOutcome(
        intent.tenant,
        to ? { ...rollout, version: intent.values.version, previousVersion: to.version } : rollout,
        {
          action: isRollback(action) ? 'rollback' : 'step',
          // Automatic judgment's actions, and only they, carry the values that decided them.
          automatic: intent.values.judgment !== undefined,
          actor: intent.actor,
          reason: intent.reason,
          fromPercent: rollout.currentPercent,
          toPercent: isRollback(action) ? 0 : (target.canaryTrafficPercent ?? 100),
          canary: metrics && 'canary' in metrics ? metrics.canary : null,
        },
      ),
      { requesterId: await requesterOf(tx, rollout), actorId: intent.values.actorId ?? null },
    );
    await recordAudit(tx, {
      actor: auditActor(intent),
      action:
        event.kind === 'rollback'
          ? 'deployment.rollback'
          : event.kind === 'promote'
            ? 'deployment.promote'
            : 'deployment.step',
      tenant: intent.tenant,
      target: auditTarget(intent),
      before: change.before,
      after: to ? { ...change.after, version: to.version, request: to.requestId } : change.after,
      outcome: 'success',
      reason: intent.reason,
    });
    await beforeCommit?.(tx);
    return true;
  }, TRANSACTION);
}

/**
 * An action that did not happen, and why. The worker's verdicts are audited here; a person's
 * failed attempt is audited by the server action that reports it to them.
 */
async function recordFailure(
  intent: Intent,
  error: string,
  observed: Traffic | null | undefined,
  recorded: Recorded,
): Promise<boolean> {
  return getDb().$transaction(async (tx) => {
    const rollout = await lockRollout(tx, intent.tenant, intent.rolloutId);
    if (!rollout) throw new Error(`rollout ${intent.rolloutId} of ${intent.tenant} is gone`);
    if (await tx.rolloutEvent.findUnique({ where: { intentId: intent.id }, select: { id: true } })) return false;
    const values = {
      action: intent.values.action,
      error,
      ...(observed !== undefined ? { observed } : {}),
      ...(recorded.recordedBy ? { recordedBy: recorded.recordedBy } : {}),
    };
    await recordRolloutEvent(
      tx,
      rollout.id,
      intent.actor,
      { kind: 'failed', decision: 'failed', reason: `Not done: ${error}`, values },
      { intentId: intent.id },
    );
    if (recorded.recordedBy) {
      await recordAudit(tx, {
        actor: auditActor(intent),
        action: isRollback(intent.values.action) ? 'deployment.rollback' : 'deployment.promote',
        tenant: intent.tenant,
        target: auditTarget(intent),
        outcome: 'failed',
        reason: `${intent.reason}: not done: ${error}`,
      });
    }
    return true;
  }, TRANSACTION);
}

function doneMessage(intent: Intent): string {
  const { values } = intent;
  if (values.to)
    return `Rolled back ${intent.endpoint} to v${values.to.version}: it takes all traffic once its revision is ready.`;
  if (values.action === 'rollback')
    return `Rolled back ${intent.endpoint} to its previous version${values.previousVersion ? ` (v${values.previousVersion})` : ''}.`;
  const percent = values.target.canaryTrafficPercent;
  return percent === null
    ? `v${values.version} now serves all traffic on ${intent.endpoint}.`
    : `v${values.version} now receives ${percent} % of traffic.`;
}

/** After a rollback the registry's alias points at what serves again (unless someone moved it meanwhile). */
async function restoreAlias(intent: Intent): Promise<void> {
  const { tenant, rolloutId, actor } = intent;
  const rollout = await getDb().rollout.findUniqueOrThrow({
    where: { id: rolloutId },
    include: { promotionRequest: true },
  });
  const to = intent.values.to;
  // Back to the previous version: only a rollout of the portal's promotions moved the alias. To a chosen one: from what served.
  if (!to && (!rollout.promotionRequest || !rollout.previousVersion)) return;
  const from = to ? intent.values.version : rollout.version;
  const back = to ? to.version : rollout.previousVersion!;
  const alias = (rollout.promotionRequest?.policy as { alias?: string } | undefined)?.alias ?? 'champion';
  try {
    const mlflow = mlflowFor(tenant);
    const model = await mlflow.getRegisteredModel(rollout.modelName);
    if (model.aliases.find((a) => a.alias === alias)?.version !== from) return;
    await mlflow.setRegisteredModelAlias(rollout.modelName, alias, back);
    await mlflow.setModelVersionTag(rollout.modelName, from, 'mlp.rolled_back_at', new Date().toISOString());
  } catch (error) {
    log.error('could not move the alias back after a rollback', { tenant, rollout: rolloutId, error });
    const words = errorWords(error);
    await getDb().$transaction((tx) =>
      recordRolloutEvent(tx, rolloutId, actor, {
        kind: 'alias',
        decision: 'alias not restored',
        reason: `The ${alias} alias still points at v${from}: ${words}`,
        values: { alias, version: from, error: words },
      }),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// The actions

async function act(
  operator: Operator,
  tenant: string,
  rolloutId: string,
  request: ActionRequest,
  hooks: ActionHooks,
): Promise<ActionOutcome> {
  const begun = await beginAction(operator, tenant, rolloutId, request);
  if ('answer' in begun) return begun.answer;
  const { intent } = begun;
  await hooks.afterIntent?.();

  let change: { before: Traffic; after: Traffic };
  try {
    change = await writeCluster(intent, operator.kube);
  } catch (error) {
    if (!refusedForSure(error)) {
      // Whether the API server stored the change is unknown: the intent stays pending and the worker reads the cluster to settle it.
      log.error('a rollout action may or may not have reached the cluster; the worker settles it', {
        tenant,
        rollout: rolloutId,
        intent: intent.id.toString(),
        error,
      });
      throw new UserFacingError(
        `${errorWords(error)}. Whether the change reached the cluster is not known yet: the worker reads the InferenceService and records the outcome on the timeline.`,
      );
    }
    await recordFailure(intent, errorWords(error), undefined, {}).catch((recordError: unknown) =>
      log.error('a rollout action failed and the failure could not be recorded; the worker settles it', {
        tenant,
        rollout: rolloutId,
        intent: intent.id.toString(),
        error: recordError,
      }),
    );
    throw error;
  }
  await hooks.afterClusterWrite?.();

  const message = doneMessage(intent);
  try {
    await recordOutcome(intent, change, {}, hooks.beforeOutcomeCommit);
  } catch (error) {
    // The cluster has the change: say so, and leave the pending intent to the worker.
    log.error('the cluster took a rollout action but its outcome could not be recorded; the worker records it', {
      tenant,
      rollout: rolloutId,
      intent: intent.id.toString(),
      error,
    });
    return {
      changed: true,
      message: `${message} The rollout history could not record it yet; the worker records it within a minute.`,
    };
  }
  if (isRollback(intent.values.action)) await restoreAlias(intent);
  return { changed: true, message };
}

export interface RollbackOptions {
  idempotencyKey?: string;
  reason: string;
  /** Automatic judgment: the values that decided it, and the percent it judged at. */
  judgment?: JudgmentValues;
}

/**
 * Rollback: all traffic back to the previous stable version — canaryTrafficPercent 0 *and* the
 * previous storageUri, since a percentage alone does not bring back a scaled-to-zero revision.
 */
export async function rollbackRollout(
  operator: Operator,
  tenant: string,
  rolloutId: string,
  options: RollbackOptions,
  hooks: ActionHooks = {},
): Promise<ActionOutcome> {
  return act(
    operator,
    tenant,
    rolloutId,
    {
      action: 'rollback',
      key: options.idempotencyKey,
      reason: options.reason,
      judgment: options.judgment,
      judgedAtPercent: options.judgment?.percent,
    },
    hooks,
  );
}

/**
 * Rollback to a chosen earlier version (rollback-to.ts reads which ones may be chosen): all
 * traffic to it, with its own evidence, from the endpoint's latest rollout whatever its state —
 * once per idempotency key, like the other actions.
 */
export async function rollbackToVersionRollout(
  operator: Operator,
  tenant: string,
  rolloutId: string,
  options: { idempotencyKey: string; reason: string; chosen: ChosenVersion },
  hooks: ActionHooks = {},
): Promise<ActionOutcome> {
  return act(
    operator,
    tenant,
    rolloutId,
    { action: 'rollback-to-version', key: options.idempotencyKey, reason: options.reason, chosen: options.chosen },
    hooks,
  );
}

/** Promote: the next canary step, or straight to 100 %. */
export async function promoteRollout(
  operator: Operator,
  tenant: string,
  rolloutId: string,
  options: RollbackOptions & { to: 'next' | 'full' },
  hooks: ActionHooks = {},
): Promise<ActionOutcome> {
  const action = options.to === 'full' ? 'promote-full' : 'promote-next';
  return act(
    operator,
    tenant,
    rolloutId,
    {
      action,
      key: options.idempotencyKey,
      reason: options.reason,
      judgment: options.judgment,
      judgedAtPercent: options.judgment?.percent,
    },
    hooks,
  );
}

// ---------------------------------------------------------------------------------------------
// Unfinished actions (the worker)

export type Settlement = { kind: 'done' } | { kind: 'reapply' } | { kind: 'failed'; reason: string };

/**
 * What to make of an action whose outcome was never recorded, from what the cluster serves now:
 * done if it shows the target; applied again if it still shows what the action started from (and
 * it was asked for recently); otherwise failed, with the reason.
 */
export function settleAction(input: {
  values: IntentValues;
  askedAt: Date;
  now: Date;
  rolloutState: string;
  observed: Traffic | null;
}): Settlement {
  const { values, observed } = input;
  const what = ACTION_WORDS[values.action];
  // A rollback to a chosen version may start from a finished rollout: only a newer deployment ends it.
  const ended = values.to ? input.rolloutState === 'superseded' : input.rolloutState !== 'progressing';
  if (ended)
    return {
      kind: 'failed',
      reason: `the rollout is ${input.rolloutState.replace('_', ' ')}, so ${what} no longer applies`,
    };
  if (!observed) return { kind: 'failed', reason: 'the InferenceService no longer exists' };
  if (showsTarget(observed, values.target)) return { kind: 'done' };
  const stillFrom =
    observed.storageUri === values.from.storageUri &&
    (isRollback(values.action) || (observed.canaryTrafficPercent ?? 100) === values.from.percent);
  if (!stillFrom) {
    return {
      kind: 'failed',
      reason: `the endpoint serves ${servedWords(observed)}: neither what ${what} started from (${servedWords({ storageUri: values.from.storageUri, canaryTrafficPercent: values.from.percent })}) nor what it asked for (${servedWords(values.target)}), so it was changed by something else meanwhile`,
    };
  }
  const ageMs = input.now.getTime() - input.askedAt.getTime();
  if (ageMs > REAPPLY_WITHIN_MS) {
    return {
      kind: 'failed',
      reason: `${what} never reached the cluster, and it was asked for ${Math.round(ageMs / 60_000)} min ago: too long ago to apply now without being asked again`,
    };
  }
  return { kind: 'reapply' };
}

/** Actions asked for more than `olderThanMs` ago whose outcome is not recorded, oldest first. */
export async function findUnfinishedActions(olderThanMs: number): Promise<bigint[]> {
  const rows = await getDb().rolloutEvent.findMany({
    where: {
      kind: 'intent',
      outcome: { is: null },
      occurredAt: { lt: new Date(Date.now() - olderThanMs) },
      OR: [
        { rollout: { state: 'progressing' } },
        { idempotencyAction: 'rollback-to-version', rollout: { state: { not: 'superseded' } } },
      ],
    },
    select: { id: true },
    orderBy: { id: 'asc' },
  });
  return rows.map((r) => r.id);
}

/**
 * Settles one unfinished action from the live InferenceService (see settleAction). Applying it
 * again acts as the identity recorded with the intent, so the cluster's RBAC judges the same
 * person. An unreadable API server leaves it pending (the worker tries again next time).
 */
export async function finishAction(intentId: bigint, now = new Date()): Promise<'done' | 'failed' | 'settled already'> {
  const row = await getDb().rolloutEvent.findUnique({
    where: { id: intentId },
    include: { outcome: { select: { id: true } }, rollout: { include: { tenant: { select: { name: true } } } } },
  });
  if (!row || row.kind !== 'intent' || row.outcome) return 'settled already';
  const base = {
    id: row.id,
    rolloutId: row.rolloutId,
    tenant: row.rollout.tenant.name,
    endpoint: row.rollout.endpoint,
    actor: row.actor,
    reason: row.reason,
    askedAt: row.occurredAt,
  };
  const parsed = parseRolloutEvent(row);
  if (!parsed.ok || parsed.event.kind !== 'intent') {
    // Without its values the worker cannot tell what was asked: it reports that instead of guessing.
    const problem = parsed.ok ? `it is a ${parsed.event.kind} event` : parsed.problem;
    const recorded = await getDb().$transaction(async (tx) => {
      if (!(await lockRollout(tx, base.tenant, base.rolloutId))) return false;
      if (await tx.rolloutEvent.findUnique({ where: { intentId: row.id }, select: { id: true } })) return false;
      await recordRolloutEvent(
        tx,
        row.rolloutId,
        row.actor,
        {
          kind: 'failed',
          decision: 'failed',
          reason: `Not done: the record of this action cannot be read (${problem}), so the worker did not act on it`,
          values: { action: null, error: problem, recordedBy: 'worker' },
        },
        { intentId: row.id },
      );
      return true;
    }, TRANSACTION);
    return recorded ? 'failed' : 'settled already';
  }
  const intent: Intent = { ...base, values: parsed.event.values };
  const isvc = await inferenceServices(intent.tenant, PORTAL_ACTOR).get(intent.endpoint);
  const observed = isvc ? describeIsvc(isvc) : null;
  const settlement = settleAction({
    values: intent.values,
    askedAt: intent.askedAt,
    now,
    rolloutState: row.rollout.state,
    observed,
  });

  let recorded: boolean;
  let outcome: 'done' | 'failed';
  if (settlement.kind === 'done') {
    recorded = await recordOutcome(intent, { before: null, after: observed! }, { recordedBy: 'worker' });
    outcome = 'done';
  } else if (settlement.kind === 'reapply') {
    try {
      const change = await writeCluster(intent, intent.values.kube);
      recorded = await recordOutcome(intent, change, { recordedBy: 'worker', reapplied: true });
      outcome = 'done';
    } catch (error) {
      // An answer that leaves the outcome unknown: pending still, read back at the next pass.
      if (!refusedForSure(error)) throw error;
      recorded = await recordFailure(intent, `applied again by the worker, it failed: ${errorWords(error)}`, observed, {
        recordedBy: 'worker',
      });
      outcome = 'failed';
    }
  } else {
    recorded = await recordFailure(intent, settlement.reason, observed, { recordedBy: 'worker' });
    outcome = 'failed';
  }
  if (!recorded) return 'settled already';
  if (outcome === 'done' && isRollback(intent.values.action)) await restoreAlias(intent);
  return outcome;
}

/** The worker's pass: settles every action left unfinished for longer than `olderThanMs`; one that cannot be settled now stays pending for the next pass. */
export async function finishUnfinishedActions(olderThanMs: number): Promise<{ intent: bigint; outcome: string }[]> {
  const settled: { intent: bigint; outcome: string }[] = [];
  for (const id of await findUnfinishedActions(olderThanMs)) {
    try {
      const outcome = await finishAction(id);
      log.warn('finished a rollout action left unfinished', { intent: id.toString(), outcome });
      settled.push({ intent: id, outcome });
    } catch (error) {
      log.error('could not finish a rollout action left unfinished; trying again next time', {
        intent: id.toString(),
        error,
      });
    }
  }
  return settled;
}
