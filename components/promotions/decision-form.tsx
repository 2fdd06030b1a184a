'use client';

import { Field } from '@/components/ui/field';
import { FormStatus } from '@/components/ui/form-status';
import { useFormAction } from '@/components/ui/use-form-action';
import { buttonClass, inputClass } from '@/components/ui/styles';
import { decidePromotionAction } from './actions';

/** Approve or reject, with a comment (required to reject). */
export function DecisionForm({ tenant, requestId }: { tenant: string; requestId: string }) {
  const { state, pending, form, onSubmit } = useFormAction(decidePromotionAction, { resetOnSuccess: false });
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  return (
    <form ref={form} onSubmit={onSubmit} className="space-y-3">
      <input type="hidden" name="tenant" value={tenant} />
      <input type="hidden" name="requestId" value={requestId} />
      <Field
        id="decision-comment"
        label="Comment"
        error={errors?.comment}
        hint="Required when you reject: the requester reads it."
      >
        {(props) => <textarea {...props} name="comment" rows={3} className={inputClass} />}
      </Field>
      <div className="flex flex-wrap items-center gap-2">
        <button
          type="submit"
          name="decision"
          value="approve"
          className={buttonClass.primary}
          disabled={pending || state?.ok === true}
        >
          {pending ? 'Working…' : 'Approve'}
        </button>
        <button
          type="submit"
          name="decision"
          value="reject"
          className={buttonClass.secondary}
          disabled={pending || state?.ok === true}
        >
          Reject
        </button>
        <FormStatus state={state} />
      </div>
    </form>
  );
}
