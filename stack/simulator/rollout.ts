/**
 * How KServe (serverless mode, on Knative) turns an InferenceService's predictor spec and
 * `canaryTrafficPercent` into revisions and a traffic split — the part of its behaviour the
 * portal reads. Pure: the simulator's controller feeds it what it read and writes what it returns.
 *
 * - Every change of the predictor spec (other than canaryTrafficPercent) creates a revision
 *   `<service>-predictor-0000N`.
 * - Without canaryTrafficPercent (or at 100) the latest ready revision takes all traffic and
 *   becomes the rolled-out one; the one before becomes previousRolledoutRevision.
 * - With canaryTrafficPercent c the latest revision takes c % (tag `latest`) and the last
 *   rolled-out revision the rest (tag `prev`); c = 0 is a rollback to the rolled-out revision.
 * - A revision that gets no traffic has no pods (scaled to zero).
 */
import { createHash } from 'node:crypto';

export interface Revision {
  name: string;
  specHash: string;
  /** The predictor spec this revision runs (without canaryTrafficPercent). */
  spec: Record<string, unknown>;
}

export interface TrafficTarget {
  revisionName: string;
  percent: number;
  tag: 'latest' | 'prev';
  latestRevision: boolean;
}

export interface RolloutStatus {
  latestCreatedRevision: string;
  latestReadyRevision?: string;
  latestRolledoutRevision?: string;
  previousRolledoutRevision?: string;
  traffic: TrafficTarget[];
}

/** A stable hash of the predictor spec, ignoring canaryTrafficPercent. */
export function predictorSpecHash(predictor: Record<string, unknown>): string {
  const { canaryTrafficPercent: _ignored, ...spec } = predictor;
  return createHash('sha256').update(canonicalJson(spec)).digest('hex').slice(0, 16);
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function revisionName(service: string, number: number): string {
  return `${service}-predictor-${String(number).padStart(5, '0')}`;
}

/** The revisions after observing `predictor`: unchanged, or with a new latest revision. */
export function observeSpec(service: string, revisions: Revision[], predictor: Record<string, unknown>): Revision[] {
  const specHash = predictorSpecHash(predictor);
  if (revisions.at(-1)?.specHash === specHash) return revisions;
  const { canaryTrafficPercent: _ignored, ...spec } = predictor;
  return [...revisions, { name: revisionName(service, revisions.length + 1), specHash, spec }];
}

/**
 * The status KServe would report. `previous` is what the status said before (the rolled-out
 * revisions are remembered there); `ready` tells which revisions have all their pods running.
 */
export function rolloutStatus(input: {
  revisions: Revision[];
  canaryTrafficPercent: number | undefined;
  previous: Partial<RolloutStatus> | undefined;
  ready: (revision: string) => boolean;
}): RolloutStatus {
  const latest = input.revisions.at(-1);
  if (!latest) throw new Error('an InferenceService has at least one revision');
  const latestReady = [...input.revisions].reverse().find((r) => input.ready(r.name))?.name;
  const rolledOut = input.previous?.latestRolledoutRevision;
  const previousRolledOut = input.previous?.previousRolledoutRevision;
  const canary = input.canaryTrafficPercent;

  const isCanary = canary !== undefined && canary < 100 && rolledOut !== undefined && rolledOut !== latest.name;
  if (isCanary) {
    const percent = Math.max(0, Math.min(100, Math.round(canary)));
    return {
      latestCreatedRevision: latest.name,
      latestReadyRevision: latestReady,
      latestRolledoutRevision: rolledOut,
      previousRolledoutRevision: previousRolledOut ?? rolledOut,
      traffic: [
        { revisionName: latest.name, percent, tag: 'latest', latestRevision: true },
        { revisionName: rolledOut, percent: 100 - percent, tag: 'prev', latestRevision: false },
      ],
    };
  }

  // Full rollout: the latest revision takes everything once it is ready; until then the
  // rolled-out revision keeps serving, as Knative does.
  if (latestReady === latest.name || rolledOut === undefined) {
    const movedOn = rolledOut !== undefined && rolledOut !== latest.name;
    return {
      latestCreatedRevision: latest.name,
      latestReadyRevision: latestReady,
      latestRolledoutRevision: latest.name,
      previousRolledoutRevision: movedOn ? rolledOut : previousRolledOut,
      traffic: [{ revisionName: latest.name, percent: 100, tag: 'latest', latestRevision: true }],
    };
  }
  return {
    latestCreatedRevision: latest.name,
    latestReadyRevision: latestReady,
    latestRolledoutRevision: rolledOut,
    previousRolledoutRevision: previousRolledOut,
    traffic: [{ revisionName: rolledOut, percent: 100, tag: 'prev', latestRevision: false }],
  };
}

/**
 * Revisions that should have pods: those with traffic, and the latest one (it must become
 * ready) unless a canary split gives it 0 % — a rolled-back canary scales to zero.
 */
export function revisionsToRun(status: RolloutStatus): Set<string> {
  const names = new Set(status.traffic.filter((t) => t.percent > 0).map((t) => t.revisionName));
  const latestAtZero = status.traffic.some((t) => t.revisionName === status.latestCreatedRevision && t.percent === 0);
  if (!latestAtZero) names.add(status.latestCreatedRevision);
  return names;
}
