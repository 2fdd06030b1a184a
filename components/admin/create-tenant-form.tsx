'use client';

import { Field } from '@/components/ui/field';
import { FormStatus } from '@/components/ui/form-status';
import { useFormAction } from '@/components/ui/use-form-action';
import { buttonClass, inputClass } from '@/components/ui/styles';
import type { ServerAction } from '@/lib/actions/define-action';

export function CreateTenantForm({ action }: { action: ServerAction }) {
  const { state, pending, form, onSubmit } = useFormAction(action);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form ref={form} onSubmit={onSubmit} className="grid gap-4 md:grid-cols-2">
      <Field
        id="tenant-name"
        label="Name"
        error={errors?.name}
        hint="Lower-case letters, digits and '-'. Also the Kubernetes namespace, MLflow workspace and storage prefix."
      >
        {(props) => <input {...props} name="name" className={`${inputClass} font-mono`} autoComplete="off" required maxLength={63} />}
      </Field>
      <Field id="tenant-display-name" label="Display name" error={errors?.displayName}>
        {(props) => <input {...props} name="displayName" className={inputClass} required maxLength={100} />}
      </Field>
      <div className="md:col-span-2">
        <Field id="tenant-description" label="Description (optional)" error={errors?.description}>
          {(props) => <textarea {...props} name="description" className={inputClass} rows={2} maxLength={500} />}
        </Field>
      </div>
      <div className="flex items-center gap-4 md:col-span-2">
        <button type="submit" className={buttonClass.primary} disabled={pending}>
          {pending ? 'Creating…' : 'Create tenant'}
        </button>
        <FormStatus state={state} />
      </div>
    </form>
  );
}
