import { webhookDetail } from '@/lib/notifications/webhooks-view';
import { liveAnswer, tenantLiveRoute } from '../../../../../live-route';

export const dynamic = 'force-dynamic';

/** A webhook's page live: its state and delivery log, polled every few seconds; for the tenant's admins only. */
export const GET = tenantLiveRoute<{ tenant: string; id: string }>(
  'notification.webhook.manage',
  'Only an admin of the tenant may see its webhooks.',
  async ({ user, tenant, params }) =>
    (await webhookDetail(user, tenant.name, params.id)) ??
    liveAnswer({ error: 'There is no such webhook in this tenant.' }, 404),
);
