import { z } from 'zod';
import type { MetricPoint, MlflowExperiment, MlflowModelVersion, MlflowRegisteredModel, MlflowRun } from './types';

/**
 * MLflow's JSON as it arrives (snake_case, empty lists left out), validated at the boundary and
 * turned into the portal's types.
 */

// Protobuf JSON may carry int64 as a string, and a double's NaN/Infinity as "NaN"/"Infinity".
const numeric = z.union([z.number(), z.string()]).transform(Number);
const optionalNumeric = numeric.optional();

const keyValues = z
  .array(z.object({ key: z.string(), value: z.string().default('') }))
  .default([])
  .transform((entries) => Object.fromEntries(entries.map((e) => [e.key, e.value])) as Record<string, string>);

const pageToken = z
  .string()
  .optional()
  .transform((token) => token || undefined);

export const experimentSchema = z
  .object({
    experiment_id: z.string(),
    name: z.string(),
    artifact_location: z.string().default(''),
    lifecycle_stage: z.string().default('active'),
    last_update_time: optionalNumeric,
    creation_time: optionalNumeric,
    tags: keyValues,
  })
  .transform((e): MlflowExperiment => ({
    experimentId: e.experiment_id,
    name: e.name,
    artifactLocation: e.artifact_location,
    lifecycleStage: e.lifecycle_stage,
    lastUpdateTime: e.last_update_time,
    creationTime: e.creation_time,
    tags: e.tags,
  }));

export const runSchema = z
  .object({
    info: z.object({
      run_id: z.string().optional(),
      run_uuid: z.string().optional(),
      run_name: z.string().optional(),
      experiment_id: z.string(),
      status: z.string().default(''),
      start_time: optionalNumeric,
      end_time: optionalNumeric,
      artifact_uri: z.string().default(''),
      lifecycle_stage: z.string().default('active'),
      user_id: z.string().optional(),
    }),
    data: z
      .object({
        metrics: z.array(z.object({ key: z.string(), value: numeric })).default([]),
        params: keyValues,
        tags: keyValues,
      })
      .default({ metrics: [], params: {}, tags: {} }),
  })
  .refine((r) => Boolean(r.info.run_id ?? r.info.run_uuid), {
    message: 'a run without run_id',
    path: ['info', 'run_id'],
  })
  .transform(({ info, data }): MlflowRun => ({
    runId: (info.run_id ?? info.run_uuid)!,
    // Older servers keep the name only in the mlflow.runName tag.
    runName: info.run_name || data.tags['mlflow.runName'] || '',
    experimentId: info.experiment_id,
    status: info.status,
    startTime: info.start_time,
    endTime: info.end_time,
    artifactUri: info.artifact_uri,
    lifecycleStage: info.lifecycle_stage,
    userId: info.user_id || undefined,
    metrics: Object.fromEntries(data.metrics.map((m) => [m.key, m.value])),
    params: data.params,
    tags: data.tags,
  }));

const metricPointSchema = z
  .object({ step: numeric.default(0), timestamp: numeric.default(0), value: numeric })
  .transform((p): MetricPoint => p);

const modelVersionFields = z.object({
  name: z.string(),
  version: z.string(),
  run_id: z.string().default(''),
  source: z.string().default(''),
  status: z.string().default(''),
  creation_timestamp: optionalNumeric,
  last_updated_timestamp: optionalNumeric,
  aliases: z.array(z.string()).default([]),
  tags: keyValues,
  description: z.string().default(''),
});

function toModelVersion(v: z.output<typeof modelVersionFields>): MlflowModelVersion {
  return {
    name: v.name,
    version: v.version,
    runId: v.run_id,
    source: v.source,
    status: v.status,
    creationTimestamp: v.creation_timestamp,
    lastUpdatedTimestamp: v.last_updated_timestamp,
    aliases: v.aliases,
    tags: v.tags,
    description: v.description,
  };
}

export const modelVersionSchema = modelVersionFields.transform(toModelVersion);

export const registeredModelSchema = z
  .object({
    name: z.string(),
    description: z.string().default(''),
    creation_timestamp: optionalNumeric,
    last_updated_timestamp: optionalNumeric,
    aliases: z.array(z.object({ alias: z.string(), version: z.string() })).default([]),
    tags: keyValues,
    latest_versions: z.array(modelVersionFields).default([]),
  })
  .transform((m): MlflowRegisteredModel => ({
    name: m.name,
    description: m.description,
    creationTimestamp: m.creation_timestamp,
    lastUpdatedTimestamp: m.last_updated_timestamp,
    aliases: m.aliases,
    tags: m.tags,
    // latest_versions come without their aliases; the model's own list has them.
    latestVersions: m.latest_versions.map((v) => withAliases(toModelVersion(v), m.aliases)),
  }));

/** Gives a version the aliases that point at it, for answers (search, latest_versions) that leave them out. */
export function withAliases(
  version: MlflowModelVersion,
  aliases: readonly { alias: string; version: string }[],
): MlflowModelVersion {
  const pointing = aliases.filter((a) => a.version === version.version).map((a) => a.alias);
  return { ...version, aliases: [...new Set([...version.aliases, ...pointing])].sort() };
}

export const responses = {
  searchExperiments: z.object({ experiments: z.array(experimentSchema).default([]), next_page_token: pageToken }),
  getExperiment: z.object({ experiment: experimentSchema }),
  searchRuns: z.object({ runs: z.array(runSchema).default([]), next_page_token: pageToken }),
  getRun: z.object({ run: runSchema }),
  getMetricHistory: z.object({ metrics: z.array(metricPointSchema).default([]), next_page_token: pageToken }),
  searchRegisteredModels: z.object({
    registered_models: z.array(registeredModelSchema).default([]),
    next_page_token: pageToken,
  }),
  getRegisteredModel: z.object({ registered_model: registeredModelSchema }),
  searchModelVersions: z.object({
    model_versions: z.array(modelVersionSchema).default([]),
    next_page_token: pageToken,
  }),
  getModelVersion: z.object({ model_version: modelVersionSchema }),
  /** Writes answer `{}`; only the status matters. */
  empty: z.object({}),
};

/** MLflow's error answer: `{"error_code": "RESOURCE_DOES_NOT_EXIST", "message": "…"}`. */
export const errorBodySchema = z.object({ error_code: z.string(), message: z.string().default('') });
