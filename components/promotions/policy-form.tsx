'use client';

import { Field } from '@/components/ui/field';
import { FormStatus } from '@/components/ui/form-status';
import { useFormAction } from '@/components/ui/use-form-action';
import { buttonClass, inputClass } from '@/components/ui/styles';
import type { Policy } from '@/lib/promotion/policy';
import { savePolicyAction } from './policy-actions';

type NumberField = { name: string; label: string; value: number; hint?: string; step?: string; errorKey?: string };

/** The policy editor; `version` makes a stale or repeated submit a clear refusal instead of an overwrite. */
/** `thresholdLines`: the policy's thresholds as typed, one per line (formatted on the server, keeping zod off this page). */
export function PolicyForm({
  tenant,
  policy,
  thresholdLines,
  version,
}: {
  tenant: string;
  policy: Policy;
  thresholdLines: string;
  version: number;
}) {
  const { state, pending, form, onSubmit } = useFormAction(savePolicyAction, { resetOnSuccess: false });
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const numbers: NumberField[] = [
    {
      name: 'regressionTolerance',
      label: 'Regression tolerance',
      value: policy.regressionTolerance,
      step: 'any',
      hint: 'How far below the champion the main metric may be.',
    },
    { name: 'requiredApprovals', label: 'Approvals needed', value: policy.requiredApprovals },
    { name: 'staleAfterHours', label: 'Flag pending requests after (hours)', value: policy.staleAfterHours },
    { name: 'expireAfterHours', label: 'Expire pending requests after (hours)', value: policy.expireAfterHours },
    { name: 'bakeMinutes', label: 'Baking period per step (minutes)', value: policy.bakeMinutes },
    { name: 'analysisWindowSeconds', label: 'Metrics window per check (seconds)', value: policy.analysisWindowSeconds },
    {
      name: 'maxErrorRatePercent',
      label: 'Canary error rate below (%)',
      value: Number((policy.maxErrorRate * 100).toFixed(4)),
      step: 'any',
      errorKey: 'maxErrorRate',
    },
    { name: 'maxP99Ms', label: 'Canary p99 below (ms)', value: policy.maxP99Ms },
    { name: 'minRequests', label: 'Requests needed to judge', value: policy.minRequests },
    {
      name: 'immediateRollbackFactor',
      label: 'Roll back at once above threshold ×',
      value: policy.immediateRollbackFactor,
      step: 'any',
    },
    {
      name: 'minPassRatioPercent',
      label: 'Checks that must pass to step up (%)',
      value: Number((policy.minPassRatio * 100).toFixed(2)),
      step: 'any',
      errorKey: 'minPassRatio',
    },
    {
      name: 'maxInputDrift',
      label: 'Input drift score above (0–1)',
      value: policy.maxInputDrift,
      step: 'any',
      hint: 'A served model’s feature drifting past this is reported to its owners.',
    },
  ];
  return (
    <form ref={form} onSubmit={onSubmit} className="space-y-6">
      <input type="hidden" name="tenant" value={tenant} />
      <input type="hidden" name="version" value={version} />
      <fieldset className="grid gap-4 md:grid-cols-2">
        <legend className="mb-2 text-base font-semibold">Gates</legend>
        <Field
          id="policy-thresholds"
          label="Quality thresholds (one per line)"
          error={errors?.thresholds}
          hint="e.g. holdout_auc >= 0.85"
        >
          {(props) => (
            <textarea
              {...props}
              name="thresholds"
              rows={3}
              className={`${inputClass} font-mono`}
              defaultValue={thresholdLines}
            />
          )}
        </Field>
        <Field
          id="policy-primary-metric"
          label="Main metric (compared with the champion)"
          error={errors?.primaryMetric}
        >
          {(props) => (
            <input {...props} name="primaryMetric" className={inputClass} defaultValue={policy.primaryMetric} />
          )}
        </Field>
        <Field id="policy-alias" label="Alias moved on approval" error={errors?.alias}>
          {(props) => <input {...props} name="alias" className={inputClass} defaultValue={policy.alias} />}
        </Field>
        <div className="space-y-2 text-sm">
          {(
            [
              ['requireSignature', 'A model signature is required', policy.requireSignature],
              ['requireModelCard', 'A model card URL is required', policy.requireModelCard],
              ['requireNotes', 'Notes are required', policy.requireNotes],
            ] as const
          ).map(([name, label, checked]) => (
            <label key={name} className="flex items-center gap-2">
              <input type="checkbox" name={name} defaultChecked={checked} />
              {label}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset className="grid gap-4 md:grid-cols-3">
        <legend className="mb-2 text-base font-semibold">Approvals and canary</legend>
        <Field
          id="policy-canary-steps"
          label="Canary steps (%)"
          error={errors?.canarySteps}
          hint="Rising, ending at 100, e.g. 10, 25, 50, 100"
        >
          {(props) => (
            <input {...props} name="canarySteps" className={inputClass} defaultValue={policy.canarySteps.join(', ')} />
          )}
        </Field>
        {numbers.map((f) => (
          <Field
            key={f.name}
            id={`policy-${f.name}`}
            label={f.label}
            error={errors?.[f.errorKey ?? f.name] ?? errors?.[f.name]}
            hint={f.hint}
          >
            {(props) => (
              <input
                {...props}
                name={f.name}
                type="number"
                step={f.step ?? '1'}
                className={inputClass}
                defaultValue={f.value}
              />
            )}
          </Field>
        ))}
      </fieldset>
      <div className="flex items-center gap-3">
        <button type="submit" className={buttonClass.primary} disabled={pending}>
          {pending ? 'Saving…' : 'Save policy'}
        </button>
        <FormStatus state={state} />
      </div>
    </form>
  );
}
