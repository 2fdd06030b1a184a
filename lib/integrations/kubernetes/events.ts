/**
 * Events (`v1`), from the process's shared watch cache: why the scheduler left a pod pending
 * (FailedScheduling), why a controller could not create a pod (FailedCreate, e.g. "exceeded
 * quota"), OOM kills reported by the kubelet. Only Warning events are watched: Normal ones are
 * most of the traffic and say nothing the GPU views need.
 */
import { z } from 'zod';
import type { ResourceKind } from './resource';
import { sharedWatchCache, type WatchCache, type WatchedKind } from './watch-cache';

export const kubeEventSchema = z.looseObject({
  metadata: z.looseObject({
    name: z.string(),
    namespace: z.string(),
    uid: z.string().optional(),
    resourceVersion: z.string(),
    creationTimestamp: z.string().optional(),
  }),
  involvedObject: z.looseObject({
    kind: z.string().optional(),
    name: z.string().optional(),
    namespace: z.string().optional(),
    uid: z.string().optional(),
    apiVersion: z.string().optional(),
  }),
  reason: z.string().optional(),
  message: z.string().optional(),
  type: z.string().optional(),
  count: z.number().int().optional(),
  firstTimestamp: z.string().nullish(),
  lastTimestamp: z.string().nullish(),
  eventTime: z.string().nullish(),
  series: z.looseObject({ count: z.number().int().optional(), lastObservedTime: z.string().optional() }).nullish(),
  source: z.looseObject({ component: z.string().optional() }).optional(),
  reportingComponent: z.string().optional(),
});

export type KubeEvent = z.output<typeof kubeEventSchema>;

const EVENT: ResourceKind<KubeEvent> = {
  group: '',
  version: 'v1',
  plural: 'events',
  kind: 'Event',
  kindPlural: 'Events',
  schema: kubeEventSchema,
};

export const WARNING_EVENTS_WATCHED: WatchedKind<KubeEvent> = { ...EVENT, fieldSelector: 'type=Warning' };

/** Every namespace's Warning events, from the process's shared watch cache. */
export function watchedWarningEvents(): WatchCache<KubeEvent> {
  return sharedWatchCache(WARNING_EVENTS_WATCHED);
}

/** When the event last happened: the series' last observation, else lastTimestamp, eventTime or creation. */
export function eventLastSeen(event: KubeEvent): string | undefined {
  return (
    event.series?.lastObservedTime ??
    event.lastTimestamp ??
    event.eventTime ??
    event.firstTimestamp ??
    event.metadata.creationTimestamp
  );
}

/** How many times it happened. */
export function eventCount(event: KubeEvent): number {
  return event.series?.count ?? event.count ?? 1;
}
