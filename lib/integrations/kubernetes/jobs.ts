/**
 * Jobs (`batch/v1`), from the process's shared watch cache. A Job whose pod quota admission
 * refuses leaves only events behind; the Job itself says whether it still waits (it exists and
 * has not finished), so a refusal of a deleted or finished Job is not shown as waiting.
 */
import { z } from 'zod';
import { conditionSchema, objectMetaSchema, type ResourceKind } from './resource';
import { sharedWatchCache, type WatchCache, type WatchedKind } from './watch-cache';

export const jobSchema = z.looseObject({
  metadata: objectMetaSchema,
  spec: z
    .looseObject({
      parallelism: z.number().int().optional(),
      completions: z.number().int().nullish(),
      suspend: z.boolean().optional(),
    })
    .prefault({}),
  status: z
    .looseObject({
      active: z.number().int().optional(),
      succeeded: z.number().int().optional(),
      failed: z.number().int().optional(),
      completionTime: z.string().optional(),
      conditions: z.array(conditionSchema).default([]),
    })
    .prefault({}),
});

export type Job = z.output<typeof jobSchema>;

/** Complete or Failed: a finished Job creates no more pods. */
export function jobFinished(job: Job): boolean {
  return job.status.conditions.some((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

const JOB: ResourceKind<Job> = {
  group: 'batch',
  version: 'v1',
  plural: 'jobs',
  kind: 'Job',
  kindPlural: 'Jobs',
  schema: jobSchema,
};

export const JOBS_WATCHED: WatchedKind<Job> = JOB;

/** Every namespace's Jobs, from the process's shared watch cache. */
export function watchedJobs(): WatchCache<Job> {
  return sharedWatchCache(JOBS_WATCHED);
}
