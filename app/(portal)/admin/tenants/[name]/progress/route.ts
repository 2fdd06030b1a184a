import { can } from '@/lib/auth/authorize';
import { getCurrentUser } from '@/lib/auth/session';
import { tenantNameSchema } from '@/lib/tenancy/names';
import { tenantProgress } from '@/lib/tenancy/service';

export const dynamic = 'force-dynamic';

const answer = (body: unknown, status = 200) => Response.json(body, { status, headers: { 'cache-control': 'no-store' } });

/**
 * A tenant's provisioning progress, polled by the admin page while a run is under way (a server
 * action cannot be polled while another one — the create — is still running). Platform admins only.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  const user = await getCurrentUser();
  if (!user) return answer({ error: 'Your session has ended: sign in again.' }, 401);
  if (!can(user, 'tenant.create', { kind: 'platform' })) return answer({ error: 'You are not allowed to see tenant provisioning.' }, 403);
  if (!tenantNameSchema.safeParse(name).success) return answer({ error: 'Not a tenant name.' }, 404);
  const progress = await tenantProgress(name);
  if (!progress) return answer({ error: `There is no tenant named ${name} yet.` }, 404);
  return answer(progress);
}
