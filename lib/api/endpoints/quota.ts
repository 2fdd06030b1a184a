import { z } from 'zod';
import type { GpuPodRow, PendingWorkload } from '../../quota/workloads';
import { tenantGpuView } from '../../quota/service';
import { tenantNameSchema } from '../../tenancy/names';
import { defineEndpoint, freshnessSchema, isoTimeSchema, unavailable } from './shared';

/** A tenant's GPU quota, its GPU pods and what waits for GPUs, from the GPU page's read model (lib/quota/service.ts). */

const gpuPodSchema = z.object({
  name: z.string(),
  state: z.enum(['running', 'starting', 'unscheduled', 'terminating']),
  gpus: z.number(),
  node: z.string().nullable(),
  product: z.string().nullable().meta({ description: 'The node’s GPU product label' }),
  startedAt: z.string().nullable().meta({ description: 'ISO 8601' }),
  owner: z
    .string()
    .nullable()
    .meta({ description: 'The controller that made the pod, e.g. "Workflow fraud-train-x7k2p"' }),
}) satisfies z.ZodType<GpuPodRow>;

const pendingSchema = z.object({
  kind: z.enum(['quota', 'capacity', 'scheduling', 'waiting']).meta({
    description:
      'quota: refused by the GPU quota; capacity: no node has the GPUs free; scheduling: another scheduling reason; waiting: not reported yet',
  }),
  objectKind: z.string(),
  name: z.string(),
  gpus: z.number().nullable(),
  reason: z.string().meta({ description: 'As the scheduler or quota admission gave it' }),
  source: z.string(),
  firstSeen: z.string().nullable().meta({ description: 'ISO 8601' }),
  lastSeen: z.string().nullable().meta({ description: 'ISO 8601' }),
  count: z.number(),
}) satisfies z.ZodType<PendingWorkload>;

export const readQuotaEndpoint = defineEndpoint({
  name: 'quota.read',
  method: 'GET',
  path: '/api/v1/t/{tenant}/quota',
  operationId: 'getGpuQuota',
  summary: 'GPU quota used against its hard limit, the GPU pods, and what waits for GPUs and why',
  scope: 'quota.read',
  input: z.object({ tenant: tenantNameSchema }),
  responses: {
    200: {
      description: 'The tenant’s GPUs',
      schema: z.object({
        tenant: z.string(),
        at: isoTimeSchema,
        quota: z.object({
          name: z.string().nullable().meta({ description: 'The ResourceQuota that binds (the lowest GPU limit)' }),
          hard: z.number().nullable().meta({ description: 'GPUs allowed; null when no quota limits GPUs' }),
          used: z.number().meta({ description: 'GPUs requested by the tenant’s pods' }),
          share: z.number().nullable().meta({ description: 'used / hard; null without a limit' }),
        }),
        pods: z.array(gpuPodSchema).meta({ description: 'Unfinished pods that request GPUs' }),
        pending: z.array(pendingSchema).meta({ description: 'Workloads waiting for GPUs, with the reason' }),
        freshness: freshnessSchema,
      }),
    },
  },
  async run(_caller, input) {
    const view = await tenantGpuView(input.tenant);
    if (!view.kubernetes.ok) return unavailable(view.kubernetes.message);
    const { quota, pods, pending } = view.kubernetes.data;
    return {
      status: 200,
      body: {
        tenant: view.tenant,
        at: view.at,
        quota: { name: quota.name, hard: quota.hard, used: quota.used, share: quota.share },
        pods,
        pending,
        freshness: view.kubernetes.freshness,
      },
    };
  },
});
