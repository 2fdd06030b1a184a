/**
 * A model's story as one list of events, newest first: pure functions that merge what the portal
 * recorded (promotion requests, their gates and approvals, rollouts with every check and action,
 * break-glass changes) with what MLflow says now (each version's source run and registration, the
 * alias moves its version tags record). No I/O here: lib/model-story/service.ts gathers the sources.
 */
import type { GateResult } from '../promotion/gates';
import { parseRolloutEvent, servedWords } from '../rollout/events';

export const STORY_KINDS = [
  'run',
  'registration',
  'alias',
  'request',
  'gate',
  'approval',
  'deployment',
  'judgment',
  'rollback',
  'break-glass',
] as const;
export type StoryKind = (typeof STORY_KINDS)[number];

export const STORY_KIND_LABELS: Record<StoryKind, string> = {
  run: 'Source run',
  registration: 'Registration',
  alias: 'Alias move',
  request: 'Promotion request',
  gate: 'Gate',
  approval: 'Approval',
  deployment: 'Deployment',
  judgment: 'Automatic judgment',
  rollback: 'Rollback',
  'break-glass': 'Break-glass',
};

export type StoryNumber = string | number | boolean | null;

export interface StoryEvent {
  /** Stable across renders: the anchor `#e-<id>`. */
  id: string;
  kind: StoryKind;
  at: Date;
  /** The model version it concerns; null when it concerns none in particular (a break-glass change of unknown version). */
  version: string | null;
  /** Who: a username, `worker` for automatic judgment, or null when the source does not say. */
  actor: string | null;
  /** The event in one sentence. */
  summary: string;
  /** Why, or what was said with it. */
  detail?: string;
  /** The values that drove it, by name, as recorded. */
  numbers: Record<string, StoryNumber>;
  /** Where to see more. */
  link?: { href: string; label: string };
  tone?: 'good' | 'bad' | 'warn';
}

// ---------------------------------------------------------------------------------------------
// The sources, as the service reads them

export interface MlflowVersionSource {
  version: string;
  /** Registration time (ms since the epoch). */
  createdAt?: number;
  runId: string;
  aliases: string[];
  tags: Record<string, string>;
  /** The source run; null when MLflow has no such run. */
  run: { runId: string; runName: string; startTime?: number; endTime?: number; metrics: Record<string, number> } | null;
}

export type MlflowSource = { ok: true; versions: MlflowVersionSource[] } | { ok: false; message: string };

export interface ApprovalRecord {
  id: string;
  approverName: string;
  decision: 'approve' | 'reject';
  comment: string;
  counts: boolean;
  standing: string;
  createdAt: Date;
}

export interface RequestRecord {
  id: string;
  version: string;
  endpoint: string;
  runId: string;
  requesterName: string;
  status: string;
  notes: string;
  policyVersion: number;
  requiredApprovals: number;
  gates: unknown;
  deployGates: unknown;
  deployError: string | null;
  pipeline: string | null;
  createdAt: Date;
  decidedAt: Date | null;
  updatedAt: Date;
  approvals: ApprovalRecord[];
}

export interface RolloutEventRecord {
  id: bigint;
  occurredAt: Date;
  kind: string;
  actor: string;
  decision: string;
  reason: string;
  values: unknown;
}

export interface RolloutRecord {
  id: string;
  endpoint: string;
  version: string;
  previousVersion: string | null;
  promotionRequestId: string | null;
  events: RolloutEventRecord[];
}

export interface BreakGlassRecord {
  id: bigint;
  endpoint: string;
  actor: string;
  reason: string;
  storageUri: string | null;
  canaryTrafficPercent: number | null;
  modelVersion: string | null;
  observedAt: Date;
}

export interface StorySources {
  tenant: string;
  model: string;
  /** The tenant policy's primary metric: each run's main metric. */
  primaryMetric: string;
  mlflow: MlflowSource;
  requests: RequestRecord[];
  rollouts: RolloutRecord[];
  breakGlass: BreakGlassRecord[];
}

// ---------------------------------------------------------------------------------------------
// Merging

const promotionHref = (tenant: string, id: string) => `/t/${tenant}/promotions/${id}`;
const deploymentHref = (tenant: string, endpoint: string) => `/t/${tenant}/deployments/${encodeURIComponent(endpoint)}`;

function gatesOf(value: unknown): GateResult[] {
  return Array.isArray(value) ? (value as GateResult[]) : [];
}

function mlflowEvents(sources: StorySources): StoryEvent[] {
  if (!sources.mlflow.ok) return [];
  const { tenant, primaryMetric } = sources;
  const events: StoryEvent[] = [];
  for (const v of sources.mlflow.versions) {
    if (v.run) {
      const at = v.run.endTime ?? v.run.startTime;
      if (at !== undefined) {
        const main = v.run.metrics[primaryMetric];
        events.push({
          id: `run-${v.version}`,
          kind: 'run',
          at: new Date(at),
          version: v.version,
          actor: null,
          summary: `Run ${v.run.runName || v.run.runId} ${main === undefined ? `logged no ${primaryMetric}` : `logged ${primaryMetric} ${main}`}`,
          numbers: { [primaryMetric]: main ?? null, runId: v.run.runId },
          link: { href: `/t/${tenant}/runs/${v.run.runId}`, label: 'Run' },
        });
      }
    }
    if (v.createdAt !== undefined) {
      events.push({
        id: `reg-${v.version}`,
        kind: 'registration',
        at: new Date(v.createdAt),
        version: v.version,
        actor: null,
        summary: `v${v.version} registered${v.run ? '' : ' (its source run is not in this tenant’s MLflow)'}`,
        detail:
          v.aliases.length > 0
            ? `Holds the alias${v.aliases.length > 1 ? 'es' : ''} ${v.aliases.join(', ')} now.`
            : undefined,
        numbers: { runId: v.runId || null },
      });
    }
    // MLflow keeps no alias history; the portal's tags on each version record when it moved one.
    const promotedAt = Date.parse(v.tags['mlp.promoted_at'] ?? '');
    if (Number.isFinite(promotedAt))
      events.push({
        id: `alias-to-${v.version}`,
        kind: 'alias',
        at: new Date(promotedAt),
        version: v.version,
        actor: null,
        summary: `The alias moved to v${v.version} on final approval`,
        detail: v.tags['mlp.approved_by'] ? `Approved by ${v.tags['mlp.approved_by']}.` : undefined,
        numbers: { request: v.tags['mlp.promotion_request'] ?? null },
        link: v.tags['mlp.promotion_request']
          ? { href: promotionHref(tenant, v.tags['mlp.promotion_request']), label: 'Request' }
          : undefined,
      });
    const rolledBackAt = Date.parse(v.tags['mlp.rolled_back_at'] ?? '');
    if (Number.isFinite(rolledBackAt))
      events.push({
        id: `alias-from-${v.version}`,
        kind: 'alias',
        at: new Date(rolledBackAt),
        version: v.version,
        actor: null,
        summary: `The alias moved back from v${v.version} after its rollback`,
        numbers: {},
        tone: 'warn',
      });
  }
  return events;
}

function requestEvents(sources: StorySources, request: RequestRecord): StoryEvent[] {
  const { tenant } = sources;
  const link = { href: promotionHref(tenant, request.id), label: 'Request' };
  const gates = gatesOf(request.gates);
  const failing = gates.filter((g) => !g.passed).length;
  const events: StoryEvent[] = [
    {
      id: `req-${request.id}`,
      kind: 'request',
      at: request.createdAt,
      version: request.version,
      actor: request.requesterName,
      summary: `${request.requesterName} requested promotion of v${request.version} to ${request.endpoint}${request.pipeline ? ` (pipeline ${request.pipeline})` : ''}: now ${request.status}`,
      detail: request.notes || undefined,
      numbers: {
        status: request.status,
        policyVersion: request.policyVersion,
        requiredApprovals: request.requiredApprovals,
        gatesPassed: gates.length - failing,
        gatesFailed: failing,
      },
      link,
      tone: request.status === 'rejected' || request.status === 'failed' ? 'bad' : undefined,
    },
  ];
  for (const gate of gates)
    events.push({
      id: `gate-${request.id}-${gate.id}`,
      kind: 'gate',
      at: request.createdAt,
      version: request.version,
      actor: null,
      summary: `${gate.label}: ${gate.passed ? 'passed' : gate.blocking ? 'failed' : 'failed (not blocking)'}`,
      detail: gate.detail,
      numbers: { ...gate.values },
      link,
      tone: gate.passed ? 'good' : 'bad',
    });
  const checkedAgainAt = request.decidedAt ?? request.updatedAt;
  for (const gate of gatesOf(request.deployGates))
    events.push({
      id: `deploygate-${request.id}-${gate.id}`,
      kind: 'gate',
      at: checkedAgainAt,
      version: request.version,
      actor: null,
      summary: `Checked again before deploying — ${gate.label}: ${gate.passed ? 'passed' : 'failed'}`,
      detail: gate.detail,
      numbers: { ...gate.values },
      link,
      tone: gate.passed ? 'good' : 'bad',
    });
  for (const approval of request.approvals)
    events.push({
      id: `appr-${approval.id}`,
      kind: 'approval',
      at: approval.createdAt,
      version: request.version,
      actor: approval.approverName,
      summary:
        approval.decision === 'approve'
          ? `${approval.approverName} approved v${request.version}${approval.counts ? '' : ' (does not count)'}`
          : `${approval.approverName} rejected v${request.version}`,
      detail: [approval.comment && `“${approval.comment}”`, approval.decision === 'approve' ? approval.standing : '']
        .filter(Boolean)
        .join(' '),
      numbers: { decision: approval.decision, counts: approval.decision === 'approve' ? approval.counts : null },
      link,
      tone: approval.decision === 'reject' || !approval.counts ? 'bad' : 'good',
    });
  if (request.deployError)
    events.push({
      id: `deployfail-${request.id}`,
      kind: 'deployment',
      at: request.updatedAt,
      version: request.version,
      actor: null,
      summary: `Deployment of v${request.version} failed`,
      detail: request.deployError,
      numbers: { status: request.status },
      link,
      tone: 'bad',
    });
  return events;
}

/** A judgment's values as flat numbers: both revisions' samples, the thresholds and where the canary was. */
function judgmentNumbers(values: {
  check?: string;
  metrics: { unavailable: string } | { canary: Sample | null; stable: Sample | null };
  thresholds: Record<string, number | undefined>;
  percent: number;
  checksAtStep: number;
}): Record<string, StoryNumber> {
  const numbers: Record<string, StoryNumber> = { percent: values.percent, checksAtStep: values.checksAtStep };
  if (values.check) numbers.check = values.check;
  if ('unavailable' in values.metrics) numbers.unavailable = values.metrics.unavailable;
  else
    for (const [role, sample] of [
      ['canary', values.metrics.canary],
      ['stable', values.metrics.stable],
    ] as const)
      if (sample) {
        numbers[`${role}.requests`] = sample.requests;
        numbers[`${role}.errorRate`] = sample.errorRate;
        numbers[`${role}.p99Ms`] = sample.p99Ms;
      }
  for (const [name, value] of Object.entries(values.thresholds))
    if (value !== undefined) numbers[`threshold.${name}`] = value;
  return numbers;
}

interface Sample {
  requests: number;
  errorRate: number;
  p99Ms: number | null;
}

function rolloutEvents(sources: StorySources, rollout: RolloutRecord): StoryEvent[] {
  const link = { href: deploymentHref(sources.tenant, rollout.endpoint), label: 'Canary dashboard' };
  const events: StoryEvent[] = [];
  for (const row of rollout.events) {
    // An action asked for: its outcome (step, promote, rollback, failed) is the event people read.
    if (row.kind === 'intent') continue;
    const base = { id: `ro-${row.id}`, at: row.occurredAt, version: rollout.version, actor: row.actor, link };
    const parsed = parseRolloutEvent(row as Parameters<typeof parseRolloutEvent>[0]);
    if (!parsed.ok) {
      events.push({
        ...base,
        kind: 'deployment',
        summary: `${row.kind} on ${rollout.endpoint}: ${row.decision} (its record could not be read: ${parsed.problem})`,
        detail: row.reason,
        numbers: {},
        tone: 'warn',
      });
      continue;
    }
    const event = parsed.event;
    switch (event.kind) {
      case 'check':
      case 'pause':
        events.push({
          ...base,
          kind: 'judgment',
          summary: `Automatic judgment at ${event.values.percent} %: ${event.decision}`,
          detail: event.reason,
          numbers: judgmentNumbers(event.values),
          tone: event.decision === 'pass' ? 'good' : event.decision === 'fail' ? 'bad' : 'warn',
        });
        break;
      case 'rollback': {
        const automatic = row.actor === 'worker';
        // A rollback to a chosen version records the version it went back to; older rows do not.
        const backTo = event.values.previousVersion ?? rollout.previousVersion;
        events.push({
          ...base,
          kind: 'rollback',
          summary: `${automatic ? 'Automatic rollback' : `${row.actor} rolled back`} v${rollout.version} on ${rollout.endpoint}${backTo ? ` to v${backTo}` : ''}`,
          detail: event.reason,
          numbers: {
            automatic,
            previousVersion: backTo,
            ...(event.values.before ? { before: servedWords(event.values.before) } : {}),
            after: servedWords(event.values.after),
            ...(event.values.metrics && event.values.thresholds && event.values.percent !== undefined
              ? judgmentNumbers({
                  check: event.values.check,
                  metrics: event.values.metrics,
                  thresholds: event.values.thresholds,
                  percent: event.values.percent,
                  checksAtStep: event.values.checksAtStep ?? 0,
                })
              : {}),
          },
          tone: 'bad',
        });
        break;
      }
      case 'alias':
        events.push({
          ...base,
          kind: 'alias',
          summary: `The alias was not moved back after the rollback of v${rollout.version}`,
          detail: event.reason,
          numbers: { alias: event.values.alias ?? null, error: event.values.error ?? null },
          tone: 'warn',
        });
        break;
      case 'intent':
        break;
      default: {
        const numbers: Record<string, StoryNumber> = {};
        if (event.kind === 'start') {
          numbers.canaryTrafficPercent = event.values.canaryTrafficPercent;
          numbers.steps = event.values.steps.join(' → ');
          numbers.previousVersion = rollout.previousVersion;
        } else if (event.kind === 'step' || event.kind === 'promote') {
          if (event.values.before) numbers.before = servedWords(event.values.before);
          numbers.after = servedWords(event.values.after);
          if (event.values.check) numbers.check = event.values.check;
        } else if (event.kind === 'failed') {
          numbers.action = event.values.action;
          numbers.error = event.values.error;
        } else if (event.kind === 'supersede') {
          numbers.by = event.values.by;
        }
        events.push({
          ...base,
          kind: 'deployment',
          summary: `${event.decision[0]!.toUpperCase()}${event.decision.slice(1)} on ${rollout.endpoint} (v${rollout.version})`,
          detail: event.reason,
          numbers,
          tone: event.kind === 'failed' ? 'bad' : event.kind === 'promote' ? 'good' : undefined,
        });
      }
    }
  }
  return events;
}

function breakGlassEvent(sources: StorySources, change: BreakGlassRecord): StoryEvent {
  return {
    id: `bg-${change.id}`,
    kind: 'break-glass',
    at: change.observedAt,
    version: change.modelVersion,
    actor: change.actor,
    summary: `${change.actor} changed ${change.endpoint} outside the portal under break-glass`,
    detail: change.reason,
    numbers: {
      storageUri: change.storageUri,
      canaryTrafficPercent: change.canaryTrafficPercent,
      modelVersion: change.modelVersion,
    },
    link: { href: deploymentHref(sources.tenant, change.endpoint), label: 'Endpoint' },
    tone: 'warn',
  };
}

/** Every event of the model's story, newest first (ties: the later-recorded first, by id). */
export function buildTimeline(sources: StorySources): StoryEvent[] {
  const events = [
    ...mlflowEvents(sources),
    ...sources.requests.flatMap((r) => requestEvents(sources, r)),
    ...sources.rollouts.flatMap((r) => rolloutEvents(sources, r)),
    ...sources.breakGlass.map((c) => breakGlassEvent(sources, c)),
  ].map((e) => ({ ...e, id: anchorSafe(e.id) }));
  return events.sort((a, b) => b.at.getTime() - a.at.getTime() || compareIds(b.id, a.id));
}

// Gate ids carry metric names (spaces, slashes, dots): ids keep to what URLs and CSS selectors take as they are.
const anchorSafe = (id: string) => id.replace(/[^A-Za-z0-9_-]/g, '_');

// Rollout events' ids are numbers: compare them as numbers so `ro-10` comes after `ro-9`.
function compareIds(a: string, b: string): number {
  const na = /^ro-(\d+)$/.exec(a)?.[1];
  const nb = /^ro-(\d+)$/.exec(b)?.[1];
  if (na && nb) return Number(BigInt(na) - BigInt(nb));
  return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Filters and pages

export interface TimelineFilter {
  version?: string;
  kinds?: readonly StoryKind[];
}

export function filterTimeline(events: readonly StoryEvent[], filter: TimelineFilter): StoryEvent[] {
  const kinds = filter.kinds && filter.kinds.length > 0 ? new Set(filter.kinds) : null;
  return events.filter((e) => (!filter.version || e.version === filter.version) && (!kinds || kinds.has(e.kind)));
}

/** The filter in a URL's query: `?version=3&kind=judgment&kind=rollback`; anything unknown is ignored. */
export function parseTimelineFilter(search: Record<string, string | string[] | undefined>): TimelineFilter {
  const all = (value: string | string[] | undefined) =>
    value === undefined ? [] : Array.isArray(value) ? value : [value];
  const version = all(search.version)[0];
  const kinds = all(search.kind)
    .flatMap((k) => k.split(','))
    .filter((k): k is StoryKind => (STORY_KINDS as readonly string[]).includes(k));
  return {
    ...(version && /^[1-9][0-9]{0,8}$/.test(version) ? { version } : {}),
    ...(kinds.length > 0 ? { kinds: [...new Set(kinds)] } : {}),
  };
}

export const TIMELINE_PAGE_SIZE = 50;

export interface TimelinePage {
  events: StoryEvent[];
  page: number;
  pages: number;
  total: number;
}

/**
 * One page of the (filtered) timeline. `at` (an event id) picks the page holding that event, so a
 * deep link keeps working as newer events push it down; otherwise `page` (1-based, clamped).
 */
export function timelinePage(
  events: readonly StoryEvent[],
  options: { page?: number; at?: string; size?: number } = {},
): TimelinePage {
  const size = options.size ?? TIMELINE_PAGE_SIZE;
  const pages = Math.max(1, Math.ceil(events.length / size));
  const index = options.at ? events.findIndex((e) => e.id === options.at) : -1;
  const requested = index >= 0 ? Math.floor(index / size) + 1 : (options.page ?? 1);
  const page = Math.min(pages, Math.max(1, Number.isFinite(requested) ? Math.floor(requested) : 1));
  return { events: events.slice((page - 1) * size, page * size), page, pages, total: events.length };
}

/** The timeline's address with a filter, a page or an event to show. */
export function timelineHref(
  base: string,
  filter: TimelineFilter,
  options: { page?: number; at?: string } = {},
): string {
  const query = new URLSearchParams();
  if (filter.version) query.set('version', filter.version);
  for (const kind of filter.kinds ?? []) query.append('kind', kind);
  if (options.at) query.set('at', options.at);
  else if (options.page && options.page > 1) query.set('page', String(options.page));
  const text = query.toString();
  return `${base}${text ? `?${text}` : ''}${options.at ? `#e-${options.at}` : ''}`;
}
