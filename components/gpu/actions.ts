'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/actions/define-action';
import { changeGpuQuota } from '@/lib/quota/change';
import { gpuCountSchema } from '@/lib/quota/validation';
import { operatorFor } from '@/lib/rollout/operator';
import { tenantNameSchema } from '@/lib/tenancy/names';
import { findTenant } from '@/lib/tenancy/service';
import { UserFacingError } from '@/lib/errors';

const checkbox = z.preprocess((v) => v === 'on' || v === 'true' || v === true, z.boolean());

/** The quota form: the new GPU count, the limit the admin saw ('' for none) and what they confirmed. */
const quotaFormSchema = z.object({
  tenant: tenantNameSchema,
  gpus: gpuCountSchema,
  expected: z
    .string()
    .max(12, 'The form is out of date: reload the page')
    .regex(/^\d*$/, 'The form is out of date: reload the page')
    .transform((v) => (v === '' ? null : Number(v))),
  confirmBelowUsage: checkbox,
  confirmOvercommit: checkbox,
});

const CONFIRM_FIELDS = { 'below-usage': 'confirmBelowUsage', overcommit: 'confirmOvercommit' } as const;

export const changeGpuQuotaAction = defineAction({
  name: 'quota.change',
  input: quotaFormSchema,
  permission: () => ({ action: 'quota.edit', resource: { kind: 'platform' } }),
  async run(user, input) {
    const tenant = await findTenant(input.tenant);
    if (!tenant) throw new UserFacingError(`There is no tenant named ${input.tenant}.`);
    if (tenant.status === 'archived')
      throw new UserFacingError(`${tenant.name} is archived: its quota can no longer be changed.`);
    const operator = operatorFor(user);
    const result = await changeGpuQuota(operator.actor, operator.kube, {
      tenant: tenant.name,
      gpus: input.gpus,
      expected: input.expected,
      confirmed: { 'below-usage': input.confirmBelowUsage, overcommit: input.confirmOvercommit },
    });
    if (result.status === 'needs-confirmation') {
      return {
        ok: false,
        error: 'Nothing was changed yet: confirm below, then submit again.',
        fieldErrors: Object.fromEntries(result.confirmations.map((c) => [CONFIRM_FIELDS[c.kind], c.message])),
      };
    }
    revalidatePath(`/t/${tenant.name}/gpu`);
    revalidatePath('/gpu');
    return { ok: true, message: result.message };
  },
});
