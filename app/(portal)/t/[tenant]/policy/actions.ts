'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/actions/define-action';
import { UserFacingError } from '@/lib/errors';
import { parseThresholdLines } from '@/lib/promotion/policy';
import { savePolicy } from '@/lib/promotion/policy-store';
import { tenantNameSchema } from '@/lib/tenancy/names';
import { findTenant } from '@/lib/tenancy/service';

const number = (label: string) => z.coerce.number({ message: `${label} must be a number` }).refine(Number.isFinite, `${label} must be a number`);
const checkbox = z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean());

/** The form's fields as typed; range rules live in the policy schema, the one place that knows them. */
const formSchema = z.object({
  tenant: tenantNameSchema,
  version: z.coerce.number().int().min(0),
  thresholds: z.string().max(5000),
  primaryMetric: z.string(),
  regressionTolerance: number('The regression tolerance'),
  requireSignature: checkbox,
  requireModelCard: checkbox,
  requireNotes: checkbox,
  requiredApprovals: number('Approvals'),
  staleAfterHours: number('Hours before flagging'),
  expireAfterHours: number('Hours before expiry'),
  alias: z.string(),
  canarySteps: z.string().regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, 'Canary steps are whole percentages separated by commas, e.g. 10, 25, 50, 100'),
  bakeMinutes: number('The baking period'),
  analysisWindowSeconds: number('The analysis window'),
  maxErrorRatePercent: number('The error-rate threshold'),
  maxP99Ms: number('The p99 threshold'),
  minRequests: number('The minimum number of requests'),
  immediateRollbackFactor: number('The immediate-rollback factor'),
  minPassRatioPercent: number('The share of passing checks'),
});

export const savePolicyAction = defineAction({
  name: 'policy.update',
  input: formSchema,
  permission: async (input) => {
    const tenant = await findTenant(input.tenant);
    return { action: 'policy.edit', resource: { kind: 'tenant', tenant: input.tenant, status: tenant?.status } };
  },
  async run(user, input) {
    let thresholds;
    try {
      thresholds = parseThresholdLines(input.thresholds);
    } catch (error) {
      throw new UserFacingError(error instanceof z.ZodError ? error.issues[0]!.message : 'The thresholds could not be read', 'thresholds');
    }
    const { tenant, version, maxErrorRatePercent, minPassRatioPercent, canarySteps, ...rest } = input;
    const saved = await savePolicy({ id: user.id, name: user.username }, tenant, {
      ...rest,
      thresholds,
      canarySteps: canarySteps.split(',').map((s) => Number(s.trim())),
      maxErrorRate: maxErrorRatePercent / 100,
      minPassRatio: minPassRatioPercent / 100,
    }, version);
    revalidatePath(`/t/${tenant}/policy`);
    return { ok: true, message: `Policy saved (version ${saved.version}).` };
  },
});
