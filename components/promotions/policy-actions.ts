'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/actions/define-action';
import { syncAdmissionParams } from '@/lib/admission/service';
import { log } from '@/lib/observability/logger';
import { UserFacingError } from '@/lib/errors';
import { parseThresholdLines } from '@/lib/promotion/policy';
import { acceptPolicyProposal, rejectPolicyProposal, savePolicy } from '@/lib/promotion/policy-store';
import { tenantNameSchema } from '@/lib/tenancy/names';
import { findTenant } from '@/lib/tenancy/service';

const number = (label: string) =>
  z.coerce.number({ message: `${label} must be a number` }).refine(Number.isFinite, `${label} must be a number`);
const checkbox = z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean());

/** The form's fields as typed; range rules live in the policy schema, the one place that knows them. */
const formSchema = z.object({
  tenant: tenantNameSchema,
  version: z.coerce.number().int().min(0),
  thresholds: z.string().max(5000),
  primaryMetric: z.string().max(250),
  regressionTolerance: number('The regression tolerance'),
  requireSignature: checkbox,
  requireModelCard: checkbox,
  requireNotes: checkbox,
  requiredApprovals: number('Approvals'),
  staleAfterHours: number('Hours before flagging'),
  expireAfterHours: number('Hours before expiry'),
  alias: z.string().max(63),
  canarySteps: z
    .string()
    .max(200)
    .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, 'Canary steps are whole percentages separated by commas, e.g. 10, 25, 50, 100'),
  bakeMinutes: number('The baking period'),
  analysisWindowSeconds: number('The analysis window'),
  maxErrorRatePercent: number('The error-rate threshold'),
  maxP99Ms: number('The p99 threshold'),
  minRequests: number('The minimum number of requests'),
  immediateRollbackFactor: number('The immediate-rollback factor'),
  minPassRatioPercent: number('The share of passing checks'),
  maxInputDrift: number('The input drift threshold'),
});

export const savePolicyAction = defineAction({
  name: 'policy.update',
  input: formSchema,
  permission: editPolicy,
  async run(user, input) {
    let thresholds;
    try {
      thresholds = parseThresholdLines(input.thresholds);
    } catch (error) {
      throw new UserFacingError(
        error instanceof z.ZodError ? error.issues[0]!.message : 'The thresholds could not be read',
        'thresholds',
      );
    }
    const { tenant, version, maxErrorRatePercent, minPassRatioPercent, canarySteps, ...rest } = input;
    const outcome = await savePolicy(
      { id: user.id, name: user.username },
      tenant,
      {
        ...rest,
        thresholds,
        canarySteps: canarySteps.split(',').map((s) => Number(s.trim())),
        maxErrorRate: maxErrorRatePercent / 100,
        minPassRatio: minPassRatioPercent / 100,
      },
      version,
    );
    revalidatePath(`/t/${tenant}/policy`);
    if (outcome.kind === 'proposed') {
      return {
        ok: true,
        message: `Proposed, not applied: this change weakens ${outcome.weakenings.join('; ')}. Another admin of the tenant or a platform admin must accept it.`,
      };
    }
    return { ok: true, message: `Policy saved (version ${outcome.stored.version}).${await guardFollows(tenant)}` };
  },
});

/**
 * The cluster's admission guard judges deployments by the tenant's threshold: written at once after
 * the policy changed (outside its transaction); when the API server cannot be reached now, the
 * worker writes it on its next pass and before any deployment.
 */
async function guardFollows(tenant: string): Promise<string> {
  try {
    await syncAdmissionParams(tenant);
    return '';
  } catch (error) {
    log.warn('admission guard parameters not written after a policy change', { tenant, error });
    return ' The cluster’s admission guard could not be updated just now; the worker updates it within a minute.';
  }
}

const proposalRef = { tenant: tenantNameSchema, proposalId: z.uuid('That is not a policy proposal id') };

async function editPolicy(input: { tenant: string }) {
  const tenant = await findTenant(input.tenant);
  return {
    action: 'policy.edit' as const,
    resource: { kind: 'tenant' as const, tenant: input.tenant, status: tenant?.status },
  };
}

export const acceptPolicyProposalAction = defineAction({
  name: 'policy.accept',
  input: z.object(proposalRef),
  permission: editPolicy,
  async run(user, input) {
    const stored = await acceptPolicyProposal({ id: user.id, name: user.username }, input.tenant, input.proposalId);
    revalidatePath(`/t/${input.tenant}/policy`);
    return {
      ok: true,
      message: `Accepted: the policy is now version ${stored.version}.${await guardFollows(input.tenant)}`,
    };
  },
});

export const rejectPolicyProposalAction = defineAction({
  name: 'policy.reject',
  input: z.object({
    ...proposalRef,
    comment: z.string().trim().max(2000, 'A comment is limited to 2,000 characters').default(''),
  }),
  permission: editPolicy,
  async run(user, input) {
    await rejectPolicyProposal({ id: user.id, name: user.username }, input.tenant, input.proposalId, input.comment);
    revalidatePath(`/t/${input.tenant}/policy`);
    return { ok: true, message: 'Rejected: the policy stays as it is.' };
  },
});
