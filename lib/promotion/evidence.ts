import { z } from 'zod';

/**
 * The evidence a deployment writes on its InferenceService, as annotations the cluster's admission
 * guard (deploy/admission/) checks: which request approved the model, its run, primary metric,
 * model card, approvers and requester. Pure: the deployment and the rollback build their
 * annotations here.
 */

export const ANNOTATIONS = {
  request: 'mlp.example.com/promotion-request',
  modelName: 'mlp.example.com/model-name',
  modelVersion: 'mlp.example.com/model-version',
  runId: 'mlp.example.com/run-id',
  holdoutMetric: 'mlp.example.com/holdout-metric',
  modelCard: 'mlp.example.com/model-card-url',
  approvers: 'mlp.example.com/approved-by',
  requester: 'mlp.example.com/requested-by',
  previousStorageUri: 'mlp.example.com/previous-storage-uri',
  previousVersion: 'mlp.example.com/previous-model-version',
  /** The evidence of what served before this deployment (JSON of its evidence annotations): a rollback puts it back. */
  previousEvidence: 'mlp.example.com/previous-evidence',
} as const;

/** The annotations that describe the model being served. */
export const SERVED_EVIDENCE_KEYS = [
  ANNOTATIONS.request,
  ANNOTATIONS.modelName,
  ANNOTATIONS.modelVersion,
  ANNOTATIONS.runId,
  ANNOTATIONS.holdoutMetric,
  ANNOTATIONS.modelCard,
  ANNOTATIONS.approvers,
  ANNOTATIONS.requester,
] as const;

type Annotations = Readonly<Record<string, string>>;

/** The served model's evidence among `annotations` (only the keys present). */
export function servedEvidence(annotations: Annotations): Record<string, string> {
  return Object.fromEntries(
    SERVED_EVIDENCE_KEYS.flatMap((key) => (annotations[key] === undefined ? [] : [[key, annotations[key]]])),
  );
}

const previousEvidenceSchema = z.partialRecord(z.enum(SERVED_EVIDENCE_KEYS), z.string());

/** The evidence a deployment recorded of the model before it, or null when there is none (or it is unreadable). */
export function previousEvidenceOf(annotations: Annotations): Record<string, string> | null {
  const text = annotations[ANNOTATIONS.previousEvidence];
  if (!text) return null;
  try {
    const parsed = previousEvidenceSchema.safeParse(JSON.parse(text));
    return parsed.success && Object.keys(parsed.data).length > 0 ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * The annotations of a deployment over `current`: its evidence, and what served before it — while
 * a canary is live that is still the stable version the canary started from (recorded by the
 * deployment before), otherwise what `current` serves. Keys of the previous model that it does not
 * know are removed rather than left stale.
 */
export function deploymentAnnotations(
  current: Annotations,
  evidence: Record<string, string>,
  previous: { liveCanary: boolean; storageUri: string | undefined; version: string | null },
): Record<string, string> {
  const annotations: Record<string, string> = { ...current };
  const before = previous.liveCanary
    ? (current[ANNOTATIONS.previousEvidence] ?? null)
    : Object.keys(servedEvidence(current)).length > 0
      ? JSON.stringify(servedEvidence(current))
      : null;
  delete annotations[ANNOTATIONS.previousEvidence];
  Object.assign(annotations, evidence);
  if (previous.storageUri) annotations[ANNOTATIONS.previousStorageUri] = previous.storageUri;
  if (previous.version) annotations[ANNOTATIONS.previousVersion] = previous.version;
  if (before) annotations[ANNOTATIONS.previousEvidence] = before;
  return annotations;
}

/**
 * The annotations after a rollback to the previous model: its evidence back in place of the
 * rolled-back version's (so the cluster's admission guard sees the evidence of what serves), and
 * `rolledBack` naming the version that was rolled back. Without recorded previous evidence the
 * current annotations stay (the guard then judges them).
 */
export function rollbackAnnotations(
  current: Annotations,
  rolledBack: { key: string; version: string },
): Record<string, string> {
  const previous = previousEvidenceOf(current);
  const annotations: Record<string, string> = { ...current };
  if (previous) {
    for (const key of SERVED_EVIDENCE_KEYS) delete annotations[key];
    Object.assign(annotations, previous);
  }
  annotations[rolledBack.key] = rolledBack.version;
  return annotations;
}

/** What a promotion request says about its version, as its evidence annotations need it. */
export interface RequestEvidenceInput {
  id: string;
  modelName: string;
  version: string;
  runId: string;
  modelCardUrl: string;
  requesterName: string;
  /** The primary metric of the request's policy, and its value as the regression gate recorded it (null: unknown). */
  primaryMetric: string;
  primaryValue: number | null;
  /** The approvers whose approval counted, in order. */
  approvers: readonly string[];
}

/** The primary metric as the admission guard reads it: `<metric>=<value>` (4 decimals). */
export function primaryMetricEvidence(metric: string, value: number | null): string {
  return `${metric}=${value === null ? 'unknown' : value.toFixed(4)}`;
}

/**
 * The evidence annotations of an approved promotion request's version: written by its deployment,
 * and again by a rollback to that version, so the cluster's admission guard judges the version's
 * own evidence.
 */
export function requestEvidence(request: RequestEvidenceInput): Record<string, string> {
  return {
    [ANNOTATIONS.request]: request.id,
    [ANNOTATIONS.modelName]: request.modelName,
    [ANNOTATIONS.modelVersion]: request.version,
    [ANNOTATIONS.runId]: request.runId,
    [ANNOTATIONS.holdoutMetric]: primaryMetricEvidence(request.primaryMetric, request.primaryValue),
    [ANNOTATIONS.modelCard]: request.modelCardUrl,
    [ANNOTATIONS.approvers]: request.approvers.join(','),
    [ANNOTATIONS.requester]: request.requesterName,
  };
}

/**
 * The annotations after a rollback to a chosen earlier version: its evidence in place of what
 * served (no stale key of the other model left), what served before it recorded as the previous
 * model (with its evidence), and `rolledBack` naming the version that was rolled back.
 */
export function rollbackToAnnotations(
  current: Annotations,
  evidence: Record<string, string>,
  rolledBack: { key: string; version: string | null; storageUri: string },
): Record<string, string> {
  const annotations = deploymentAnnotations(current, evidence, {
    liveCanary: false,
    storageUri: rolledBack.storageUri,
    version: rolledBack.version,
  });
  for (const key of SERVED_EVIDENCE_KEYS) if (evidence[key] === undefined) delete annotations[key];
  if (rolledBack.version) annotations[rolledBack.key] = rolledBack.version;
  else delete annotations[rolledBack.key];
  return annotations;
}
