'use server';

import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/actions/define-action';
import { UserFacingError } from '@/lib/errors';
import { operatorFor } from '@/lib/rollout/operator';
import { isRolloutOf } from '@/lib/rollout/records';
import { rollbackToVersion } from '@/lib/rollout/rollback-to';
import { promoteDeploymentSchema, rollbackDeploymentSchema, rollbackToVersionSchema } from '@/lib/rollout/schemas';
import { promoteRollout, rollbackRollout } from '@/lib/rollout/service';
import { findTenant } from '@/lib/tenancy/service';

async function operateDeployments(input: { tenant: string }) {
  const tenant = await findTenant(input.tenant);
  return {
    action: 'deployment.operate' as const,
    resource: { kind: 'tenant' as const, tenant: input.tenant, status: tenant?.status },
  };
}

/** The confirmation named this endpoint: a rollout of another one (or of another tenant) is refused, not acted on. */
async function requireRolloutOf(input: { tenant: string; endpoint: string; rolloutId: string }): Promise<void> {
  if (!(await isRolloutOf(input.tenant, input.endpoint, input.rolloutId)))
    throw new UserFacingError(`There is no such rollout on ${input.endpoint} in ${input.tenant}.`);
}

export const rollbackDeploymentAction = defineAction({
  name: 'deployment.rollback',
  input: rollbackDeploymentSchema,
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

/** Rollback to an earlier version that passed its gates; any other version is refused (lib/rollout/rollback-targets.ts). */
export const rollbackToVersionAction = defineAction({
  name: 'deployment.rollback-to-version',
  input: rollbackToVersionSchema,
  permission: operateDeployments,
  async run(user, input) {
    await requireRolloutOf(input);
    const outcome = await rollbackToVersion(operatorFor(user), input.tenant, input.endpoint, {
      rolloutId: input.rolloutId,
      version: input.version,
      reason: input.reason,
      idempotencyKey: input.idempotencyKey,
    });
    revalidatePath(`/t/${input.tenant}/deployments`, 'layout');
    return { ok: true, message: outcome.message };
  },
});

export const promoteDeploymentAction = defineAction({
  name: 'deployment.promote',
  input: promoteDeploymentSchema,
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
