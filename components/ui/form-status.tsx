import type { ActionResult } from '@/lib/actions/define-action';

/** The outcome of the last submit, announced to screen readers. */
export function FormStatus({ state }: { state: ActionResult | null }) {
  if (!state) return null;
  return (
    <p
      role="status"
      className={`text-sm ${state.ok ? 'text-green-800 dark:text-green-300' : 'text-red-700 dark:text-red-300'}`}
    >
      {state.ok ? (state.message ?? 'Saved.') : state.error}
    </p>
  );
}
