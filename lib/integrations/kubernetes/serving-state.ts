/**
 * What an InferenceService serves right now, from its spec and the status KServe writes: which
 * revision is stable, which is the canary and with what share of traffic. Pure.
 *
 * KServe (serverless mode) reports the split in `status.components.predictor.traffic`: during a
 * canary two targets, the latest revision (`latestRevision: true`, tag `latest`) with the canary
 * percentage and the last rolled-out revision (tag `prev`) with the rest; otherwise one target.
 * A rolled-back canary stays in the split at 0 %.
 */
import type { InferenceService } from './inference-services';

export interface ServingState {
  stableRevision?: string;
  canaryRevision?: string;
  /** The canary's share of traffic, 0–100; 0 when there is no canary. */
  canaryPercent: number;
  /** The model the latest revision serves (the canary's, during a canary). */
  storageUri?: string;
  /** The controller has acted on the latest spec and reports the service Ready. */
  ready: boolean;
  /** Why it is not ready. */
  message?: string;
}

export function servingState(isvc: InferenceService): ServingState {
  const predictor = isvc.status?.components?.predictor;
  const traffic = predictor?.traffic ?? [];
  const storageUri = isvc.spec.predictor.model?.storageUri;

  let stableRevision = traffic[0]?.revisionName ?? predictor?.latestRolledoutRevision;
  let canaryRevision: string | undefined;
  let canaryPercent = 0;
  if (traffic.length > 1) {
    const canary =
      traffic.find((t) => t.latestRevision === true) ??
      traffic.find((t) => t.tag === 'latest') ??
      traffic.find((t) => t.revisionName === predictor?.latestCreatedRevision);
    const stable = traffic.filter((t) => t !== canary).sort((a, b) => (b.percent ?? 0) - (a.percent ?? 0))[0];
    stableRevision = stable?.revisionName ?? predictor?.latestRolledoutRevision;
    canaryRevision = canary?.revisionName;
    canaryPercent = canary?.percent ?? 0;
  }

  return { stableRevision, canaryRevision, canaryPercent, storageUri, ...readiness(isvc) };
}

function readiness(isvc: InferenceService): { ready: boolean; message?: string } {
  const status = isvc.status;
  if (!status) return { ready: false, message: 'KServe has not reported on this InferenceService yet' };
  const generation = isvc.metadata.generation;
  if (generation !== undefined && status.observedGeneration !== undefined && status.observedGeneration < generation) {
    return { ready: false, message: 'KServe has not acted on the latest change yet' };
  }
  const condition = status.conditions.find((c) => c.type === 'Ready');
  if (condition?.status === 'True') return { ready: true };
  return { ready: false, message: condition?.message ?? condition?.reason ?? 'KServe does not report it Ready' };
}
