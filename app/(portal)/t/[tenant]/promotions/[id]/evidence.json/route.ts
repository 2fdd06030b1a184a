import { z } from 'zod';
import { ForbiddenError } from '@/lib/auth/authorize';
import { getCurrentUser } from '@/lib/auth/session';
import { recordAuditAlone } from '@/lib/audit/log';
import { evidencePack } from '@/lib/model-story/evidence-service';
import { tenantNameSchema } from '@/lib/tenancy/names';

export const dynamic = 'force-dynamic';

const paramsSchema = z.object({ tenant: tenantNameSchema, id: z.uuid() });

const answer = (body: unknown, status: number, headers: Record<string, string> = {}) =>
  Response.json(body, { status, headers: { 'cache-control': 'no-store', ...headers } });

/**
 * A promotion request's evidence pack as a JSON download: authenticate → parse → authorize
 * (`promotion.read`, in the service) → read → audit (`promotion.evidence-export`, refusals too).
 */
export async function GET(_request: Request, context: { params: Promise<{ tenant: string; id: string }> }) {
  const user = await getCurrentUser();
  if (!user) return answer({ error: 'Sign in to export an evidence pack.' }, 401);
  const parsed = paramsSchema.safeParse(await context.params);
  if (!parsed.success) return answer({ error: 'There is no such promotion request.' }, 404);
  const { tenant, id } = parsed.data;
  const actor = { id: user.id, name: user.username };
  const target = { type: 'promotion-request', id };
  let pack;
  try {
    pack = await evidencePack(user, tenant, id);
  } catch (error) {
    if (!(error instanceof ForbiddenError)) throw error;
    await recordAuditAlone({
      actor,
      action: 'promotion.evidence-export',
      tenant,
      target,
      outcome: 'denied',
      reason: 'not allowed to promotion.read',
    });
    return answer({ error: 'You are not allowed to read the promotion requests of this tenant.' }, 403);
  }
  if (!pack) return answer({ error: 'There is no such promotion request.' }, 404);
  await recordAuditAlone({
    actor,
    action: 'promotion.evidence-export',
    tenant,
    target,
    after: { auditEvents: pack.auditEvents.length, status: pack.request.status },
    outcome: 'success',
  });
  return answer(pack, 200, {
    'content-disposition': `attachment; filename="evidence-${tenant}-${pack.request.model.replace(/[^A-Za-z0-9_.-]/g, '_')}-v${pack.request.version}-${id}.json"`,
  });
}
