import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase, type TestDatabase } from '../../test/db';
import { listAuditEvents } from '../audit/log';
import { getDb } from '../db/client';
import { addMembership, createTenant } from '../tenancy/service';
import { parsePlatformGroups } from './group-mapping';
import { loadSessionUser, syncUserFromClaims } from './users';

let database: TestDatabase;
const settings = {
  groupsClaim: 'groups',
  mapping: {
    tenantGroupPattern: 'mlp:{tenant}:{role}',
    platformGroups: parsePlatformGroups('mlp:platform-admins=platform-admin,mlp:oncall=oncall'),
  },
};

beforeAll(async () => {
  database = await useTestDatabase();
  for (const name of ['fraud', 'pricing', 'forecast'])
    await createTenant({ name: 'seed' }, { name, displayName: name, description: '' }, { steps: [] });
});
afterAll(async () => {
  await getDb().$disconnect();
  await database.drop();
});

describe('sign-in sync from IdP claims', () => {
  it('creates the user with roles from groups, ignoring tenants that do not exist', async () => {
    const bob = await syncUserFromClaims(
      {
        sub: 'sub-bob',
        preferred_username: 'bob',
        name: 'Bob',
        email: 'bob@example.test',
        groups: ['mlp:fraud:approver', 'mlp:oncall', 'mlp:ghost:admin'],
      },
      settings,
    );
    expect(bob).toMatchObject({
      username: 'bob',
      name: 'Bob',
      platformRoles: ['oncall'],
      memberships: [{ tenant: 'fraud', role: 'approver' }],
    });
  });

  it('follows the IdP on the next sign-in but keeps memberships granted in the portal', async () => {
    const before = (await syncUserFromClaims(
      { sub: 'sub-bob', preferred_username: 'bob', groups: ['mlp:fraud:approver'] },
      settings,
    ))!;
    await addMembership({ name: 'frank' }, 'forecast', 'bob', 'viewer');
    const after = await syncUserFromClaims(
      { sub: 'sub-bob', preferred_username: 'bob', groups: ['mlp:pricing:member', 'mlp:platform-admins'] },
      settings,
    );
    expect(after.id).toBe(before.id);
    expect(after.platformRoles).toEqual(['platform-admin']);
    expect([...after.memberships].sort((a, b) => a.tenant.localeCompare(b.tenant))).toEqual([
      { tenant: 'forecast', role: 'viewer' },
      { tenant: 'pricing', role: 'member' },
    ]);
    const { events } = await listAuditEvents({ action: 'auth.sign-in', actor: 'bob', limit: 1 });
    expect(events[0]).toMatchObject({
      before: { platformRoles: [], memberships: { fraud: 'approver', forecast: 'viewer' } },
      after: { platformRoles: ['platform-admin'], memberships: { forecast: 'viewer', pricing: 'member' } },
    });
  });

  it('accepts groups given as one space- or comma-separated string', async () => {
    const user = await syncUserFromClaims(
      { sub: 'sub-x', preferred_username: 'x', groups: 'mlp:fraud:viewer, mlp:oncall' },
      settings,
    );
    expect(user.platformRoles).toEqual(['oncall']);
    expect(user.memberships).toEqual([{ tenant: 'fraud', role: 'viewer' }]);
  });

  it('rejects claims without a subject', async () => {
    await expect(syncUserFromClaims({ preferred_username: 'nosub' }, settings)).rejects.toThrow();
    expect(await getDb().user.count({ where: { username: 'nosub' } })).toBe(0);
  });

  it('loads nothing for an unknown id', async () => {
    expect(await loadSessionUser('00000000-0000-0000-0000-000000000000')).toBeNull();
  });
});
