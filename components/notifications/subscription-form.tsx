'use client';

import { useState, useTransition, type FormEvent } from 'react';
import { FormStatus } from '@/components/ui/form-status';
import { buttonClass } from '@/components/ui/styles';
import { cellClass, DataTable, rowClass } from '@/components/ui/table';
import type { ActionResult } from '@/lib/actions/define-action';
import type { SubscribableKind } from '@/lib/notifications/service';
import { saveSubscriptionsAction } from './actions';

type Mode = 'default' | 'all' | 'none';
const MODES: readonly { mode: Mode; label: string }[] = [
  { mode: 'default', label: 'Default' },
  { mode: 'all', label: 'All' },
  { mode: 'none', label: 'None' },
];

export interface SubscriptionRow {
  kind: SubscribableKind;
  label: string;
  mode: Mode;
  /** Whom the kind reaches by default, in words. */
  audience: string;
  /** Whether the default reaches this person in this tenant. */
  concernsYou: boolean;
  /** What the default means for this person, in words. */
  forYou: string;
}

export interface TenantSubscriptionRows {
  tenant: string;
  displayName: string;
  kinds: SubscriptionRow[];
}

const key = (tenant: string, kind: string) => `${tenant}/${kind}`;

function choices(tenants: readonly TenantSubscriptionRows[]): Record<string, Mode> {
  return Object.fromEntries(tenants.flatMap((t) => t.kinds.map((k) => [key(t.tenant, k.kind), k.mode])));
}

/**
 * Per tenant and event kind: the default (what concerns the person), every event, or none.
 * Saved together with one action, which receives only what changed.
 */
export function SubscriptionForm({ tenants }: { tenants: readonly TenantSubscriptionRows[] }) {
  const [saved, setSaved] = useState(() => choices(tenants));
  const [chosen, setChosen] = useState(saved);
  const [result, setResult] = useState<ActionResult | null>(null);
  const [pending, startTransition] = useTransition();
  const changes = tenants.flatMap((t) =>
    t.kinds
      .filter((k) => chosen[key(t.tenant, k.kind)] !== saved[key(t.tenant, k.kind)])
      .map((k) => ({ tenant: t.tenant, kind: k.kind, mode: chosen[key(t.tenant, k.kind)]! })),
  );

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (changes.length === 0) {
      setResult({ ok: false, error: 'Nothing changed: choose another setting first.' });
      return;
    }
    startTransition(async () => {
      const answer = await saveSubscriptionsAction(null, { changes });
      if (answer.ok) setSaved(chosen);
      setResult(answer);
    });
  };

  return (
    <form onSubmit={onSubmit} className="space-y-6" aria-label="Notification settings">
      {tenants.map((t) => (
        <section key={t.tenant} aria-labelledby={`subscriptions-${t.tenant}`} className="space-y-2">
          <h2 id={`subscriptions-${t.tenant}`} className="text-lg font-semibold">
            {t.displayName} <span className="text-sm font-normal text-slate-600 dark:text-slate-400">({t.tenant})</span>
          </h2>
          <DataTable
            caption={`Notifications from ${t.tenant}`}
            columns={['Event', 'Default: who is told', ...MODES.map((m) => m.label)]}
            testId={`subscriptions-${t.tenant}`}
          >
            {t.kinds.map((k) => {
              const name = key(t.tenant, k.kind);
              return (
                <tr key={k.kind} className={`${rowClass} align-top`} data-kind={k.kind}>
                  <th scope="row" className={`${cellClass} font-medium`}>
                    {k.label}
                    {chosen[name] !== saved[name] ? (
                      <span className="ml-2 text-xs font-normal text-amber-800 dark:text-amber-300">(not saved)</span>
                    ) : null}
                  </th>
                  <td className={`${cellClass} text-slate-700 dark:text-slate-300`}>
                    {k.audience}.{' '}
                    <span className={k.concernsYou ? 'text-green-800 dark:text-green-300' : ''}>{k.forYou}</span>
                  </td>
                  {MODES.map((m) => (
                    <td key={m.mode} className={cellClass}>
                      <input
                        type="radio"
                        name={name}
                        value={m.mode}
                        aria-label={`${k.label} in ${t.tenant}: ${m.label.toLowerCase()}`}
                        checked={chosen[name] === m.mode}
                        onChange={() => setChosen((previous) => ({ ...previous, [name]: m.mode }))}
                        className="h-4 w-4"
                      />
                    </td>
                  ))}
                </tr>
              );
            })}
          </DataTable>
        </section>
      ))}
      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className={buttonClass.primary} disabled={pending}>
          {pending
            ? 'Saving…'
            : changes.length > 0
              ? `Save ${changes.length} change${changes.length === 1 ? '' : 's'}`
              : 'Save'}
        </button>
        <FormStatus state={result} />
      </div>
    </form>
  );
}
