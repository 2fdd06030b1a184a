/**
 * The conditions the worker watches on its tick — a tenant's GPU quota use above 90 %, an
 * endpoint's SLO burning its budget fast (the 1 h / 5 m window), a served model's inputs drifting
 * past its tenant policy's threshold — and when each opens or clears.
 * An event is emitted when a condition opens, not at every tick while it stays open; it opens
 * again only after it cleared. Pure: the readings come from the existing read models (lib/quota,
 * lib/slo, lib/platform-health's drift inputs) and the open conditions from the database (watch.ts).
 */
import type { DriftScore } from '../integrations/prometheus/drift-metrics';
import { driftBreaches, type DriftPolicy } from '../platform-health/input-drift';
import { BURN_RATE_WINDOWS } from '../slo/budget';
import type { SloSummary } from '../slo/view';
import { gpuQuotaHigh, modelDrift, sloFastBurn } from './events';
import type { NotificationInput } from './kinds';

/** GPU quota use above this share opens the condition… */
export const GPU_QUOTA_HIGH_SHARE = 0.9;
/** …and only at or below this one does it clear, so use hovering around 90 % does not alert at every tick. */
export const GPU_QUOTA_CLEAR_SHARE = 0.85;

/** The SLO alert window that pages: 1 h / 5 m at 14.4× (2 % of a 30-day budget in an hour). */
export const FAST_BURN_WINDOW = BURN_RATE_WINDOWS[0]!;

/** One condition as read now: whether it would open (if closed) or clear (if open), and the event its opening emits. */
export interface ConditionReading {
  key: string;
  tenant: string;
  opens: boolean;
  clears: boolean;
  event: NotificationInput;
}

export const quotaKey = (tenant: string) => `quota.gpu_high:${tenant}`;
export const sloKey = (tenant: string, endpoint: string, objective: string) =>
  `slo.fast_burn:${tenant}/${endpoint}/${objective}`;

/** A tenant's GPU quota: opens above 90 % of a limit; clears at 85 % or below, or when no limit is left. */
export function quotaReading(use: { tenant: string; used: number; hard: number | null }): ConditionReading {
  const share = use.hard === null ? null : use.hard === 0 ? (use.used > 0 ? 1 : 0) : use.used / use.hard;
  return {
    key: quotaKey(use.tenant),
    tenant: use.tenant,
    opens: share !== null && use.hard !== null && use.hard > 0 && share > GPU_QUOTA_HIGH_SHARE,
    clears: share === null || share <= GPU_QUOTA_CLEAR_SHARE,
    event: gpuQuotaHigh(use.tenant, {
      used: use.used,
      hard: use.hard ?? 0,
      share: share ?? 0,
      threshold: GPU_QUOTA_HIGH_SHARE,
    }),
  };
}

/** An SLO: opens while both windows of 1 h / 5 m burn faster than 14.4×; clears once they do not (no traffic: not burning). */
export function sloReading(
  slo: Pick<SloSummary, 'tenant' | 'endpoint' | 'kind' | 'objective' | 'burnRates'>,
): ConditionReading {
  const fast = slo.burnRates.find((b) => b.label === FAST_BURN_WINDOW.label);
  const firing = fast?.firing ?? false;
  return {
    key: sloKey(slo.tenant, slo.endpoint, slo.kind),
    tenant: slo.tenant,
    opens: firing,
    clears: !firing,
    event: sloFastBurn(slo.tenant, {
      endpoint: slo.endpoint,
      objective: slo.kind,
      target: slo.objective,
      window: FAST_BURN_WINDOW.label,
      longBurnRate: fast?.longRate ?? 0,
      shortBurnRate: fast?.shortRate ?? 0,
      factor: FAST_BURN_WINDOW.factor,
    }),
  };
}

/** Input drift clears only once every feature is at or below this share of the threshold, so a score hovering at it does not alert at every tick. */
export const DRIFT_CLEAR_RATIO = 0.9;

export const driftKey = (tenant: string, endpoint: string) => `model.drift:${tenant}/${endpoint}`;

/**
 * Each scored endpoint's input drift: opens while a feature's score is above its tenant's threshold
 * (the event names every such feature); clears once every feature is at or below 90 % of it. An
 * endpoint of a tenant without a policy in `policies` is not read.
 */
export function driftReadings(
  scores: readonly DriftScore[],
  policies: ReadonlyMap<string, DriftPolicy>,
): ConditionReading[] {
  const worst = new Map<string, { tenant: string; endpoint: string; score: number }>();
  for (const s of scores) {
    const key = driftKey(s.tenant, s.endpoint);
    const seen = worst.get(key);
    if (!seen || s.score > seen.score) worst.set(key, { tenant: s.tenant, endpoint: s.endpoint, score: s.score });
  }
  const breaches = new Map(driftBreaches(scores, policies).map((b) => [driftKey(b.tenant, b.endpoint), b]));
  return [...worst].flatMap(([key, { tenant, endpoint, score }]): ConditionReading[] => {
    const policy = policies.get(tenant);
    if (!policy) return [];
    const breach = breaches.get(key);
    return [
      {
        key,
        tenant,
        opens: breach !== undefined,
        clears: score <= policy.maxInputDrift * DRIFT_CLEAR_RATIO,
        event: modelDrift(tenant, {
          endpoint,
          threshold: policy.maxInputDrift,
          policyVersion: policy.version,
          features: breach?.features ?? [],
        }),
      },
    ];
  });
}

export interface ConditionChanges {
  /** Newly open: each emits its event. */
  opened: ConditionReading[];
  /** Cleared: their rows go, so the next crossing emits again. */
  cleared: string[];
}

/**
 * What changes, given the open conditions' keys and this tick's readings. `readPrefixes` are the
 * key prefixes whose source was read in full this tick (e.g. `slo.fast_burn:fraud/`): an open
 * condition under one of them without a reading (its endpoint is gone) clears; one whose source
 * could not be read is left as it is — unknown is neither open nor clear.
 */
export function conditionChanges(
  open: ReadonlySet<string>,
  readings: readonly ConditionReading[],
  readPrefixes: readonly string[],
): ConditionChanges {
  const read = new Set(readings.map((r) => r.key));
  const opened = readings.filter((r) => !open.has(r.key) && r.opens);
  const cleared = [
    ...readings.filter((r) => open.has(r.key) && r.clears).map((r) => r.key),
    ...[...open].filter((key) => !read.has(key) && readPrefixes.some((prefix) => key.startsWith(prefix))),
  ];
  return { opened, cleared };
}
