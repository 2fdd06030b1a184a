'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Field } from '@/components/ui/field';
import { FormStatus } from '@/components/ui/form-status';
import { buttonClass, inputClass } from '@/components/ui/styles';
import { useFormAction } from '@/components/ui/use-form-action';
import { THRESHOLD_FIELDS } from '@/lib/ops/threshold-fields';
import type { OpsView } from '@/lib/ops/view';
import { updateOpsThresholdsAction } from './actions';

/**
 * The inputs, keyed by the version they were opened at: after a save the page renders the new
 * version and they start over from it; someone else's save meanwhile does not reach them, so the
 * stale version is refused rather than overwriting that change.
 */
function ThresholdInputs({
  thresholds,
  errors,
}: {
  thresholds: OpsView['thresholds'];
  errors: Record<string, string> | undefined;
}) {
  return (
    <>
      <input type="hidden" name="version" value={thresholds.version} />
      <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-3">
        {THRESHOLD_FIELDS.map((field) => (
          <Field
            key={field.name}
            id={`ops-threshold-${field.name}`}
            label={field.label}
            error={errors?.[field.name] ?? errors?.[field.key]}
          >
            {(props) => (
              <input
                {...props}
                name={field.name}
                type="number"
                inputMode="decimal"
                step={field.step}
                required
                className={inputClass}
                defaultValue={field.toForm(thresholds.values[field.key])}
              />
            )}
          </Field>
        ))}
      </div>
    </>
  );
}

/** The platform admins' editor of the dashboard's thresholds (versioned and audited by the action). */
export function ThresholdsForm({ thresholds }: { thresholds: OpsView['thresholds'] }) {
  const { state, pending, form, onSubmit } = useFormAction(updateOpsThresholdsAction, { resetOnSuccess: false });
  const queryClient = useQueryClient();
  const errors = state && !state.ok ? state.fieldErrors : undefined;

  // Judge the rows against the new thresholds now rather than at the next poll.
  useEffect(() => {
    if (state?.ok) void queryClient.invalidateQueries({ queryKey: ['ops'] });
  }, [state, queryClient]);

  return (
    <form
      ref={form}
      onSubmit={onSubmit}
      aria-labelledby="ops-thresholds-form-title"
      className="space-y-4 rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-700 dark:bg-slate-900"
      data-testid="ops-thresholds-form"
    >
      <div>
        <h3 id="ops-thresholds-form-title" className="text-sm font-semibold">
          Change thresholds
        </h3>
        <p className="text-xs text-slate-600 dark:text-slate-400">
          Applies to every tenant at the next refresh. Each change is recorded in the audit log.
        </p>
      </div>
      <ThresholdInputs key={thresholds.version} thresholds={thresholds} errors={errors} />
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className={buttonClass.primary} disabled={pending}>
          {pending ? 'Saving…' : 'Save thresholds'}
        </button>
        <FormStatus state={state} />
      </div>
    </form>
  );
}
