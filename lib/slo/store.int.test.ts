/** Endpoint SLO definitions in the portal's database: defaults until edited, validated, versioned, audited. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase, type TestDatabase } from '../../test/db';
import { getDb } from '../db/client';
import { DEFAULT_SLO_OBJECTIVES } from './definition';
import { getSloObjectives, listSloObjectives, saveSloObjectives } from './store';

let database: TestDatabase;
const frank = { name: 'frank' };

beforeAll(async () => {
  database = await useTestDatabase();
  await getDb().tenant.createMany({
    data: [
      { name: 'fraud', displayName: 'Fraud', status: 'active' },
      { name: 'pricing', displayName: 'Pricing', status: 'active' },
    ],
  });
});

afterAll(async () => {
  await getDb().$disconnect();
  await database.drop();
});

describe('SLO definitions', () => {
  it('default to 99.9 % availability over 28 days and 95 % of requests within 200 ms', async () => {
    expect(DEFAULT_SLO_OBJECTIVES).toEqual({
      availabilityObjective: 0.999,
      latencyObjective: 0.95,
      latencyThresholdMs: 200,
      windowDays: 28,
    });
    expect(await getSloObjectives('fraud', 'fraud-detector')).toEqual({
      objectives: DEFAULT_SLO_OBJECTIVES,
      version: 0,
      updatedBy: null,
      updatedAt: null,
    });
  });

  it('refuse bad objectives with a message for the field, and change nothing', async () => {
    await expect(
      saveSloObjectives(frank, 'fraud', 'fraud-detector', { ...DEFAULT_SLO_OBJECTIVES, availabilityObjective: 1 }, 0),
    ).rejects.toMatchObject({ field: 'availabilityObjective' });
    await expect(
      saveSloObjectives(frank, 'fraud', 'fraud-detector', { ...DEFAULT_SLO_OBJECTIVES, latencyThresholdMs: 210 }, 0),
    ).rejects.toMatchObject({
      field: 'latencyThresholdMs',
      message: expect.stringContaining("one of the latency histogram's buckets: 5, 10, 20"),
    });
    await expect(saveSloObjectives(frank, 'fraud', 'Not/A name', DEFAULT_SLO_OBJECTIVES, 0)).rejects.toThrow(
      'is not a valid InferenceService name',
    );
    await expect(saveSloObjectives(frank, 'nobody', 'fraud-detector', DEFAULT_SLO_OBJECTIVES, 0)).rejects.toThrow(
      'There is no tenant nobody.',
    );
    expect(await getDb().sloDefinition.count()).toBe(0);
    expect(await getDb().auditEvent.count({ where: { action: 'slo.update' } })).toBe(0);
  });

  it('save an edit per endpoint with an audit event in the tenant holding before and after', async () => {
    const saved = await saveSloObjectives(
      frank,
      'fraud',
      'fraud-detector',
      { ...DEFAULT_SLO_OBJECTIVES, availabilityObjective: 0.995, latencyThresholdMs: 300 },
      0,
    );
    expect(saved).toMatchObject({
      version: 1,
      updatedBy: 'frank',
      objectives: { availabilityObjective: 0.995, latencyThresholdMs: 300 },
    });
    const event = await getDb().auditEvent.findFirstOrThrow({ where: { action: 'slo.update' } });
    expect(event).toMatchObject({
      actor: 'frank',
      tenant: 'fraud',
      outcome: 'success',
      targetId: 'fraud/fraud-detector',
    });
    expect(event.before).toMatchObject({ availabilityObjective: 0.999 });
    expect(event.after).toMatchObject({ availabilityObjective: 0.995 });
    // Other endpoints keep the defaults.
    expect((await getSloObjectives('fraud', 'other')).version).toBe(0);
    const listed = await listSloObjectives(['fraud', 'pricing']);
    expect([...listed.keys()]).toEqual(['fraud/fraud-detector']);
  });

  it('refuse a stale form, naming who changed the objectives', async () => {
    await expect(
      saveSloObjectives({ name: 'alice' }, 'fraud', 'fraud-detector', DEFAULT_SLO_OBJECTIVES, 0),
    ).rejects.toThrow('were changed by frank since you opened them');
    expect((await getSloObjectives('fraud', 'fraud-detector')).objectives.availabilityObjective).toBe(0.995);
  });
});
