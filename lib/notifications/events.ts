/**
 * The events the portal's changes cause, built from the rows those changes write: the kind, the
 * sentence people read, the portal link and the kind's data. Pure: the callers write them with
 * `emitNotification` in the transaction of their change.
 */
import { formatNumber, formatPercent } from '../format';
import type { NotificationInput } from './kinds';

interface RequestFacts {
  id: string;
  modelName: string;
  version: string;
  endpoint: string;
  requesterName: string;
}

interface GateFacts {
  id: string;
  label: string;
  passed: boolean;
  blocking: boolean;
  detail: string;
}

const requestLink = (tenant: string, id: string) => `/t/${tenant}/promotions/${id}`;
const endpointLink = (tenant: string, endpoint: string) => `/t/${tenant}/deployments/${encodeURIComponent(endpoint)}`;

function requestRef(request: RequestFacts) {
  return {
    requestId: request.id,
    model: request.modelName,
    version: request.version,
    endpoint: request.endpoint,
    requester: request.requesterName,
  };
}

const gateSummary = (g: GateFacts) => ({ id: g.id, label: g.label, passed: g.passed, blocking: g.blocking });

export function promotionRequested(
  tenant: string,
  request: RequestFacts & { requiredApprovals: number },
  gates: readonly GateFacts[],
): NotificationInput {
  const approvals = request.requiredApprovals === 1 ? '1 approval' : `${request.requiredApprovals} approvals`;
  return {
    kind: 'promotion.requested',
    tenant,
    subject: { type: 'promotion-request', id: request.id },
    title: `${tenant}: ${request.requesterName} asks to promote ${request.modelName} v${request.version} to ${request.endpoint} (${approvals} needed)`,
    link: requestLink(tenant, request.id),
    data: { ...requestRef(request), requiredApprovals: request.requiredApprovals, gates: gates.map(gateSummary) },
  };
}

/** A filing refused by a blocking gate (`request` null), or filed with a failing non-blocking gate; null when every gate passed. */
export function gateFailed(
  tenant: string,
  filing: { modelName: string; version: string; requesterName: string },
  request: { id: string } | null,
  gates: readonly GateFacts[],
): NotificationInput | null {
  const failed = gates.filter((g) => !g.passed);
  if (failed.length === 0) return null;
  const words = failed.map((g) => `${g.label} — ${g.detail}`).join('; ');
  return {
    kind: 'promotion.gate_failed',
    tenant,
    subject: { type: 'promotion-request', id: request?.id ?? `${filing.modelName}/${filing.version}` },
    title: request
      ? `${tenant}: ${filing.modelName} v${filing.version} was filed with a failing gate: ${words}`
      : `${tenant}: the promotion of ${filing.modelName} v${filing.version} requested by ${filing.requesterName} was refused: ${words}`,
    link: request ? requestLink(tenant, request.id) : `/t/${tenant}/promotions`,
    data: {
      requestId: request?.id ?? null,
      model: filing.modelName,
      version: filing.version,
      requester: filing.requesterName,
      filed: request !== null,
      failed: failed.map((g) => ({ ...gateSummary(g), detail: g.detail })),
    },
  };
}

export function promotionApproved(
  tenant: string,
  request: RequestFacts,
  approvers: readonly string[],
): NotificationInput {
  return {
    kind: 'promotion.approved',
    tenant,
    subject: { type: 'promotion-request', id: request.id },
    title: `${tenant}: ${request.modelName} v${request.version} was approved by ${approvers.join(', ')} and is being deployed to ${request.endpoint}`,
    link: requestLink(tenant, request.id),
    data: { ...requestRef(request), approvers: [...approvers] },
  };
}

export function promotionRejected(
  tenant: string,
  request: RequestFacts,
  rejectedBy: string,
  comment: string,
): NotificationInput {
  return {
    kind: 'promotion.rejected',
    tenant,
    subject: { type: 'promotion-request', id: request.id },
    title: `${tenant}: ${rejectedBy} rejected the promotion of ${request.modelName} v${request.version}: ${comment}`,
    link: requestLink(tenant, request.id),
    data: { ...requestRef(request), rejectedBy, comment },
  };
}

interface RolloutFacts {
  id: string;
  endpoint: string;
  modelName: string;
  version: string;
  previousVersion: string | null;
  promotionRequestId: string | null;
}

function rolloutRef(rollout: RolloutFacts) {
  return {
    rolloutId: rollout.id,
    endpoint: rollout.endpoint,
    model: rollout.modelName,
    version: rollout.version,
    requestId: rollout.promotionRequestId,
  };
}

/** A rollout action's outcome as the cluster took it: a canary step (or promotion to 100 %), or a rollback. */
export function rolloutOutcome(
  tenant: string,
  rollout: RolloutFacts,
  outcome: {
    action: 'rollback' | 'step';
    /** Automatic judgment (the worker) or a person. */
    automatic: boolean;
    actor: string;
    reason: string;
    fromPercent: number;
    /** Where the canary is now: 100 once promoted, 0 after a rollback. */
    toPercent: number;
    /** The canary's numbers that decided an automatic action. */
    canary?: { errorRate: number; p99Ms: number | null } | null;
  },
): NotificationInput {
  const subject = { type: 'rollout' as const, id: rollout.id };
  const link = endpointLink(tenant, rollout.endpoint);
  if (outcome.action === 'step') {
    const moved =
      outcome.toPercent >= 100
        ? `now serves all traffic on ${rollout.endpoint}`
        : `moved from ${outcome.fromPercent} % to ${outcome.toPercent} % of traffic on ${rollout.endpoint}`;
    return {
      kind: 'canary.step',
      tenant,
      subject,
      title: `${tenant}: ${rollout.modelName} v${rollout.version} ${moved} (${outcome.automatic ? 'automatic judgment' : outcome.actor}: ${outcome.reason})`,
      link,
      data: {
        ...rolloutRef(rollout),
        fromPercent: outcome.fromPercent,
        toPercent: outcome.toPercent,
        actor: outcome.actor,
        reason: outcome.reason,
      },
    };
  }
  const back = `from v${rollout.version}${rollout.previousVersion ? ` to v${rollout.previousVersion}` : ''}`;
  const common = { ...rolloutRef(rollout), previousVersion: rollout.previousVersion, percent: outcome.fromPercent };
  if (outcome.automatic)
    return {
      kind: 'rollout.rolled_back.automatic',
      tenant,
      subject,
      title: `${tenant}: ${rollout.endpoint} was rolled back automatically ${back}: ${outcome.reason}`,
      link,
      data: {
        ...common,
        reason: outcome.reason,
        errorRate: finiteOrNull(outcome.canary?.errorRate),
        p99Ms: finiteOrNull(outcome.canary?.p99Ms),
      },
    };
  return {
    kind: 'rollout.rolled_back.manual',
    tenant,
    subject,
    title: `${tenant}: ${outcome.actor} rolled back ${rollout.endpoint} ${back}: ${outcome.reason}`,
    link,
    data: { ...common, reason: outcome.reason, actor: outcome.actor },
  };
}

/**
 * A measured number as the event carries it: NaN or Infinity (0/0 from an idle canary) as null.
 * The event is written in the transaction recording the rollback, after the cluster took it; data
 * that did not fit its kind would roll that record back and leave the rollback unrecorded.
 */
function finiteOrNull(value: number | null | undefined): number | null {
  return value !== null && value !== undefined && Number.isFinite(value) ? value : null;
}

export function judgmentPaused(
  tenant: string,
  rollout: RolloutFacts & { currentPercent: number },
  reason: string,
): NotificationInput {
  return {
    kind: 'judgment.paused',
    tenant,
    subject: { type: 'rollout', id: rollout.id },
    title: `${tenant}: judgment of ${rollout.modelName} v${rollout.version} on ${rollout.endpoint} is paused at ${rollout.currentPercent} %: ${reason}`,
    link: endpointLink(tenant, rollout.endpoint),
    data: { ...rolloutRef(rollout), percent: rollout.currentPercent, reason },
  };
}

export function gpuQuotaHigh(
  tenant: string,
  quota: { used: number; hard: number; share: number; threshold: number },
): NotificationInput {
  return {
    kind: 'quota.gpu_high',
    tenant,
    subject: { type: 'quota', id: tenant },
    title: `${tenant}: GPU quota use is at ${formatPercent(quota.share)} (${formatNumber(quota.used)} of ${formatNumber(quota.hard)} GPUs), above ${formatPercent(quota.threshold)}`,
    link: `/t/${tenant}/gpu`,
    data: quota,
  };
}

export function modelDrift(
  tenant: string,
  drift: { endpoint: string; threshold: number; policyVersion: number; features: { feature: string; score: number }[] },
): NotificationInput {
  const features = drift.features.map((f) => `${f.feature} ${f.score.toFixed(3)}`).join(', ');
  return {
    kind: 'model.drift',
    tenant,
    subject: { type: 'endpoint', id: drift.endpoint },
    title: `${tenant}: the inputs of ${drift.endpoint} drift away from its training data (${features}; threshold ${drift.threshold})`,
    link: endpointLink(tenant, drift.endpoint),
    data: drift,
  };
}

export function sloFastBurn(
  tenant: string,
  burn: {
    endpoint: string;
    objective: 'availability' | 'latency';
    target: number;
    window: string;
    longBurnRate: number;
    shortBurnRate: number;
    factor: number;
  },
): NotificationInput {
  const rate = (r: number) => `${r >= 10 ? Math.round(r) : r.toFixed(1)}×`;
  return {
    kind: 'slo.fast_burn',
    tenant,
    subject: { type: 'slo', id: `${burn.endpoint}/${burn.objective}` },
    title: `${tenant}: ${burn.endpoint} burns its ${burn.objective} error budget fast (${rate(burn.longBurnRate)} and ${rate(burn.shortBurnRate)} over ${burn.window}; alert above ${burn.factor}×)`,
    link: `/slo/${tenant}/${encodeURIComponent(burn.endpoint)}`,
    data: burn,
  };
}
