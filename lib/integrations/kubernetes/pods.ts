/** Pods of one tenant (predictor pods, training pods, GPU pods), read-only. */
import { z } from 'zod';
import { defaultKubeConnection, type KubeActor, type KubeConnection } from './client';
import { tenantNamespace } from './namespace';
import { conditionSchema, namespacedResource, objectMetaSchema, resourceRequirementsSchema, type ResourceKind } from './resource';

const containerStateSchema = z.looseObject({
  waiting: z.looseObject({ reason: z.string().optional(), message: z.string().optional() }).optional(),
  running: z.looseObject({ startedAt: z.string().optional() }).optional(),
  terminated: z.looseObject({ reason: z.string().optional(), exitCode: z.number().int().optional(), finishedAt: z.string().optional() }).optional(),
});

const podSchema = z.looseObject({
  metadata: objectMetaSchema,
  spec: z.looseObject({
    nodeName: z.string().optional(),
    containers: z.array(z.looseObject({ name: z.string(), image: z.string().optional(), resources: resourceRequirementsSchema.optional() })),
  }),
  status: z
    .looseObject({
      phase: z.string().optional(),
      reason: z.string().optional(),
      message: z.string().optional(),
      conditions: z.array(conditionSchema).default([]),
      containerStatuses: z
        .array(
          z.looseObject({
            name: z.string(),
            ready: z.boolean().optional(),
            restartCount: z.number().int().optional(),
            state: containerStateSchema.optional(),
            lastState: containerStateSchema.optional(),
          }),
        )
        .default([]),
    })
    .optional(),
});

export type Pod = z.output<typeof podSchema>;

const POD: ResourceKind<Pod> = { group: '', version: 'v1', plural: 'pods', kind: 'Pod', kindPlural: 'Pods', schema: podSchema };

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
