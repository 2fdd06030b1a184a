'use client';

import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Field } from '@/components/ui/field';
import { FormStatus } from '@/components/ui/form-status';
import { useFormAction } from '@/components/ui/use-form-action';
import { buttonClass, inputClass } from '@/components/ui/styles';
import type { TenantProgress } from '@/lib/tenancy/progress';
import { createTenantAction } from './actions';
import { StepList } from './provisioning-steps';

const POLL_MS = 400;

async function fetchProgress(name: string, signal: AbortSignal): Promise<TenantProgress | null> {
  const response = await fetch(`/admin/tenants/${encodeURIComponent(name)}/progress`, { signal, cache: 'no-store' });
  // Not there yet: the record is made once the name has been checked.
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`progress could not be read (${response.status})`);
  return (await response.json()) as TenantProgress;
}

/**
 * Creates a tenant: name, display name, description and its quota. While the server provisions
 * it, each step's progress is shown as it happens.
 */
export function CreateTenantForm({ gpuHint }: { gpuHint?: string }) {
  const { state, pending, form, onSubmit } = useFormAction(createTenantAction);
  const [submitted, setSubmitted] = useState<string | null>(null);
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const { data: progress } = useQuery({
    queryKey: ['tenant-progress', submitted],
    queryFn: ({ signal }) => fetchProgress(submitted!, signal),
    enabled: pending && submitted !== null,
    refetchInterval: POLL_MS,
    gcTime: 0,
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    setSubmitted(String(new FormData(event.currentTarget).get('name') ?? '').trim() || null);
    onSubmit(event);
  };

  return (
    <form ref={form} onSubmit={submit} className="grid gap-4 md:grid-cols-2">
      <Field
        id="tenant-name"
        label="Name"
        error={errors?.name}
        hint="Lower-case letters, digits and '-'. Also the Kubernetes namespace, MLflow workspace and storage prefix."
      >
        {(props) => (
          <input
            {...props}
            name="name"
            className={`${inputClass} font-mono`}
            autoComplete="off"
            required
            maxLength={63}
          />
        )}
      </Field>
      <Field id="tenant-display-name" label="Display name" error={errors?.displayName}>
        {(props) => <input {...props} name="displayName" className={inputClass} required maxLength={100} />}
      </Field>
      <div className="md:col-span-2">
        <Field id="tenant-description" label="Description (optional)" error={errors?.description}>
          {(props) => <textarea {...props} name="description" className={inputClass} rows={2} maxLength={500} />}
        </Field>
      </div>
      <fieldset className="grid gap-4 md:col-span-2 md:grid-cols-3">
        <legend className="mb-2 text-sm font-semibold">Quota (the namespace&apos;s ResourceQuota)</legend>
        <Field
          id="tenant-gpus"
          label="GPUs"
          error={errors?.gpus}
          hint={gpuHint ?? 'Whole GPUs the tenant may request (0 for none).'}
        >
          {(props) => (
            <input
              {...props}
              name="gpus"
              className={`${inputClass} font-mono`}
              inputMode="numeric"
              defaultValue="0"
              required
            />
          )}
        </Field>
        <Field
          id="tenant-cpu"
          label="CPU (optional)"
          error={errors?.cpu}
          hint="Cores, e.g. 16 or 500m. Empty: no CPU limit."
        >
          {(props) => (
            <input {...props} name="cpu" className={`${inputClass} font-mono`} placeholder="16" autoComplete="off" />
          )}
        </Field>
        <Field
          id="tenant-memory"
          label="Memory (optional)"
          error={errors?.memory}
          hint="e.g. 64Gi. Empty: no memory limit."
        >
          {(props) => (
            <input
              {...props}
              name="memory"
              className={`${inputClass} font-mono`}
              placeholder="64Gi"
              autoComplete="off"
            />
          )}
        </Field>
      </fieldset>
      <div className="flex items-center gap-4 md:col-span-2">
        <button type="submit" className={`${buttonClass.primary} shrink-0`} disabled={pending}>
          {pending ? 'Creating…' : 'Create tenant'}
        </button>
        <FormStatus state={state} />
      </div>
      {pending && submitted ? (
        <div className="md:col-span-2" aria-live="polite" data-testid="create-progress">
          <p className="mb-2 text-sm font-medium">
            {progress ? `Provisioning ${submitted}…` : `Checking the name ${submitted}…`}
          </p>
          {progress ? <StepList tenant={submitted} steps={progress.steps} operation={progress.operation} /> : null}
        </div>
      ) : null}
    </form>
  );
}
