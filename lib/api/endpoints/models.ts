import { z } from 'zod';
import { pageTokenSchema } from '../../experiments/runs-query';
import { isUpstreamError } from '../../integrations/upstream';
import { modelNameFromParam } from '../../models/links';
import {
  getModelDetail,
  listModels,
  ModelNotFoundError,
  type ModelSummary,
  type ModelVersionDetail,
} from '../../models/service';
import type { ArtifactCheck, SignatureState } from '../../models/versions';
import { modelNameSchema } from '../../promotion/schemas';
import { tenantNameSchema } from '../../tenancy/names';
import { apiErrorSchema, defineEndpoint, isoTime, isoTimeSchema, nextPageTokenSchema, refusal } from './shared';

/** The model registry as the models pages read it (lib/models/service.ts): models, versions, aliases, files. */

const aliasSchema = z.object({ alias: z.string(), version: z.string() });

const modelSchema = z
  .object({
    name: z.string(),
    description: z.string(),
    aliases: z.array(aliasSchema).meta({ description: 'champion and challenger first' }),
    latestVersion: z.string().nullable(),
    versionCount: z.int(),
    lastUpdatedAt: isoTimeSchema.nullable(),
  })
  .meta({ id: 'RegisteredModel' });

const artifactSchema = z
  .discriminatedUnion('state', [
    z.object({
      state: z.literal('found'),
      mlmodelUri: z.string(),
      hasSignature: z.boolean(),
      flavors: z.array(z.string()),
    }),
    z.object({ state: z.literal('missing'), mlmodelUri: z.string() }),
    z.object({
      state: z.literal('unreadable'),
      problem: z.string().meta({ description: 'Why object storage could not say' }),
    }),
  ])
  .meta({
    description: 'What object storage holds at the version’s model URI (its MLmodel file)',
  }) satisfies z.ZodType<ArtifactCheck>;

const signatureSchema = z.enum(['logged', 'missing', 'unknown']).meta({
  description: 'From the MLmodel file; unknown when it could not be read',
}) satisfies z.ZodType<SignatureState>;

const modelVersionSchema = z
  .object({
    version: z.string(),
    status: z.string().meta({ description: 'MLflow’s registration status, e.g. READY' }),
    createdAt: isoTimeSchema.nullable(),
    aliases: z.array(z.string()),
    source: z.string(),
    runId: z.string(),
    run: z
      .object({
        runId: z.string(),
        runName: z.string(),
        status: z.string(),
        metrics: z.record(z.string(), z.number().nullable()),
      })
      .nullable()
      .meta({ description: 'The source run; null when the version names none this tenant has' }),
    modelUri: z.string(),
    artifactPresent: z
      .boolean()
      .nullable()
      .meta({ description: 'Whether the model files are in object storage; null when storage could not say' }),
    artifact: artifactSchema,
    signature: signatureSchema,
  })
  .meta({ id: 'ModelVersion' });

function modelView(model: ModelSummary): z.infer<typeof modelSchema> {
  return {
    name: model.name,
    description: model.description,
    aliases: model.aliases,
    latestVersion: model.latestVersion,
    versionCount: model.versionCount,
    lastUpdatedAt: isoTime(model.lastUpdatedAt),
  };
}

const finiteOrNull = (metrics: Record<string, number>) =>
  Object.fromEntries(Object.entries(metrics).map(([k, v]) => [k, Number.isFinite(v) ? v : null]));

function versionView(version: ModelVersionDetail): z.infer<typeof modelVersionSchema> {
  return {
    version: version.version,
    status: version.status,
    createdAt: isoTime(version.createdAt),
    aliases: version.aliases,
    source: version.source,
    runId: version.runId,
    run: version.run && { ...version.run, metrics: finiteOrNull(version.run.metrics) },
    modelUri: version.modelUri,
    artifactPresent: version.artifact.state === 'unreadable' ? null : version.artifact.state === 'found',
    artifact: version.artifact,
    signature: version.signature,
  };
}

export const listModelsEndpoint = defineEndpoint({
  name: 'model.list',
  method: 'GET',
  path: '/api/v1/t/{tenant}/models',
  operationId: 'listModels',
  summary: 'List the tenant’s registered models with their aliases, 50 a page',
  scope: 'models.read',
  input: z.object({
    tenant: tenantNameSchema,
    page: pageTokenSchema.optional().meta({ description: 'The `nextPageToken` of the page before' }),
  }),
  responses: {
    200: {
      description: 'One page of registered models',
      schema: z.object({ models: z.array(modelSchema), nextPageToken: nextPageTokenSchema }),
    },
  },
  async run(_caller, input) {
    try {
      const page = await listModels(input.tenant, { pageToken: input.page });
      return { status: 200, body: { models: page.models.map(modelView), nextPageToken: page.nextPageToken ?? null } };
    } catch (error) {
      // A page token MLflow does not know is the caller's to fix.
      if (isUpstreamError(error, 'rejected')) return refusal(400, error.message);
      throw error;
    }
  },
});

export const listModelVersionsEndpoint = defineEndpoint({
  name: 'model.versions',
  method: 'GET',
  path: '/api/v1/t/{tenant}/models/{name}/versions',
  operationId: 'listModelVersions',
  summary:
    'A registered model’s versions, newest first: aliases, source run metrics, whether the model files are present and the signature logged',
  scope: 'models.read',
  input: z.object({
    tenant: tenantNameSchema,
    name: modelNameSchema.meta({ description: 'Registered model name, percent-encoded in the path' }),
  }),
  responses: {
    200: {
      description: 'The model and its versions',
      schema: z.object({
        name: z.string(),
        description: z.string(),
        aliases: z.array(aliasSchema),
        versions: z.array(modelVersionSchema),
      }),
    },
    404: { description: 'No such registered model in this tenant', schema: apiErrorSchema },
  },
  async run(_caller, input) {
    try {
      const model = await getModelDetail(input.tenant, modelNameFromParam(input.name));
      return {
        status: 200,
        body: {
          name: model.name,
          description: model.description,
          aliases: model.aliases,
          versions: model.versions.map(versionView),
        },
      };
    } catch (error) {
      if (error instanceof ModelNotFoundError) return refusal(404, error.message);
      throw error;
    }
  },
});
