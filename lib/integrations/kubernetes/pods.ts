/**
 * Pods: one tenant's, read as a user (`pods`), and every namespace's from the process's shared
 * watch cache (`watchedPods`), which the GPU pages read instead of a LIST per request.
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

const containerStateSchema = z.looseObject({
  waiting: z.looseObject({ reason: z.string().optional(), message: z.string().optional() }).optional(),
  running: z.looseObject({ startedAt: z.string().optional() }).optional(),
  terminated: z
    .looseObject({
      reason: z.string().optional(),
      message: z.string().optional(),
      exitCode: z.number().int().optional(),
      startedAt: z.string().optional(),
      finishedAt: z.string().optional(),
    })
    .optional(),
});

const containerSchema = z.looseObject({
  name: z.string(),
  image: z.string().optional(),
  resources: resourceRequirementsSchema.optional(),
});

const containerStatusSchema = z.looseObject({
  name: z.string(),
  ready: z.boolean().optional(),
  restartCount: z.number().int().optional(),
  state: containerStateSchema.optional(),
  lastState: containerStateSchema.optional(),
});

const ownerReferenceSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string(),
  name: z.string(),
  uid: z.string().optional(),
  controller: z.boolean().optional(),
});

export const podSchema = z.looseObject({
  metadata: objectMetaSchema.extend({
    deletionTimestamp: z.string().optional(),
    ownerReferences: z.array(ownerReferenceSchema).optional(),
  }),
  spec: z.looseObject({
    nodeName: z.string().optional(),
    nodeSelector: z.record(z.string(), z.string()).optional(),
    containers: z.array(containerSchema),
    initContainers: z.array(containerSchema).optional(),
  }),
  status: z
    .looseObject({
      phase: z.string().optional(),
      reason: z.string().optional(),
      message: z.string().optional(),
      startTime: z.string().optional(),
      conditions: z.array(conditionSchema).default([]),
      containerStatuses: z.array(containerStatusSchema).default([]),
    })
    .optional(),
});

export type Pod = z.output<typeof podSchema>;

const POD: ResourceKind<Pod> = {
  group: '',
  version: 'v1',
  plural: 'pods',
  kind: 'Pod',
  kindPlural: 'Pods',
  schema: podSchema,
};

export interface PodApi {
  readonly namespace: string;
  /** `labelSelector` as Kubernetes writes it, e.g. `serving.kserve.io/inferenceservice=fraud-detector`. */
  list(labelSelector?: string): Promise<Pod[]>;
  get(name: string): Promise<Pod | null>;
}

export function pods(tenant: string, actor: KubeActor, connection: KubeConnection = defaultKubeConnection()): PodApi {
  const resource = namespacedResource(POD, tenantNamespace(tenant), actor, connection);
  return {
    namespace: resource.namespace,
    list: (labelSelector) => resource.list({ labelSelector }),
    get: (name) => resource.get(name),
  };
}

export const PODS_WATCHED: WatchedKind<Pod> = POD;

/** Every namespace's pods, from the process's shared watch cache (read as the portal). */
export function watchedPods(): WatchCache<Pod> {
  return sharedWatchCache(PODS_WATCHED);
}
