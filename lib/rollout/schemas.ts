import { z } from 'zod';
import { tenantNameSchema } from '../tenancy/names';
import { endpointNameSchema } from './dashboard';
import { ROLLBACK_REASON } from './rollback-reason';

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

export const rollbackToVersionSchema = z.object({
  ...rolloutRef,
  rolloutId: rolloutRef.rolloutId.meta({
    description:
      'The endpoint’s latest rollout (`rollout.id` of GET …/rollouts/{endpoint}); if a newer one started since, nothing is done',
  }),
  version: z
    .string()
    .trim()
    .min(1, 'Choose a version')
    .max(64, 'That is not a model version')
    .regex(/^[0-9A-Za-z._-]+$/, 'That is not a model version')
    .meta({
      description:
        'The version to go back to: one of GET …/rollouts/{endpoint}/rollback-targets (served this endpoint, passed its gates, artifact present); any other is refused',
    }),
  reason: z
    .string()
    .trim()
    .min(ROLLBACK_REASON.min, `Say why, in at least ${ROLLBACK_REASON.min} characters`)
    .max(ROLLBACK_REASON.max, `At most ${ROLLBACK_REASON.max} characters`)
    .meta({ description: 'Why: kept on the rollout’s timeline and in the audit log' }),
});
