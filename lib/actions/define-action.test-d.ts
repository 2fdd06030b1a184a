/**
 * Type-level tests of `defineAction`, checked by `tsc --noEmit` (npm run typecheck), never run:
 * each `@ts-expect-error` line must stay an error, so the file fails to compile if an action's
 * input or result type widens again (to `any`, `Record<string, unknown>` or a bare ActionResult).
 */
import { expectTypeOf } from 'vitest';
import { z } from 'zod';
import {
  defineAction,
  type ActionFailure,
  type ActionResult,
  type FormAction,
  type ServerAction,
} from './define-action';

const schema = z.object({
  tenant: z.string(),
  to: z.enum(['next', 'full']),
  notes: z.string().default(''),
});

const move = defineAction({
  name: 'deployment.promote',
  input: schema,
  permission: (input) => ({ action: 'deployment.operate', resource: { kind: 'tenant', tenant: input.tenant } }),
  async run(_user, input) {
    return input.to === 'full'
      ? { ok: true, message: 'all of it' }
      : { ok: false, error: 'not now', fieldErrors: { to: 'later' } };
  },
});

// The input is what the schema accepts (z.input: a field with a default may be left out), or a form's FormData.
expectTypeOf(move).toExtend<ServerAction<{ tenant: string; to: 'next' | 'full'; notes?: string | undefined }>>();
expectTypeOf(move).parameter(1).toEqualTypeOf<z.input<typeof schema> | FormData>();
expectTypeOf(move).not.toBeAny();

// The result is what `run` returns (here a success always has a message), or a refusal.
type Answer = Awaited<ReturnType<typeof move>>;
expectTypeOf<Answer>().toExtend<ActionResult>();
expectTypeOf<Extract<Answer, { ok: true }>['message']>().toEqualTypeOf<string>();
expectTypeOf<Extract<Answer, { ok: false }>>().toExtend<ActionFailure>();

// Every action is a form action, so any form can submit to it.
expectTypeOf(move).toExtend<FormAction>();

export async function calls(form: FormData) {
  await move(null, { tenant: 'fraud', to: 'next' });
  await move(null, form);
  // @ts-expect-error -- a field the schema does not have
  await move(null, { tenant: 'fraud', to: 'next', force: true });
  // @ts-expect-error -- a field of the wrong type
  await move(null, { tenant: 'fraud', to: 'next', notes: 3 });
  // @ts-expect-error -- a value the enum does not have
  await move(null, { tenant: 'fraud', to: 'half' });
  // @ts-expect-error -- a required field left out
  await move(null, { to: 'next' });
  // @ts-expect-error -- no input at all
  await move(null);
}
