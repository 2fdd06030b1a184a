import { can } from '@/lib/auth/authorize';
import { tenantNameSchema } from '@/lib/tenancy/names';
import { tenantProgress } from '@/lib/tenancy/service';
import { liveAnswer, liveRoute } from '../../../../live-route';

export const dynamic = 'force-dynamic';

/**
 * A tenant's provisioning progress, polled by the admin page while a run is under way (a server
 * action cannot be polled while another one — the create — is still running). Platform admins only.
 */
export const GET = liveRoute<{ name: string }>(async ({ user, params: { name } }) => {
  if (!can(user, 'tenant.create', { kind: 'platform' }))
    return liveAnswer({ error: 'You are not allowed to see tenant provisioning.' }, 403);
  if (!tenantNameSchema.safeParse(name).success) return liveAnswer({ error: 'Not a tenant name.' }, 404);
  return (await tenantProgress(name)) ?? liveAnswer({ error: `There is no tenant named ${name} yet.` }, 404);
});
