'use client';

import { startTransition, useActionState, useEffect, useRef, type FormEvent } from 'react';
import type { ActionResult, FormAction } from '@/lib/actions/define-action';

/**
 * A server action bound to a form that keeps what the person typed when the action refuses it
 * (React resets a form after a `<form action>` submission, which would wipe the fields they must
 * correct) and clears the form once the action succeeds.
 */
export function useFormAction(action: FormAction, { resetOnSuccess = true } = {}) {
  const [state, dispatch, pending] = useActionState<ActionResult | null, FormData>(action, null);
  const form = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (state?.ok && resetOnSuccess) form.current?.reset();
  }, [state, resetOnSuccess]);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // The submitter's own name/value (e.g. decision=approve) belongs in the data, as in a native submit.
    const data = new FormData(event.currentTarget, (event.nativeEvent as SubmitEvent).submitter);
    startTransition(() => dispatch(data));
  };
  return { state, pending, form, onSubmit };
}
