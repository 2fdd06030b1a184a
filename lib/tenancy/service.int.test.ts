import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase, type TestDatabase } from '../../test/db';
import { syncUserFromClaims } from '../auth/users';
import { listAuditEvents } from '../audit/log';
import { getDb } from '../db/client';
import type { ProvisioningStep } from './provisioning';
import {
  addMembership,
  archiveTenant,
  changeMembershipRole,
  createTenant,
  listMembers,
  listTenants,
  provisionTenant,
  removeMembership,
} from './service';

let database: TestDatabase;
const frank = { name: 'frank' };
const mapping = { groupsClaim: 'groups', mapping: { tenantGroupPattern: 'mlp:{tenant}:{role}', platformGroups: {} } };

beforeAll(async () => {
  database = await useTestDatabase();
  await createTenant(frank, { name: 'fraud', displayName: 'Fraud', description: '' });
  await syncUserFromClaims({ sub: 'carol', preferred_username: 'carol', email: 'carol@example.test', groups: [] }, mapping);
  await syncUserFromClaims({ sub: 'alice', preferred_username: 'alice', groups: ['mlp:fraud:member'] }, mapping);
});
afterAll(async () => {
  await getDb().$disconnect();
  await database.drop();
});

describe('tenants', () => {
  it('creates an active tenant, audited', async () => {
    const tenants = await listTenants();
    expect(tenants.find((t) => t.name === 'fraud')).toMatchObject({ status: 'active', memberCount: 1 });
    const { events } = await listAuditEvents({ tenant: 'fraud', action: 'tenant.', limit: 10 });
    expect(events.map((e) => e.action).sort()).toEqual(['tenant.create', 'tenant.provision']);
  });

  it('refuses a duplicate name and changes nothing', async () => {
    const before = await listAuditEvents({ limit: 100 });
    await expect(createTenant(frank, { name: 'fraud', displayName: 'Again', description: '' })).rejects.toThrow('A tenant named "fraud" already exists');
    expect((await listTenants()).filter((t) => t.name === 'fraud')).toHaveLength(1);
    expect((await listAuditEvents({ limit: 100 })).events).toHaveLength(before.events.length);
  });

  it('marks a tenant incomplete when a provisioning step fails, and a retry finishes it', async () => {
    let namespaceUp = false;
    let failQuota = true;
    const steps: ProvisioningStep[] = [
      { title: 'Kubernetes namespace', provision: async () => void (namespaceUp = true), archive: async () => {} },
      {
        title: 'GPU quota',
        provision: async () => {
          if (failQuota) throw new Error('the API server refused');
        },
        archive: async () => {},
      },
    ];
    const tenant = await createTenant(frank, { name: 'pricing', displayName: 'Pricing', description: '' }, steps);
    expect(tenant).toMatchObject({ status: 'incomplete', provisioningError: 'GPU quota: the API server refused' });
    expect(namespaceUp).toBe(true);
    failQuota = false;
    expect(await provisionTenant(frank, tenant, steps)).toMatchObject({ status: 'active', provisioningError: null });
    const { events } = await listAuditEvents({ tenant: 'pricing', action: 'tenant.provision', limit: 10 });
    expect(events.map((e) => e.outcome)).toEqual(['success', 'failed']);
  });

  it('archives on every system in reverse order, keeping the record', async () => {
    const order: string[] = [];
    const step = (title: string): ProvisioningStep => ({ title, provision: async () => {}, archive: async () => void order.push(title) });
    await createTenant(frank, { name: 'old', displayName: 'Old', description: '' }, [step('namespace'), step('quota')]);
    await archiveTenant(frank, 'old', [step('namespace'), step('quota')]);
    expect(order).toEqual(['quota', 'namespace']);
    expect((await listTenants({ includeArchived: true })).find((t) => t.name === 'old')?.status).toBe('archived');
    expect((await listTenants()).find((t) => t.name === 'old')).toBeUndefined();
    await expect(archiveTenant(frank, 'old')).rejects.toThrow('already archived');
    await expect(addMembership(frank, 'old', 'carol', 'member')).rejects.toThrow('archived');
  });
});

describe('memberships', () => {
  it('adds, changes and removes portal memberships, each audited with before and after', async () => {
    await addMembership(frank, 'fraud', 'carol@EXAMPLE.test', 'viewer');
    await changeMembershipRole(frank, 'fraud', 'carol', 'approver');
    expect((await listMembers('fraud')).find((m) => m.username === 'carol')).toMatchObject({ role: 'approver', source: 'portal' });
    await removeMembership(frank, 'fraud', 'carol');
    expect((await listMembers('fraud')).map((m) => m.username)).toEqual(['alice']);

    const { events } = await listAuditEvents({ tenant: 'fraud', action: 'membership.', limit: 10 });
    expect(events.map((e) => [e.action, e.before, e.after])).toEqual([
      ['membership.remove', { user: 'carol', role: 'approver' }, null],
      ['membership.change-role', { role: 'viewer' }, { role: 'approver' }],
      ['membership.add', null, { user: 'carol', role: 'viewer' }],
    ]);
  });

  it('refuses unknown users, duplicates and IdP-managed memberships with clear messages', async () => {
    await expect(addMembership(frank, 'fraud', 'nobody', 'member')).rejects.toThrow('No user "nobody" is known');
    await expect(addMembership(frank, 'fraud', 'alice', 'admin')).rejects.toThrow('alice is already member of fraud');
    await expect(changeMembershipRole(frank, 'fraud', 'alice', 'admin')).rejects.toThrow(/comes from an identity-provider group/);
    await expect(removeMembership(frank, 'fraud', 'alice')).rejects.toThrow(/comes from an identity-provider group/);
    await expect(addMembership(frank, 'nowhere', 'carol', 'member')).rejects.toThrow('There is no tenant named "nowhere"');
    expect((await listMembers('fraud')).map((m) => [m.username, m.role])).toEqual([['alice', 'member']]);
  });
});
