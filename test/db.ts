import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { loadSessionUser, type SessionUser } from '../lib/auth/users';
import type { TenantRole } from '../lib/auth/authorize';
import { getDb } from '../lib/db/client';
import { migrate } from '../lib/db/migrator';

export interface TestDatabase {
  url: string;
  /** Drops the database; call in afterAll. */
  drop(): Promise<void>;
}

/** A new, empty database on the test PostgreSQL; migrated unless `migrated: false`. */
export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const adminUrl = inject('pgAdminUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  if (options.migrated !== false) await migrate(url.toString());
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

/** Points getDb() at a fresh migrated database for this test file. */
export async function useTestDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase();
  process.env.DATABASE_URL = database.url;
  return database;
}

/**
 * Users with a membership each in `tenantId`, as sign-in sync would make them; an approver (or
 * admin) has held the role for an hour, so their approvals of requests filed in the test count.
 */
export async function createMembers<Name extends string>(
  tenantId: string,
  roles: Record<Name, 'member' | 'approver'>,
): Promise<Record<Name, { id: string; name: string }>> {
  const users = {} as Record<Name, { id: string; name: string }>;
  for (const [name, role] of Object.entries(roles) as [Name, 'member' | 'approver'][]) {
    const row = await getDb().user.create({ data: { subject: name, username: name } });
    await getDb().membership.create({
      data: {
        userId: row.id,
        tenantId,
        role,
        source: 'idp',
        approverSince: role === 'approver' ? new Date(Date.now() - 3_600_000) : null,
      },
    });
    users[name] = { id: row.id, name };
  }
  return users;
}

/** A person with a role in each of several tenants (an approver's or admin's standing an hour old), as the session sees them. */
export async function createPerson(
  name: string,
  memberships: [tenantId: string, role: TenantRole][],
): Promise<SessionUser> {
  const user = await getDb().user.create({ data: { subject: name, username: name } });
  for (const [tenantId, role] of memberships)
    await getDb().membership.create({
      data: {
        userId: user.id,
        tenantId,
        role,
        source: 'idp',
        approverSince: role === 'approver' || role === 'admin' ? new Date(Date.now() - 3_600_000) : null,
      },
    });
  return (await loadSessionUser(user.id))!;
}
