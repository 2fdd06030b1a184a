'use client';

import { Field } from '@/components/ui/field';
import { FormStatus } from '@/components/ui/form-status';
import { useFormAction } from '@/components/ui/use-form-action';
import { buttonClass, inputClass } from '@/components/ui/styles';
import { TENANT_ROLES } from '@/lib/auth/authorize';
import { addMemberAction } from './actions';

export function AddMemberForm({ tenant }: { tenant: string }) {
  const { state, pending, form, onSubmit } = useFormAction(addMemberAction);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form ref={form} onSubmit={onSubmit} className="grid gap-4 sm:grid-cols-[1fr_12rem_auto] sm:items-start">
      <input type="hidden" name="tenant" value={tenant} />
      <Field
        id="member-user"
        label="Username or email"
        error={errors?.user}
        hint="People appear after their first sign-in."
      >
        {(props) => <input {...props} name="user" className={inputClass} autoComplete="off" required />}
      </Field>
      <Field id="member-role" label="Role" error={errors?.role}>
        {(props) => (
          <select {...props} name="role" className={inputClass} defaultValue="member">
            {TENANT_ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        )}
      </Field>
      <div className="sm:pt-6">
        <button type="submit" className={buttonClass.primary} disabled={pending}>
          {pending ? 'Adding…' : 'Add member'}
        </button>
      </div>
      <div className="sm:col-span-3">
        <FormStatus state={state} />
      </div>
    </form>
  );
}
