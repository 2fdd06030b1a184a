import { recordAudit, type Actor } from '../audit/log';
import { getDb } from '../db/client';
import { UserFacingError } from '../errors';
import { DEFAULT_POLICY, policySchema, readPolicy, type Policy } from './policy';

export interface StoredPolicy {
  policy: Policy;
  /** 0 while the tenant still runs on the defaults. */
  version: number;
  updatedBy: string | null;
  updatedAt: Date | null;
}

async function tenantId(tenant: string): Promise<string> {
  const row = await getDb().tenant.findUnique({ where: { name: tenant }, select: { id: true } });
  if (!row) throw new UserFacingError(`There is no tenant ${tenant}.`);
  return row.id;
}

export async function getPolicy(tenant: string): Promise<StoredPolicy> {
  const row = await getDb().promotionPolicy.findFirst({ where: { tenant: { name: tenant } } });
  if (!row) return { policy: DEFAULT_POLICY, version: 0, updatedBy: null, updatedAt: null };
  return { policy: readPolicy(row.settings), version: row.version, updatedBy: row.updatedBy, updatedAt: row.updatedAt };
}

/**
 * Saves a tenant's policy. `expectedVersion` is the version the editor started from: a form
 * submitted after someone else saved (or submitted twice) is refused rather than overwriting.
 */
export async function savePolicy(actor: Actor, tenant: string, settings: unknown, expectedVersion: number): Promise<StoredPolicy> {
  const parsed = policySchema.safeParse(settings);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserFacingError(issue.message, String(issue.path[0] ?? 'form'));
  }
  const id = await tenantId(tenant);
  return getDb().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 FROM tenants WHERE id = ${id}::uuid FOR UPDATE`;
    const current = await tx.promotionPolicy.findUnique({ where: { tenantId: id } });
    const currentVersion = current?.version ?? 0;
    if (currentVersion !== expectedVersion) {
      throw new UserFacingError(`The policy was changed by ${current?.updatedBy ?? 'someone'} since you opened it. Reload to see their change, then edit again.`);
    }
    const before = current ? readPolicy(current.settings) : DEFAULT_POLICY;
    const row = current
      ? await tx.promotionPolicy.update({ where: { tenantId: id }, data: { settings: parsed.data, version: currentVersion + 1, updatedBy: actor.name } })
      : await tx.promotionPolicy.create({ data: { tenantId: id, settings: parsed.data, version: 1, updatedBy: actor.name } });
    await recordAudit(tx, { actor, action: 'policy.update', tenant, target: { type: 'promotion-policy', id: tenant }, before, after: parsed.data, outcome: 'success' });
    return { policy: parsed.data, version: row.version, updatedBy: row.updatedBy, updatedAt: row.updatedAt };
  });
}
