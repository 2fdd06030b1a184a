/**
 * Type-level test of the canary dashboard's actions, checked by `tsc --noEmit` and never run:
 * a wrong call from the UI is a compile error, not a refusal found at run time.
 */
import { expectTypeOf } from 'vitest';
import type { ActionResult } from '@/lib/actions/define-action';
import { promoteDeploymentAction, rollbackDeploymentAction } from './actions';

expectTypeOf(rollbackDeploymentAction).not.toBeAny();
expectTypeOf(promoteDeploymentAction).not.toBeAny();
expectTypeOf<Awaited<ReturnType<typeof rollbackDeploymentAction>>>().toExtend<ActionResult>();

const ref = {
  tenant: 'fraud',
  endpoint: 'fraud-detector',
  rolloutId: crypto.randomUUID(),
  idempotencyKey: crypto.randomUUID(),
};

export async function calls() {
  await rollbackDeploymentAction(null, ref);
  await promoteDeploymentAction(null, { ...ref, to: 'full' });
  // @ts-expect-error -- a misspelt field
  await rollbackDeploymentAction(null, { ...ref, rollout: ref.rolloutId });
  // @ts-expect-error -- the idempotency key left out
  await rollbackDeploymentAction(null, { tenant: 'fraud', endpoint: 'fraud-detector', rolloutId: ref.rolloutId });
  // @ts-expect-error -- a step promotion does not know
  await promoteDeploymentAction(null, { ...ref, to: 'half' });
  // @ts-expect-error -- a rollout id of the wrong type
  await rollbackDeploymentAction(null, { ...ref, rolloutId: 42 });
}
