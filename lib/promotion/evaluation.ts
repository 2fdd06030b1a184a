import {
  inspectModelArtifact,
  isRunId,
  mlflowFor,
  type MlflowModelVersion,
  type MlflowRun,
} from '../integrations/mlflow';
import { storageFor } from '../integrations/s3';
import { isUpstreamError } from '../integrations/upstream';
import { UserFacingError } from '../errors';
import { inferenceServices } from '../integrations/kubernetes';
import { log } from '../observability/logger';
import { platformHealth } from '../platform-health/gather';
import { resolveEndpoint } from './endpoint';
import { evaluateGates, modelUriOf, type GateInput, type GateResult } from './gates';
import type { Policy } from './policy';
import { targetHealthOf, type HealthAnswer, type TargetHealth } from './target-health';

/** Everything the gates look at, gathered from MLflow and object storage for one version. */
export interface VersionEvidence {
  version: MlflowModelVersion;
  run: MlflowRun | null;
  champion: { version: string; metrics: Record<string, number> } | null;
  modelUri: string | null;
  mlmodelExists: boolean;
  signatureLogged: boolean | null;
  /** The endpoint it is deployed onto, as the platform health checks see it. */
  target: TargetHealth;
}

/**
 * Where the target-health gate reads the platform's findings: the answer shared by everyone
 * (at most HEALTH_REFRESH_MS old) unless a caller needs a fresh gathering (the tests).
 */
export type HealthSource = () => Promise<HealthAnswer>;
export const sharedPlatformHealth: HealthSource = async () => (await platformHealth()).value;

/** The target's health; when the findings cannot be had at all, the target is not judged (never healthy by default). */
export async function targetHealthFor(
  target: { tenant: string; endpoint: string; exists: boolean },
  health: HealthSource = sharedPlatformHealth,
): Promise<TargetHealth> {
  try {
    return targetHealthOf(await health(), target);
  } catch (error) {
    log.warn('the platform health checks could not be gathered for a promotion target', { ...target, error });
    return {
      ...target,
      at: new Date().toISOString(),
      findings: [],
      unjudged: [
        {
          source: 'Platform health',
          message: error instanceof Error ? error.message : String(error),
          checks: ['storage-uri-shape', 'artifact-missing', 'admission-guard-missing'],
          blocking: true,
        },
      ],
    };
  }
}

/** The target's health as a deployment sees it just before writing: whether the endpoint exists is asked again. */
export async function deployTargetHealth(
  tenant: string,
  endpoint: string,
  health: HealthSource = sharedPlatformHealth,
): Promise<TargetHealth> {
  const exists = (await inferenceServices(tenant, { kind: 'portal' }).get(endpoint)) !== null;
  return targetHealthFor({ tenant, endpoint, exists }, health);
}

const VERSION_PATTERN = /^[1-9][0-9]{0,8}$/;

async function orNull<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (error) {
    if (isUpstreamError(error, 'not-found')) return null;
    throw error;
  }
}

export async function gatherEvidence(
  tenant: string,
  modelName: string,
  version: string,
  policy: Policy,
  health: HealthSource = sharedPlatformHealth,
): Promise<VersionEvidence> {
  if (!VERSION_PATTERN.test(version))
    throw new UserFacingError(`"${version}" is not a model version number.`, 'version');
  const mlflow = mlflowFor(tenant);
  const modelVersion = await orNull(mlflow.getModelVersion(modelName, version));
  if (!modelVersion) throw new UserFacingError(`${modelName} has no version ${version} in this tenant.`, 'version');

  const [run, model] = await Promise.all([
    isRunId(modelVersion.runId) ? orNull(mlflow.getRun(modelVersion.runId)) : Promise.resolve(null),
    mlflow.getRegisteredModel(modelName),
  ]);
  const championVersion = model.aliases.find((a) => a.alias === policy.alias)?.version;
  let champion: VersionEvidence['champion'] = null;
  if (championVersion && championVersion !== version) {
    const championModel = await orNull(mlflow.getModelVersion(modelName, championVersion));
    const championRun =
      championModel && isRunId(championModel.runId) ? await orNull(mlflow.getRun(championModel.runId)) : null;
    champion = { version: championVersion, metrics: championRun?.metrics ?? {} };
  }

  const modelUri = run ? modelUriOf(run.artifactUri) : null;
  const [artifact, target] = await Promise.all([
    modelUri ? inspectModelArtifact(storageFor(tenant), modelUri) : null,
    resolveEndpoint(tenant, modelName).then(({ name, exists }) =>
      targetHealthFor({ tenant, endpoint: name, exists }, health),
    ),
  ]);
  return {
    version: modelVersion,
    run,
    champion,
    modelUri,
    mlmodelExists: artifact?.exists ?? false,
    signatureLogged: artifact?.exists ? artifact.hasSignature : null,
    target,
  };
}

/** What the gates judge apart from the person's own evidence (which the form adds as they type). */
export function gateInputOf(evidence: VersionEvidence, policy: Policy): Omit<GateInput, 'evidence'> {
  return {
    policy,
    version: {
      name: evidence.version.name,
      version: evidence.version.version,
      runId: evidence.version.runId,
      source: evidence.version.source,
    },
    run: evidence.run
      ? { runId: evidence.run.runId, artifactUri: evidence.run.artifactUri, metrics: evidence.run.metrics }
      : null,
    champion: evidence.champion,
    mlmodelExists: evidence.mlmodelExists,
    signatureLogged: evidence.signatureLogged,
    targetHealth: evidence.target,
  };
}

export function gatesFor(
  evidence: VersionEvidence,
  policy: Policy,
  form: { modelCardUrl: string; notes: string },
): GateResult[] {
  return evaluateGates({ ...gateInputOf(evidence, policy), evidence: form });
}
