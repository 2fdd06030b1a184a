import { z } from 'zod';
import type { TokenCaller } from '../../api-tokens/service';
import { getDb } from '../../db/client';
import {
  deploymentDetail,
  endpointNameSchema,
  listDeployments,
  rolledBackToOf,
  rolloutView,
  type EndpointView,
  type JudgmentView,
  type PendingActionView,
  type RolloutView,
  type Thresholds,
  type TimelineEntry,
} from '../../rollout/dashboard';
import { idempotentActionSchema, judgmentValuesSchema, storedJudgmentSchema } from '../../rollout/events';
import { operatorForToken } from '../../rollout/operator';
import { eventsOf, isRolloutOf, pendingIntentsOf } from '../../rollout/records';
import { rollbackTargetsOf, rollbackToVersion, type EndpointRollbackTargets } from '../../rollout/rollback-to';
import type { RefusedVersion, RollbackTarget } from '../../rollout/rollback-targets';
import { promoteDeploymentSchema, rollbackDeploymentSchema, rollbackToVersionSchema } from '../../rollout/schemas';
import { promoteRollout, rollbackRollout } from '../../rollout/service';
import { tenantNameSchema } from '../../tenancy/names';
import { apiErrorSchema, defineEndpoint, freshnessSchema, isoTimeSchema, refusal, unavailable } from './shared';

/**
 * The tenant's endpoints and their canaries, from the canary dashboard's read model
 * (lib/rollout/dashboard.ts), and rollback and promote through the same rollout service as the
 * dashboard's server actions (lib/rollout/actions.ts: intent → cluster write → outcome), with the
 * same idempotency keys.
 */

const valueLineSchema = z.object({ label: z.string(), value: z.string() });

const trafficSideSchema = z.object({
  version: z.string().nullable(),
  revision: z.string().nullable(),
  percent: z.number(),
  storageUri: z.string().nullable(),
});

const endpointViewSchema = z
  .object({
    name: z.string(),
    modelName: z.string().nullable(),
    status: z.object({ kind: z.enum(['not-ready', 'canary', 'stable']), label: z.string() }),
    ready: z.boolean(),
    readyMessage: z.string().nullable(),
    stable: trafficSideSchema,
    canary: trafficSideSchema.nullable().meta({ description: 'null when all traffic goes to one revision' }),
  })
  .meta({ id: 'Endpoint' }) satisfies z.ZodType<EndpointView>;

const judgmentSchema = z
  .object({
    state: z.enum(['waiting', 'paused', 'judged', 'finished', 'acting']).meta({
      description:
        'acting: a rollback or promote was asked for and its outcome is not recorded yet; paused: the metrics could not be read',
    }),
    action: z
      .string()
      .nullable()
      .meta({ description: 'The decision: wait, step, promote, rollback or pause; null before the first check' }),
    headline: z.string(),
    reason: z.string(),
    at: z.string().nullable().meta({ description: 'ISO 8601' }),
    details: z.array(valueLineSchema).meta({ description: 'The metrics and thresholds that drove it, in words' }),
  })
  .meta({ id: 'Judgment' }) satisfies z.ZodType<JudgmentView>;

const pendingActionSchema = z.object({
  action: idempotentActionSchema.nullable(),
  label: z.string(),
  by: z.string(),
  at: isoTimeSchema,
  reason: z.string(),
}) satisfies z.ZodType<PendingActionView>;

const rolloutSchema = z
  .object({
    id: z.uuid(),
    modelName: z.string(),
    version: z.string(),
    previousVersion: z.string().nullable(),
    storageUri: z.string(),
    previousStorageUri: z.string(),
    steps: z.array(z.number()),
    currentPercent: z.number(),
    nextPercent: z.number().nullable().meta({ description: 'Where promote `next` goes; null when that is 100 %' }),
    state: z.enum(['progressing', 'promoted', 'rolled_back', 'superseded']),
    stepStartedAt: isoTimeSchema,
    finishedAt: isoTimeSchema.nullable(),
    judgment: judgmentSchema,
    pendingAction: pendingActionSchema
      .nullable()
      .meta({ description: 'A rollback or promote asked for whose outcome is not recorded yet' }),
  })
  .meta({ id: 'Rollout' }) satisfies z.ZodType<RolloutView>;

const historyEntrySchema = z
  .object({
    id: z.string(),
    at: isoTimeSchema,
    kind: z.string().meta({
      description:
        'start, check, pause, intent, rollback, step, promote, failed, supersede, alias, or break-glass (a change made outside the portal)',
    }),
    actor: z.string(),
    decision: z.string(),
    reason: z.string(),
    version: z.string().nullable(),
    details: z.array(valueLineSchema).meta({ description: 'The values recorded with it, in words' }),
  })
  .meta({ id: 'RolloutEvent' }) satisfies z.ZodType<TimelineEntry>;

const thresholdsSchema = z.object({
  maxErrorRate: z.number(),
  maxP99Ms: z.number(),
  minRequests: z.number(),
  immediateRollbackFactor: z.number(),
  minPassRatio: z.number(),
  bakeMinutes: z.number(),
  analysisWindowSeconds: z.number(),
}) satisfies z.ZodType<Thresholds>;

/** A read that may have failed on its own while the rest of the answer stands. */
const panelSchema = <T extends z.ZodType>(data: T) =>
  z.union([
    z.object({ ok: z.literal(true), data, freshness: freshnessSchema }),
    z.object({ ok: z.literal(false), message: z.string() }),
  ]);

const endpointParams = {
  tenant: tenantNameSchema,
  endpoint: endpointNameSchema.meta({ description: 'The InferenceService' }),
};

export const listRolloutsEndpoint = defineEndpoint({
  name: 'rollout.list',
  method: 'GET',
  path: '/api/v1/t/{tenant}/rollouts',
  operationId: 'listRollouts',
  summary: 'The tenant’s endpoints: what each serves, and the canary being judged with its latest judgment',
  scope: 'rollout.read',
  input: z.object({ tenant: tenantNameSchema }),
  responses: {
    200: {
      description: 'Every InferenceService of the tenant, by name',
      schema: z.object({
        endpoints: z.array(
          z.object({
            endpoint: endpointViewSchema,
            rollout: rolloutSchema.nullable().meta({ description: 'The canary being judged; null when none is' }),
          }),
        ),
        freshness: freshnessSchema,
      }),
    },
  },
  async run(_caller, input) {
    const deployments = await listDeployments(input.tenant);
    if (!deployments.ok) return unavailable(deployments.message);
    return { status: 200, body: { endpoints: deployments.data, freshness: deployments.freshness } };
  },
});

export const readRolloutEndpoint = defineEndpoint({
  name: 'rollout.read',
  method: 'GET',
  path: '/api/v1/t/{tenant}/rollouts/{endpoint}',
  operationId: 'getRollout',
  summary:
    'One endpoint: what it serves, its live (else latest) rollout with the current judgment and the values that drove it, and its history',
  scope: 'rollout.read',
  input: z.object(endpointParams),
  responses: {
    200: {
      description: 'The endpoint’s rollout and history',
      schema: z.object({
        name: z.string(),
        serving: panelSchema(endpointViewSchema.nullable()).meta({
          description: 'What Kubernetes says the endpoint serves; data null when the InferenceService no longer exists',
        }),
        rollout: rolloutSchema
          .extend({
            judgmentValues: judgmentValuesSchema.nullable().meta({
              description:
                'The latest judgment’s values as recorded (metrics of canary and stable, thresholds, percent); null before the first check or when the rollout has ended',
            }),
          })
          .nullable(),
        history: z.array(historyEntrySchema).meta({ description: 'Recorded events, newest first (at most 200)' }),
        thresholds: thresholdsSchema,
        policySummary: z.string(),
      }),
    },
    404: { description: 'The tenant has no such endpoint and never had a rollout on it', schema: apiErrorSchema },
  },
  async run(_caller, input) {
    const detail = await deploymentDetail(input.tenant, input.endpoint);
    if (!detail) return refusal(404, `There is no endpoint ${input.endpoint} in ${input.tenant}.`);
    const { timeline, ...rest } = detail;
    const rollout = detail.rollout && { ...detail.rollout, judgmentValues: await judgmentValuesOf(detail.rollout) };
    return { status: 200, body: { ...rest, rollout, history: timeline } };
  },
});

/** The numbers behind a live rollout's latest judgment, as the worker recorded them. */
async function judgmentValuesOf(rollout: RolloutView) {
  if (rollout.state !== 'progressing') return null;
  const row = await getDb().rollout.findUnique({ where: { id: rollout.id }, select: { lastJudgment: true } });
  return storedJudgmentSchema.safeParse(row?.lastJudgment).data?.values ?? null;
}

const actionOutcomeSchema = z.object({
  changed: z.boolean().meta({
    description:
      'false when nothing was done: the key was used before (the action happened once), the rollout has ended, or another action is under way',
  }),
  message: z.string(),
  rollout: rolloutSchema.meta({ description: 'The rollout as it is after the call' }),
});

const IDEMPOTENCY_HEADER = { idempotencyKey: 'Idempotency-Key' } as const;

const operateResponses = {
  200: { description: 'Done, or answered without acting (see `changed` and `message`)', schema: actionOutcomeSchema },
  404: { description: 'The endpoint has no such rollout in this tenant', schema: apiErrorSchema },
  422: {
    description:
      'Not done: the key was already used for another action of this rollout, the endpoint was changed outside the rollout, or the cluster refused; the message says which',
    schema: apiErrorSchema,
  },
};

async function operated(
  input: { tenant: string; endpoint: string; rolloutId: string },
  act: () => Promise<{ changed: boolean; message: string }>,
) {
  // The path names the endpoint: a rollout of another one (or of another tenant) is not acted on.
  if (!(await isRolloutOf(input.tenant, input.endpoint, input.rolloutId)))
    return refusal(404, `There is no such rollout on ${input.endpoint} in ${input.tenant}.`);
  const outcome = await act();
  const [row, pending, events] = await Promise.all([
    getDb().rollout.findUniqueOrThrow({ where: { id: input.rolloutId } }),
    pendingIntentsOf([input.rolloutId]),
    eventsOf([input.rolloutId], 20),
  ]);
  return {
    status: 200,
    body: { ...outcome, rollout: rolloutView(row, pending[0] ?? null, rolledBackToOf(input.rolloutId, events)) },
  };
}

const through = (caller: TokenCaller) => `${caller.actor.name} through the API`;

export const rollbackEndpoint = defineEndpoint({
  name: 'rollout.rollback',
  method: 'POST',
  path: '/api/v1/t/{tenant}/rollouts/{endpoint}/rollback',
  operationId: 'rollbackRollout',
  summary:
    'Roll a canary back: all traffic to the previous stable version. Idempotent per Idempotency-Key: the same key again does not act twice',
  scope: 'rollout.operate',
  input: rollbackDeploymentSchema,
  headers: IDEMPOTENCY_HEADER,
  responses: operateResponses,
  run: async (caller, input) =>
    operated(input, async () =>
      rollbackRollout(await operatorForToken(caller), input.tenant, input.rolloutId, {
        idempotencyKey: input.idempotencyKey,
        reason: `Rolled back by ${through(caller)}`,
      }),
    ),
});

export const promoteEndpoint = defineEndpoint({
  name: 'rollout.promote',
  method: 'POST',
  path: '/api/v1/t/{tenant}/rollouts/{endpoint}/promote',
  operationId: 'promoteRollout',
  summary:
    'Promote a canary to its next step or to 100 %. Idempotent per Idempotency-Key: the same key again does not act twice',
  scope: 'rollout.operate',
  input: promoteDeploymentSchema,
  headers: IDEMPOTENCY_HEADER,
  responses: operateResponses,
  run: async (caller, input) =>
    operated(input, async () =>
      promoteRollout(await operatorForToken(caller), input.tenant, input.rolloutId, {
        idempotencyKey: input.idempotencyKey,
        to: input.to,
        reason: `${input.to === 'full' ? 'Promoted to 100 %' : 'Stepped up'} by ${through(caller)}`,
      }),
    ),
});

const rollbackTargetSchema = z
  .object({
    modelName: z.string(),
    version: z.string(),
    storageUri: z.string(),
    requestId: z
      .string()
      .meta({ description: 'The promotion request whose evidence it carries back onto the endpoint' }),
    runId: z.string(),
    metric: z
      .object({ name: z.string(), value: z.number() })
      .meta({ description: 'Its primary metric, as its gates recorded it' }),
    modelCardUrl: z.string(),
    requester: z.string(),
    approvers: z.array(z.string()).meta({ description: 'Those whose approval counted' }),
    approvedAt: isoTimeSchema.nullable(),
    servedFrom: isoTimeSchema.meta({ description: 'When it last started serving the endpoint' }),
    servedUntil: isoTimeSchema.nullable().meta({ description: 'When something else took over' }),
    rolledBack: z
      .object({ at: isoTimeSchema, by: z.string(), reason: z.string() })
      .nullable()
      .meta({ description: 'When its last time on the endpoint ended in a rollback: who, when, why' }),
    artifact: z
      .union([
        z.object({ state: z.literal('found') }),
        z.object({ state: z.literal('unreadable'), problem: z.string() }),
      ])
      .meta({ description: 'unreadable: object storage could not say whether its model artifact exists' }),
    evidence: z
      .record(z.string(), z.string())
      .meta({ description: 'The evidence annotations the InferenceService carries after the rollback' }),
  })
  .meta({ id: 'RollbackTarget' }) satisfies z.ZodType<RollbackTarget>;

const refusedVersionSchema = z.object({
  modelName: z.string(),
  version: z.string(),
  reason: z.string(),
}) satisfies z.ZodType<RefusedVersion>;

export const rollbackTargetsEndpoint = defineEndpoint({
  name: 'rollout.rollback-targets',
  method: 'GET',
  path: '/api/v1/t/{tenant}/rollouts/{endpoint}/rollback-targets',
  operationId: 'listRollbackTargets',
  summary:
    'The earlier versions the endpoint can be rolled back to — they served it, passed their gates and still have their model artifact — and why the others cannot',
  scope: 'rollout.read',
  input: z.object(endpointParams),
  responses: {
    200: {
      description: 'The targets, newest first, and the versions that served it but are not offered',
      schema: z.object({
        rolloutId: z
          .uuid()
          .nullable()
          .meta({ description: 'The endpoint’s latest rollout: pass it to rollback-to-version' }),
        serving: z.object({ storageUri: z.string(), percent: z.number(), version: z.string().nullable() }),
        targets: z.array(rollbackTargetSchema),
        refused: z.array(refusedVersionSchema),
      }) satisfies z.ZodType<EndpointRollbackTargets>,
    },
    404: { description: 'The tenant has no such endpoint', schema: apiErrorSchema },
  },
  async run(_caller, input) {
    const found = await rollbackTargetsOf(input.tenant, input.endpoint);
    if (!found) return refusal(404, `There is no endpoint ${input.endpoint} in ${input.tenant}.`);
    return { status: 200, body: found };
  },
});

export const rollbackToVersionEndpoint = defineEndpoint({
  name: 'rollout.rollback-to-version',
  method: 'POST',
  path: '/api/v1/t/{tenant}/rollouts/{endpoint}/rollback-to-version',
  operationId: 'rollbackToVersion',
  summary:
    'Roll the endpoint back to an earlier version of its rollback targets, with that version’s own evidence; any other version is refused. Idempotent per Idempotency-Key',
  scope: 'rollout.operate',
  input: rollbackToVersionSchema,
  headers: IDEMPOTENCY_HEADER,
  responses: operateResponses,
  run: async (caller, input) =>
    operated(input, async () =>
      rollbackToVersion(await operatorForToken(caller), input.tenant, input.endpoint, {
        rolloutId: input.rolloutId,
        version: input.version,
        reason: `${input.reason} (${through(caller)})`,
        idempotencyKey: input.idempotencyKey,
      }),
    ),
});
