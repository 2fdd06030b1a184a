'use server';

import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { defineAction } from '@/lib/actions/define-action';
import { UserFacingError } from '@/lib/errors';
import { endpointNameSchema } from '@/lib/rollout/dashboard';
import { operatorFor } from '@/lib/rollout/operator';
import { rolloutsOf } from '@/lib/rollout/records';
import { promoteRollout, rollbackRollout } from '@/lib/rollout/service';
import { tenantNameSchema } from '@/lib/tenancy/names';
import { findTenant } from '@/lib/tenancy/service';

const rolloutRef = {
  tenant: tenantNameSchema,
  endpoint: endpointNameSchema,
  rolloutId: z.uuid('That is not a rollout id'),
  /** One per intended action: a repeated click or a retry after a lost answer is answered, not repeated. */
  idempotencyKey: z.uuid('That is not an idempotency key'),
};

async function operateDeployments(input: { tenant: string }) {
  const tenant = await findTenant(input.tenant);
  return {
    action: 'deployment.operate' as const,
    resource: { kind: 'tenant' as const, tenant: input.tenant, status: tenant?.status },
  };
}

/** The confirmation named this endpoint: a rollout of another one (or of another tenant) is refused, not acted on. */
async function requireRolloutOf(input: { tenant: string; endpoint: string; rolloutId: string }): Promise<void> {
  const rollouts = await rolloutsOf(input.tenant, input.endpoint);
  if (!rollouts.some((r) => r.id === input.rolloutId))
    throw new UserFacingError(`There is no such rollout on ${input.endpoint} in ${input.tenant}.`);
}

export const rollbackDeploymentAction = defineAction({
  name: 'deployment.rollback',
  input: z.object(rolloutRef),
  permission: operateDeployments,
  async run(user, input) {
    await requireRolloutOf(input);
    const outcome = await rollbackRollout(operatorFor(user), input.tenant, input.rolloutId, {
      idempotencyKey: input.idempotencyKey,
      reason: `Rolled back by ${user.username} from the canary dashboard`,
    });
    revalidatePath(`/t/${input.tenant}/deployments`, 'layout');
    return { ok: true, message: outcome.message };
  },
});

export const promoteDeploymentAction = defineAction({
  name: 'deployment.promote',
  input: z.object({ ...rolloutRef, to: z.enum(['next', 'full'], { message: 'Choose the next step or 100 %' }) }),
  permission: operateDeployments,
  async run(user, input) {
    await requireRolloutOf(input);
    const outcome = await promoteRollout(operatorFor(user), input.tenant, input.rolloutId, {
      idempotencyKey: input.idempotencyKey,
      to: input.to,
      reason: `${input.to === 'full' ? 'Promoted to 100 %' : 'Stepped up'} by ${user.username} from the canary dashboard`,
    });
    revalidatePath(`/t/${input.tenant}/deployments`, 'layout');
    return { ok: true, message: outcome.message };
  },
});
