import { z } from 'zod';
import {
  pageTokenSchema,
  parseRunsQuery,
  refuseUnreadableRunsQuery,
  runsSearchParams,
} from '../../experiments/runs-query';
import { getExperiment, listExperiments, searchRunsPage } from '../../experiments/service';
import type { MlflowExperiment, MlflowRun } from '../../integrations/mlflow';
import { isUpstreamError } from '../../integrations/upstream';
import { tenantNameSchema } from '../../tenancy/names';
import { apiErrorSchema, defineEndpoint, isoTime, isoTimeSchema, nextPageTokenSchema, refusal } from './shared';

/** MLflow experiments and their runs, as the experiments pages read them (lib/experiments/service.ts). */

const experimentIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'That is not an experiment id')
  .meta({ description: 'MLflow experiment id' });

const experimentSchema = z
  .object({
    experimentId: z.string(),
    name: z.string(),
    description: z.string().nullable().meta({ description: 'The experiment’s note (tag mlflow.note.content)' }),
    lifecycleStage: z.string(),
    createdAt: isoTimeSchema.nullable(),
    lastUpdatedAt: isoTimeSchema.nullable(),
    tags: z.record(z.string(), z.string()),
  })
  .meta({ id: 'Experiment' });

const runSchema = z
  .object({
    runId: z.string(),
    runName: z.string(),
    status: z.string().meta({ description: 'MLflow’s run status: RUNNING, FINISHED, FAILED, KILLED, SCHEDULED' }),
    startedAt: isoTimeSchema.nullable(),
    endedAt: isoTimeSchema.nullable(),
    userId: z.string().nullable(),
    artifactUri: z.string(),
    metrics: z
      .record(z.string(), z.number().nullable())
      .meta({ description: 'The latest value of each metric (null for NaN or infinity)' }),
    params: z.record(z.string(), z.string()),
    tags: z.record(z.string(), z.string()),
  })
  .meta({ id: 'Run' });

function experimentView(experiment: MlflowExperiment): z.infer<typeof experimentSchema> {
  return {
    experimentId: experiment.experimentId,
    name: experiment.name,
    description: experiment.tags['mlflow.note.content'] ?? null,
    lifecycleStage: experiment.lifecycleStage,
    createdAt: isoTime(experiment.creationTime),
    lastUpdatedAt: isoTime(experiment.lastUpdateTime),
    tags: experiment.tags,
  };
}

function runView(run: MlflowRun): z.infer<typeof runSchema> {
  return {
    runId: run.runId,
    runName: run.runName,
    status: run.status,
    startedAt: isoTime(run.startTime),
    endedAt: isoTime(run.endTime),
    userId: run.userId ?? null,
    artifactUri: run.artifactUri,
    metrics: Object.fromEntries(Object.entries(run.metrics).map(([k, v]) => [k, Number.isFinite(v) ? v : null])),
    params: run.params,
    tags: run.tags,
  };
}

/** MLflow refusing what was asked (a page token it does not know, a filter it cannot run) is the caller's to fix: 400. */
function refusedByMlflow(error: unknown) {
  if (isUpstreamError(error, 'rejected')) return refusal(400, error.message);
  throw error;
}

export const listExperimentsEndpoint = defineEndpoint({
  name: 'experiment.list',
  method: 'GET',
  path: '/api/v1/t/{tenant}/experiments',
  operationId: 'listExperiments',
  summary: 'List the tenant’s MLflow experiments, 50 a page',
  scope: 'experiments.read',
  input: z.object({
    tenant: tenantNameSchema,
    page: pageTokenSchema.optional().meta({ description: 'The `nextPageToken` of the page before' }),
  }),
  responses: {
    200: {
      description: 'One page of experiments',
      schema: z.object({ experiments: z.array(experimentSchema), nextPageToken: nextPageTokenSchema }),
    },
  },
  async run(_caller, input) {
    const page = await listExperiments(input.tenant, input.page).catch(refusedByMlflow);
    if ('status' in page) return page;
    return {
      status: 200,
      body: { experiments: page.experiments.map(experimentView), nextPageToken: page.nextPageToken ?? null },
    };
  },
});

export const listRunsEndpoint = defineEndpoint({
  name: 'experiment.runs',
  method: 'GET',
  path: '/api/v1/t/{tenant}/experiments/{experimentId}/runs',
  operationId: 'listRuns',
  summary:
    'One page of an experiment’s runs, filtered, sorted and paged by MLflow with the runs page’s parameters (filter, sort, dir, size, page)',
  scope: 'experiments.read',
  input: z
    .object({ tenant: tenantNameSchema, experimentId: experimentIdSchema, ...runsSearchParams })
    .superRefine(refuseUnreadableRunsQuery),
  responses: {
    200: {
      description: 'One page of runs',
      schema: z.object({
        experiment: z.object({ experimentId: z.string(), name: z.string() }),
        runs: z.array(runSchema),
        nextPageToken: nextPageTokenSchema,
      }),
    },
    404: { description: 'No such experiment in this tenant', schema: apiErrorSchema },
  },
  async run(_caller, input) {
    const { query } = parseRunsQuery(input);
    try {
      const [experiment, page] = await Promise.all([
        getExperiment(input.tenant, input.experimentId),
        searchRunsPage(input.tenant, input.experimentId, query),
      ]);
      return {
        status: 200,
        body: {
          experiment: { experimentId: experiment.experimentId, name: experiment.name },
          runs: page.runs.map(runView),
          nextPageToken: page.nextPageToken ?? null,
        },
      };
    } catch (error) {
      if (isUpstreamError(error, 'not-found'))
        return refusal(404, `There is no experiment ${input.experimentId} in ${input.tenant}.`);
      return refusedByMlflow(error);
    }
  },
});
