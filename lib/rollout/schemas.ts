import { z } from 'zod';
import { tenantNameSchema } from '../tenancy/names';
import { endpointNameSchema } from './dashboard';

/**
 * The inputs of rollback and promote, one schema per action for both doors: the canary
 * dashboard's server actions (components/deployments/actions.ts) and the REST API (/api/v1,
 * lib/api/endpoints/rollouts.ts), whose OpenAPI document is generated from these same schemas.
 */

const rolloutRef = {
  tenant: tenantNameSchema,
  endpoint: endpointNameSchema.meta({ description: 'The InferenceService' }),
  rolloutId: z.uuid('That is not a rollout id').meta({
    description:
      'The rollout to act on (`rollout.id` of GET …/rollouts/{endpoint}): an action meant for a rollout that has since finished or been superseded does nothing',
  }),
  /** One per intended action: a repeated click or a retry after a lost answer is answered, not repeated. */
  idempotencyKey: z.uuid('That is not an idempotency key').meta({
    description:
      'A UUID of the caller’s, one per intended action: the same key again answers without acting twice; the same key for another action is refused',
  }),
};

export const rollbackDeploymentSchema = z.object(rolloutRef);

export const promoteDeploymentSchema = z.object({
  ...rolloutRef,
  to: z
    .enum(['next', 'full'], { message: 'Choose the next step or 100 %' })
    .meta({ description: 'The next canary step, or straight to 100 %' }),
});
