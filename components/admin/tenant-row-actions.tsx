'use client';

import { useState } from 'react';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { FormStatus } from '@/components/ui/form-status';
import { buttonClass } from '@/components/ui/styles';
import type { ActionResult } from '@/lib/actions/define-action';
import { archiveTenantAction, retryProvisioningAction } from './actions';

export function TenantRowActions({
  name,
  status,
  operation,
  running,
  retryable,
}: {
  name: string;
  status: string;
  /** The latest run's operation: a retry finishes it. */
  operation: 'provision' | 'archive' | null;
  /** A run is under way: nothing else may start. */
  running: boolean;
  /** Incomplete, or a run that was interrupted: Retry finishes it. */
  retryable: boolean;
}) {
  const [result, setResult] = useState<ActionResult | null>(null);
  const [retrying, setRetrying] = useState(false);
  if (status === 'archived')
    return <span className="text-xs text-slate-600 dark:text-slate-400">Archived, data kept</span>;
  if (running)
    return (
      <span className="text-xs text-slate-600 dark:text-slate-400">
        {operation === 'archive' ? 'Archiving…' : 'Provisioning…'}
      </span>
    );
  const retryLabel = operation === 'archive' ? 'Retry archiving' : 'Retry provisioning';
  return (
    <div className="flex flex-wrap items-center gap-2">
      {retryable ? (
        <button
          type="button"
          className={buttonClass.primary}
          disabled={retrying}
          aria-label={`${retryLabel} of ${name}`}
          onClick={async () => {
            setRetrying(true);
            try {
              setResult(await retryProvisioningAction(null, { name }));
            } finally {
              setRetrying(false);
            }
          }}
        >
          {retrying ? 'Retrying…' : retryLabel}
        </button>
      ) : null}
      <ConfirmButton
        label="Archive"
        title={`Archive tenant ${name}?`}
        confirmLabel={`Archive ${name}`}
        onConfirm={async () => setResult(await archiveTenantAction(null, { name }))}
      >
        <p>Its members lose access and nothing can change in it any more. Its data is kept: nothing is deleted.</p>
        <ul className="mt-2 list-disc space-y-1 pl-5">
          <li>namespace {name} labelled archived, with everything in it;</li>
          <li>GPU, CPU and memory quota set to zero (running pods keep running; the old limits are remembered);</li>
          <li>its IdP groups taken out of the namespace&apos;s role bindings;</li>
          <li>MLflow workspace and object-storage prefix kept as they are (the storage policy becomes read-only).</li>
        </ul>
      </ConfirmButton>
      <FormStatus state={result} />
    </div>
  );
}
