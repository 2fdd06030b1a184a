'use client';

import { useState } from 'react';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { FormStatus } from '@/components/ui/form-status';
import type { ActionResult } from '@/lib/actions/define-action';
import { retryDeploymentAction } from './actions';

export function RetryDeployButton({ tenant, requestId }: { tenant: string; requestId: string }) {
  const [state, setState] = useState<ActionResult | null>(null);
  return (
    <div className="flex items-center gap-3">
      <ConfirmButton
        label="Finish deployment"
        title="Finish this deployment?"
        confirmLabel="Finish now"
        tone="primary"
        onConfirm={async () => setState(await retryDeploymentAction(null, { tenant, requestId }))}
      >
        The remaining steps run again from where they stopped; steps already done are recognised and not repeated.
      </ConfirmButton>
      <FormStatus state={state} />
    </div>
  );
}
