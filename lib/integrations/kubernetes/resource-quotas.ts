/**
 * ResourceQuotas of one tenant (`v1`, `resourcequotas`): read, created and changed as `actor`, so
 * the cluster's RBAC decides who may change a quota (in the local platform only platform admins
 * may). Writes are conflict-safe: an update carries the resourceVersion it read, and on 409 it
 * reads again and applies the change again (see `namespacedResource` in resource.ts).
 *
 * The portal's pages read quotas from the shared watch cache (`watchedResourceQuotas`), never
 * with a LIST per request; `get`/`list` here are for writers that need a fresh read.
 */
import { z } from 'zod';
import { isUpstreamError } from '../upstream';
import { defaultKubeConnection, type KubeActor, type KubeConnection } from './client';
import { tenantNamespace } from './namespace';
import { namespacedResource, objectMetaSchema, type ResourceKind } from './resource';
import { sharedWatchCache, type WatchCache, type WatchedKind } from './watch-cache';

/** Quantities as the API server writes them ("8", "500m", "64Gi"); a number is read as its text. */
const quantities = z.record(z.string(), z.union([z.string(), z.number()]).transform(String));

export const resourceQuotaSchema = z.looseObject({
  metadata: objectMetaSchema,
  spec: z
    .looseObject({
      hard: quantities.prefault({}),
      scopes: z.array(z.string()).optional(),
    })
    .prefault({}),
  status: z
    .looseObject({
      hard: quantities.prefault({}),
      used: quantities.prefault({}),
    })
    .optional(),
});

export type ResourceQuota = z.output<typeof resourceQuotaSchema>;

const RESOURCE_QUOTA: ResourceKind<ResourceQuota> = {
  group: '',
  version: 'v1',
  plural: 'resourcequotas',
  kind: 'ResourceQuota',
  kindPlural: 'ResourceQuotas',
  schema: resourceQuotaSchema,
};

export interface ResourceQuotaApi {
  readonly namespace: string;
  list(): Promise<ResourceQuota[]>;
  /** null when absent. */
  get(name: string): Promise<ResourceQuota | null>;
  /**
   * Makes the quota `name` hold at least these `hard` limits and `labels`: creates it when absent,
   * otherwise sets the named keys (keys not named, e.g. `requests.cpu` set by someone else, are
   * kept) with a conflict-safe update. Returns the quota as stored; unchanged when it already
   * says so (no write).
   */
  apply(name: string, hard: Record<string, string>, labels?: Record<string, string>): Promise<ResourceQuota>;
  /**
   * Read-modify-write: `change` gets a fresh copy and returns the quota to write, or null for
   * nothing to do; on 409 Conflict it is read again and `change` called again (up to 5 times).
   * An error thrown by `change` ends the update and reaches the caller.
   */
  update(name: string, change: (current: ResourceQuota) => ResourceQuota | null): Promise<ResourceQuota>;
}

function sameEntries(a: Record<string, string>, b: Record<string, string>): boolean {
  return Object.keys(b).every((key) => a[key] === b[key]);
}

/** The ResourceQuotas of `tenant`'s namespace, as `actor` may see and change them. */
export function resourceQuotas(
  tenant: string,
  actor: KubeActor,
  connection: KubeConnection = defaultKubeConnection(),
): ResourceQuotaApi {
  const resource = namespacedResource(RESOURCE_QUOTA, tenantNamespace(tenant), actor, connection);

  const update: ResourceQuotaApi['update'] = (name, change) => resource.update(name, change);

  const merge = (name: string, hard: Record<string, string>, labels: Record<string, string>) =>
    update(name, (current) => {
      if (sameEntries(current.spec.hard, hard) && sameEntries(current.metadata.labels, labels)) return null;
      current.spec.hard = { ...current.spec.hard, ...hard };
      current.metadata.labels = { ...current.metadata.labels, ...labels };
      return current;
    });

  return {
    namespace: resource.namespace,
    list: () => resource.list(),
    get: (name) => resource.get(name),
    update,

    async apply(name, hard, labels = {}) {
      if ((await resource.get(name)) === null) {
        try {
          return await resource.create({ metadata: { name, labels }, spec: { hard } });
        } catch (error) {
          // Created by someone else between the read and the create: change theirs instead.
          if (!isUpstreamError(error, 'conflict')) throw error;
        }
      }
      return merge(name, hard, labels);
    },
  };
}

export const RESOURCE_QUOTAS_WATCHED: WatchedKind<ResourceQuota> = RESOURCE_QUOTA;

/** Every namespace's ResourceQuotas, from the process's shared watch cache (read as the portal). */
export function watchedResourceQuotas(): WatchCache<ResourceQuota> {
  return sharedWatchCache(RESOURCE_QUOTAS_WATCHED);
}
