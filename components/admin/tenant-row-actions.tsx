'use client';

import { useState } from 'react';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { FormStatus } from '@/components/ui/form-status';
import { buttonClass } from '@/components/ui/styles';
import type { ActionResult, ServerAction } from '@/lib/actions/define-action';

export function TenantRowActions({
  name,
  status,
  archive,
  retry,
}: {
  name: string;
  status: string;
  archive: ServerAction;
  retry: ServerAction;
}) {
  const [result, setResult] = useState<ActionResult | null>(null);
  const [retrying, setRetrying] = useState(false);
  if (status === 'archived') return <span className="text-xs text-slate-600 dark:text-slate-400">Archived, data kept</span>;
  return (
    <div className="flex flex-wrap items-center gap-2">
      {status === 'incomplete' ? (
        <button
          type="button"
          className={buttonClass.primary}
          disabled={retrying}
          onClick={async () => {
            setRetrying(true);
            setResult(await retry(null, { name }));
            setRetrying(false);
          }}
        >
          {retrying ? 'Retrying…' : 'Retry provisioning'}
        </button>
      ) : null}
      <ConfirmButton
        label="Archive"
        title={`Archive tenant ${name}?`}
        confirmLabel={`Archive ${name}`}
        onConfirm={async () => setResult(await archive(null, { name }))}
      >
        Its members lose access and nothing can change in it any more. Its data is kept: nothing is deleted.
      </ConfirmButton>
      <FormStatus state={result} />
    </div>
  );
}
