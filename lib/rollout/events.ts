/**
 * The rollout history's vocabulary: one zod schema per kind of event, each with the values that
 * drove it (as Argo Rollouts keeps each analysis measurement as a typed record). The writer
 * (`recordRolloutEvent`) parses before it writes; the readers (the dashboard's timeline, the
 * worker's judgment and its pass over unfinished actions) parse stored rows with the same schemas,
 * and a row that does not parse is reported as such instead of being trusted or dropped.
 *
 * Kinds:
 * - `start`, `supersede`: a rollout begins, or a newer one takes over its endpoint;
 * - `check`, `pause`: one automatic judgment, with its metrics and thresholds;
 * - `intent`: an action (rollback, rollback to a chosen verified version, promote) asked for and
 *   committed before the Kubernetes API is written — pending until an outcome names it;
 * - `rollback`, `step`, `promote`: an action's outcome as the cluster took it (traffic before → after);
 *   a rollback to a chosen version is a `rollback` naming it (`previousVersion`, `toRequestId`);
 * - `failed`: an action that did not reach the cluster, or could not be confirmed, and why;
 * - `alias`: the registry alias could not be moved back after a rollback.
 */
import { z } from 'zod';
import type { Tx } from '../db/client';
import type { Prisma, RolloutEvent as RolloutEventRow } from '../db/generated/client';
import type { KubeActor } from '../integrations/kubernetes';

// ---------------------------------------------------------------------------------------------
// Values shared by several kinds

export const checkOutcomeSchema = z.enum(['pass', 'fail', 'insufficient']);

/** One revision's numbers over the analysis window. */
export const revisionSampleSchema = z.object({
  revision: z.string(),
  requests: z.number(),
  requestRate: z.number(),
  errorRate: z.number(),
  p50Ms: z.number().nullable(),
  p99Ms: z.number().nullable(),
});

/** What a check read: both revisions' numbers, or why they could not be read. */
export const checkMetricsSchema = z.union([
  z.object({ unavailable: z.string() }),
  z.object({ canary: revisionSampleSchema.nullable(), stable: revisionSampleSchema.nullable() }),
]);

/** The thresholds a check was judged against (the tenant's policy at the time). */
export const judgedThresholdsSchema = z.object({
  maxErrorRate: z.number(),
  maxP99Ms: z.number(),
  minRequests: z.number(),
  immediateRollbackFactor: z.number().optional(),
  minPassRatio: z.number().optional(),
  bakeMinutes: z.number().optional(),
  windowSeconds: z.number().optional(),
});

/** One automatic judgment's values: the check's outcome (absent when paused), what it read, what it judged against, where the canary was. */
export const judgmentValuesSchema = z.object({
  check: checkOutcomeSchema.optional(),
  metrics: checkMetricsSchema,
  thresholds: judgedThresholdsSchema,
  percent: z.number(),
  checksAtStep: z.number().int(),
});
export type JudgmentValues = z.output<typeof judgmentValuesSchema>;

/** The latest judgment kept on the rollout for the dashboard's headline. */
export const storedJudgmentSchema = z.object({
  action: z.string(),
  reason: z.string(),
  at: z.string(),
  values: judgmentValuesSchema.optional(),
});
export type StoredJudgment = z.output<typeof storedJudgmentSchema>;

/** What an InferenceService serves: its model and the canary's share (null: all traffic to the latest revision). */
export const trafficSchema = z.object({
  storageUri: z.string().nullable(),
  canaryTrafficPercent: z.number().nullable(),
});
export type Traffic = z.output<typeof trafficSchema>;

/** A share of traffic in words: "canary 20 %", or "all traffic to the latest revision". */
export const trafficShareWords = (t: { canaryTrafficPercent: number | null }) =>
  t.canaryTrafficPercent === null ? 'all traffic to the latest revision' : `canary ${t.canaryTrafficPercent} %`;

/** What an endpoint serves in words: "<storageUri>, canary 20 %". */
export const servedWords = (t: { storageUri: string | null; canaryTrafficPercent: number | null }) =>
  `${t.storageUri ?? 'no model'}, ${trafficShareWords(t)}`;

/**
 * What an idempotency key was used for: the same key for another action is refused, not answered.
 * `rollback-to-version`: all traffic to an earlier version of the endpoint's that passed its gates
 * (lib/rollout/rollback-targets.ts), with that version's own evidence.
 */
export const idempotentActionSchema = z.enum(['rollback', 'rollback-to-version', 'promote-next', 'promote-full']);

/** Whether an action takes the canary's traffic away (back to the previous version, or to a chosen one). */
export const isRollback = (action: IdempotentAction | null): boolean =>
  action === 'rollback' || action === 'rollback-to-version';

/** The chosen version of a rollback to a version: what it serves and the evidence annotations it carries onto the InferenceService. */
export const rollbackTargetSchema = z.object({
  version: z.string(),
  requestId: z.string(),
  storageUri: z.string(),
  evidence: z.record(z.string(), z.string()),
});
export type IdempotentAction = z.output<typeof idempotentActionSchema>;

/** Who acts at the Kubernetes API (lib/integrations/kubernetes KubeActor): kept with an intent, so finishing it later acts as the same identity. */
export const kubeActorSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('user'), username: z.string().min(1), groups: z.array(z.string()) }),
  z.object({ kind: z.literal('portal') }),
]) satisfies z.ZodType<KubeActor>;

// ---------------------------------------------------------------------------------------------
// One schema per kind

const startEvent = z.object({
  kind: z.literal('start'),
  decision: z.enum(['canary started', 'deployed']),
  reason: z.string(),
  values: z.object({
    canaryTrafficPercent: z.number(),
    storageUri: z.string(),
    previousStorageUri: z.string(),
    steps: z.array(z.number()),
  }),
});

const supersedeEvent = z.object({
  kind: z.literal('supersede'),
  decision: z.literal('superseded'),
  reason: z.string(),
  values: z.object({ by: z.string() }),
});

/** One automatic check that judged (pass, fail or too little traffic). */
const checkEvent = z.object({
  kind: z.literal('check'),
  decision: checkOutcomeSchema,
  reason: z.string(),
  values: judgmentValuesSchema.extend({ check: checkOutcomeSchema }),
});

/** One automatic check that could not judge: metrics (or the endpoint) could not be read. */
const pauseEvent = z.object({
  kind: z.literal('pause'),
  decision: z.literal('paused'),
  reason: z.string(),
  values: judgmentValuesSchema.extend({ metrics: z.object({ unavailable: z.string() }) }),
});

/**
 * An action asked for, committed before the API server is written: what it asks the cluster to
 * serve (`target`), what the rollout knew the endpoint served when it was asked (`from`), the
 * identity it acts as, and — for automatic judgment — the values that decided it. Pending until an
 * outcome (`rollback`, `step`, `promote`, `failed`) names it.
 */
const intentEvent = z.object({
  kind: z.literal('intent'),
  decision: z.literal('pending'),
  reason: z.string(),
  values: z.object({
    action: idempotentActionSchema,
    target: z.object({ storageUri: z.string(), canaryTrafficPercent: z.number().nullable() }),
    from: z.object({ storageUri: z.string(), percent: z.number() }),
    version: z.string(),
    previousVersion: z.string().nullable(),
    kube: kubeActorSchema,
    actorId: z.string().optional(),
    judgment: judgmentValuesSchema.optional(),
    /** Set on `rollback-to-version`: the version chosen, and its evidence. */
    to: rollbackTargetSchema.optional(),
  }),
});

/**
 * What an action changed on the cluster. Automatic actions carry the judgment's values beside it
 * (flat, as they always were stored); `before` is null when the worker found the change already
 * made after the process that made it stopped before recording it (`recordedBy`).
 */
const actionOutcomeValues = judgmentValuesSchema.partial().extend({
  before: trafficSchema.nullable(),
  after: trafficSchema,
  version: z.string().optional(),
  /** On a rollback: the version traffic went back to (the previous one, or the one chosen). */
  previousVersion: z.string().nullable().optional(),
  /** On a rollback to a chosen version: the promotion request whose evidence it carries. */
  toRequestId: z.string().optional(),
  recordedBy: z.enum(['worker']).optional(),
  reapplied: z.boolean().optional(),
});

const rollbackEvent = z.object({
  kind: z.literal('rollback'),
  decision: z.literal('rolled-back'),
  reason: z.string(),
  values: actionOutcomeValues,
});
const stepEvent = z.object({
  kind: z.literal('step'),
  decision: z.string().regex(/^stepped to \d+ %$/),
  reason: z.string(),
  values: actionOutcomeValues,
});
const promoteEvent = z.object({
  kind: z.literal('promote'),
  decision: z.literal('promoted'),
  reason: z.string(),
  values: actionOutcomeValues,
});

/** An action that did not happen (the cluster refused it, it changed meanwhile, it could not be confirmed), and what the cluster served when that was found. */
const failedEvent = z.object({
  kind: z.literal('failed'),
  decision: z.literal('failed'),
  reason: z.string(),
  values: z.object({
    /** null when the intent's own record could not be read. */
    action: idempotentActionSchema.nullable(),
    error: z.string(),
    observed: trafficSchema.nullable().optional(),
    recordedBy: z.enum(['worker']).optional(),
  }),
});

/** After a rollback, the registry alias could not be moved back to the restored version (fields absent in rows written before they were recorded). */
const aliasEvent = z.object({
  kind: z.literal('alias'),
  decision: z.literal('alias not restored'),
  reason: z.string(),
  values: z.object({ alias: z.string().optional(), version: z.string().optional(), error: z.string().optional() }),
});

export const rolloutEventSchema = z.discriminatedUnion('kind', [
  startEvent,
  supersedeEvent,
  checkEvent,
  pauseEvent,
  intentEvent,
  rollbackEvent,
  stepEvent,
  promoteEvent,
  failedEvent,
  aliasEvent,
]);

/** An event as written: kind, decision in a word, reason in words, typed values. */
export type RolloutEventInput = z.input<typeof rolloutEventSchema>;
export type RolloutEventBody = z.output<typeof rolloutEventSchema>;
export type RolloutEventKind = RolloutEventBody['kind'];
export type IntentValues = z.output<typeof intentEvent>['values'];
export type RollbackTo = z.output<typeof rollbackTargetSchema>;

/** The kinds that are an action's outcome, so name their intent. */
const OUTCOME_KINDS: ReadonlySet<RolloutEventKind> = new Set(['rollback', 'step', 'promote', 'failed']);

export interface EventLinks {
  /** An intent's idempotency key, and what it is used for. Only intents carry one. */
  idempotency?: { key: string; action: IdempotentAction };
  /** The intent an outcome settles; at most one outcome per intent (the database refuses a second). */
  intentId?: bigint;
  /** When it happened, if not now: only the demo's seeded history is written after the fact (stack/seed/model-history.ts). */
  occurredAt?: Date;
}

/** Appends one event to a rollout's history, after checking it against its kind's schema. */
export async function recordRolloutEvent(
  tx: Tx,
  rolloutId: string,
  actor: string,
  event: RolloutEventInput,
  links: EventLinks = {},
): Promise<RolloutEventRow> {
  const parsed = rolloutEventSchema.parse(event);
  if (links.idempotency) {
    if (parsed.kind !== 'intent') throw new Error(`${parsed.kind} events carry no idempotency key: the intent does`);
    if (parsed.values.action !== links.idempotency.action)
      throw new Error('An intent records the action its key is used for');
  }
  if (links.intentId !== undefined && !OUTCOME_KINDS.has(parsed.kind))
    throw new Error(`${parsed.kind} events are not the outcome of an intent`);
  return tx.rolloutEvent.create({
    data: {
      rolloutId,
      actor,
      kind: parsed.kind,
      decision: parsed.decision,
      reason: parsed.reason,
      values: parsed.values as Prisma.InputJsonValue,
      idempotencyKey: links.idempotency?.key ?? null,
      idempotencyAction: links.idempotency?.action ?? null,
      intentId: links.intentId ?? null,
      ...(links.occurredAt ? { occurredAt: links.occurredAt } : {}),
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Reading

type StoredRow = Pick<RolloutEventRow, 'kind' | 'decision' | 'reason' | 'values'>;

/** A stored row as its kind's schema reads it, or what is wrong with it. */
export type ParsedRolloutEvent = { ok: true; event: RolloutEventBody } | { ok: false; problem: string };

/** Rows written before a kind had its own name. */
function normalizeLegacy(row: StoredRow): StoredRow {
  // Before `alias` existed, a failed alias move was recorded as a `rollback` event without values.
  if (row.kind === 'rollback' && row.decision === 'alias not restored') return { ...row, kind: 'alias' };
  return row;
}

export function parseRolloutEvent(row: StoredRow): ParsedRolloutEvent {
  const { kind, decision, reason, values } = normalizeLegacy(row);
  const parsed = rolloutEventSchema.safeParse({ kind, decision, reason, values });
  if (parsed.success) return { ok: true, event: parsed.data };
  const problem = parsed.error.issues
    .slice(0, 3)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
  return { ok: false, problem };
}

/** The judgment values of a stored check, or null when the row is not a readable check. */
export function checkOutcomeOf(row: StoredRow): z.output<typeof checkOutcomeSchema> | null {
  const parsed = parseRolloutEvent(row);
  return parsed.ok && parsed.event.kind === 'check' ? parsed.event.values.check : null;
}
