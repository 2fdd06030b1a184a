'use client';

import Link from 'next/link';
import { useState } from 'react';
import { CopyButton } from '@/components/ui/copy-button';
import { Field } from '@/components/ui/field';
import { FormStatus } from '@/components/ui/form-status';
import { buttonClass, inputClass } from '@/components/ui/styles';
import { useFormAction } from '@/components/ui/use-form-action';
import type { ActionResult } from '@/lib/actions/define-action';
import { KIND_LABELS, SUBSCRIBABLE_KINDS, type SubscribableKind } from '@/lib/notifications/kind-names';
import type { WebhookJson } from '@/lib/notifications/webhooks-view';
import { createWebhookAction, updateWebhookAction } from './actions';

export const FORMAT_LABELS: Record<WebhookJson['format'], string> = {
  generic: 'Generic JSON (signed)',
  slack: 'Slack-compatible incoming webhook',
  teams: 'Microsoft Teams-compatible incoming webhook',
};

/** The secret an action answered with, shown once. */
const secretOf = (state: ActionResult | null) =>
  state?.ok && 'secret' in state && typeof state.secret === 'string' ? state.secret : null;

/**
 * A webhook's signing secret, as the action that made it answered: shown this once, with a copy
 * button. Nothing can show it again (the portal keeps it only to sign).
 */
export function SecretOnce({ secret, children }: { secret: string; children?: React.ReactNode }) {
  return (
    <div
      className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm dark:border-amber-700 dark:bg-amber-950/40"
      data-testid="webhook-secret"
    >
      <p className="font-medium text-amber-950 dark:text-amber-100">
        The signing secret, shown only now: store it with the receiver, which checks <code>X-MLP-Signature</code>{' '}
        (HMAC-SHA256 of “timestamp.body”) with it.
      </p>
      <code
        className="block break-all rounded bg-white px-2 py-1 font-mono text-slate-900 dark:bg-slate-900 dark:text-slate-100"
        data-testid="webhook-secret-value"
      >
        {secret}
      </code>
      <div className="flex flex-wrap items-center gap-3">
        <CopyButton text={secret} label="Copy the secret" />
        {children}
      </div>
    </div>
  );
}

/**
 * Create a webhook of a tenant, or change one's name, URL, format and events (`webhook`). The
 * events are sent as one comma-separated field; none ticked means every kind.
 */
export function WebhookForm({ tenant, webhook }: { tenant: string; webhook?: WebhookJson }) {
  const editing = webhook !== undefined;
  const { state, pending, form, onSubmit } = useFormAction(editing ? updateWebhookAction : createWebhookAction, {
    resetOnSuccess: !editing,
  });
  const [kinds, setKinds] = useState<readonly SubscribableKind[]>(webhook?.kinds ?? []);
  const [enabled, setEnabled] = useState(true);
  // A creation resets the form's fields (useFormAction); the events and the switch start over with them.
  const [answered, setAnswered] = useState(state);
  if (state !== answered) {
    setAnswered(state);
    if (state?.ok && !editing) {
      setKinds([]);
      setEnabled(true);
    }
  }
  const errors = state && !state.ok ? state.fieldErrors : undefined;
  const secret = secretOf(state);
  const id = (field: string) => `webhook-${webhook?.id ?? 'new'}-${field}`;

  return (
    <form
      ref={form}
      onSubmit={onSubmit}
      className="space-y-4"
      aria-label={editing ? `Settings of the webhook ${webhook.name}` : 'Add a webhook'}
    >
      <input type="hidden" name="tenant" value={tenant} />
      {editing ? <input type="hidden" name="webhookId" value={webhook.id} /> : null}
      <input type="hidden" name="kinds" value={kinds.join(',')} />
      <div className="grid gap-4 md:grid-cols-2">
        <Field id={id('name')} label="Name" error={errors?.name} hint="E.g. the channel it posts to.">
          {(props) => (
            <input
              {...props}
              name="name"
              className={inputClass}
              defaultValue={webhook?.name}
              maxLength={100}
              autoComplete="off"
              required
            />
          )}
        </Field>
        <Field id={id('format')} label="Format" error={errors?.format}>
          {(props) => (
            <select {...props} name="format" className={inputClass} defaultValue={webhook?.format ?? 'generic'}>
              {Object.entries(FORMAT_LABELS).map(([format, label]) => (
                <option key={format} value={format}>
                  {label}
                </option>
              ))}
            </select>
          )}
        </Field>
      </div>
      <Field
        id={id('url')}
        label="Receiver URL"
        error={errors?.url}
        hint={
          editing
            ? `Now ${webhook.url} (shown in part: a chat’s webhook URL is a credential). Leave blank to keep it, or enter a new one.`
            : 'https://… of the receiver or the chat’s incoming webhook. The worker POSTs every event to it, retrying with backoff until it answers 2xx.'
        }
      >
        {(props) => (
          <input
            {...props}
            name="url"
            type="url"
            className={inputClass}
            maxLength={2000}
            autoComplete="off"
            required={!editing}
          />
        )}
      </Field>
      <fieldset className="space-y-2" aria-describedby={id('kinds-hint')}>
        <legend className="text-sm font-medium">Events</legend>
        <p id={id('kinds-hint')} className="text-xs text-slate-600 dark:text-slate-400">
          None ticked: every event of the tenant, including kinds added later.
        </p>
        <div className="grid gap-1 sm:grid-cols-2 lg:grid-cols-3">
          {SUBSCRIBABLE_KINDS.map((kind) => (
            <label key={kind} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                className="h-4 w-4"
                checked={kinds.includes(kind)}
                onChange={(event) =>
                  setKinds((previous) =>
                    event.target.checked ? [...previous, kind] : previous.filter((k) => k !== kind),
                  )
                }
              />
              {KIND_LABELS[kind]}
            </label>
          ))}
        </div>
        {errors?.kinds ? (
          <p role="alert" className="text-sm text-red-700 dark:text-red-300">
            {errors.kinds}
          </p>
        ) : null}
      </fieldset>
      {editing ? null : (
        <label className="flex items-center gap-2 text-sm">
          <input type="hidden" name="enabled" value={enabled ? 'true' : 'false'} />
          <input
            type="checkbox"
            className="h-4 w-4"
            checked={enabled}
            onChange={(event) => setEnabled(event.target.checked)}
          />
          Enabled: send events as they happen (a disabled webhook still receives “Send test”)
        </label>
      )}
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className={buttonClass.primary} disabled={pending}>
          {pending ? 'Saving…' : editing ? 'Save changes' : 'Add webhook'}
        </button>
        <FormStatus state={state} />
      </div>
      {secret ? (
        <SecretOnce secret={secret}>
          {state?.ok && state.href ? (
            <Link href={state.href} className={buttonClass.link}>
              Open the webhook and its delivery log
            </Link>
          ) : null}
        </SecretOnce>
      ) : null}
    </form>
  );
}
