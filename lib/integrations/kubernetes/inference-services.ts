/**
 * KServe InferenceServices (`serving.kserve.io/v1beta1`): one tenant's, read and changed as a user
 * (`inferenceServices`), and every namespace's from the process's shared watch cache
 * (`watchedInferenceServices`), which the operations dashboard reads instead of a LIST per tenant
 * and view. The schema names the fields the portal reads and writes; every other field passes
 * through, so an update sends back what it read.
 */
import { z } from 'zod';
import { defaultKubeConnection, type KubeActor, type KubeConnection } from './client';
import { tenantNamespace } from './namespace';
import {
  conditionSchema,
  namespacedResource,
  objectMetaSchema,
  resourceRequirementsSchema,
  type ResourceKind,
} from './resource';
import { sharedWatchCache, type WatchCache, type WatchedKind } from './watch-cache';

const inferenceServicePredictorSchema = z.looseObject({
  minReplicas: z.number().int().optional(),
  maxReplicas: z.number().int().optional(),
  canaryTrafficPercent: z.number().optional(),
  model: z
    .looseObject({
      modelFormat: z.looseObject({ name: z.string(), version: z.string().optional() }).optional(),
      storageUri: z.string().optional(),
      runtime: z.string().optional(),
      protocolVersion: z.string().optional(),
      resources: resourceRequirementsSchema.optional(),
    })
    .optional(),
});

export type InferenceServicePredictor = z.output<typeof inferenceServicePredictorSchema>;

const trafficTargetSchema = z.looseObject({
  revisionName: z.string().optional(),
  percent: z.number().optional(),
  latestRevision: z.boolean().optional(),
  tag: z.string().optional(),
});

export const inferenceServiceSchema = z.looseObject({
  metadata: objectMetaSchema,
  spec: z.looseObject({ predictor: inferenceServicePredictorSchema }),
  status: z
    .looseObject({
      url: z.string().optional(),
      observedGeneration: z.number().int().optional(),
      conditions: z.array(conditionSchema).default([]),
      components: z
        .looseObject({
          predictor: z
            .looseObject({
              latestCreatedRevision: z.string().optional(),
              latestReadyRevision: z.string().optional(),
              latestRolledoutRevision: z.string().optional(),
              previousRolledoutRevision: z.string().optional(),
              url: z.string().optional(),
              traffic: z.array(trafficTargetSchema).default([]),
            })
            .optional(),
        })
        .optional(),
    })
    .optional(),
});

export type InferenceService = z.output<typeof inferenceServiceSchema>;

const INFERENCE_SERVICE: ResourceKind<InferenceService> = {
  group: 'serving.kserve.io',
  version: 'v1beta1',
  plural: 'inferenceservices',
  kind: 'InferenceService',
  kindPlural: 'InferenceServices',
  schema: inferenceServiceSchema,
};

export interface NewInferenceService {
  name: string;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  predictor: InferenceServicePredictor;
}

export interface InferenceServiceApi {
  readonly namespace: string;
  list(): Promise<InferenceService[]>;
  /** null when absent. */
  get(name: string): Promise<InferenceService | null>;
  create(input: NewInferenceService): Promise<InferenceService>;
  /**
   * Read-modify-write: `change` gets a fresh copy; returning null means nothing to do. Written with
   * PUT guarded by the resourceVersion read; on 409 Conflict it reads again and calls `change`
   * again (up to 5 times), so a concurrent change is never lost.
   */
  update(name: string, change: (current: InferenceService) => InferenceService | null): Promise<InferenceService>;
}

/** The InferenceServices of `tenant`'s namespace, as `actor` may see and change them. */
export function inferenceServices(
  tenant: string,
  actor: KubeActor,
  connection: KubeConnection = defaultKubeConnection(),
): InferenceServiceApi {
  const resource = namespacedResource(INFERENCE_SERVICE, tenantNamespace(tenant), actor, connection);
  return {
    namespace: resource.namespace,
    list: () => resource.list(),
    get: (name) => resource.get(name),
    create: ({ name, labels, annotations, predictor }) =>
      resource.create({ metadata: { name, labels, annotations }, spec: { predictor } }),
    update: (name, change) => resource.update(name, change),
  };
}

export const INFERENCE_SERVICES_WATCHED: WatchedKind<InferenceService> = INFERENCE_SERVICE;

/** Every namespace's InferenceServices, from the process's shared watch cache (read as the portal). */
export function watchedInferenceServices(): WatchCache<InferenceService> {
  return sharedWatchCache(INFERENCE_SERVICES_WATCHED);
}
