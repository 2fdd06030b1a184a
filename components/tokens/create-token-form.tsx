'use client';

import { useState } from 'react';
import { CopyButton } from '@/components/ui/copy-button';
import { Field } from '@/components/ui/field';
import { FormStatus } from '@/components/ui/form-status';
import { useFormAction } from '@/components/ui/use-form-action';
import { buttonClass, inputClass } from '@/components/ui/styles';
import type { TokenScope } from '@/lib/auth/authorize';
import { createTokenAction } from './actions';
import { SCOPE_LABELS } from './scopes';

/** The tenants a token may be made for, each with the scopes its creator may give it there. */
export interface TokenTenantOption {
  name: string;
  displayName: string;
  scopes: TokenScope[];
}

const NO_SCOPES: readonly TokenScope[] = [];

/**
 * Creates a personal token (for one of the person's tenants) or a tenant's service token (its
 * tenant fixed). Only scopes the creator may give are offered; the service decides again. The
 * secret is shown once, here, after creation: only its hash is kept.
 */
export function CreateTokenForm({
  kind,
  tenants,
  maxDays,
  suggestedScopes = NO_SCOPES,
}: {
  kind: 'personal' | 'service';
  tenants: readonly TokenTenantOption[];
  maxDays: number;
  suggestedScopes?: readonly TokenScope[];
}) {
  const { state, pending, form, onSubmit } = useFormAction(createTokenAction);
  const [tenant, setTenant] = useState(tenants[0]?.name ?? '');
  const offered = tenants.find((t) => t.name === tenant)?.scopes ?? [];
  const [chosen, setChosen] = useState<readonly TokenScope[]>(suggestedScopes);
  const scopes = chosen.filter((scope) => offered.includes(scope));
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const created =
    state?.ok && 'secret' in state && typeof state.secret === 'string'
      ? { secret: state.secret, message: state.message }
      : null;

  return (
    <div className="space-y-4">
      {created ? <NewSecret secret={created.secret} message={created.message} /> : null}
      <form ref={form} onSubmit={onSubmit} className="space-y-4" aria-label={`Create a ${kind} token`}>
        <input type="hidden" name="kind" value={kind} />
        <input type="hidden" name="scopes" value={scopes.join(',')} />
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            id={`${kind}-token-name`}
            label="Name"
            error={errors?.name}
            hint={
              kind === 'service' ? 'The pipeline that will use it, e.g. train-fraud-detector.' : 'Where you use it.'
            }
          >
            {(props) => <input {...props} name="name" className={inputClass} autoComplete="off" maxLength={100} />}
          </Field>
          {kind === 'personal' ? (
            <Field id="personal-token-tenant" label="Tenant" error={errors?.tenant} hint="A token acts in one tenant.">
              {(props) => (
                <select
                  {...props}
                  name="tenant"
                  className={inputClass}
                  value={tenant}
                  onChange={(event) => setTenant(event.target.value)}
                >
                  {tenants.map((t) => (
                    <option key={t.name} value={t.name}>
                      {t.displayName} ({t.name})
                    </option>
                  ))}
                </select>
              )}
            </Field>
          ) : (
            <input type="hidden" name="tenant" value={tenant} />
          )}
        </div>
        <fieldset aria-describedby={errors?.scopes ? `${kind}-token-scopes-error` : undefined}>
          <legend className="text-sm font-medium">Scopes</legend>
          <p className="text-xs text-slate-600 dark:text-slate-400">
            {kind === 'service'
              ? 'A service token never approves: four eyes need a person.'
              : 'Only what you may do yourself in this tenant; your roles still apply at every use.'}
          </p>
          <div className="mt-2 grid gap-1 sm:grid-cols-2">
            {offered.map((scope) => (
              <label key={scope} className="flex items-start gap-2 text-sm">
                <input
                  type="checkbox"
                  className="mt-1"
                  checked={scopes.includes(scope)}
                  onChange={(event) =>
                    setChosen((previous) =>
                      event.target.checked ? [...previous, scope] : previous.filter((s) => s !== scope),
                    )
                  }
                />
                <span>
                  <code className="font-mono text-xs">{scope}</code> — {SCOPE_LABELS[scope]}
                </span>
              </label>
            ))}
          </div>
          {errors?.scopes ? (
            <p id={`${kind}-token-scopes-error`} role="alert" className="mt-1 text-sm text-red-700 dark:text-red-300">
              {errors.scopes}
            </p>
          ) : null}
        </fieldset>
        <div className="grid gap-4 sm:grid-cols-2">
          <Field
            id={`${kind}-token-days`}
            label="Expires after (days)"
            error={errors?.days}
            hint={`At most ${maxDays} days; then the token stops working.`}
          >
            {(props) => (
              <input
                {...props}
                name="days"
                type="number"
                inputMode="numeric"
                min={1}
                max={maxDays}
                step={1}
                defaultValue={Math.min(30, maxDays)}
                className={inputClass}
              />
            )}
          </Field>
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <button type="submit" className={buttonClass.primary} disabled={pending}>
            {pending ? 'Creating…' : kind === 'service' ? 'Create service token' : 'Create token'}
          </button>
          {state && !state.ok ? <FormStatus state={state} /> : null}
        </div>
      </form>
    </div>
  );
}

/** The secret, once: copy it now, it is never shown again. */
function NewSecret({ secret, message }: { secret: string; message?: string }) {
  return (
    <div
      role="status"
      className="space-y-2 rounded-md border border-green-300 bg-green-50 p-4 text-sm text-green-950 dark:border-green-700 dark:bg-green-950 dark:text-green-50"
      data-testid="new-token"
    >
      <p className="font-semibold">Your new token — copy it now: you will not see it again.</p>
      <div className="flex flex-wrap items-center gap-2">
        <label htmlFor="new-token-secret" className="sr-only">
          New token
        </label>
        <input
          id="new-token-secret"
          readOnly
          value={secret}
          className={`${inputClass} max-w-xl font-mono`}
          onFocus={(event) => event.currentTarget.select()}
        />
        <CopyButton text={secret} label="Copy" />
      </div>
      <p>{message ? `${message} ` : ''}Only a hash of it is stored: if you lose it, revoke it and create another.</p>
    </div>
  );
}
