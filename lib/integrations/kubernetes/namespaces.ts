/**
 * Namespaces (`v1`, cluster-scoped): one per tenant. Read, created and relabelled as `actor` — the
 * portal provisions tenants as the signed-in platform admin, so the cluster's RBAC decides.
 * Nothing here deletes a namespace.
 */
import { z } from 'zod';
import { defaultKubeConnection, type KubeActor, type KubeConnection } from './client';
import { clusterObjectMetaSchema, clusterResource, type ClusterResourceKind } from './cluster-resource';
import { tenantNamespace } from './namespace';

export const namespaceSchema = z.looseObject({
  metadata: clusterObjectMetaSchema,
  spec: z.looseObject({ finalizers: z.array(z.string()).optional() }).optional(),
  status: z.looseObject({ phase: z.string().optional() }).optional(),
});

export type Namespace = z.output<typeof namespaceSchema>;

const NAMESPACE: ClusterResourceKind<Namespace> = {
  group: '',
  version: 'v1',
  plural: 'namespaces',
  kind: 'Namespace',
  kindPlural: 'Namespaces',
  schema: namespaceSchema,
};

export interface NewNamespace {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface NamespaceApi {
  list(labelSelector?: string): Promise<Namespace[]>;
  /** null when absent. Only DNS-label names (a tenant's name) can be asked for. */
  get(name: string): Promise<Namespace | null>;
  create(namespace: NewNamespace): Promise<Namespace>;
  /** Conflict-safe read-modify-write; `change` returns null when there is nothing to do. */
  update(name: string, change: (current: Namespace) => Namespace | null): Promise<Namespace>;
}

export function namespaces(actor: KubeActor, connection: KubeConnection = defaultKubeConnection()): NamespaceApi {
  const resource = clusterResource(NAMESPACE, actor, connection);
  return {
    list: (labelSelector) => resource.list({ labelSelector }),
    get: (name) => resource.get(tenantNamespace(name)),
    create: ({ name, labels = {}, annotations = {} }) =>
      resource.create({ metadata: { name: tenantNamespace(name), labels, annotations } }),
    update: (name, change) => resource.update(tenantNamespace(name), change),
  };
}
