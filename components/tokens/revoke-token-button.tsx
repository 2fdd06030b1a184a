'use client';

import { useState } from 'react';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { FormStatus } from '@/components/ui/form-status';
import type { ActionResult } from '@/lib/actions/define-action';
import { revokeTokenAction } from './actions';

export function RevokeTokenButton({ tokenId, name, prefix }: { tokenId: string; name: string; prefix: string }) {
  const [state, setState] = useState<ActionResult | null>(null);
  return (
    <div className="flex flex-wrap items-center gap-2">
      <ConfirmButton
        label="Revoke"
        title={`Revoke the token ${name}?`}
        confirmLabel="Revoke token"
        onConfirm={async () => setState(await revokeTokenAction(null, { tokenId }))}
      >
        Every call made with <code className="font-mono">{prefix}…</code> is refused from now on, and this cannot be
        undone. Whatever uses it needs a new token.
      </ConfirmButton>
      <FormStatus state={state} />
    </div>
  );
}
