import { z } from 'zod';
import { OBJECT_NAME } from '../integrations/kubernetes/namespace';
import { percentToFraction } from '../format';
import { typedNumber } from '../ops/thresholds-form';
import { tenantNameSchema } from '../tenancy/names';
import type { SloObjectives } from './definition';

/**
 * An endpoint's objectives as people type them — objectives in percent ("99.9"), the latency
 * threshold one of the histogram's buckets, the window in days — and the conversion to the stored
 * fractions. Range and bucket rules stay in the definition's schema (the store checks them), so
 * its messages name the stored keys (availabilityObjective, latencyObjective, …).
 */

const endpointNameSchema = z
  .string()
  .trim()
  .min(1, 'Name the endpoint')
  .max(253, 'At most 253 characters (a Kubernetes object name)')
  .regex(OBJECT_NAME, 'Not an endpoint name (a Kubernetes object name)');

export const sloObjectivesFormSchema = z
  .object({
    tenant: tenantNameSchema,
    endpoint: endpointNameSchema,
    version: z.coerce.number().int().min(0),
    availabilityObjectivePercent: typedNumber('The availability objective'),
    latencyObjectivePercent: typedNumber('The latency objective'),
    latencyThresholdMs: typedNumber('The latency threshold'),
    windowDays: typedNumber('The window'),
  })
  .transform((form) => ({
    tenant: form.tenant,
    endpoint: form.endpoint,
    version: form.version,
    objectives: {
      availabilityObjective: percentToFraction(form.availabilityObjectivePercent),
      latencyObjective: percentToFraction(form.latencyObjectivePercent),
      latencyThresholdMs: form.latencyThresholdMs,
      windowDays: form.windowDays,
    } satisfies SloObjectives,
  }));
