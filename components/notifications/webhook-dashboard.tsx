'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { AsOf, pollFreshness } from '@/components/ui/as-of';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { EmptyState } from '@/components/ui/empty-state';
import { FormStatus } from '@/components/ui/form-status';
import { buttonClass } from '@/components/ui/styles';
import { cellClass, DataTable, NoValue, numericCellClass, rowClass } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { useLiveData } from '@/components/ui/use-live-data';
import type { ActionResult } from '@/lib/actions/define-action';
import { formatDuration } from '@/lib/format';
import { KIND_LABELS } from '@/lib/notifications/kind-names';
import type { DeliveryJson, WebhookDetailView } from '@/lib/notifications/webhooks-view';
import { deleteWebhookAction, sendTestEventAction, updateWebhookAction } from './actions';
import { FORMAT_LABELS, SecretOnce } from './webhook-form';

/** Often enough to see a test event arrive while one looks at the page. */
const REFRESH_MS = 3_000;

const isView = (body: object) => 'webhook' in body && 'deliveries' in body;

export const DELIVERY_STATUS: Record<DeliveryJson['status'], { label: string; tone: BadgeTone }> = {
  pending: { label: 'Pending', tone: 'info' },
  delivered: { label: 'Delivered', tone: 'good' },
  'failed-permanently': { label: 'Failed permanently', tone: 'bad' },
};

/** What the receiver answered, in words: a status code, or why there was no answer. */
function answer(statusCode: number | null, error: string | null) {
  if (statusCode === null) return <span>No answer{error ? `: ${error}` : ''}</span>;
  return (
    <span>
      <span className="font-mono">{statusCode}</span>
      {error ? <span className="text-slate-600 dark:text-slate-400"> · {error}</span> : null}
    </span>
  );
}

/**
 * A webhook's controls (enable or disable, send a test event, rotate the secret, delete) and its
 * delivery log, kept live: every delivery with its status, and each attempt's answer and duration.
 */
export function WebhookDashboard({ tenant, initial }: { tenant: string; initial: WebhookDetailView }) {
  const { data, error, refresh } = useLiveData<WebhookDetailView>({
    queryKey: ['webhook', tenant, initial.webhook.id],
    url: `/t/${tenant}/webhooks/${initial.webhook.id}/live`,
    initial,
    refreshMs: REFRESH_MS,
    isData: isView,
  });
  const { webhook, deliveries } = data;
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [result, setResult] = useState<ActionResult | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const ref = { tenant, webhookId: webhook.id };

  const act = (run: () => Promise<ActionResult>) =>
    startTransition(async () => {
      const answered = await run();
      setResult(answered);
      if (answered.ok && 'secret' in answered && typeof answered.secret === 'string') setSecret(answered.secret);
      await refresh();
    });

  return (
    <div className="space-y-6">
      <Card title="Status and actions">
        <dl className="mb-4 grid gap-x-6 gap-y-1 text-sm sm:grid-cols-[max-content_1fr]">
          <dt className="font-medium">State</dt>
          <dd data-testid="webhook-state">
            {webhook.enabled ? (
              <Badge tone="good">Enabled</Badge>
            ) : (
              <Badge tone="neutral">Disabled: only “Send test” reaches it</Badge>
            )}
          </dd>
          <dt className="font-medium">Receiver</dt>
          <dd className="break-all font-mono">{webhook.url}</dd>
          <dt className="font-medium">Format</dt>
          <dd>{FORMAT_LABELS[webhook.format]}</dd>
          <dt className="font-medium">Events</dt>
          <dd>{webhook.kinds.length === 0 ? 'Every kind' : webhook.kinds.map((k) => KIND_LABELS[k]).join(', ')}</dd>
          <dt className="font-medium">Signing secret</dt>
          <dd>
            <span className="font-mono">{webhook.secretPrefix}…</span> (the rest is never shown again)
          </dd>
          <dt className="font-medium">Deliveries</dt>
          <dd>
            {webhook.deliveries.pending} pending, {webhook.deliveries.failedPermanently} failed permanently; last
            delivered {webhook.deliveries.lastDeliveredAt ? <Time at={webhook.deliveries.lastDeliveredAt} /> : 'never'}
          </dd>
        </dl>
        <div className="flex flex-wrap items-center gap-3">
          <button
            type="button"
            className={buttonClass.primary}
            disabled={pending}
            onClick={() => act(() => sendTestEventAction(null, ref))}
          >
            Send test
          </button>
          <button
            type="button"
            className={buttonClass.secondary}
            disabled={pending}
            onClick={() => act(() => updateWebhookAction(null, { ...ref, enabled: !webhook.enabled }))}
          >
            {webhook.enabled ? 'Disable' : 'Enable'}
          </button>
          <ConfirmButton
            label="Rotate secret"
            title={`Rotate the signing secret of “${webhook.name}”?`}
            confirmLabel="Rotate secret"
            onConfirm={async () => act(() => updateWebhookAction(null, { ...ref, rotateSecret: true }))}
          >
            A new secret signs every delivery from now on, and the old one ({webhook.secretPrefix}…) no longer does: the
            receiver rejects deliveries until it has the new secret. The new secret is shown once.
          </ConfirmButton>
          <ConfirmButton
            label="Delete"
            title={`Delete the webhook “${webhook.name}”?`}
            confirmLabel="Delete webhook"
            onConfirm={async () => {
              const answered = await deleteWebhookAction(null, ref);
              setResult(answered);
              if (answered.ok) router.push(answered.href ?? `/t/${tenant}/webhooks`);
            }}
          >
            Events stop going to {webhook.url}, and its delivery log is deleted with it. Pending deliveries are not
            sent.
          </ConfirmButton>
        </div>
        <div className="mt-3 space-y-3">
          <FormStatus state={result} />
          {secret ? <SecretOnce secret={secret} /> : null}
        </div>
      </Card>

      <section aria-labelledby="deliveries-heading" className="space-y-3">
        <h2 id="deliveries-heading" className="text-lg font-semibold">
          Delivery log
        </h2>
        <p className="text-sm text-slate-700 dark:text-slate-300">
          {deliveries.length === 1 ? 'The latest delivery' : `The latest ${deliveries.length} deliveries, newest first`}
          , live. A delivery is retried with backoff (5 s, 10 s, 20 s … at most 15 min apart) until the receiver answers
          2xx, at most 10 times. As of <Time at={data.at} />.
        </p>
        <AsOf freshness={pollFreshness(error, data.at)} />
        {deliveries.length === 0 ? (
          <EmptyState title="Nothing delivered yet">
            Events of the tenant{webhook.kinds.length > 0 ? ' of the chosen kinds' : ''} appear here as the worker sends
            them. Press “Send test” to see one now.
          </EmptyState>
        ) : (
          <DataTable
            caption={`Deliveries of the webhook ${webhook.name}`}
            columns={[
              'Event',
              'Status',
              { label: 'Attempts', numeric: true },
              'Attempt log: when, answer, duration',
              'Next attempt',
            ]}
            testId="delivery-log"
          >
            {deliveries.map((d) => (
              <tr
                key={d.deliveryId}
                className={`${rowClass} align-top`}
                data-testid="delivery"
                data-event-id={d.eventId}
                data-status={d.status}
              >
                <td className={cellClass}>
                  <span className="block font-medium">{KIND_LABELS[d.kind] ?? d.kind}</span>
                  <span className="block text-slate-700 dark:text-slate-300">{d.title}</span>
                  <span className="block text-xs text-slate-600 dark:text-slate-400">
                    <Time at={d.occurredAt} /> · event <span className="font-mono">{d.eventId}</span>
                  </span>
                </td>
                <td className={cellClass}>
                  <Badge tone={DELIVERY_STATUS[d.status].tone}>{DELIVERY_STATUS[d.status].label}</Badge>
                  {d.deliveredAt ? (
                    <span className="mt-1 block text-xs text-slate-600 dark:text-slate-400">
                      <Time at={d.deliveredAt} />
                    </span>
                  ) : null}
                </td>
                <td className={numericCellClass}>{d.attempts}</td>
                <td className={cellClass}>
                  {d.attemptLog.length === 0 ? (
                    <span className="text-slate-600 dark:text-slate-400">Not tried yet</span>
                  ) : (
                    <ol className="space-y-1" aria-label={`Attempts of event ${d.eventId}`}>
                      {d.attemptLog.map((attempt, index) => (
                        <li key={`${attempt.attemptedAt}-${index}`} data-testid="delivery-attempt">
                          <Time at={attempt.attemptedAt} /> · {answer(attempt.statusCode, attempt.error)} ·{' '}
                          {formatDuration(attempt.durationMs)}
                        </li>
                      ))}
                    </ol>
                  )}
                </td>
                <td className={cellClass}>
                  {d.nextAttemptAt ? <Time at={d.nextAttemptAt} /> : <NoValue reason="none" />}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </div>
  );
}
