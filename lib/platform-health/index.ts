/**
 * Platform health: every check over one gathering of inputs, worst first. Each input is what the
 * adapters already read (the shared watch caches, MLflow, object storage, the API server's
 * /version); gathering them is the caller's. Pure.
 */
import type { DriftScore } from '@/lib/integrations/prometheus/drift-metrics';
import type { ArtifactCheck } from '@/lib/models/versions';
import { checkAdmissionGuardMissing, type TenantGuard } from './admission-guard-missing';
import { checkArtifactMissing } from './artifact-missing';
import { worstFirst, type Finding } from './finding';
import { checkInputDrift, type DriftPolicy } from './input-drift';
import { checkPipelineWithoutRun, type PipelineWorkflow } from './pipeline-without-run';
import { checkRollbackTargetCold, type CanaryEndpoint } from './rollback-target-cold';
import type { ServedRevision } from './served-revisions';
import { checkSignatureMissingUnderEnforcement } from './signature-missing-under-enforcement';
import { checkStorageUriShape } from './storage-uri-shape';
import { checkVersionMatrix, type LiveVersion, type VersionMatrix } from './version-matrix';

export interface PlatformHealthInputs {
  now: Date;
  /** Argo Workflows of every tenant (pipeline-without-run). */
  workflows: readonly PipelineWorkflow[];
  /** Per tenant, its MLflow runs' `mlp.pipeline_run` tags; a tenant missing could not be searched. */
  pipelineRunTags: ReadonlyMap<string, ReadonlySet<string>>;
  pipelineWindowDays?: number;
  /** Every InferenceService's served revisions (servedRevisions). */
  revisions: readonly ServedRevision[];
  /** `<storageUri>/MLmodel` read per storageUri of `revisions` (artifact-missing, signature-missing-under-enforcement). */
  artifacts: ReadonlyMap<string, ArtifactCheck>;
  /** MLflow version of an endpoint's serving runtime by "tenant/endpoint", where known. */
  runtimeMlflowVersions?: ReadonlyMap<string, string>;
  platformServingMlflowVersion: string | null;
  /** Every InferenceService as canaryEndpointOf reads it (rollback-target-cold). */
  canaryEndpoints: readonly CanaryEndpoint[];
  /** describeGuard per tenant namespace (admission-guard-missing). */
  guards: readonly TenantGuard[];
  liveVersions: readonly LiveVersion[];
  versionMatrix: VersionMatrix;
  /** Every endpoint's latest input drift scores (input-drift); empty when they could not be read. */
  driftScores?: readonly DriftScore[];
  /** Each tenant's drift threshold and policy version; a tenant missing is not judged. */
  driftPolicies?: ReadonlyMap<string, DriftPolicy>;
}

export function runChecks(inputs: PlatformHealthInputs): Finding[] {
  return [
    ...checkPipelineWithoutRun({
      workflows: inputs.workflows,
      pipelineRunTags: inputs.pipelineRunTags,
      now: inputs.now,
      windowDays: inputs.pipelineWindowDays,
    }),
    ...checkStorageUriShape(inputs.revisions),
    ...checkArtifactMissing({ revisions: inputs.revisions, artifacts: inputs.artifacts }),
    ...checkSignatureMissingUnderEnforcement({
      revisions: inputs.revisions,
      artifacts: inputs.artifacts,
      runtimeMlflowVersions: inputs.runtimeMlflowVersions,
      platformServingMlflowVersion: inputs.platformServingMlflowVersion,
    }),
    ...checkRollbackTargetCold(inputs.canaryEndpoints),
    ...checkAdmissionGuardMissing(inputs.guards),
    ...checkVersionMatrix({ live: inputs.liveVersions, matrix: inputs.versionMatrix }),
    ...checkInputDrift(inputs.driftScores ?? [], inputs.driftPolicies ?? new Map()),
  ].sort(worstFirst);
}

export { CHECK_IDS, CHECKS, findingKey, worstFirst, type CheckId, type Finding, type Severity } from './finding';
export { LOGS_MLFLOW_RUN_LABEL, PIPELINE_RUN_TAG } from './pipeline-without-run';
export { canaryEndpointOf } from './rollback-target-cold';
export { driftBreaches, type DriftBreach, type DriftPolicy } from './input-drift';
export { servedRevisions } from './served-revisions';
