/** The platform's operations thresholds in the portal's database: validated, versioned against stale forms, audited. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase, type TestDatabase } from '../../test/db';
import { getDb } from '../db/client';
import { DEFAULT_OPS_THRESHOLDS } from './thresholds';
import { getOpsThresholds, saveOpsThresholds } from './thresholds-store';

let database: TestDatabase;
const frank = { name: 'frank' };

beforeAll(async () => {
  database = await useTestDatabase();
});

afterAll(async () => {
  await getDb().$disconnect();
  await database.drop();
});

describe('operations thresholds', () => {
  it('start from the defaults of PRODUCT.md', async () => {
    expect(await getOpsThresholds()).toEqual({
      values: DEFAULT_OPS_THRESHOLDS,
      version: 0,
      updatedBy: null,
      updatedAt: null,
    });
    expect(DEFAULT_OPS_THRESHOLDS).toEqual({
      pipelineSuccessMin: 0.95,
      trainingRegressionTolerance: 0.02,
      registryWaitHoursMax: 24,
      servingErrorRateMax: 0.01,
      servingP99MsMax: 500,
      canaryErrorRatioMax: 2,
      oomKillsPerDayMax: 0,
    });
  });

  it('refuse a value out of range with a message for the field, and change nothing', async () => {
    await expect(
      saveOpsThresholds(frank, { ...DEFAULT_OPS_THRESHOLDS, pipelineSuccessMin: 1.2 }, 0),
    ).rejects.toMatchObject({
      message: 'The success rate is at most 100 %',
      field: 'pipelineSuccessMin',
    });
    await expect(saveOpsThresholds(frank, { ...DEFAULT_OPS_THRESHOLDS, surprise: 1 }, 0)).rejects.toMatchObject({
      field: 'form',
    });
    expect((await getOpsThresholds()).version).toBe(0);
    expect(await getDb().auditEvent.count({ where: { action: 'ops.thresholds.update' } })).toBe(0);
  });

  it('save a valid change with an audit event holding before and after', async () => {
    const saved = await saveOpsThresholds(frank, { ...DEFAULT_OPS_THRESHOLDS, servingP99MsMax: 300 }, 0);
    expect(saved).toMatchObject({ version: 1, updatedBy: 'frank', values: { servingP99MsMax: 300 } });
    expect((await getOpsThresholds()).values.servingP99MsMax).toBe(300);
    const event = await getDb().auditEvent.findFirstOrThrow({ where: { action: 'ops.thresholds.update' } });
    expect(event).toMatchObject({ actor: 'frank', tenant: null, outcome: 'success' });
    expect((event.before as { servingP99MsMax: number }).servingP99MsMax).toBe(500);
    expect((event.after as { servingP99MsMax: number }).servingP99MsMax).toBe(300);
  });

  it('refuse a stale form, naming who changed the thresholds, and keep their change', async () => {
    await expect(
      saveOpsThresholds({ name: 'erin' }, { ...DEFAULT_OPS_THRESHOLDS, servingP99MsMax: 900 }, 0),
    ).rejects.toThrow('The thresholds were changed by frank since you opened them.');
    expect((await getOpsThresholds()).values.servingP99MsMax).toBe(300);
  });

  it('let only one of two concurrent saves from the same version through', async () => {
    const results = await Promise.allSettled([
      saveOpsThresholds({ name: 'a' }, { ...DEFAULT_OPS_THRESHOLDS, oomKillsPerDayMax: 1 }, 1),
      saveOpsThresholds({ name: 'b' }, { ...DEFAULT_OPS_THRESHOLDS, oomKillsPerDayMax: 2 }, 1),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await getOpsThresholds()).version).toBe(2);
  });
});
