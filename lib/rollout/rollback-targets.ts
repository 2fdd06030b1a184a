/**
 * Which earlier versions an endpoint may be rolled back to, and the evidence each carries: a
 * version that (a) once served this endpoint — a rollout the portal recorded on it — (b) passed its
 * gates — a promotion request for it, deployed, with every blocking gate passing (at filing and
 * just before its deployment) and the approvals its policy required, one from someone other than
 * the requester — and (c) whose model artifact still exists. What serves now is not a target, nor
 * is a version the cluster's admission guard would refuse today (its primary metric below the
 * tenant's current threshold, no model card where one is required). Pure: the service
 * (rollback-to.ts) reads the records, the cluster and object storage, and acts on the answer.
 */
import type { ArtifactCheck } from '../models/versions';
import { requestEvidence } from '../promotion/evidence';
import { blockingFailures, primaryMetricValue, type GateResult } from '../promotion/gates';
import type { RolloutState } from '../db/generated/client';

/** One rollout the portal recorded on the endpoint: a version that served it (as a canary at least). */
export interface ServedRecord {
  modelName: string;
  version: string;
  storageUri: string;
  promotionRequestId: string | null;
  state: RolloutState;
  startedAt: Date;
  /** Its rollback, if it was rolled back (by a person or by automatic judgment). */
  rolledBack: { at: Date; by: string; reason: string } | null;
}

/** A promotion request of one of those versions, as stored. */
export interface RequestRecord {
  id: string;
  modelName: string;
  version: string;
  runId: string;
  storageUri: string;
  status: string;
  gates: readonly GateResult[];
  /** The gates judged again just before its deployment (target-health). */
  deployGates: readonly GateResult[];
  /** Its policy's primary metric (fixed when it was filed). */
  primaryMetric: string;
  requiredApprovals: number;
  approvals: readonly { approverName: string; decision: string; counts: boolean }[];
  modelCardUrl: string;
  requesterName: string;
  decidedAt: Date | null;
}

/** What the cluster's admission guard checks today (the tenant's current policy: lib/admission/guard.ts). */
export interface GuardParams {
  primaryMetric: string;
  /** null when the policy sets no threshold for the primary metric. */
  minimum: number | null;
  requireModelCard: boolean;
}

export interface RollbackTargetsInput {
  /** The model URIs the endpoint serves now (its stable and canary): never a target. */
  servingStorageUris: readonly string[];
  served: readonly ServedRecord[];
  requests: readonly RequestRecord[];
  /** What `<storageUri>/MLmodel` was found to be, by storageUri (absent: not checked). */
  artifacts: ReadonlyMap<string, ArtifactCheck>;
  guard: GuardParams;
}

export interface RollbackTarget {
  modelName: string;
  version: string;
  storageUri: string;
  /** The promotion request whose evidence it carries. */
  requestId: string;
  runId: string;
  metric: { name: string; value: number };
  modelCardUrl: string;
  requester: string;
  /** Those whose approval counted. */
  approvers: string[];
  approvedAt: string | null;
  /** When it last started serving the endpoint, and when something else took over (ISO 8601). */
  servedFrom: string;
  servedUntil: string | null;
  /** When its last time on the endpoint ended in a rollback: who, when, why (worth reading before choosing it). */
  rolledBack: { at: string; by: string; reason: string } | null;
  /** `unreadable`: object storage could not say whether the artifact exists; offered, with the reason. */
  artifact: { state: 'found' } | { state: 'unreadable'; problem: string };
  /** The annotations the InferenceService carries after the rollback (lib/promotion/evidence.ts). */
  evidence: Record<string, string>;
}

/** A version that served the endpoint and is not offered, and why. */
export interface RefusedVersion {
  modelName: string;
  version: string;
  reason: string;
}

export interface RollbackTargets {
  /** Newest first (by when each last served). */
  targets: RollbackTarget[];
  refused: RefusedVersion[];
}

const countingApprovers = (request: RequestRecord) =>
  request.approvals.filter((a) => a.decision === 'approve' && a.counts).map((a) => a.approverName);

/** Why a request does not show its version passed its gates, or null when it does. */
export function requestFailure(request: RequestRecord): string | null {
  if (request.status !== 'deployed') return `its promotion request ${request.id} is ${request.status}, not deployed`;
  if (request.gates.length === 0) return `its promotion request ${request.id} has no recorded gates`;
  const failing = [...blockingFailures(request.gates), ...blockingFailures(request.deployGates)];
  if (failing.length > 0)
    return `its promotion request ${request.id} did not pass every blocking gate (${failing.map((g) => g.label).join('; ')})`;
  const approvers = countingApprovers(request);
  if (approvers.length < Math.max(1, request.requiredApprovals))
    return `its promotion request ${request.id} has ${approvers.length} of the ${request.requiredApprovals} approvals it needed`;
  if (!approvers.some((a) => a !== request.requesterName))
    return `its promotion request ${request.id} was approved by no one but its requester`;
  return null;
}

/** Why the admission guard would refuse this evidence today, or null. */
function guardFailure(metric: { name: string; value: number | null }, modelCardUrl: string, guard: GuardParams) {
  if (metric.name !== guard.primaryMetric)
    return `the admission guard now checks ${guard.primaryMetric}, and its evidence states ${metric.name}`;
  if (metric.value === null) return `its evidence does not state ${metric.name}`;
  if (guard.minimum !== null && metric.value < guard.minimum)
    return `its ${metric.name} of ${metric.value.toFixed(4)} is below the tenant's current threshold of ${guard.minimum}, so the admission guard would refuse it`;
  if (guard.requireModelCard && !/^https?:\/\/\S+$/.test(modelCardUrl))
    return 'it has no model card URL, which the admission guard requires';
  return null;
}

const key = (v: { modelName: string; version: string }) => `${v.modelName}\u0000${v.version}`;

export function rollbackTargets(input: RollbackTargetsInput): RollbackTargets {
  const byTime = input.served.toSorted((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  // Each version once, at the last time it served.
  const last = new Map<string, { record: ServedRecord; until: Date | null }>();
  byTime.forEach((record, i) => {
    const next = byTime[i + 1];
    // Deleted first, so the map keeps the versions in the order they last served.
    last.delete(key(record));
    last.set(key(record), { record, until: next?.startedAt ?? record.rolledBack?.at ?? null });
  });
  const serving = new Set(input.servingStorageUris);
  const targets: RollbackTarget[] = [];
  const refused: RefusedVersion[] = [];

  for (const { record, until } of [...last.values()].reverse()) {
    const refuse = (reason: string) => refused.push({ modelName: record.modelName, version: record.version, reason });
    if (serving.has(record.storageUri)) {
      refuse('it serves the endpoint now');
      continue;
    }
    const requests = input.requests.filter((r) => key(r) === key(record) && r.storageUri === record.storageUri);
    // Its own rollout's request first, then any other approved request for the same version.
    const ordered = requests.toSorted(
      (a, b) => Number(b.id === record.promotionRequestId) - Number(a.id === record.promotionRequestId),
    );
    const request = ordered.find((r) => requestFailure(r) === null);
    if (!request) {
      refuse(
        ordered[0]
          ? `it never passed its gates: ${requestFailure(ordered[0])}`
          : 'it never passed its gates: no promotion request of the portal approved it',
      );
      continue;
    }
    const metric = { name: request.primaryMetric, value: primaryMetricValue(request.gates) };
    const guard = guardFailure(metric, request.modelCardUrl, input.guard);
    if (guard) {
      refuse(guard);
      continue;
    }
    const artifact = input.artifacts.get(record.storageUri);
    if (artifact?.state === 'missing') {
      refuse(`its model artifact is gone: ${artifact.mlmodelUri} was not found in object storage`);
      continue;
    }
    const approvers = countingApprovers(request);
    targets.push({
      modelName: record.modelName,
      version: record.version,
      storageUri: record.storageUri,
      requestId: request.id,
      runId: request.runId,
      metric: { name: metric.name, value: metric.value! },
      modelCardUrl: request.modelCardUrl,
      requester: request.requesterName,
      approvers,
      approvedAt: request.decidedAt?.toISOString() ?? null,
      servedFrom: record.startedAt.toISOString(),
      servedUntil: until?.toISOString() ?? null,
      rolledBack: record.rolledBack && { ...record.rolledBack, at: record.rolledBack.at.toISOString() },
      artifact:
        artifact?.state === 'unreadable'
          ? { state: 'unreadable', problem: artifact.problem }
          : artifact
            ? { state: 'found' }
            : { state: 'unreadable', problem: 'it was not checked' },
      evidence: requestEvidence({ ...request, primaryValue: metric.value, approvers }),
    });
  }
  return { targets, refused };
}

/**
 * The target a rollback to `version` goes to, or why there is none — in words for the person who
 * asked: a version that is not offered is refused, whoever calls.
 */
export function chooseTarget(
  found: RollbackTargets,
  version: string,
  endpoint: string,
): { target: RollbackTarget } | { refusal: string } {
  const target = found.targets.find((t) => t.version === version);
  if (target) return { target };
  const refused = found.refused.find((r) => r.version === version);
  return {
    refusal: refused
      ? `v${version} cannot be rolled back to on ${endpoint}: ${refused.reason}.`
      : `v${version} cannot be rolled back to on ${endpoint}: it never served this endpoint through the portal.`,
  };
}
