/**
 * Nodes (cluster-scoped), from the process's shared watch cache: their labels (GPU product, as
 * NVIDIA's GPU feature discovery writes them), allocatable resources, readiness and whether they
 * take new pods. Read as the portal; tenants never see nodes except where their own pods run.
 */
import { z } from 'zod';
import { conditionSchema, type ResourceKind } from './resource';
import { sharedWatchCache, type WatchCache, type WatchedKind } from './watch-cache';

const quantities = z.record(z.string(), z.union([z.string(), z.number()]).transform(String));

export const nodeSchema = z.looseObject({
  metadata: z.looseObject({
    name: z.string(),
    uid: z.string(),
    resourceVersion: z.string(),
    creationTimestamp: z.string().optional(),
    labels: z.record(z.string(), z.string()).default({}),
    annotations: z.record(z.string(), z.string()).default({}),
  }),
  spec: z.looseObject({ unschedulable: z.boolean().optional() }).prefault({}),
  status: z
    .looseObject({
      capacity: quantities.prefault({}),
      allocatable: quantities.prefault({}),
      conditions: z.array(conditionSchema).default([]),
    })
    .prefault({}),
});

export type Node = z.output<typeof nodeSchema>;

const NODE: ResourceKind<Node> = {
  group: '',
  version: 'v1',
  plural: 'nodes',
  kind: 'Node',
  kindPlural: 'Nodes',
  schema: nodeSchema,
};

export const NODES_WATCHED: WatchedKind<Node> = NODE;

/** The cluster's nodes, from the process's shared watch cache. */
export function watchedNodes(): WatchCache<Node> {
  return sharedWatchCache(NODES_WATCHED);
}
