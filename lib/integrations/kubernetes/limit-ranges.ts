/**
 * LimitRanges (`v1`) of one tenant's namespace: default requests for containers that name none,
 * so that a CPU or memory ResourceQuota never refuses a pod only for lacking them. Read and
 * created as `actor`; nothing here changes or deletes one.
 */
import { z } from 'zod';
import { defaultKubeConnection, type KubeActor, type KubeConnection } from './client';
import { tenantNamespace } from './namespace';
import { namespacedResource, objectMetaSchema, type ResourceKind } from './resource';

const quantities = z.record(z.string(), z.union([z.string(), z.number()]).transform(String));

export const limitRangeSchema = z.looseObject({
  metadata: objectMetaSchema,
  spec: z.looseObject({
    limits: z
      .array(
        z.looseObject({
          type: z.string(),
          default: quantities.optional(),
          defaultRequest: quantities.optional(),
          max: quantities.optional(),
          min: quantities.optional(),
        }),
      )
      .default([]),
  }),
});

export type LimitRange = z.output<typeof limitRangeSchema>;

const LIMIT_RANGE: ResourceKind<LimitRange> = {
  group: '',
  version: 'v1',
  plural: 'limitranges',
  kind: 'LimitRange',
  kindPlural: 'LimitRanges',
  schema: limitRangeSchema,
};

export interface NewLimitRange {
  name: string;
  labels?: Record<string, string>;
  /** Per container: what it requests (`defaultRequest`) and is limited to (`default`) when it says nothing. */
  container: { defaultRequest: Record<string, string>; default?: Record<string, string> };
}

export interface LimitRangeApi {
  readonly namespace: string;
  get(name: string): Promise<LimitRange | null>;
  create(limitRange: NewLimitRange): Promise<LimitRange>;
}

export function limitRanges(
  tenant: string,
  actor: KubeActor,
  connection: KubeConnection = defaultKubeConnection(),
): LimitRangeApi {
  const resource = namespacedResource(LIMIT_RANGE, tenantNamespace(tenant), actor, connection);
  return {
    namespace: resource.namespace,
    get: (name) => resource.get(name),
    create: ({ name, labels = {}, container }) =>
      resource.create({
        metadata: { name, labels },
        spec: {
          limits: [
            {
              type: 'Container',
              defaultRequest: container.defaultRequest,
              ...(container.default ? { default: container.default } : {}),
            },
          ],
        },
      }),
  };
}
