'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useMemo, useState } from 'react';
import { Field } from '@/components/ui/field';
import { FormStatus } from '@/components/ui/form-status';
import { useFormAction } from '@/components/ui/use-form-action';
import { buttonClass, inputClass } from '@/components/ui/styles';
import { blockingFailures, evaluateGates, type GateInput } from '@/lib/promotion/gates';
import { requestPromotionAction } from './actions';
import { GateList } from './gate-list';

/**
 * The promotion request form. The gates are evaluated here as the person types (the same pure
 * function the server runs again on submit), so the submit button stays disabled, and says why,
 * while a blocking gate fails.
 */
export function RequestForm({ tenant, evidence }: { tenant: string; evidence: Omit<GateInput, 'evidence'> }) {
  const router = useRouter();
  const { state, pending, form, onSubmit } = useFormAction(requestPromotionAction, { resetOnSuccess: false });
  const [modelCardUrl, setModelCardUrl] = useState('');
  const [notes, setNotes] = useState('');
  const gates = useMemo(
    () => evaluateGates({ ...evidence, evidence: { modelCardUrl, notes } }),
    [evidence, modelCardUrl, notes],
  );
  const failing = blockingFailures(gates);
  const errors = state && !state.ok ? state.fieldErrors : undefined;

  useEffect(() => {
    if (state?.ok && state.href) router.push(state.href);
  }, [state, router]);

  return (
    <form ref={form} onSubmit={onSubmit} className="space-y-5">
      <input type="hidden" name="tenant" value={tenant} />
      <input type="hidden" name="model" value={evidence.version.name} />
      <input type="hidden" name="version" value={evidence.version.version} />
      <Field
        id="model-card-url"
        label="Model card URL"
        error={errors?.modelCardUrl}
        hint="Where reviewers read what the model is for, its data and its limits."
      >
        {(props) => (
          <input
            {...props}
            name="modelCardUrl"
            type="url"
            className={inputClass}
            value={modelCardUrl}
            onChange={(e) => setModelCardUrl(e.target.value)}
            placeholder="https://…"
          />
        )}
      </Field>
      <Field
        id="notes"
        label="Notes for the approvers"
        error={errors?.notes}
        hint="What changed, what you checked, what to watch during the canary."
      >
        {(props) => (
          <textarea
            {...props}
            name="notes"
            rows={4}
            className={inputClass}
            value={notes}
            onChange={(e) => setNotes(e.target.value)}
          />
        )}
      </Field>
      <div>
        <h2 className="mb-1 text-base font-semibold">Gates</h2>
        <GateList gates={gates} />
      </div>
      {failing.length > 0 ? (
        <p id="request-blocked" className="text-sm text-red-700 dark:text-red-300" data-testid="request-blocked">
          Cannot be submitted while {failing.length === 1 ? 'this gate fails' : 'these gates fail'}:{' '}
          {failing.map((g) => g.label).join('; ')}.
        </p>
      ) : null}
      <div className="flex items-center gap-3">
        <button
          type="submit"
          className={buttonClass.primary}
          disabled={pending || failing.length > 0}
          aria-describedby={failing.length > 0 ? 'request-blocked' : undefined}
        >
          {pending ? 'Submitting…' : 'Request promotion'}
        </button>
        <FormStatus state={state} />
      </div>
    </form>
  );
}
