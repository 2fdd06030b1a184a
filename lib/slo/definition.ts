import { z } from 'zod';

/**
 * An endpoint's service level objectives (PRODUCT.md capability 7): availability (non-5xx share
 * of requests) and latency (share of requests answered within a threshold), both over a rolling
 * window. Every InferenceService has them; without a stored definition it gets the defaults.
 * Tenant admins and platform admins edit them (validated here, versioned and audited by the store).
 * Fractions are 0–1 (0.999 = 99.9 %).
 */

/**
 * Latency thresholds must be a bucket boundary of the installation's latency histogram (a ratio
 * of requests "within 200 ms" needs a `le="200"` bucket). These are Knative queue-proxy's
 * buckets; an installation with other buckets lists its own in SLO_LATENCY_BUCKETS_MS.
 */
export const DEFAULT_LATENCY_BUCKETS_MS = [
  5, 10, 20, 40, 60, 80, 100, 150, 200, 250, 300, 350, 400, 450, 500, 600, 700, 800, 900, 1000, 2000, 5000, 10000,
] as const;

export function latencyBucketsMs(env: string | undefined = process.env.SLO_LATENCY_BUCKETS_MS): number[] {
  if (!env?.trim()) return [...DEFAULT_LATENCY_BUCKETS_MS];
  const values = env.split(',').map((v) => Number(v.trim()));
  if (values.some((v) => !Number.isFinite(v) || v <= 0))
    throw new Error(`SLO_LATENCY_BUCKETS_MS must be a comma-separated list of positive milliseconds, not "${env}"`);
  return values;
}

const objective = (what: string) =>
  z
    .number()
    .gt(0.5, `The ${what} objective must be above 50 %`)
    .lt(1, `The ${what} objective must be below 100 % (an objective of 100 % leaves no error budget)`);

export const sloObjectivesSchema = z.strictObject({
  availabilityObjective: objective('availability').default(0.999),
  latencyObjective: objective('latency').default(0.95),
  latencyThresholdMs: z
    .number()
    .int('Use whole milliseconds')
    .positive('The latency threshold must be above 0 ms')
    .default(200),
  windowDays: z
    .number()
    .int('Use whole days')
    .min(1, 'The window is at least 1 day')
    .max(90, 'The window is at most 90 days')
    .default(28),
});

export type SloObjectives = z.output<typeof sloObjectivesSchema>;

export const DEFAULT_SLO_OBJECTIVES: SloObjectives = sloObjectivesSchema.parse({});

/** Objectives with the latency threshold checked against the histogram's buckets. */
export function sloObjectivesFor(buckets: readonly number[] = latencyBucketsMs()) {
  return sloObjectivesSchema.refine((o) => buckets.includes(o.latencyThresholdMs), {
    path: ['latencyThresholdMs'],
    message: `The latency threshold must be one of the latency histogram's buckets: ${buckets.join(', ')} ms`,
  });
}

export const SLO_KINDS = ['availability', 'latency'] as const;
export type SloKind = (typeof SLO_KINDS)[number];
