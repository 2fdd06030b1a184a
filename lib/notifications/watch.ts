/**
 * The worker's pass over the watched conditions (conditions.ts): reads every active tenant's GPU
 * quota use, SLO burn rates and models' input drift from the existing read models, opens a condition — with its event,
 * in one transaction — when it crosses, and clears it when it no longer holds. A condition row is
 * the memory that makes the event once per crossing, across ticks and leaders (its key is unique).
 */
import { getDb } from '../db/client';
import { log } from '../observability/logger';
import { tenantGpuQuotaUse } from '../quota/service';
import { readDriftInputs } from '../platform-health/drift-inputs';
import { tenantSlos } from '../slo/service';
import {
  conditionChanges,
  driftReadings,
  quotaKey,
  quotaReading,
  sloReading,
  type ConditionReading,
} from './conditions';
import { emitNotification } from './outbox';

export interface WatchOutcome {
  opened: string[];
  cleared: string[];
  /** Sources that could not be read this time (their conditions are left as they were). */
  unread: string[];
}

/** Reads, decides, records. `only` narrows to some tenants (tests). */
export async function watchConditions(options: { tenants?: readonly string[] } = {}): Promise<WatchOutcome> {
  const tenants = (
    await getDb().tenant.findMany({
      where: { status: 'active', ...(options.tenants ? { name: { in: [...options.tenants] } } : {}) },
      select: { name: true },
    })
  ).map((t) => t.name);
  if (tenants.length === 0) return { opened: [], cleared: [], unread: [] };

  const readings: ConditionReading[] = [];
  const readPrefixes: string[] = [];
  const unread: string[] = [];
  const [quota, slos, drift] = await Promise.all([
    tenantGpuQuotaUse(tenants),
    tenantSlos(tenants),
    readDriftInputs(tenants),
  ]);
  if (quota.ok) {
    readings.push(...quota.data.map(quotaReading));
    readPrefixes.push(...tenants.map(quotaKey));
  } else unread.push(quota.message);
  if (slos.prometheus === null) {
    readings.push(...slos.slos.map(sloReading));
    // Gone endpoints clear only when the endpoint list itself was read.
    if (slos.kubernetes === null) readPrefixes.push(...tenants.map((t) => `slo.fast_burn:${t}/`));
  } else unread.push(slos.prometheus);
  if (drift.scores.ok && drift.policies.ok) {
    readings.push(...driftReadings(drift.scores.data, drift.policies.data));
    // An endpoint the exporter no longer scores clears (the scores of every endpoint are one query).
    readPrefixes.push(...tenants.map((t) => `model.drift:${t}/`));
  } else unread.push(...[drift.scores, drift.policies].flatMap((p) => (p.ok ? [] : [p.message])));

  const open = await getDb().notificationCondition.findMany({
    where: { tenant: { name: { in: tenants } } },
    select: { key: true },
  });
  const changes = conditionChanges(new Set(open.map((c) => c.key)), readings, readPrefixes);

  const opened: string[] = [];
  for (const reading of changes.opened) {
    try {
      const emitted = await getDb().$transaction(async (tx) => {
        const tenant = await tx.tenant.findUniqueOrThrow({ where: { name: reading.tenant }, select: { id: true } });
        // Another leader (or an earlier tick whose outcome was not seen) may have opened it: then nothing is emitted.
        const inserted = await tx.notificationCondition.createMany({
          data: [{ key: reading.key, tenantId: tenant.id, kind: reading.event.kind }],
          skipDuplicates: true,
        });
        if (inserted.count === 0) return false;
        const { eventId } = await emitNotification(tx, reading.event);
        await tx.notificationCondition.update({ where: { key: reading.key }, data: { eventId } });
        return true;
      });
      if (emitted) {
        opened.push(reading.key);
        log.info('notification condition opened', { key: reading.key, kind: reading.event.kind });
      }
    } catch (error) {
      log.error('a notification condition could not be recorded', { key: reading.key, error });
    }
  }
  if (changes.cleared.length > 0) {
    await getDb().notificationCondition.deleteMany({ where: { key: { in: changes.cleared } } });
    log.info('notification conditions cleared', { keys: changes.cleared });
  }
  return { opened, cleared: changes.cleared, unread };
}
