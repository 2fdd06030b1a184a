import { z } from 'zod';

/**
 * A tenant's promotion and rollout policy: what a model version must show before it may serve
 * traffic, how many people must agree, and how its canary is judged. Defaults come from
 * PRODUCT.md; a tenant admin edits them (validated here, audited by the service).
 */

const metricName = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9_.\-/ ]{1,250}$/, 'A metric name has letters, digits and _ . - / only');

const metricThresholdSchema = z.object({
  metric: metricName,
  /** The version's metric must be at least this. */
  min: z.number().finite(),
});

export const policySchema = z
  .object({
    /** Absolute quality thresholds, each a blocking gate. */
    thresholds: z
      .array(metricThresholdSchema)
      .max(20)
      .default([
        { metric: 'holdout_auc', min: 0.85 },
        { metric: 'cv_f1_mean', min: 0.8 },
      ]),
    /** Compared with the current champion; also written into the deployment's evidence. */
    primaryMetric: metricName.default('holdout_auc'),
    /** How far below the champion the primary metric may be (0.02 allows −0.02). */
    regressionTolerance: z
      .number()
      .min(0, 'The regression tolerance cannot be negative')
      .max(1, 'The regression tolerance is at most 1')
      .default(0.02),
    requireSignature: z.boolean().default(true),
    requireModelCard: z.boolean().default(true),
    requireNotes: z.boolean().default(true),
    requiredApprovals: z
      .number()
      .int('Approvals are a whole number')
      .min(1, 'At least one approval is required')
      .max(5, 'At most 5 approvals')
      .default(1),
    /** Pending requests are flagged after this many hours… */
    staleAfterHours: z
      .number()
      .int('Use whole hours')
      .min(1, 'At least 1 hour')
      .max(24 * 14, 'At most 14 days')
      .default(24),
    /** …and expire after this many. */
    expireAfterHours: z
      .number()
      .int('Use whole hours')
      .min(1, 'At least 1 hour')
      .max(24 * 30, 'At most 30 days')
      .default(72),
    /** The MLflow alias that moves to the version on final approval. */
    alias: z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9_-]{0,62}$/, 'An alias starts with a letter and has letters, digits, _ and - only')
      .default('champion'),
    /** Canary traffic steps in percent, rising, ending at 100. */
    canarySteps: z
      .array(
        z
          .number()
          .int('Steps are whole percentages')
          .min(1, 'Steps are at least 1 %')
          .max(100, 'Steps are at most 100 %'),
      )
      .min(1, 'Give at least one step')
      .max(10, 'At most 10 steps')
      .default([10, 25, 50, 100]),
    /** Minutes a canary must stay healthy at one step before the next. */
    bakeMinutes: z
      .number()
      .int('Use whole minutes')
      .min(1, 'Bake for at least 1 minute')
      .max(24 * 60, 'Bake for at most a day')
      .default(10),
    /** Metrics window each check reads. */
    analysisWindowSeconds: z
      .number()
      .int('Use whole seconds')
      .min(30, 'The window is at least 30 s (a few scrapes)')
      .max(3600, 'The window is at most 1 h')
      .default(120),
    maxErrorRate: z
      .number()
      .gt(0, 'The error-rate threshold must be above 0 %')
      .max(0.5, 'The error-rate threshold is at most 50 %')
      .default(0.02),
    maxP99Ms: z
      .number()
      .int('Use whole milliseconds')
      .min(1, 'The p99 threshold is at least 1 ms')
      .max(60_000, 'The p99 threshold is at most 60,000 ms')
      .default(500),
    minRequests: z
      .number()
      .int('Requests are a whole number')
      .min(1, 'At least 1 request')
      .max(1_000_000, 'At most 1,000,000 requests')
      .default(100),
    /** An error rate above threshold × this rolls back at once. */
    immediateRollbackFactor: z
      .number()
      .min(1, 'The factor is at least 1')
      .max(20, 'The factor is at most 20')
      .default(3),
    /** Share of checks in the baking period that must pass to step up or promote. */
    minPassRatio: z.number().min(0.5, 'At least 50 % of checks must pass').max(1, 'At most 100 %').default(0.9),
    /**
     * A served model's input feature whose drift score (0–1, e.g. the Jensen–Shannon distance
     * between training and live inputs) exceeds this is reported to the model's owners.
     */
    maxInputDrift: z
      .number()
      .gt(0, 'The drift threshold must be above 0')
      .max(1, 'The drift threshold is at most 1 (scores run from 0 to 1)')
      .default(0.2),
  })
  .superRefine((policy, ctx) => {
    const steps = policy.canarySteps;
    if (steps.some((s, i) => i > 0 && s <= steps[i - 1]!)) {
      ctx.addIssue({ code: 'custom', path: ['canarySteps'], message: 'Canary steps must rise, e.g. 10, 25, 50, 100' });
    }
    if (steps.at(-1) !== 100) {
      ctx.addIssue({ code: 'custom', path: ['canarySteps'], message: 'The last canary step must be 100' });
    }
    if (policy.expireAfterHours < policy.staleAfterHours) {
      ctx.addIssue({
        code: 'custom',
        path: ['expireAfterHours'],
        message: 'Requests cannot expire before they are flagged as waiting too long',
      });
    }
    const names = policy.thresholds.map((t) => t.metric);
    if (new Set(names).size !== names.length) {
      ctx.addIssue({ code: 'custom', path: ['thresholds'], message: 'Each metric may have one threshold' });
    }
  });

export type Policy = z.output<typeof policySchema>;
export type MetricThreshold = z.output<typeof metricThresholdSchema>;

export const DEFAULT_POLICY: Policy = policySchema.parse({});

/** A stored policy, with defaults for settings added since it was saved. */
export function readPolicy(stored: unknown): Policy {
  const parsed = policySchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : DEFAULT_POLICY;
}

/** Thresholds as edited in a form: one `metric >= value` per line. */
export function parseThresholdLines(text: string): MetricThreshold[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const match = /^(.+?)\s*>=\s*(-?\d+(?:\.\d+)?)$/.exec(line);
      if (!match)
        throw new z.ZodError([
          {
            code: 'custom',
            path: ['thresholds'],
            message: `"${line}" should look like holdout_auc >= 0.85`,
            input: line,
          },
        ]);
      return { metric: match[1]!.trim(), min: Number(match[2]) };
    });
}

export function formatThresholdLines(thresholds: readonly MetricThreshold[]): string {
  return thresholds.map((t) => `${t.metric} >= ${t.min}`).join('\n');
}

/** The canary step that follows `percent`, or null at 100. */
export function nextStep(steps: readonly number[], percent: number): number | null {
  return steps.find((s) => s > percent) ?? null;
}
