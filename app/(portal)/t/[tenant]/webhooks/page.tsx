import Link from 'next/link';
import { FORMAT_LABELS, WebhookForm } from '@/components/notifications/webhook-form';
import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { buttonClass } from '@/components/ui/styles';
import { cellClass, DataTable, numericCellClass, rowClass } from '@/components/ui/table';
import { Time } from '@/components/ui/time';
import { KIND_LABELS, listWebhooks } from '@/lib/notifications/service';
import { openTenantPage, type TenantPageProps } from '../tenant-page';

export const metadata = { title: 'Webhooks' };

export default async function WebhooksPage({ params }: TenantPageProps) {
  const { user, tenant } = await openTenantPage(params, 'notification.webhook.manage');
  const webhooks = await listWebhooks(user, tenant.name);
  return (
    <>
      <PageHeader
        title={`Webhooks of ${tenant.displayName}`}
        description={
          <>
            The tenant’s events — promotion requests and decisions, failed gates, canary steps, rollbacks, paused
            judgment, GPU quota above 90 %, SLO fast burn — sent by the worker to chat or any HTTP receiver: signed
            (HMAC-SHA256 in <code>X-MLP-Signature</code>), retried with backoff until the receiver answers 2xx, each
            with its id in <code>X-MLP-Event-Id</code> so a receiver can drop repeats. Only the tenant’s admins see this
            page.
          </>
        }
      />
      <Card title="Add a webhook" className="mb-6">
        {tenant.status === 'active' ? (
          <WebhookForm tenant={tenant.name} />
        ) : (
          <p className="text-sm text-slate-700 dark:text-slate-300">
            Webhooks are added to active tenants only; this one is {tenant.status}.
          </p>
        )}
      </Card>
      {webhooks.length === 0 ? (
        <EmptyState title="No webhooks yet">Add one above: events reach it from then on.</EmptyState>
      ) : (
        <DataTable
          caption={`Webhooks of ${tenant.name}`}
          columns={[
            'Name',
            'Receiver',
            'Events',
            'State',
            { label: 'Pending', numeric: true },
            { label: 'Failed', numeric: true },
            'Last delivered',
          ]}
          testId="webhooks"
        >
          {webhooks.map((w) => (
            <tr key={w.id} className={`${rowClass} align-top`} data-testid={`webhook-${w.name}`}>
              <th scope="row" className={`${cellClass} font-medium`}>
                <Link href={`/t/${tenant.name}/webhooks/${w.id}`} className={buttonClass.link}>
                  {w.name}
                </Link>
                <span className="block text-xs font-normal text-slate-600 dark:text-slate-400">
                  by {w.createdByName}, <Time at={w.createdAt} />
                </span>
              </th>
              <td className={cellClass}>
                <span className="block break-all font-mono text-xs">{w.url}</span>
                <span className="block text-xs text-slate-600 dark:text-slate-400">{FORMAT_LABELS[w.format]}</span>
              </td>
              <td className={cellClass}>
                {w.kinds.length === 0 ? 'Every kind' : w.kinds.map((k) => KIND_LABELS[k]).join(', ')}
              </td>
              <td className={cellClass}>
                {w.enabled ? <Badge tone="good">Enabled</Badge> : <Badge tone="neutral">Disabled</Badge>}
              </td>
              <td className={numericCellClass}>{w.deliveries.pending}</td>
              <td className={numericCellClass}>{w.deliveries.failedPermanently}</td>
              <td className={cellClass}>
                {w.deliveries.lastDeliveredAt ? <Time at={w.deliveries.lastDeliveredAt} /> : 'Never'}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </>
  );
}
