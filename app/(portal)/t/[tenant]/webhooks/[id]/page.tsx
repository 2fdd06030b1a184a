import Link from 'next/link';
import { notFound } from 'next/navigation';
import { WebhookDashboard } from '@/components/notifications/webhook-dashboard';
import { WebhookForm } from '@/components/notifications/webhook-form';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { buttonClass } from '@/components/ui/styles';
import { webhookDetail } from '@/lib/notifications/webhooks-view';
import { openTenantPage, type TenantPageProps } from '../../tenant-page';

type Props = TenantPageProps<{ id: string }>;

export const metadata = { title: 'Webhook' };

export default async function WebhookPage({ params }: Props) {
  const { user, tenant, id } = await openTenantPage(params, 'notification.webhook.manage');
  const detail = await webhookDetail(user, tenant.name, id);
  if (!detail) notFound();
  return (
    <>
      <PageHeader
        title={detail.webhook.name}
        description={`A webhook of ${tenant.displayName}, added by ${detail.webhook.createdByName}. Its delivery log is live.`}
        actions={
          <Link href={`/t/${tenant.name}/webhooks`} className={buttonClass.secondary}>
            All webhooks
          </Link>
        }
      />
      <WebhookDashboard tenant={tenant.name} initial={detail} />
      <Card title="Settings" className="mt-6">
        <WebhookForm tenant={tenant.name} webhook={detail.webhook} />
      </Card>
    </>
  );
}
