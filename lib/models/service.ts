import { UserFacingError } from '../errors';
import {
  inspectModelArtifact,
  isRunId,
  mlflowFor,
  type MlflowClient,
  type MlflowModelVersion,
  type MlflowRun,
} from '../integrations/mlflow';
import { storageFor, type TenantStorage } from '../integrations/s3';
import { isUpstreamError } from '../integrations/upstream';
import { mapWithConcurrency } from './concurrency';
import { explainedFailure } from './failures';
import {
  metricColumns,
  modelUriFor,
  orderAliases,
  signatureStateOf,
  type AliasPointer,
  type ArtifactCheck,
  type SignatureState,
} from './versions';

/**
 * The model registry as the portal shows it: MLflow's registered models and versions, each
 * version with its source run's metrics and what object storage says about its model files.
 * Every read goes through the tenant's MLflow workspace and storage prefix.
 */

export interface ModelSummary {
  name: string;
  description: string;
  /** Champion and challenger first. */
  aliases: AliasPointer[];
  latestVersion: string | null;
  versionCount: number;
  lastUpdatedAt?: number;
}

export interface SourceRun {
  runId: string;
  runName: string;
  status: string;
  /** The latest value of each metric. */
  metrics: Record<string, number>;
}

export interface ModelVersionDetail {
  version: string;
  /** MLflow's registration status, e.g. READY. */
  status: string;
  createdAt?: number;
  aliases: string[];
  source: string;
  runId: string;
  /** `null` when the version names no run, or a run this tenant's MLflow does not have (deleted, another workspace). */
  run: SourceRun | null;
  /** `<run artifact uri>/model`, or the version's source when the run is missing. */
  modelUri: string;
  artifact: ArtifactCheck;
  signature: SignatureState;
}

export interface ModelDetail {
  name: string;
  description: string;
  createdAt?: number;
  lastUpdatedAt?: number;
  aliases: AliasPointer[];
  /** Newest first. */
  versions: ModelVersionDetail[];
  /** The run metrics shown as columns, see `metricColumns`. */
  metricColumns: string[];
}

export class ModelNotFoundError extends UserFacingError {
  constructor(
    readonly tenant: string,
    readonly modelName: string,
  ) {
    super(`There is no registered model named "${modelName}" in tenant ${tenant}.`);
    this.name = 'ModelNotFoundError';
  }
}

/** For tests that point the service at a broken or fake upstream; pages use the tenant's own. */
export interface RegistryConnections {
  mlflow?: MlflowClient;
  storage?: TenantStorage;
}

// Each version costs up to two reads (run, MLmodel file); four versions at a time keeps it at eight.
const VERSION_READ_CONCURRENCY = 4;
const MODELS_PAGE_SIZE = 50;

export async function listModels(
  tenant: string,
  { pageToken }: { pageToken?: string } = {},
  connections: RegistryConnections = {},
): Promise<{ models: ModelSummary[]; nextPageToken?: string }> {
  const mlflow = connections.mlflow ?? mlflowFor(tenant);
  const page = await mlflow.searchRegisteredModels({ maxResults: MODELS_PAGE_SIZE, pageToken });
  // MLflow has no version count; the versions search is the only way to know it.
  const models = await mapWithConcurrency(
    page.models,
    VERSION_READ_CONCURRENCY,
    async (model): Promise<ModelSummary> => {
      const versions = await mlflow.searchModelVersions(model.name, model);
      return {
        name: model.name,
        description: model.description,
        aliases: orderAliases(model.aliases),
        latestVersion: versions[0]?.version ?? null,
        versionCount: versions.length,
        lastUpdatedAt: model.lastUpdatedTimestamp,
      };
    },
  );
  return { models, nextPageToken: page.nextPageToken };
}

// MLflow refuses such names outright ("Names cannot contain '/' or ':'"), and none can hold a NUL,
// so no such model can exist.
export const IMPOSSIBLE_MODEL_NAME = /^$|[/:\u0000]/;

export async function getModelDetail(
  tenant: string,
  name: string,
  connections: RegistryConnections = {},
): Promise<ModelDetail> {
  if (IMPOSSIBLE_MODEL_NAME.test(name)) throw new ModelNotFoundError(tenant, name);
  const mlflow = connections.mlflow ?? mlflowFor(tenant);
  // The versions search takes the model's aliases from the model, so it is read once, first.
  const [model, versions] = await mlflow
    .getRegisteredModel(name)
    .then(async (found) => [found, await mlflow.searchModelVersions(name, found)] as const)
    .catch((error: unknown) => {
      throw isUpstreamError(error, 'not-found') ? new ModelNotFoundError(tenant, name) : error;
    });
  const details = await mapWithConcurrency(versions, VERSION_READ_CONCURRENCY, (version) =>
    readVersion(mlflow, () => connections.storage ?? storageFor(tenant), version),
  );
  return {
    name: model.name,
    description: model.description,
    createdAt: model.creationTimestamp,
    lastUpdatedAt: model.lastUpdatedTimestamp,
    aliases: orderAliases(model.aliases),
    versions: details,
    metricColumns: metricColumns(details.map((v) => v.run?.metrics ?? null)),
  };
}

async function readVersion(
  mlflow: MlflowClient,
  openStorage: () => TenantStorage,
  version: MlflowModelVersion,
): Promise<ModelVersionDetail> {
  const run = await findRun(mlflow, version.runId);
  const modelUri = modelUriFor(run, version.source);
  const artifact = await checkArtifact(openStorage, modelUri);
  return {
    version: version.version,
    status: version.status,
    createdAt: version.creationTimestamp,
    aliases: version.aliases,
    source: version.source,
    runId: version.runId,
    run: run && { runId: run.runId, runName: run.runName, status: run.status, metrics: run.metrics },
    modelUri,
    artifact,
    signature: signatureStateOf(artifact),
  };
}

/** A missing run is a fact to show, not a failure; MLflow being down still is one. */
export async function findRun(mlflow: MlflowClient, runId: string): Promise<MlflowRun | null> {
  if (!isRunId(runId)) return null;
  try {
    return await mlflow.getRun(runId);
  } catch (error) {
    if (isUpstreamError(error, 'not-found')) return null;
    throw error;
  }
}

/**
 * What `<modelUri>/MLmodel` says, read through the tenant's storage. Object storage failing (or
 * the URI lying outside the tenant's storage) is an answer too, `unreadable`: it degrades the
 * artifact and signature columns only (the versions, their aliases and metrics from MLflow are
 * still worth showing), and the platform health checks say what they could not check.
 */
export async function checkArtifact(openStorage: () => TenantStorage, modelUri: string): Promise<ArtifactCheck> {
  try {
    const { exists, mlmodelUri, hasSignature, flavors } = await inspectModelArtifact(openStorage(), modelUri);
    return exists ? { state: 'found', mlmodelUri, hasSignature, flavors } : { state: 'missing', mlmodelUri };
  } catch (error) {
    return { state: 'unreadable', problem: explainedFailure(error).message };
  }
}
