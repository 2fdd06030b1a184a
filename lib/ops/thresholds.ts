import { z } from 'zod';

/**
 * What the operations dashboard judges each area against (PRODUCT.md capability 6). One set for
 * the whole platform, changed by platform admins (validated here, versioned and audited by the
 * store). Fractions are 0–1 (0.95 = 95 %).
 */

export const opsThresholdsSchema = z.strictObject({
  /** Pipelines: alert when the share of finished Argo Workflows that succeeded is below this. */
  pipelineSuccessMin: z
    .number()
    .min(0, 'The success rate is at least 0 %')
    .max(1, 'The success rate is at most 100 %')
    .default(0.95),
  /** Training: alert when a model's newest version is below its previous version by more than this. */
  trainingRegressionTolerance: z
    .number()
    .min(0, 'The tolerance cannot be negative')
    .max(1, 'The tolerance is at most 1')
    .default(0.02),
  /** Registry: alert when a promotion request has waited longer than this. */
  registryWaitHoursMax: z
    .number()
    .int('Use whole hours')
    .min(1, 'At least 1 hour')
    .max(24 * 30, 'At most 30 days')
    .default(24),
  /** Serving: alert when an endpoint's 5xx share is above this… */
  servingErrorRateMax: z
    .number()
    .gt(0, 'The error-rate threshold must be above 0 %')
    .max(1, 'The error-rate threshold is at most 100 %')
    .default(0.01),
  /** …or its p99 latency above this. */
  servingP99MsMax: z
    .number()
    .int('Use whole milliseconds')
    .min(1, 'At least 1 ms')
    .max(60_000, 'At most 60,000 ms')
    .default(500),
  /** Canary: alert when the canary's error rate is above this many times the stable revision's. */
  canaryErrorRatioMax: z.number().min(1, 'The factor is at least 1').max(100, 'The factor is at most 100').default(2),
  /** Infrastructure: alert when more pods than this were OOM-killed in the last 24 hours. */
  oomKillsPerDayMax: z
    .number()
    .int('OOM kills are a whole number')
    .min(0, 'Cannot be negative')
    .max(10_000, 'At most 10,000')
    .default(0),
});

export type OpsThresholds = z.output<typeof opsThresholdsSchema>;

export const DEFAULT_OPS_THRESHOLDS: OpsThresholds = opsThresholdsSchema.parse({});

/** Stored settings, read leniently: a field added later takes its default. */
export function readOpsThresholds(stored: unknown): OpsThresholds {
  const parsed = opsThresholdsSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : DEFAULT_OPS_THRESHOLDS;
}
