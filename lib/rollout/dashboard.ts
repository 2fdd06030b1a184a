/**
 * The canary dashboard's read model: what each endpoint of a tenant serves, its rollout and the
 * judgment behind it, every recorded decision, and stable-vs-canary metrics next to the tenant's
 * thresholds.
 *
 * Each upstream (Kubernetes, Prometheus) is read on its own and a failure becomes a message on
 * the panel that needed it, so the page always shows what it can. Everything returned is plain
 * JSON (dates as ISO strings): the page renders it and the live route sends the same shapes.
 */
import { z } from 'zod';
import { breakGlassChangesOf } from '../admission/service';
import { getDb } from '../db/client';
import { formatFixedPercent } from '../format';
import { readPanel, type Panel } from '../read-model/panel';
import {
  inferenceServices,
  OBJECT_NAME,
  PORTAL_ACTOR,
  servingState,
  type InferenceService,
  type ServingState,
} from '../integrations/kubernetes';
import {
  prometheusApi,
  servingMetrics,
  type PrometheusApi,
  type RevisionHistory,
  type RevisionMetrics,
} from '../integrations/prometheus';
import { sharedPrometheus } from '../integrations/prometheus/shared-query';
import { ANNOTATIONS } from '../promotion/deploy';
import { MODEL_LABEL } from '../promotion/endpoint';
import { nextStep, type Policy } from '../promotion/policy';
import { getPolicy } from '../promotion/policy-store';
import { ROLLED_BACK_ANNOTATION } from './actions';
import {
  checkMetricsSchema,
  judgedThresholdsSchema,
  judgmentValuesSchema,
  kubeActorSchema,
  parseRolloutEvent,
  servedWords,
  storedJudgmentSchema,
  trafficSchema,
  trafficShareWords,
  type IdempotentAction,
  type IntentValues,
  type revisionSampleSchema,
  type RolloutEventBody,
} from './events';
import { eventsOf, pendingIntentsOf, rolloutsOf, type PendingIntent } from './records';

/** What the charts cover, and their resolution. */
const HISTORY_MINUTES = 30;
const HISTORY_STEP_SECONDS = 30;
const TIMELINE_LIMIT = 200;

/** An InferenceService name as Kubernetes allows it; anything else is not an endpoint and never reaches an upstream. */
export const endpointNameSchema = z.string().max(253).regex(OBJECT_NAME, 'That is not an endpoint name');

// ---------------------------------------------------------------------------------------------
// Shapes

/** One panel's data, or why it is missing. */
export type { Panel };

const THRESHOLD_FIELDS = [
  'maxErrorRate',
  'maxP99Ms',
  'minRequests',
  'immediateRollbackFactor',
  'minPassRatio',
  'bakeMinutes',
  'analysisWindowSeconds',
] as const satisfies readonly (keyof Policy)[];

/** The policy's canary thresholds, as the dashboard shows them beside the judgment. */
export type Thresholds = Pick<Policy, (typeof THRESHOLD_FIELDS)[number]>;

/** State in words, for a badge that does not rely on colour. */
export interface ServingStatus {
  kind: 'not-ready' | 'canary' | 'stable';
  label: string;
}

export interface TrafficSide {
  version: string | null;
  revision: string | null;
  percent: number;
  storageUri: string | null;
}

export interface EndpointView {
  name: string;
  modelName: string | null;
  status: ServingStatus;
  ready: boolean;
  readyMessage: string | null;
  stable: TrafficSide;
  /** null when all traffic goes to one revision. */
  canary: TrafficSide | null;
}

export interface ValueLine {
  label: string;
  value: string;
}

export interface JudgmentView {
  /** `acting`: a rollback or promote was asked for and its outcome is not recorded yet; judgment waits for it. */
  state: 'waiting' | 'paused' | 'judged' | 'finished' | 'acting';
  /** The worker's action (wait, step, promote, rollback, pause) or the one under way; null before the first check and after the end. */
  action: string | null;
  /** The decision in a few words, e.g. "Keep baking", "Roll back". */
  headline: string;
  /** Why, as the worker wrote it. */
  reason: string;
  at: string | null;
  /** The metrics and thresholds that drove it. */
  details: ValueLine[];
}

export interface RolloutView {
  id: string;
  modelName: string;
  version: string;
  previousVersion: string | null;
  storageUri: string;
  previousStorageUri: string;
  steps: number[];
  currentPercent: number;
  /** The step "Promote to next step" goes to; null when the next step would be 100 %. */
  nextPercent: number | null;
  state: 'progressing' | 'promoted' | 'rolled_back' | 'superseded';
  stepStartedAt: string;
  finishedAt: string | null;
  judgment: JudgmentView;
  /** A rollback or promote asked for whose outcome is not recorded yet (see lib/rollout/actions.ts). */
  pendingAction: PendingActionView | null;
}

export interface PendingActionView {
  action: IdempotentAction | null;
  /** The action in words, e.g. "Rollback", "Promotion to 25 %". */
  label: string;
  by: string;
  at: string;
  reason: string;
}

export interface DeploymentRow {
  endpoint: EndpointView;
  /** The canary being judged now, if any. */
  rollout: RolloutView | null;
}

export interface TimelineEntry {
  id: string;
  at: string;
  kind: string;
  actor: string;
  decision: string;
  reason: string;
  /** The version of the rollout the event belongs to; for a break-glass change the version its annotations named, if any. */
  version: string | null;
  details: ValueLine[];
}

export interface DeploymentDetail {
  name: string;
  /** What Kubernetes says the endpoint serves; data is null when the InferenceService no longer exists. */
  serving: Panel<EndpointView | null>;
  /** The live rollout, else the latest one. */
  rollout: RolloutView | null;
  /** Newest first, across the endpoint's recent rollouts. */
  timeline: TimelineEntry[];
  thresholds: Thresholds;
  /** The thresholds in words, as the judgment applies them. */
  policySummary: string;
}

export interface MetricRow {
  label: string;
  stable: string;
  canary: string;
  threshold: string | null;
  /** How the canary compares with the threshold, in words. */
  verdict: { text: string; tone: 'good' | 'warn' | 'bad' } | null;
}

export type ChartStat = 'requestRate' | 'errorPercent' | 'p50Ms' | 'p99Ms';
export type ChartValues = Partial<Record<ChartStat, number | null>>;

export interface ChartPoint {
  /** Milliseconds since the epoch. */
  t: number;
  stable: ChartValues;
  canary: ChartValues;
}

export interface LiveMetrics {
  at: string;
  windowSeconds: number;
  historyMinutes: number;
  hasCanary: boolean;
  current: Panel<MetricRow[]>;
  history: Panel<ChartPoint[]>;
}

export interface DeploymentDashboard {
  detail: DeploymentDetail;
  metrics: LiveMetrics;
}

// ---------------------------------------------------------------------------------------------
// Formatting (shared by the metrics table, the judgment and the timeline)

const formatMs = (ms: number | null) => (ms === null ? 'no data' : `${Math.round(ms)} ms`);
const formatRate = (perSecond: number) => `${perSecond.toFixed(perSecond < 10 ? 2 : 1)} req/s`;
const formatCount = (n: number) => Math.round(n).toLocaleString('en-US');
const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

// ---------------------------------------------------------------------------------------------
// Pure mapping

type RolloutRow = Awaited<ReturnType<typeof rolloutsOf>>[number];

export function servingStatus(state: Pick<ServingState, 'ready' | 'canaryRevision' | 'canaryPercent'>): ServingStatus {
  if (!state.ready) return { kind: 'not-ready', label: 'Not ready' };
  if (state.canaryRevision && state.canaryPercent > 0)
    return { kind: 'canary', label: `Canary ${state.canaryPercent} %` };
  return { kind: 'stable', label: 'Stable' };
}

/**
 * Which version a model URI is: the rollout knows both of its own; otherwise the annotations the
 * promotion wrote — unless a rollback put the previous model back under them.
 */
function versionServing(
  storageUri: string | null,
  annotations: Record<string, string>,
  rollout: RolloutRow | null,
): string | null {
  if (rollout && storageUri === rollout.storageUri) return rollout.version;
  if (rollout && storageUri === rollout.previousStorageUri) return rollout.previousVersion;
  const annotated = annotations[ANNOTATIONS.modelVersion] ?? null;
  if (annotated !== null && annotations[ROLLED_BACK_ANNOTATION] === annotated)
    return annotations[ANNOTATIONS.previousVersion] ?? null;
  return annotated;
}

/** What one InferenceService serves, with versions named from its latest rollout (if any). */
export function endpointView(isvc: InferenceService, rollout: RolloutRow | null): EndpointView {
  const state = servingState(isvc);
  const { annotations, labels } = isvc.metadata;
  const status = servingStatus(state);
  const storageUri = state.storageUri ?? null;
  const base = {
    name: isvc.metadata.name,
    modelName: annotations[ANNOTATIONS.modelName] ?? labels[MODEL_LABEL] ?? rollout?.modelName ?? null,
    status,
    ready: state.ready,
    readyMessage: state.message ?? null,
  };
  if (!state.canaryRevision || state.canaryPercent <= 0) {
    return {
      ...base,
      canary: null,
      stable: {
        version: versionServing(storageUri, annotations, rollout),
        revision: state.stableRevision ?? null,
        percent: 100,
        storageUri,
      },
    };
  }
  const live = rollout?.state === 'progressing' ? rollout : null;
  return {
    ...base,
    canary: {
      version: versionServing(storageUri, annotations, rollout),
      revision: state.canaryRevision,
      percent: state.canaryPercent,
      storageUri,
    },
    stable: {
      version: live?.previousVersion ?? annotations[ANNOTATIONS.previousVersion] ?? null,
      revision: state.stableRevision ?? null,
      percent: 100 - state.canaryPercent,
      storageUri: live?.previousStorageUri ?? annotations[ANNOTATIONS.previousStorageUri] ?? null,
    },
  };
}

const CHECK_WORDS: Record<string, string> = {
  pass: 'passed',
  fail: 'failed',
  insufficient: 'too little traffic to judge',
};

function describeSample(sample: z.output<typeof revisionSampleSchema> | null): string {
  if (!sample) return 'no requests in the window';
  return `error rate ${formatFixedPercent(sample.errorRate)} · p99 ${formatMs(sample.p99Ms)} · p50 ${formatMs(sample.p50Ms)} · ${formatCount(sample.requests)} requests`;
}

function describeThresholds(t: z.output<typeof judgedThresholdsSchema>): string {
  const parts = [
    `error rate ≤ ${formatFixedPercent(t.maxErrorRate)}${t.immediateRollbackFactor ? ` (rollback at once above ${formatFixedPercent(t.maxErrorRate * t.immediateRollbackFactor)})` : ''}`,
    `p99 ≤ ${t.maxP99Ms} ms`,
    `at least ${formatCount(t.minRequests)} requests`,
  ];
  if (t.minPassRatio !== undefined && t.bakeMinutes !== undefined)
    parts.push(`${formatFixedPercent(t.minPassRatio)} of checks passing over ${t.bakeMinutes} min`);
  if (t.windowSeconds !== undefined) parts.push(`${t.windowSeconds} s window`);
  return parts.join(' · ');
}

const change = (before: string, after: string) => (before === after ? `${after} (unchanged)` : `${before} → ${after}`);

interface ScalarValue {
  label: string;
  /** The value in words, or undefined when it is not what the key usually holds. */
  write: (value: unknown) => string | undefined;
}

function scalar<T>(label: string, schema: z.ZodType<T>, write: (value: T) => string): ScalarValue {
  return {
    label,
    write: (value) => {
      const parsed = schema.safeParse(value);
      return parsed.success ? write(parsed.data) : undefined;
    },
  };
}

const percentText = (p: number) => `${p} %`;
const versionText = (v: string) => `v${v}`;
const uriText = (uri: string) => uri;

/** Single values recorded with events, by key. */
const SCALARS: Record<string, ScalarValue> = {
  check: scalar('Check', z.string(), (check) => CHECK_WORDS[check] ?? check),
  percent: scalar('Canary traffic', z.number(), percentText),
  checksAtStep: scalar('Checks at this step', z.number(), String),
  canaryTrafficPercent: scalar('Canary traffic', z.number(), percentText),
  storageUri: scalar('Model', z.string(), uriText),
  previousStorageUri: scalar('Previous model', z.string(), uriText),
  version: scalar('Canary version', z.string(), versionText),
  previousVersion: scalar('Previous version', z.string(), versionText),
  toRequestId: scalar('With the evidence of request', z.string(), (id) => id),
  by: scalar('Superseded by', z.string(), versionText),
  steps: scalar('Steps', z.array(z.number()), (steps) => `${steps.join(' → ')} %`),
  recordedBy: scalar(
    'Recorded by',
    z.literal('worker'),
    () => 'the worker, after the process that acted stopped before recording the outcome',
  ),
  reapplied: scalar('Applied again', z.boolean(), (again) =>
    again ? 'yes: it had not reached the cluster, so the worker applied it' : 'no',
  ),
  alias: scalar('Alias', z.string(), (alias) => alias),
  error: scalar('Error', z.string(), (error) => error),
};

/**
 * The values recorded with a decision (metrics, thresholds, traffic before → after, …) as lines
 * people can read. Keys it does not know are shown as JSON rather than hidden.
 */
export function describeValues(values: unknown): ValueLine[] {
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return [];
  const record = values as Record<string, unknown>;
  const lines: ValueLine[] = [];
  const described = new Set<string>();
  const parse = <T>(key: string, schema: z.ZodType<T>): T | undefined => {
    const parsed = schema.safeParse(record[key]);
    if (!parsed.success) return undefined;
    described.add(key);
    return parsed.data;
  };

  for (const [key, { label, write }] of Object.entries(SCALARS)) {
    const value = write(record[key]);
    if (value === undefined) continue;
    described.add(key);
    lines.push({ label, value });
  }
  const metrics = parse('metrics', checkMetricsSchema);
  if (metrics && 'unavailable' in metrics)
    lines.push({ label: 'Metrics', value: `unavailable: ${metrics.unavailable}` });
  if (metrics && 'canary' in metrics)
    lines.push(
      { label: 'Canary', value: describeSample(metrics.canary) },
      { label: 'Stable', value: describeSample(metrics.stable) },
    );
  const thresholds = parse('thresholds', judgedThresholdsSchema);
  if (thresholds) lines.push({ label: 'Thresholds', value: describeThresholds(thresholds) });
  const before = parse('before', trafficSchema);
  const after = parse('after', trafficSchema);
  if (before && after) {
    lines.push({ label: 'Traffic', value: change(trafficShareWords(before), trafficShareWords(after)) });
    lines.push({ label: 'Model served', value: change(before.storageUri ?? 'none', after.storageUri ?? 'none') });
  } else {
    // One side alone says nothing about a change: shown as recorded below.
    described.delete('before');
    described.delete('after');
  }

  for (const [key, value] of Object.entries(record)) {
    if (described.has(key) || value === null || value === undefined) continue;
    lines.push({ label: key, value: JSON.stringify(value) });
  }
  return lines;
}

const ACTION_LABELS: Record<IdempotentAction, string> = {
  rollback: 'Rollback',
  'rollback-to-version': 'Rollback to a chosen version',
  'promote-next': 'Promotion to the next step',
  'promote-full': 'Promotion to 100 %',
};

/** An action in words, with where it goes when the intent says so. */
function actionLabel(action: IdempotentAction | null, target: IntentValues['target'] | null): string {
  if (action === 'promote-next' && target?.canaryTrafficPercent != null)
    return `Promotion to ${target.canaryTrafficPercent} %`;
  return action ? ACTION_LABELS[action] : 'An action';
}

/** An intent's values: what it asks the cluster to serve, what it started from, who it acts as, and the judgment behind it. */
function describeIntent(values: IntentValues): ValueLine[] {
  const kube = kubeActorSchema.parse(values.kube);
  return [
    { label: 'Asked for', value: `${actionLabel(values.action, values.target)}: ${servedWords(values.target)}` },
    {
      label: 'Started from',
      value: servedWords({ storageUri: values.from.storageUri, canaryTrafficPercent: values.from.percent }),
    },
    ...(values.to
      ? [
          { label: 'Rolled back from', value: versionText(values.version) },
          {
            label: 'Back to',
            value: `${versionText(values.to.version)}, with the evidence of request ${values.to.requestId}`,
          },
        ]
      : [
          { label: 'Canary version', value: versionText(values.version) },
          ...(values.previousVersion
            ? [{ label: 'Previous version', value: versionText(values.previousVersion) }]
            : []),
        ]),
    {
      label: 'Acts at Kubernetes as',
      value: kube.kind === 'user' ? `${kube.username} (impersonated)` : "the portal's own identity",
    },
    ...(values.judgment ? describeValues(values.judgment) : []),
  ];
}

/** The values of one event in words, by its kind. */
export function describeEvent(event: RolloutEventBody): ValueLine[] {
  switch (event.kind) {
    case 'intent':
      return describeIntent(event.values);
    case 'failed': {
      const { action, observed, ...rest } = event.values;
      return [
        { label: 'Action', value: action ? ACTION_LABELS[action] : 'unknown (its record could not be read)' },
        ...(observed ? [{ label: 'The cluster served', value: servedWords(observed) }] : []),
        ...describeValues(rest),
      ];
    }
    default:
      return describeValues(event.values);
  }
}

/** A stored event's lines: by its kind's schema, or — when the row does not match it — what is wrong and what it holds. */
export function storedEventDetails(row: {
  kind: string;
  decision: string;
  reason: string;
  values: unknown;
}): ValueLine[] {
  const parsed = parseRolloutEvent({
    kind: row.kind,
    decision: row.decision,
    reason: row.reason,
    values: row.values as RolloutEventBody['values'],
  });
  if (parsed.ok) return describeEvent(parsed.event);
  return [
    {
      label: 'Unreadable record',
      value: `this ${row.kind} event does not match what a ${row.kind} event holds (${parsed.problem}); its values as stored follow`,
    },
    ...describeValues(row.values),
  ];
}

const ACTION_HEADLINES: Record<string, string> = {
  wait: 'Keep baking',
  step: 'Step up',
  promote: 'Promote to 100 %',
  rollback: 'Roll back',
  pause: 'Judgment paused',
};

type JudgedRollout = Pick<RolloutRow, 'state' | 'lastJudgment' | 'finishedAt' | 'version' | 'previousVersion'> & {
  /** The version its last rollback went back to (a chosen one may be older than the previous). */
  rolledBackTo?: string | null;
};

const FINISHED: Record<
  Exclude<RolloutView['state'], 'progressing'>,
  (r: JudgedRollout) => { headline: string; reason: string }
> = {
  promoted: (r) => ({
    headline: 'Promoted',
    reason: `v${r.version} serves all traffic; automatic judgment has ended.`,
  }),
  rolled_back: (r) => ({
    headline: 'Rolled back',
    reason: `v${r.version} was rolled back and ${(r.rolledBackTo ?? r.previousVersion) ? `v${r.rolledBackTo ?? r.previousVersion}` : 'the previous version'} serves all traffic again. The timeline shows who decided and why.`,
  }),
  superseded: () => ({
    headline: 'Superseded',
    reason: 'A newer version took over this endpoint; this rollout is no longer judged.',
  }),
};

/** The tone an action under way takes on the judgment badge: its own action's. */
const PENDING_BADGE_ACTIONS: Record<IdempotentAction, string> = {
  rollback: 'rollback',
  'rollback-to-version': 'rollback',
  'promote-next': 'step',
  'promote-full': 'promote',
};

/** A rollback or promote asked for whose outcome is not recorded yet, in words. */
export function pendingActionView(pending: PendingIntent): PendingActionView {
  return {
    action: pending.action,
    label: actionLabel(pending.action, pending.target),
    by: pending.actor,
    at: pending.occurredAt.toISOString(),
    reason: pending.reason,
  };
}

const utcSeconds = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;

/** The judgment's envelope alone, for a stored judgment whose values do not read. */
const judgmentEnvelopeSchema = storedJudgmentSchema.pick({ action: true, reason: true, at: true });

/**
 * The automatic judgment as the dashboard states it: an action under way (judgment waits for
 * it), waiting for the worker, paused, the last decision, or finished.
 */
export function judgmentView(rollout: JudgedRollout, pending: PendingActionView | null = null): JudgmentView {
  if (rollout.state !== 'progressing') {
    return {
      state: 'finished',
      action: null,
      ...FINISHED[rollout.state](rollout),
      at: rollout.finishedAt?.toISOString() ?? null,
      details: [],
    };
  }
  if (pending) {
    return {
      state: 'acting',
      action: pending.action ? PENDING_BADGE_ACTIONS[pending.action] : null,
      headline: `${pending.label} under way`,
      reason:
        `${pending.by === 'worker' ? 'Automatic judgment' : pending.by} asked for it at ${utcSeconds(pending.at)} (${pending.reason}), and its outcome is not recorded yet. ` +
        'Automatic judgment waits for it. If the portal stopped before recording the outcome, the worker reads the InferenceService and records it: done, applied again, or failed with the reason.',
      at: pending.at,
      details: [],
    };
  }
  const judgment = storedJudgmentSchema.safeParse(rollout.lastJudgment);
  if (!judgment.success) {
    const envelope = judgmentEnvelopeSchema.safeParse(rollout.lastJudgment);
    if (!envelope.success) {
      return {
        state: 'waiting',
        action: null,
        headline: 'Waiting for the worker',
        reason: 'No automatic check has run yet; the first runs within one check interval.',
        at: null,
        details: [],
      };
    }
    const { action, reason, at } = envelope.data;
    const values = (rollout.lastJudgment as { values?: unknown }).values;
    const problem = judgmentValuesSchema.safeParse(values).error?.issues[0];
    const unreadable = {
      label: 'Unreadable record',
      value: `the values recorded with this judgment do not read as a judgment's${problem ? ` (${problem.path.join('.')}: ${problem.message})` : ''}; as stored they follow`,
    };
    return {
      state: action === 'pause' ? 'paused' : 'judged',
      action,
      headline: ACTION_HEADLINES[action] ?? capitalize(action),
      reason: capitalize(reason),
      at,
      details: [unreadable, ...describeValues(values)],
    };
  }
  const { action, reason, at, values } = judgment.data;
  return {
    state: action === 'pause' ? 'paused' : 'judged',
    action,
    headline: ACTION_HEADLINES[action] ?? capitalize(action),
    reason: capitalize(reason),
    at,
    details: describeValues(values),
  };
}

/** The version the newest recorded rollback of `rolloutId` went back to, from its history (newest first). */
export function rolledBackToOf(
  rolloutId: string,
  events: readonly { rolloutId: string; kind: string; decision: string; reason: string; values: unknown }[],
): string | null {
  for (const row of events) {
    if (row.rolloutId !== rolloutId || row.kind !== 'rollback') continue;
    const parsed = parseRolloutEvent({ ...row, values: row.values as RolloutEventBody['values'] });
    if (parsed.ok && parsed.event.kind === 'rollback') return parsed.event.values.previousVersion ?? null;
  }
  return null;
}

export function rolloutView(
  rollout: RolloutRow,
  pending: PendingIntent | null = null,
  rolledBackTo: string | null = null,
): RolloutView {
  const pendingAction = pending && rollout.state === 'progressing' ? pendingActionView(pending) : null;
  const next = nextStep(rollout.steps, rollout.currentPercent);
  return {
    id: rollout.id,
    modelName: rollout.modelName,
    version: rollout.version,
    previousVersion: rollout.previousVersion,
    storageUri: rollout.storageUri,
    previousStorageUri: rollout.previousStorageUri,
    steps: rollout.steps,
    currentPercent: rollout.currentPercent,
    nextPercent: next !== null && next < 100 ? next : null,
    state: rollout.state,
    stepStartedAt: rollout.stepStartedAt.toISOString(),
    finishedAt: rollout.finishedAt?.toISOString() ?? null,
    judgment: judgmentView({ ...rollout, rolledBackTo }, pendingAction),
    pendingAction,
  };
}

type RevisionStats = Pick<RevisionMetrics, 'requests' | 'requestRate' | 'errorRate' | 'p50Ms' | 'p99Ms'>;

/**
 * Stable next to canary, each stat with its threshold and the canary's standing against it in
 * words. `hasCanary` false: the endpoint serves one revision.
 */
export function metricRows(
  stable: RevisionStats | null,
  canary: RevisionStats | null,
  hasCanary: boolean,
  thresholds: Thresholds,
): MetricRow[] {
  const rollbackLimit = thresholds.maxErrorRate * thresholds.immediateRollbackFactor;
  const good = (text: string) => ({ text, tone: 'good' }) as const;
  const bad = (text: string) => ({ text, tone: 'bad' }) as const;
  /** `judge` gets the canary's numbers, or null when it had no requests in the window. */
  const row = (
    label: string,
    write: (s: RevisionStats) => string,
    threshold: string | null,
    judge?: (s: RevisionStats | null) => MetricRow['verdict'],
  ): MetricRow => ({
    label,
    stable: stable ? write(stable) : 'no requests',
    canary: !hasCanary ? 'no canary' : canary ? write(canary) : 'no requests',
    threshold,
    verdict: judge && hasCanary ? judge(canary) : null,
  });
  return [
    row('Request rate', (s) => formatRate(s.requestRate), null),
    // Like the worker, a canary without requests has too few to judge.
    row(
      `Requests in ${thresholds.analysisWindowSeconds} s`,
      (s) => formatCount(s.requests),
      `at least ${formatCount(thresholds.minRequests)} to judge`,
      (s) =>
        (s?.requests ?? 0) < thresholds.minRequests
          ? { text: 'too few to judge', tone: 'warn' }
          : good('enough to judge'),
    ),
    row(
      'Error rate',
      (s) => formatFixedPercent(s.errorRate),
      `≤ ${formatFixedPercent(thresholds.maxErrorRate)}; rollback at once above ${formatFixedPercent(rollbackLimit)}`,
      (s) =>
        !s
          ? null
          : s.errorRate > rollbackLimit
            ? bad('above the rollback limit')
            : s.errorRate > thresholds.maxErrorRate
              ? bad('above threshold')
              : good('within threshold'),
    ),
    row('Latency p50', (s) => formatMs(s.p50Ms), null),
    row(
      'Latency p99',
      (s) => formatMs(s.p99Ms),
      `≤ ${thresholds.maxP99Ms} ms`,
      (s) =>
        s?.p99Ms == null ? null : s.p99Ms > thresholds.maxP99Ms ? bad('above threshold') : good('within threshold'),
    ),
  ];
}

/** Stable and canary histories merged by time for the charts; error rates in percent. */
export function chartPoints(
  histories: RevisionHistory[],
  revisions: { stableRevision?: string; canaryRevision?: string },
): ChartPoint[] {
  const byTime = new Map<number, ChartPoint>();
  for (const side of ['stable', 'canary'] as const) {
    const history = histories.find((h) => h.revision === revisions[`${side}Revision`]);
    for (const p of history?.points ?? []) {
      const point = byTime.get(p.t) ?? { t: p.t, stable: {}, canary: {} };
      point[side] = {
        requestRate: p.requestRate,
        errorPercent: p.errorRate === null ? null : p.errorRate * 100,
        p50Ms: p.p50Ms,
        p99Ms: p.p99Ms,
      };
      byTime.set(p.t, point);
    }
  }
  return [...byTime.values()].sort((a, b) => a.t - b.t);
}

function thresholdsOf(policy: Policy): Thresholds {
  return Object.fromEntries(THRESHOLD_FIELDS.map((field) => [field, policy[field]])) as Thresholds;
}

// ---------------------------------------------------------------------------------------------
// Reads

/** Every InferenceService of the tenant with what it serves and its live rollout. */
export async function listDeployments(tenant: string): Promise<Panel<DeploymentRow[]>> {
  const [services, latest] = await Promise.all([
    readPanel('the InferenceServices', () => inferenceServices(tenant, PORTAL_ACTOR).list()),
    getDb().rollout.findMany({
      where: { tenant: { name: tenant } },
      orderBy: { createdAt: 'desc' },
      distinct: ['endpoint'],
    }),
  ]);
  if (!services.ok) return services;
  const latestByEndpoint = new Map(latest.map((r) => [r.endpoint, r]));
  const pending = new Map(
    (await pendingIntentsOf(latest.filter((r) => r.state === 'progressing').map((r) => r.id))).map((p) => [
      p.rolloutId,
      p,
    ]),
  );
  const rows = services.data.map((isvc) => {
    const rollout = latestByEndpoint.get(isvc.metadata.name) ?? null;
    return {
      endpoint: endpointView(isvc, rollout),
      rollout: rollout?.state === 'progressing' ? rolloutView(rollout, pending.get(rollout.id) ?? null) : null,
    };
  });
  return {
    ok: true,
    data: rows.sort((a, b) => a.endpoint.name.localeCompare(b.endpoint.name)),
    freshness: services.freshness,
  };
}

/**
 * One recorded event on the timeline. An intent reads "pending" while its outcome is not recorded
 * and "requested" once it is (its outcome is the entry after it).
 */
export function timelineEntry(
  event: {
    id: bigint;
    occurredAt: Date;
    kind: string;
    actor: string;
    decision: string;
    reason: string;
    values: unknown;
  },
  version: string,
  pending: boolean,
): TimelineEntry {
  const base = {
    id: event.id.toString(),
    at: event.occurredAt.toISOString(),
    kind: event.kind,
    actor: event.actor,
    version,
    details: storedEventDetails(event),
  };
  if (event.kind !== 'intent') return { ...base, decision: event.decision, reason: event.reason };
  if (!pending) return { ...base, decision: 'requested', reason: event.reason };
  return {
    ...base,
    decision: 'pending',
    reason: `${event.reason}. Its outcome is not recorded yet: if the portal stopped before recording it, the worker reads the InferenceService and records what happened.`,
  };
}

/** A change made outside the portal under the admission guard's break-glass, as the worker recorded it. */
export function breakGlassEntry(change: {
  id: bigint;
  observedAt: Date;
  actor: string;
  reason: string;
  declaredAt: string;
  generation: number | null;
  storageUri: string | null;
  canaryTrafficPercent: number | null;
  modelVersion: string | null;
}): TimelineEntry {
  const details: ValueLine[] = [{ label: 'Declared at', value: change.declaredAt }];
  if (change.storageUri !== null) details.push({ label: 'Model served', value: change.storageUri });
  details.push({
    label: 'Canary traffic',
    value:
      change.canaryTrafficPercent === null
        ? 'none (all traffic to the latest revision)'
        : `${change.canaryTrafficPercent} %`,
  });
  if (change.generation !== null) details.push({ label: 'Generation', value: String(change.generation) });
  return {
    id: `break-glass-${change.id.toString()}`,
    at: change.observedAt.toISOString(),
    kind: 'break-glass',
    actor: change.actor,
    decision: 'break-glass',
    reason: `Changed outside the portal with kubectl under break-glass: ${change.reason}`,
    version: change.modelVersion,
    details,
  };
}

/** One endpoint: what it serves, its live (else latest) rollout, the last decisions and the thresholds. null when there is no such endpoint and never was. */
export async function deploymentDetail(tenant: string, endpoint: string): Promise<DeploymentDetail | null> {
  if (!endpointNameSchema.safeParse(endpoint).success) return null;
  const [isvc, rollouts, { policy }] = await Promise.all([
    readPanel('the InferenceService', () => inferenceServices(tenant, PORTAL_ACTOR).get(endpoint)),
    rolloutsOf(tenant, endpoint),
    getPolicy(tenant),
  ]);
  if (isvc.ok && isvc.data === null && rollouts.length === 0) return null;
  const rollout = rollouts.find((r) => r.state === 'progressing') ?? rollouts[0] ?? null;
  const thresholds = thresholdsOf(policy);
  const versions = new Map(rollouts.map((r) => [r.id, r.version]));
  const [events, breakGlass, pending] = await Promise.all([
    rollouts.length > 0 ? eventsOf([...versions.keys()], TIMELINE_LIMIT) : [],
    breakGlassChangesOf(tenant, endpoint, TIMELINE_LIMIT),
    pendingIntentsOf([...versions.keys()]),
  ]);
  const pendingIds = new Set(pending.map((p) => p.id));
  const timeline: TimelineEntry[] = [
    ...events.map((e) => timelineEntry(e, versions.get(e.rolloutId) ?? '?', pendingIds.has(e.id))),
    ...breakGlass.map(breakGlassEntry),
  ];
  return {
    name: endpoint,
    serving: isvc.ok
      ? { ok: true, data: isvc.data && endpointView(isvc.data, rollout), freshness: isvc.freshness }
      : isvc,
    rollout:
      rollout &&
      rolloutView(rollout, pending.find((p) => p.rolloutId === rollout.id) ?? null, rolledBackToOf(rollout.id, events)),
    timeline: timeline.sort((a, b) => b.at.localeCompare(a.at)).slice(0, TIMELINE_LIMIT),
    thresholds,
    policySummary: describeThresholds({ ...thresholds, windowSeconds: thresholds.analysisWindowSeconds }),
  };
}

/**
 * Stable vs canary over the policy's analysis window (the window the judgment reads, so the
 * numbers match its decisions), and the last 30 minutes for the charts. Which revision is which
 * comes from the endpoint's serving state.
 */
/** Everyone watching a canary shares its queries for a few seconds (the page polls every 5 s); the worker reads Prometheus unshared. */
const SHARED_CANARY_QUERY_MS = 4_000;
let canaryPrometheus: PrometheusApi | undefined;
const dashboardPrometheus = () =>
  (canaryPrometheus ??= sharedPrometheus(prometheusApi(), { ttlMs: SHARED_CANARY_QUERY_MS }));

async function liveMetrics(
  tenant: string,
  endpoint: string,
  serving: Panel<EndpointView | null>,
  thresholds: Thresholds,
): Promise<LiveMetrics> {
  const now = new Date();
  const windowSeconds = thresholds.analysisWindowSeconds;
  const base = { at: now.toISOString(), windowSeconds, historyMinutes: HISTORY_MINUTES };
  if (!serving.ok || !serving.data) {
    const message = `Which revision is stable and which the canary is unknown: ${serving.ok ? `the InferenceService ${endpoint} no longer exists.` : serving.message}`;
    return { ...base, hasCanary: false, current: { ok: false, message }, history: { ok: false, message } };
  }
  const stableRevision = serving.data.stable.revision ?? undefined;
  const canaryRevision = serving.data.canary?.revision ?? undefined;
  const [current, history] = await Promise.all([
    readPanel('the serving metrics', () =>
      servingMetrics(tenant, dashboardPrometheus()).revisionMetrics(endpoint, windowSeconds),
    ),
    readPanel('the metrics history', () =>
      servingMetrics(tenant, dashboardPrometheus()).revisionHistory(endpoint, {
        start: new Date(now.getTime() - HISTORY_MINUTES * 60_000),
        end: now,
        stepSeconds: HISTORY_STEP_SECONDS,
      }),
    ),
  ]);
  const of = (all: RevisionMetrics[], revision: string | undefined) => all.find((m) => m.revision === revision) ?? null;
  const hasCanary = canaryRevision !== undefined;
  return {
    ...base,
    hasCanary,
    current: current.ok
      ? {
          ok: true,
          data: metricRows(of(current.data, stableRevision), of(current.data, canaryRevision), hasCanary, thresholds),
          freshness: current.freshness,
        }
      : current,
    history: history.ok
      ? { ok: true, data: chartPoints(history.data, { stableRevision, canaryRevision }), freshness: history.freshness }
      : history,
  };
}

/** Everything the canary dashboard shows, for its first render and every live refresh. null when there is no such endpoint. */
export async function deploymentDashboard(tenant: string, endpoint: string): Promise<DeploymentDashboard | null> {
  const detail = await deploymentDetail(tenant, endpoint);
  if (!detail) return null;
  return { detail, metrics: await liveMetrics(tenant, endpoint, detail.serving, detail.thresholds) };
}
