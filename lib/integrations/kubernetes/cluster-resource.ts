/**
 * The cluster-scoped sibling of `namespacedResource` (resource.ts), for kinds that live outside any
 * namespace — Namespaces themselves. Same contract: reads validated by the kind's schema, creates
 * never repeated, and a read-modify-write update that carries the resourceVersion it read and, on
 * 409 Conflict, reads again and applies the change again.
 */
import { z } from 'zod';
import { isUpstreamError, UpstreamError } from '../upstream';
import { kubeRequest, type KubeActor, type KubeConnection, type KubeOperation } from './client';
import { checkObjectName } from './namespace';
import { MAX_UPDATE_ATTEMPTS } from './resource';

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

export interface ClusterResourceKind<T extends ClusterObject> {
  /** '' for the core API group. */
  group: string;
  version: string;
  plural: string;
  kind: string;
  kindPlural: string;
  /** One object; must pass unknown fields through, so that an update never drops them. */
  schema: z.ZodType<T>;
}

export interface NewClusterObject {
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export interface ClusterResource<T extends ClusterObject> {
  list(options?: { labelSelector?: string }): Promise<T[]>;
  /** null when there is no such object. */
  get(name: string): Promise<T | null>;
  create(object: NewClusterObject): Promise<T>;
  /** Read-modify-write, as `NamespacedResource.update`: `change` returns the object to write, or null for nothing to do. */
  update(name: string, change: (current: T) => T | null): Promise<T>;
}

const FIELD_MANAGER = 'ml-platform-portal';

export function clusterResource<T extends ClusterObject>(kind: ClusterResourceKind<T>, actor: KubeActor, connection: KubeConnection): ClusterResource<T> {
  const apiVersion = kind.group ? `${kind.group}/${kind.version}` : kind.version;
  const collection = `${kind.group ? `/apis/${apiVersion}` : `/api/${kind.version}`}/${kind.plural}`;
  const listSchema = z.object({ items: z.array(kind.schema) });
  const operation = (verb: KubeOperation['verb'], name?: string): KubeOperation => ({ verb, kind: kind.kind, kindPlural: kind.kindPlural, namespace: '', name });
  const itemPath = (name: string) => `${collection}/${encodeURIComponent(checkObjectName(kind.kind, name))}`;
  const read = (name: string) => kubeRequest(connection, actor, { method: 'GET', path: itemPath(name), schema: kind.schema, operation: operation('get', name) });

  return {
    async list(options = {}) {
      const answer = await kubeRequest(connection, actor, {
        method: 'GET',
        path: collection,
        query: { labelSelector: options.labelSelector },
        schema: listSchema,
        operation: operation('list'),
      });
      return answer.items;
    },

    async get(name) {
      try {
        return await read(name);
      } catch (error) {
        if (isUpstreamError(error, 'not-found')) return null;
        throw error;
      }
    },

    create(object) {
      return kubeRequest(connection, actor, {
        method: 'POST',
        path: collection,
        query: { fieldManager: FIELD_MANAGER },
        body: { ...object, apiVersion, kind: kind.kind },
        schema: kind.schema,
        operation: operation('create', object.metadata.name),
      });
    },

    async update(name, change) {
      for (let attempt = 1; ; attempt++) {
        const current = await read(name);
        const desired = change(structuredClone(current));
        if (desired === null) return current;
        const metadata = { ...desired.metadata, name, resourceVersion: current.metadata.resourceVersion };
        try {
          return await kubeRequest(connection, actor, {
            method: 'PUT',
            path: itemPath(name),
            query: { fieldManager: FIELD_MANAGER },
            body: { ...desired, apiVersion, kind: kind.kind, metadata },
            schema: kind.schema,
            operation: operation('update', name),
          });
        } catch (error) {
          if (!isUpstreamError(error, 'conflict')) throw error;
          if (attempt >= MAX_UPDATE_ATTEMPTS) {
            throw new UpstreamError('Kubernetes', 'conflict', `${kind.kind} ${name} kept changing while the portal updated it (${MAX_UPDATE_ATTEMPTS} attempts); try again`, 409, {
              cause: error,
            });
          }
        }
      }
    },
  };
}
