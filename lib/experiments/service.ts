import { UserFacingError } from '../errors';
import { mlflowFor, type MetricPoint, type MlflowClient, type MlflowRun } from '../integrations/mlflow';
import { parseCompareRunIds, sideBySide, type SideBySideRow } from './compare';
import { keysOfRuns, toMlflowOrderBy, type RunsQuery } from './runs-query';

/**
 * Experiments and runs of one tenant, read from MLflow page by page: nothing here fetches all of
 * an experiment's runs, so an experiment of 10,000 runs costs what one of 30 does.
 */

const EXPERIMENTS_PAGE_SIZE = 50;
/** Runs read to learn which metric and param keys an experiment has (besides the current page). */
const KEY_SAMPLE_SIZE = 20;
/** Histories fetched for one run's charts; further metrics show their latest value only. */
const MAX_HISTORY_METRICS = 20;

function assertExperimentId(experimentId: string): void {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(experimentId))
    throw new UserFacingError(`"${experimentId.slice(0, 64)}" is not an experiment id.`, 'experimentId');
}

export async function listExperiments(tenant: string, pageToken?: string) {
  return mlflowFor(tenant).searchExperiments({ maxResults: EXPERIMENTS_PAGE_SIZE, pageToken });
}

export async function getExperiment(tenant: string, experimentId: string) {
  assertExperimentId(experimentId);
  return mlflowFor(tenant).getExperiment(experimentId);
}

/** One page of the runs table, filtered and sorted by MLflow. */
export async function searchRunsPage(tenant: string, experimentId: string, query: RunsQuery) {
  assertExperimentId(experimentId);
  return mlflowFor(tenant).searchRuns({
    experimentIds: [experimentId],
    filter: query.filter,
    orderBy: toMlflowOrderBy(query.sort),
    maxResults: query.pageSize,
    pageToken: query.pageToken,
  });
}

/** The metric and param keys of the experiment's latest runs: the columns one can choose even when a filter matches nothing. */
export async function sampleRunKeys(tenant: string, experimentId: string) {
  assertExperimentId(experimentId);
  const { runs } = await mlflowFor(tenant).searchRuns({ experimentIds: [experimentId], maxResults: KEY_SAMPLE_SIZE });
  return keysOfRuns(runs);
}

export async function getRun(tenant: string, runId: string) {
  return mlflowFor(tenant).getRun(runId);
}

/** The histories of the run's metrics (the first MAX_HISTORY_METRICS keys), fetched in parallel. */
export async function loadMetricHistories(tenant: string, run: MlflowRun): Promise<Record<string, MetricPoint[]>> {
  const client = mlflowFor(tenant);
  const keys = Object.keys(run.metrics).sort().slice(0, MAX_HISTORY_METRICS);
  const histories = await Promise.all(keys.map((key) => client.getMetricHistory(run.runId, key)));
  return Object.fromEntries(keys.map((key, i) => [key, histories[i]!]));
}

export interface ComparedSeries {
  runId: string;
  runName: string;
  points: MetricPoint[];
}

export interface Comparison {
  runs: MlflowRun[];
  metricKeys: string[];
  /** The metric whose curves are shown; undefined when the runs have no metrics. */
  metric?: string;
  series: ComparedSeries[];
  params: SideBySideRow<string>[];
  metrics: SideBySideRow<number>[];
}

/**
 * Without a choice, the curves show the first metric (by name) that the first run logged at
 * several steps — a training curve says more than a single final value.
 */
async function defaultCurveMetric(
  client: MlflowClient,
  run: MlflowRun,
  metricKeys: string[],
): Promise<{ metric?: string; history?: MetricPoint[] }> {
  const candidates = metricKeys.filter((key) => key in run.metrics).slice(0, MAX_HISTORY_METRICS);
  const histories = await Promise.all(candidates.map((key) => client.getMetricHistory(run.runId, key)));
  const index = Math.max(
    0,
    histories.findIndex((h) => h.length > 1),
  );
  return { metric: candidates[index] ?? metricKeys[0], history: histories[index] };
}

/** The runs named in the URL (`?runs=a,b,c`, 2 to 10 of them) side by side, with the curves of one metric. */
export async function loadComparison(
  tenant: string,
  runIdsParam: string | string[] | undefined,
  requestedMetric?: string,
): Promise<Comparison> {
  const runIds = parseCompareRunIds(runIdsParam);
  const client = mlflowFor(tenant);
  const runs = await Promise.all(runIds.map((id) => client.getRun(id)));
  const { metricKeys } = keysOfRuns(runs);
  const chosen =
    requestedMetric && metricKeys.includes(requestedMetric)
      ? { metric: requestedMetric, history: undefined }
      : await defaultCurveMetric(client, runs[0]!, metricKeys);
  const { metric } = chosen;
  const series = metric
    ? await Promise.all(
        runs.map(async (run, i) => ({
          runId: run.runId,
          runName: run.runName || run.runId.slice(0, 8),
          points:
            i === 0 && chosen.history
              ? chosen.history
              : metric in run.metrics
                ? await client.getMetricHistory(run.runId, metric)
                : [],
        })),
      )
    : [];
  return {
    runs,
    metricKeys,
    metric,
    series,
    params: sideBySide(runs.map((r) => r.params)),
    metrics: sideBySide(runs.map((r) => r.metrics)),
  };
}
