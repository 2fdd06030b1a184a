'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Field } from '@/components/ui/field';
import { FormStatus } from '@/components/ui/form-status';
import { buttonClass, inputClass } from '@/components/ui/styles';
import { useFormAction } from '@/components/ui/use-form-action';
import type { SloObjectives } from '@/lib/slo/definition';
import { objectivesFormValues } from '@/lib/slo/objectives-form-values';
import { updateSloObjectivesAction } from './actions';

interface Props {
  tenant: string;
  endpoint: string;
  objectives: SloObjectives;
  /** The version the form was opened at: a save over someone else's change is refused. */
  version: number;
  latencyBuckets: readonly number[];
}

/** Keyed by version: after a save the page renders the new version and the inputs start over from it. */
function ObjectiveInputs({
  objectives,
  version,
  latencyBuckets,
  errors,
}: Pick<Props, 'objectives' | 'version' | 'latencyBuckets'> & { errors: Record<string, string> | undefined }) {
  const values = objectivesFormValues(objectives);
  // A threshold stored before the buckets changed stays selectable, so saving other fields keeps it.
  const buckets = latencyBuckets.includes(values.latencyThresholdMs)
    ? latencyBuckets
    : [...latencyBuckets, values.latencyThresholdMs].sort((a, b) => a - b);
  return (
    <>
      <input type="hidden" name="version" value={version} />
      <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-4">
        <Field
          id="slo-availability"
          label="Availability objective (%)"
          hint="Share of requests without a server error (5xx), e.g. 99.9"
          error={errors?.availabilityObjectivePercent ?? errors?.availabilityObjective}
        >
          {(props) => (
            <input
              {...props}
              name="availabilityObjectivePercent"
              type="number"
              inputMode="decimal"
              step="any"
              min="50"
              max="100"
              required
              className={inputClass}
              defaultValue={values.availabilityObjectivePercent}
            />
          )}
        </Field>
        <Field
          id="slo-latency-objective"
          label="Latency objective (%)"
          hint="Share of requests answered within the threshold, e.g. 95"
          error={errors?.latencyObjectivePercent ?? errors?.latencyObjective}
        >
          {(props) => (
            <input
              {...props}
              name="latencyObjectivePercent"
              type="number"
              inputMode="decimal"
              step="any"
              min="50"
              max="100"
              required
              className={inputClass}
              defaultValue={values.latencyObjectivePercent}
            />
          )}
        </Field>
        <Field
          id="slo-latency-threshold"
          label="Latency threshold (ms)"
          hint="A bucket of the latency histogram"
          error={errors?.latencyThresholdMs}
        >
          {(props) => (
            <select
              {...props}
              name="latencyThresholdMs"
              required
              className={inputClass}
              defaultValue={String(values.latencyThresholdMs)}
            >
              {buckets.map((ms) => (
                <option key={ms} value={ms}>
                  {ms} ms
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field
          id="slo-window"
          label="Window (days)"
          hint="The rolling window both objectives are measured over"
          error={errors?.windowDays}
        >
          {(props) => (
            <input
              {...props}
              name="windowDays"
              type="number"
              inputMode="numeric"
              step="1"
              min="1"
              max="90"
              required
              className={inputClass}
              defaultValue={values.windowDays}
            />
          )}
        </Field>
      </div>
    </>
  );
}

/** The objectives editor for tenant admins and platform admins (versioned and audited by the action). */
export function ObjectivesForm({ tenant, endpoint, objectives, version, latencyBuckets }: Props) {
  const { state, pending, form, onSubmit } = useFormAction(updateSloObjectivesAction, { resetOnSuccess: false });
  const queryClient = useQueryClient();
  const errors = state && !state.ok ? state.fieldErrors : undefined;

  // Budgets and burn rates follow the new objectives now rather than at the next poll.
  useEffect(() => {
    if (state?.ok) void queryClient.invalidateQueries({ queryKey: ['slo-detail', tenant, endpoint] });
  }, [state, queryClient, tenant, endpoint]);

  return (
    <form
      ref={form}
      onSubmit={onSubmit}
      aria-label={`Objectives of ${endpoint}`}
      className="space-y-4"
      data-testid="slo-objectives-form"
    >
      <input type="hidden" name="tenant" value={tenant} />
      <input type="hidden" name="endpoint" value={endpoint} />
      <ObjectiveInputs
        key={version}
        objectives={objectives}
        version={version}
        latencyBuckets={latencyBuckets}
        errors={errors}
      />
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className={buttonClass.primary} disabled={pending}>
          {pending ? 'Saving…' : 'Save objectives'}
        </button>
        <FormStatus state={state} />
      </div>
    </form>
  );
}
