'use client';

import { useState } from 'react';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { FormStatus } from '@/components/ui/form-status';
import { useFormAction } from '@/components/ui/use-form-action';
import { buttonClass } from '@/components/ui/styles';
import type { ActionResult } from '@/lib/actions/define-action';
import { TENANT_ROLES, type TenantRole } from '@/lib/auth/authorize';
import { changeRoleAction, removeMemberAction } from './actions';

export function MemberRowControls({ tenant, username, role }: { tenant: string; username: string; role: TenantRole }) {
  const { state, pending, form, onSubmit } = useFormAction(changeRoleAction, { resetOnSuccess: false });
  const [removeState, setRemoveState] = useState<ActionResult | null>(null);
  return (
    <div className="flex flex-wrap items-center gap-2">
      <form ref={form} onSubmit={onSubmit} className="flex items-center gap-2">
        <input type="hidden" name="tenant" value={tenant} />
        <input type="hidden" name="user" value={username} />
        <label className="sr-only" htmlFor={`role-${username}`}>
          Role of {username}
        </label>
        <select
          id={`role-${username}`}
          name="role"
          defaultValue={role}
          className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-600 dark:bg-slate-900"
        >
          {TENANT_ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
        <button type="submit" className={buttonClass.secondary} disabled={pending}>
          {pending ? 'Saving…' : 'Save role'}
        </button>
      </form>
      <ConfirmButton
        label="Remove"
        title={`Remove ${username} from ${tenant}?`}
        confirmLabel={`Remove ${username}`}
        onConfirm={async () => setRemoveState(await removeMemberAction(null, { tenant, user: username }))}
      >
        {username} loses access to {tenant} right away. You can add them again later.
      </ConfirmButton>
      <FormStatus state={state ?? removeState} />
    </div>
  );
}
