import { authorize, ForbiddenError, type Principal } from '../auth/authorize';
import { inspectModelArtifact, mlflowFor, type MlflowModelVersion, type MlflowRun } from '../integrations/mlflow';
import { storageFor, type TenantStorage } from '../integrations/s3';
import { isUpstreamError } from '../integrations/upstream';
import { getPolicy } from '../promotion/policy-store';
import { findTenant } from '../tenancy/service';
import {
  choosePair,
  comparableRunTags,
  compareMetrics,
  compareSignatures,
  diffEntries,
  metricTrend,
  thresholdOf,
  type EntryDiff,
  type MetricComparison,
  type SignatureComparison,
  type SignatureSide,
  type TrendPoint,
  type VersionOption,
} from './compare';
import { mapWithConcurrency } from './concurrency';
import { explainedFailure } from './failures';
import { findRun, IMPOSSIBLE_MODEL_NAME, ModelNotFoundError, type RegistryConnections } from './service';
import { modelUriFor } from './versions';

/**
 * Two versions of a registered model side by side (champion vs challenger by default), read from
 * the tenant's MLflow and object storage and judged by the tenant's promotion policy. Nothing of
 * MLflow's is kept: every comparison reads it afresh.
 */

export interface ComparedVersion {
  version: string;
  /** MLflow's registration status, e.g. READY. */
  status: string;
  createdAt?: number;
  aliases: string[];
  runId: string;
  /** `null` when the version names no run, or one this tenant's MLflow does not have. */
  run: { runId: string; runName: string } | null;
  signature: SignatureSide;
}

/** The policy as the comparison applies it, and which version of the policy that is. */
export interface ComparisonPolicy {
  version: number;
  alias: string;
  primaryMetric: string;
  regressionTolerance: number;
  /** The policy's minimum for the primary metric, or `null` when it sets none. */
  primaryThreshold: number | null;
}

interface ComparisonBase {
  model: string;
  /** Newest first. */
  versions: VersionOption[];
  policy: ComparisonPolicy;
}

export type VersionComparison =
  | (ComparisonBase & { kind: 'too-few-versions' })
  | (ComparisonBase & { kind: 'unknown-version'; unknown: string[] })
  | (ComparisonBase & {
      kind: 'compared';
      a: ComparedVersion;
      b: ComparedVersion;
      metrics: MetricComparison[];
      params: EntryDiff[];
      /** The registry's tags on each version. */
      versionTags: EntryDiff[];
      /** The tags of each version's source run, MLflow's bookkeeping left out (see `comparableRunTags`). */
      runTags: EntryDiff[];
      signatures: SignatureComparison;
      /** The primary metric of every version, oldest first. */
      trend: TrendPoint[];
    });

// As on the model page: each version costs a run read; four at a time.
const RUN_READ_CONCURRENCY = 4;

/** A version's signature from its MLmodel file; storage failing makes it unknown, with why. */
async function readSignature(openStorage: () => TenantStorage, modelUri: string): Promise<SignatureSide> {
  try {
    const { exists, signature } = await inspectModelArtifact(openStorage(), modelUri);
    if (!exists) return { state: 'unknown', problem: `There is no MLmodel file at ${modelUri}.` };
    return signature ? { state: 'logged', signature } : { state: 'none' };
  } catch (error) {
    return { state: 'unknown', problem: explainedFailure(error).message };
  }
}

/**
 * Compares versions `requested.a` and `requested.b` of a tenant's model (each one not given: see
 * `defaultPair`). Refuses whoever may not read the tenant's models before reading anything; an
 * unknown model throws ModelNotFoundError, MLflow failing its UpstreamError; unknown versions and
 * a model with fewer than two versions are answers, with the versions there are.
 */
export async function compareModelVersions(
  user: Principal | null,
  tenant: string,
  modelName: string,
  requested: { a?: string; b?: string },
  connections: RegistryConnections = {},
): Promise<VersionComparison> {
  // Strangers are refused before anything is read; then the tenant's status decides (archived: nobody).
  authorize(user, 'model.read', { kind: 'tenant', tenant });
  const found = await findTenant(tenant);
  const resource = { kind: 'tenant' as const, tenant, status: found?.status };
  if (!found) throw new ForbiddenError('model.read', resource);
  authorize(user, 'model.read', resource);

  if (IMPOSSIBLE_MODEL_NAME.test(modelName)) throw new ModelNotFoundError(tenant, modelName);
  const mlflow = connections.mlflow ?? mlflowFor(tenant);
  const [stored, [model, versions]] = await Promise.all([
    getPolicy(tenant),
    mlflow
      .getRegisteredModel(modelName)
      .then(async (model) => [model, await mlflow.searchModelVersions(modelName, model)] as const)
      .catch((error: unknown) => {
        throw isUpstreamError(error, 'not-found') ? new ModelNotFoundError(tenant, modelName) : error;
      }),
  ]);
  const { policy } = stored;
  const base: ComparisonBase = {
    model: model.name,
    versions: versions.map((v) => ({ version: v.version, aliases: v.aliases })),
    policy: {
      version: stored.version,
      alias: policy.alias,
      primaryMetric: policy.primaryMetric,
      regressionTolerance: policy.regressionTolerance,
      primaryThreshold: thresholdOf(policy, policy.primaryMetric),
    },
  };

  const choice = choosePair(base.versions, policy.alias, requested);
  if (choice.kind !== 'pair') return { ...base, ...choice };

  // The trend needs every version's run; the two compared versions need their MLmodel files too.
  const runs = await mapWithConcurrency(versions, RUN_READ_CONCURRENCY, (v) => findRun(mlflow, v.runId));
  const runOf = new Map(versions.map((v, i) => [v.version, runs[i] ?? null]));
  const openStorage = () => connections.storage ?? storageFor(tenant);
  const side = async (version: string) => {
    const registered = versions.find((v) => v.version === version)!;
    const run = runOf.get(version) ?? null;
    const signature = await readSignature(openStorage, modelUriFor(run, registered.source));
    return { registered, run, compared: comparedVersion(registered, run, signature) };
  };
  const [a, b] = await Promise.all([side(choice.pair.a), side(choice.pair.b)]);
  return {
    ...base,
    kind: 'compared',
    a: a.compared,
    b: b.compared,
    metrics: compareMetrics(a.run?.metrics ?? null, b.run?.metrics ?? null, policy),
    params: diffEntries(a.run?.params ?? null, b.run?.params ?? null),
    versionTags: diffEntries(a.registered.tags, b.registered.tags),
    runTags: diffEntries(a.run ? comparableRunTags(a.run.tags) : null, b.run ? comparableRunTags(b.run.tags) : null),
    signatures: compareSignatures(a.compared.signature, b.compared.signature),
    trend: metricTrend(
      versions.map((v) => ({ version: v.version, metrics: runOf.get(v.version)?.metrics ?? null })),
      policy.primaryMetric,
      base.policy.primaryThreshold,
    ),
  };
}

function comparedVersion(
  registered: MlflowModelVersion,
  run: MlflowRun | null,
  signature: SignatureSide,
): ComparedVersion {
  return {
    version: registered.version,
    status: registered.status,
    createdAt: registered.creationTimestamp,
    aliases: registered.aliases,
    runId: registered.runId,
    run: run && { runId: run.runId, runName: run.runName },
    signature,
  };
}
