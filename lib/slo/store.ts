import { recordAudit, type Actor } from '../audit/log';
import { getDb } from '../db/client';
import { UserFacingError } from '../errors';
import { checkObjectName } from '../integrations/kubernetes/namespace';
import { DEFAULT_SLO_OBJECTIVES, sloObjectivesFor, sloObjectivesSchema, type SloObjectives } from './definition';

export interface StoredSloObjectives {
  objectives: SloObjectives;
  /** 0 while the endpoint runs on the defaults. */
  version: number;
  updatedBy: string | null;
  updatedAt: Date | null;
}

const DEFAULTS: StoredSloObjectives = {
  objectives: DEFAULT_SLO_OBJECTIVES,
  version: 0,
  updatedBy: null,
  updatedAt: null,
};

/** Stored objectives, read leniently: a field added later takes its default. */
function readObjectives(stored: unknown): SloObjectives {
  const parsed = sloObjectivesSchema.safeParse(stored ?? {});
  return parsed.success ? parsed.data : DEFAULT_SLO_OBJECTIVES;
}

function toStored(row: {
  objectives: unknown;
  version: number;
  updatedBy: string;
  updatedAt: Date;
}): StoredSloObjectives {
  return {
    objectives: readObjectives(row.objectives),
    version: row.version,
    updatedBy: row.updatedBy,
    updatedAt: row.updatedAt,
  };
}

/** Every stored definition of the given tenants, keyed `tenant/endpoint`; endpoints without one run on the defaults. */
export async function listSloObjectives(tenants: readonly string[]): Promise<Map<string, StoredSloObjectives>> {
  const rows = await getDb().sloDefinition.findMany({
    where: { tenant: { name: { in: [...tenants] } } },
    include: { tenant: { select: { name: true } } },
  });
  return new Map(rows.map((row) => [`${row.tenant.name}/${row.endpoint}`, toStored(row)]));
}

export async function getSloObjectives(tenant: string, endpoint: string): Promise<StoredSloObjectives> {
  const row = await getDb().sloDefinition.findFirst({ where: { tenant: { name: tenant }, endpoint } });
  return row ? toStored(row) : DEFAULTS;
}

/**
 * Saves an endpoint's objectives. `expectedVersion` is the version the editor started from: a
 * form submitted after someone else saved (or twice) is refused, never merged.
 */
export async function saveSloObjectives(
  actor: Actor,
  tenant: string,
  endpoint: string,
  objectives: unknown,
  expectedVersion: number,
): Promise<StoredSloObjectives> {
  checkObjectName('InferenceService', endpoint);
  const parsed = sloObjectivesFor().safeParse(objectives);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserFacingError(issue.message, String(issue.path[0] ?? 'form'));
  }
  const tenantRow = await getDb().tenant.findUnique({ where: { name: tenant }, select: { id: true } });
  if (!tenantRow) throw new UserFacingError(`There is no tenant ${tenant}.`);
  return getDb().$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 FROM tenants WHERE id = ${tenantRow.id}::uuid FOR UPDATE`;
    const key = { tenantId_endpoint: { tenantId: tenantRow.id, endpoint } };
    const current = await tx.sloDefinition.findUnique({ where: key });
    const currentVersion = current?.version ?? 0;
    if (currentVersion !== expectedVersion) {
      throw new UserFacingError(
        `The objectives of ${endpoint} were changed by ${current?.updatedBy ?? 'someone'} since you opened them. Reload to see their change, then edit again.`,
      );
    }
    const before = current ? readObjectives(current.objectives) : DEFAULT_SLO_OBJECTIVES;
    const row = await tx.sloDefinition.upsert({
      where: key,
      create: { tenantId: tenantRow.id, endpoint, objectives: parsed.data, version: 1, updatedBy: actor.name },
      update: { objectives: parsed.data, version: currentVersion + 1, updatedBy: actor.name },
    });
    await recordAudit(tx, {
      actor,
      action: 'slo.update',
      tenant,
      target: { type: 'slo', id: `${tenant}/${endpoint}` },
      before,
      after: parsed.data,
      outcome: 'success',
    });
    return toStored(row);
  });
}
