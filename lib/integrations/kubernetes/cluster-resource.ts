/**
 * The cluster-scoped sibling of `namespacedResource` (resource.ts), for kinds that live outside any
 * namespace — Namespaces themselves. Both share one implementation (`scopedResource`), so the same
 * contract: reads validated by the kind's schema, creates never repeated, and a read-modify-write
 * update that carries the resourceVersion it read and, on 409 Conflict, reads again and applies the
 * change again.
 */
import { z } from 'zod';
import type { KubeActor, KubeConnection } from './client';
import { scopedResource, type NewObject, type ResourceKind, type ResourceOperations } from './resource';

const stringMap = z.record(z.string(), z.string());

/** Metadata of a cluster-scoped object; unknown fields pass through untouched. */
export const clusterObjectMetaSchema = z.looseObject({
  name: z.string(),
  uid: z.string(),
  resourceVersion: z.string(),
  generation: z.number().int().optional(),
  creationTimestamp: z.string().optional(),
  deletionTimestamp: z.string().optional(),
  labels: stringMap.default({}),
  annotations: stringMap.default({}),
});

export interface ClusterObject {
  metadata: z.output<typeof clusterObjectMetaSchema>;
}

/** Described as a namespaced kind is. */
export type ClusterResourceKind<T extends ClusterObject> = ResourceKind<T>;

export type NewClusterObject = NewObject;

/** The operations of `NamespacedResource`, with the same read-modify-write update, outside any namespace. */
export type ClusterResource<T extends ClusterObject> = ResourceOperations<T>;

export function clusterResource<T extends ClusterObject>(
  kind: ClusterResourceKind<T>,
  actor: KubeActor,
  connection: KubeConnection,
): ClusterResource<T> {
  return scopedResource(kind, null, actor, connection);
}
