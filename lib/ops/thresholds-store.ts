import { recordAudit, type Actor } from '../audit/log';
import { getDb } from '../db/client';
import { UserFacingError } from '../errors';
import { DEFAULT_OPS_THRESHOLDS, opsThresholdsSchema, readOpsThresholds, type OpsThresholds } from './thresholds';

const ROW_ID = 'platform';

export interface StoredOpsThresholds {
  values: OpsThresholds;
  /** 0 while the platform still runs on the defaults. */
  version: number;
  updatedBy: string | null;
  updatedAt: Date | null;
}

export async function getOpsThresholds(): Promise<StoredOpsThresholds> {
  const row = await getDb().opsThresholds.findUnique({ where: { id: ROW_ID } });
  if (!row) return { values: DEFAULT_OPS_THRESHOLDS, version: 0, updatedBy: null, updatedAt: null };
  return {
    values: readOpsThresholds(row.settings),
    version: row.version,
    updatedBy: row.updatedBy,
    updatedAt: row.updatedAt,
  };
}

/**
 * Saves the platform's thresholds. `expectedVersion` is the version the editor started from: a
 * form submitted after someone else saved (or submitted twice) is refused, never merged.
 */
export async function saveOpsThresholds(
  actor: Actor,
  values: unknown,
  expectedVersion: number,
): Promise<StoredOpsThresholds> {
  const parsed = opsThresholdsSchema.safeParse(values);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserFacingError(issue.message, String(issue.path[0] ?? 'form'));
  }
  return getDb().$transaction(async (tx) => {
    // Serializes concurrent first saves too (no row to lock yet).
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('ops_thresholds'))`;
    const current = await tx.opsThresholds.findUnique({ where: { id: ROW_ID } });
    const currentVersion = current?.version ?? 0;
    if (currentVersion !== expectedVersion) {
      throw new UserFacingError(
        `The thresholds were changed by ${current?.updatedBy ?? 'someone'} since you opened them. Reload to see their change, then edit again.`,
      );
    }
    const before = current ? readOpsThresholds(current.settings) : DEFAULT_OPS_THRESHOLDS;
    const row = await tx.opsThresholds.upsert({
      where: { id: ROW_ID },
      create: { id: ROW_ID, settings: parsed.data, version: 1, updatedBy: actor.name },
      update: { settings: parsed.data, version: currentVersion + 1, updatedBy: actor.name },
    });
    await recordAudit(tx, {
      actor,
      action: 'ops.thresholds.update',
      tenant: null,
      target: { type: 'ops-thresholds', id: ROW_ID },
      before,
      after: parsed.data,
      outcome: 'success',
    });
    return { values: parsed.data, version: row.version, updatedBy: row.updatedBy, updatedAt: row.updatedAt };
  });
}
