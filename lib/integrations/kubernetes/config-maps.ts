/**
 * ConfigMaps (`v1`) of one tenant's namespace: read, created and changed as `actor` — the admission
 * guard's parameters (`mlp-admission`) are one, written by the portal's own identity. Nothing here
 * deletes one.
 */
import { z } from 'zod';
import { defaultKubeConnection, type KubeActor, type KubeConnection } from './client';
import { tenantNamespace } from './namespace';
import { namespacedResource, objectMetaSchema, type ResourceKind } from './resource';

export const configMapSchema = z.looseObject({
  metadata: objectMetaSchema,
  data: z.record(z.string(), z.string()).default({}),
});

export type ConfigMap = z.output<typeof configMapSchema>;

const CONFIG_MAP: ResourceKind<ConfigMap> = {
  group: '',
  version: 'v1',
  plural: 'configmaps',
  kind: 'ConfigMap',
  kindPlural: 'ConfigMaps',
  schema: configMapSchema,
};

export interface NewConfigMap {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  data: Record<string, string>;
}

export interface ConfigMapApi {
  readonly namespace: string;
  /** null when absent. */
  get(name: string): Promise<ConfigMap | null>;
  create(configMap: NewConfigMap): Promise<ConfigMap>;
  /** Conflict-safe read-modify-write; `change` returns null when there is nothing to do. */
  update(name: string, change: (current: ConfigMap) => ConfigMap | null): Promise<ConfigMap>;
}

export function configMaps(
  tenant: string,
  actor: KubeActor,
  connection: KubeConnection = defaultKubeConnection(),
): ConfigMapApi {
  const resource = namespacedResource(CONFIG_MAP, tenantNamespace(tenant), actor, connection);
  return {
    namespace: resource.namespace,
    get: (name) => resource.get(name),
    create: ({ name, labels = {}, annotations = {}, data }) =>
      resource.create({ metadata: { name, labels, annotations }, data }),
    update: (name, change) => resource.update(name, change),
  };
}
