/** The tenant policy in the portal's database: validated, versioned against stale forms, audited. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase, type TestDatabase } from '../../test/db';
import { getDb } from '../db/client';
import { DEFAULT_POLICY } from './policy';
import { getPolicy, savePolicy } from './policy-store';

let database: TestDatabase;
const admin = { name: 'frank' };

beforeAll(async () => {
  database = await useTestDatabase();
  await getDb().tenant.create({ data: { name: 'fraud', displayName: 'Fraud', status: 'active' } });
});

afterAll(async () => {
  await getDb().$disconnect();
  await database.drop();
});

describe('tenant promotion policy', () => {
  it('starts from the defaults', async () => {
    expect(await getPolicy('fraud')).toEqual({ policy: DEFAULT_POLICY, version: 0, updatedBy: null, updatedAt: null });
  });

  it('refuses a threshold out of range with a message for the field, and changes nothing', async () => {
    await expect(savePolicy(admin, 'fraud', { ...DEFAULT_POLICY, maxErrorRate: 1.5 }, 0)).rejects.toMatchObject({
      message: 'The error-rate threshold is at most 50 %',
      field: 'maxErrorRate',
    });
    expect((await getPolicy('fraud')).version).toBe(0);
    expect(await getDb().auditEvent.count({ where: { action: 'policy.update' } })).toBe(0);
  });

  it('saves a valid change with an audit event holding before and after', async () => {
    const saved = await savePolicy(admin, 'fraud', { ...DEFAULT_POLICY, requiredApprovals: 2 }, 0);
    expect(saved).toMatchObject({
      kind: 'applied',
      stored: { version: 1, updatedBy: 'frank', policy: { requiredApprovals: 2 } },
    });
    const event = await getDb().auditEvent.findFirstOrThrow({ where: { action: 'policy.update' } });
    expect(event).toMatchObject({ actor: 'frank', tenant: 'fraud', outcome: 'success' });
    expect((event.before as { requiredApprovals: number }).requiredApprovals).toBe(1);
    expect((event.after as { requiredApprovals: number }).requiredApprovals).toBe(2);
  });

  it('refuses the same stale form submitted again, naming who changed it', async () => {
    await expect(
      savePolicy({ name: 'alice-admin' }, 'fraud', { ...DEFAULT_POLICY, requiredApprovals: 3 }, 0),
    ).rejects.toThrow('The policy was changed by frank since you opened it.');
    expect((await getPolicy('fraud')).policy.requiredApprovals).toBe(2);
  });
});
