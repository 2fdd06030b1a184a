'use client';

import { useEffect, useRef, useState } from 'react';
import { Field } from '@/components/ui/field';
import { FormStatus } from '@/components/ui/form-status';
import { buttonClass, inputClass } from '@/components/ui/styles';
import { useFormAction } from '@/components/ui/use-form-action';
import type { QuotaEditFacts } from '@/lib/quota/service';
import { gpuCountSchema, reviewQuotaChange, type QuotaConfirmationKind } from '@/lib/quota/validation';
import { changeGpuQuotaAction } from './actions';
import { gpuCount } from './parts';

const CONFIRM_FIELDS: Record<QuotaConfirmationKind, { name: string; label: string }> = {
  'below-usage': { name: 'confirmBelowUsage', label: 'Set it below what is in use anyway' },
  overcommit: { name: 'confirmOvercommit', label: 'Over-commit the cluster anyway' },
};

/**
 * Changes a tenant's GPU quota (platform admins). The rules run as you type — a quota below what
 * the pods request, or one that over-commits the cluster, shows why and asks for a confirmation —
 * and the server runs them again on a fresh read. The limit you saw when you began is sent along:
 * if someone changes the quota meanwhile, nothing is written and the form says so.
 */
export function QuotaForm({
  tenant,
  facts,
  onChanged,
}: {
  tenant: string;
  facts: QuotaEditFacts;
  onChanged?: () => void;
}) {
  const { state, pending, form, onSubmit } = useFormAction(changeGpuQuotaAction, { resetOnSuccess: false });
  const [value, setValue] = useState(facts.current === null ? '' : String(facts.current));
  // The limit the admin saw when they began to edit: the server refuses the change if it moved.
  const [baseline, setBaseline] = useState<number | null | undefined>(undefined);
  const expected = baseline === undefined ? facts.current : baseline;
  const errors = state && !state.ok ? state.fieldErrors : undefined;

  const handled = useRef<unknown>(null);
  useEffect(() => {
    if (!state?.ok || handled.current === state) return;
    handled.current = state;
    setBaseline(undefined);
    onChanged?.();
  }, [state, onChanged]);

  const parsed = gpuCountSchema.safeParse(value);
  const review = parsed.success
    ? reviewQuotaChange({
        tenant,
        current: expected,
        proposed: parsed.data,
        used: facts.used,
        otherQuotasTotal: facts.otherQuotasTotal,
        allocatable: facts.allocatable,
      })
    : null;
  const needed = new Set<QuotaConfirmationKind>(review?.confirmations.map((c) => c.kind) ?? []);
  for (const kind of Object.keys(CONFIRM_FIELDS) as QuotaConfirmationKind[])
    if (errors?.[CONFIRM_FIELDS[kind].name]) needed.add(kind);
  const messageOf = (kind: QuotaConfirmationKind) =>
    errors?.[CONFIRM_FIELDS[kind].name] ?? review?.confirmations.find((c) => c.kind === kind)?.message ?? '';

  return (
    <form
      ref={form}
      onSubmit={onSubmit}
      className="space-y-4"
      aria-labelledby="quota-form-title"
      data-testid="quota-form"
    >
      <h3 id="quota-form-title" className="text-sm font-semibold">
        Change the GPU quota
      </h3>
      <input type="hidden" name="tenant" value={tenant} />
      <input type="hidden" name="expected" value={expected === null ? '' : String(expected)} />
      <div className="max-w-xs">
        <Field
          id="quota-gpus"
          label="GPUs (requests.nvidia.com/gpu)"
          error={errors?.gpus}
          hint={`Now ${expected === null ? 'no limit' : gpuCount(expected)}; ${gpuCount(facts.used)} requested by ${tenant}'s pods.`}
        >
          {(props) => (
            <input
              {...props}
              name="gpus"
              inputMode="numeric"
              autoComplete="off"
              className={inputClass}
              value={value}
              onChange={(event) => {
                if (baseline === undefined) setBaseline(facts.current);
                setValue(event.target.value);
              }}
            />
          )}
        </Field>
      </div>
      {baseline !== undefined && baseline !== facts.current ? (
        <p role="status" className="text-sm text-amber-900 dark:text-amber-200">
          The quota changed to {facts.current === null ? 'no limit' : gpuCount(facts.current)} while you were editing;
          submitting will be refused. Reload to start from the new value.
        </p>
      ) : null}
      {review?.after ? (
        <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="quota-preview">
          Quotas would total {gpuCount(review.after.quotaTotal)} for {gpuCount(review.after.allocatable)} allocatable in
          the cluster
          {review.after.ratio !== null ? ` (${review.after.ratio.toFixed(2)}×)` : ''}.
        </p>
      ) : null}
      {[...needed].map((kind) => (
        <div
          key={kind}
          className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100"
        >
          <p id={`quota-${kind}-why`}>{messageOf(kind)}</p>
          <label className="mt-2 flex items-center gap-2 font-medium">
            <input type="checkbox" name={CONFIRM_FIELDS[kind].name} aria-describedby={`quota-${kind}-why`} />
            {CONFIRM_FIELDS[kind].label}
          </label>
        </div>
      ))}
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className={buttonClass.primary} disabled={pending}>
          {pending ? 'Changing…' : 'Change quota'}
        </button>
        <FormStatus state={state} />
      </div>
    </form>
  );
}
