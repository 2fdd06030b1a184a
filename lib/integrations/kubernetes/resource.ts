/**
 * The shared base of every namespaced kind: list, get, create and a conflict-safe update, bound to
 * one namespace and one actor, with answers validated by the kind's zod schema. Each kind's file
 * describes itself with a `ResourceKind` and exposes what the portal needs of it.
 *
 * Reads go through `list`/`get` only, so a watch cache can later stand in for them behind the same
 * interface without callers changing.
 */
import { z } from 'zod';
import { isUpstreamError, UpstreamError } from '../upstream';
import { kubeRequest, type KubeActor, type KubeConnection, type KubeOperation } from './client';
import { checkObjectName } from './namespace';

const stringMap = z.record(z.string(), z.string());

/** Object metadata; unknown fields (ownerReferences, managedFields, …) pass through untouched. */
export const objectMetaSchema = z.looseObject({
  name: z.string(),
  namespace: z.string(),
  uid: z.string(),
  resourceVersion: z.string(),
  generation: z.number().int().optional(),
  creationTimestamp: z.string().optional(),
  labels: stringMap.default({}),
  annotations: stringMap.default({}),
});

export type ObjectMeta = z.output<typeof objectMetaSchema>;

/** A status condition, as every kind writes them. */
export const conditionSchema = z.looseObject({
  type: z.string(),
  status: z.string(),
  reason: z.string().optional(),
  message: z.string().optional(),
  lastTransitionTime: z.string().optional(),
});

/** Container resources (`cpu`, `memory`, `nvidia.com/gpu`, …); quantities are strings or numbers. */
export const resourceRequirementsSchema = z.looseObject({
  requests: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  limits: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});

export interface KubeObject {
  metadata: ObjectMeta;
}

/** What both bases need of an object, whatever its scope: a resourceVersion to write back. */
interface VersionedObject {
  metadata: { resourceVersion: string };
}

/**
 * How a kind describes itself, once: its calls (`namespacedResource`, `clusterResource`) and its
 * shared watch cache (a `WatchedKind` is this description and what to watch of it) both use it.
 * Cluster-scoped kinds use the same description (`ClusterResourceKind`).
 */
export interface ResourceKind<T> {
  /** '' for the core API group. */
  group: string;
  version: string;
  /** As in the URL: "inferenceservices". */
  plural: string;
  kind: string;
  /** For people: "InferenceServices". */
  kindPlural: string;
  /** One object; must pass unknown fields through, so that an update never drops them. */
  schema: z.ZodType<T>;
}

/** `serving.kserve.io/v1beta1`, or `v1` for the core group. */
export function apiVersionOf(kind: Pick<ResourceKind<unknown>, 'group' | 'version'>): string {
  return kind.group ? `${kind.group}/${kind.version}` : kind.version;
}

/**
 * The URL path of the kind's objects in `namespace`; without one, of every namespace's (a watch
 * cache's) or of a cluster-scoped kind's: `/api/v1/pods`, `/apis/batch/v1/namespaces/fraud/jobs`.
 */
export function collectionPath(
  kind: Pick<ResourceKind<unknown>, 'group' | 'version' | 'plural'>,
  namespace: string | null = null,
): string {
  const scopePath = namespace === null ? '' : `/namespaces/${encodeURIComponent(namespace)}`;
  return `${kind.group ? `/apis/${apiVersionOf(kind)}` : `/api/${kind.version}`}${scopePath}/${kind.plural}`;
}

/** What a new object is made of: its name, labels, annotations and the kind's own fields (spec). */
export interface NewObject {
  metadata: { name: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

/** What either base offers of one kind: namespaced (`NamespacedResource`) or cluster-scoped (`ClusterResource`). */
export interface ResourceOperations<T extends VersionedObject> {
  list(options?: { labelSelector?: string }): Promise<T[]>;
  /** null when there is no such object. */
  get(name: string): Promise<T | null>;
  create(object: NewObject): Promise<T>;
  /**
   * Read-modify-write. `change` gets a fresh copy (it may mutate it) and returns the object to
   * write, or null when there is nothing to do. The write is a PUT carrying the resourceVersion that
   * was read, so the API server refuses it (409) if anyone changed the object in between; then the
   * object is read again and `change` applied again, up to MAX_UPDATE_ATTEMPTS times. A concurrent
   * change is therefore never overwritten, and fields the portal does not know are sent back as read.
   */
  update(name: string, change: (current: T) => T | null): Promise<T>;
}

export interface NamespacedResource<T extends KubeObject> extends ResourceOperations<T> {
  readonly namespace: string;
}

export const MAX_UPDATE_ATTEMPTS = 5;

/** Marks the portal's writes in each object's managedFields. */
const FIELD_MANAGER = 'ml-platform-portal';

export function namespacedResource<T extends KubeObject>(
  kind: ResourceKind<T>,
  namespace: string,
  actor: KubeActor,
  connection: KubeConnection,
): NamespacedResource<T> {
  return { namespace, ...scopedResource(kind, namespace, actor, connection) };
}

/**
 * The one implementation behind `namespacedResource` and `clusterResource` (cluster-resource.ts):
 * `namespace` is the objects' namespace, or null for a cluster-scoped kind. Kinds use those two,
 * not this.
 */
export function scopedResource<T extends VersionedObject>(
  kind: ResourceKind<T>,
  namespace: string | null,
  actor: KubeActor,
  connection: KubeConnection,
): ResourceOperations<T> {
  const apiVersion = apiVersionOf(kind);
  const collection = collectionPath(kind, namespace);
  const listSchema = z.object({ items: z.array(kind.schema) });
  /** The metadata the scope fixes: a namespaced object's namespace; nothing for a cluster-scoped one. */
  const scope = namespace === null ? {} : { namespace };
  const operation = (verb: KubeOperation['verb'], name?: string): KubeOperation => ({
    verb,
    kind: kind.kind,
    kindPlural: kind.kindPlural,
    namespace: namespace ?? '',
    name,
  });
  const itemPath = (name: string) => `${collection}/${encodeURIComponent(checkObjectName(kind.kind, name))}`;

  const read = (name: string) =>
    kubeRequest(connection, actor, {
      method: 'GET',
      path: itemPath(name),
      schema: kind.schema,
      operation: operation('get', name),
    });

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
        body: { ...object, apiVersion, kind: kind.kind, metadata: { ...object.metadata, ...scope } },
        schema: kind.schema,
        operation: operation('create', object.metadata.name),
      });
    },

    async update(name, change) {
      for (let attempt = 1; ; attempt++) {
        const current = await read(name);
        const desired = change(structuredClone(current));
        if (desired === null) return current;
        // Identity and the version that was read are not the change's to choose.
        const metadata = { ...desired.metadata, name, ...scope, resourceVersion: current.metadata.resourceVersion };
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
            const object = namespace === null ? name : `${namespace}/${name}`;
            throw new UpstreamError(
              'Kubernetes',
              'conflict',
              `${kind.kind} ${object} kept changing while the portal updated it (${MAX_UPDATE_ATTEMPTS} attempts); try again`,
              409,
              {
                cause: error,
              },
            );
          }
        }
      }
    },
  };
}
