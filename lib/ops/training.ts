/**
 * The training trend of a tenant: for each registered model, its newest versions with the value
 * of one metric (the tenant's primary metric, e.g. holdout_auc) logged by each version's source
 * run. Read from the tenant's MLflow workspace with few calls, whatever the number of versions:
 * one registered-models search, one versions search per model, one experiments search and one
 * runs search for every source run at once (`attributes.run_id IN (…)`).
 */
import {
  isRunId,
  mlflowFor,
  type MlflowClient,
  type MlflowModelVersion,
  type MlflowRegisteredModel,
} from '../integrations/mlflow';
import { mapWithConcurrency } from '../models/concurrency';

/** Versions per model the trend shows, newest first. */
export const TREND_VERSIONS = 5;

export interface VersionMetric {
  version: string;
  /** The source run's (latest) value of the metric; null when the run did not log it or is gone. */
  value: number | null;
  runId: string;
  /** Milliseconds since the epoch, when MLflow says. */
  createdAt: number | null;
}

export interface ModelMetricTrend {
  model: string;
  metric: string;
  /** Newest first, at most TREND_VERSIONS. */
  versions: VersionMetric[];
}

// MLflow's largest pages for these searches.
const MODELS_PAGE_SIZE = 1000;
const EXPERIMENTS_PAGE_SIZE = 1000;
const MAX_PAGES = 10;
// Keeps the filter string (and the answer) small; a tenant's newest versions rarely need a second.
const RUN_IDS_PER_SEARCH = 100;
const VERSIONS_SEARCH_CONCURRENCY = 4;

async function allPages<T>(
  fetchPage: (pageToken?: string) => Promise<{ items: T[]; nextPageToken?: string }>,
): Promise<T[]> {
  const items: T[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const result = await fetchPage(pageToken);
    items.push(...result.items);
    pageToken = result.nextPageToken;
    if (!pageToken) break;
  }
  return items;
}

/** The value of `metric` logged by each of `runIds` (runs that did not log it are absent). */
async function metricOfRuns(
  mlflow: MlflowClient,
  runIds: readonly string[],
  metric: string,
): Promise<Map<string, number>> {
  const values = new Map<string, number>();
  if (runIds.length === 0) return values;
  // MLflow searches runs only within named experiments.
  const experiments = await allPages(async (pageToken) => {
    const page = await mlflow.searchExperiments({ maxResults: EXPERIMENTS_PAGE_SIZE, pageToken });
    return { items: page.experiments, nextPageToken: page.nextPageToken };
  });
  if (experiments.length === 0) return values;
  const experimentIds = experiments.map((e) => e.experimentId);
  for (let start = 0; start < runIds.length; start += RUN_IDS_PER_SEARCH) {
    const chunk = runIds.slice(start, start + RUN_IDS_PER_SEARCH);
    // Run ids are 32 hex characters (checked by the caller), so they need no escaping.
    const { runs } = await mlflow.searchRuns({
      experimentIds,
      filter: `attributes.run_id IN (${chunk.map((id) => `'${id}'`).join(', ')})`,
      maxResults: chunk.length,
    });
    for (const run of runs) {
      const value = run.metrics[metric];
      if (value !== undefined) values.set(run.runId, value);
    }
  }
  return values;
}

/**
 * Every registered model of `tenant` with its TREND_VERSIONS newest versions and their source
 * runs' value of `metric`, models in name order.
 */
export async function trainingTrends(
  tenant: string,
  metric: string,
  mlflow: MlflowClient = mlflowFor(tenant),
): Promise<ModelMetricTrend[]> {
  const models = await allPages<MlflowRegisteredModel>(async (pageToken) => {
    const page = await mlflow.searchRegisteredModels({ maxResults: MODELS_PAGE_SIZE, pageToken });
    return { items: page.models, nextPageToken: page.nextPageToken };
  });
  // The model is passed along, so the versions search does not read it again.
  const newest = await mapWithConcurrency(
    models,
    VERSIONS_SEARCH_CONCURRENCY,
    async (model): Promise<[string, MlflowModelVersion[]]> => [
      model.name,
      (await mlflow.searchModelVersions(model.name, model)).slice(0, TREND_VERSIONS),
    ],
  );
  const runIds = [...new Set(newest.flatMap(([, versions]) => versions.map((v) => v.runId).filter(isRunId)))];
  const values = await metricOfRuns(mlflow, runIds, metric);
  return newest
    .map(([model, versions]) => ({
      model,
      metric,
      versions: versions.map((v) => ({
        version: v.version,
        value: values.get(v.runId) ?? null,
        runId: v.runId,
        createdAt: v.creationTimestamp ?? null,
      })),
    }))
    .sort((a, b) => a.model.localeCompare(b.model));
}
