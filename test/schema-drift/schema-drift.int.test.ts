import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../db';
import { schemaFromDatabase } from './database';
import { diffSchemas } from './diff';
import { schemaFromPrisma } from './prisma';

const SCHEMA_PATH = path.resolve(import.meta.dirname, '../../prisma/schema.prisma');

let schemaText = '';
const databases: TestDatabase[] = [];

beforeAll(async () => {
  schemaText = await readFile(SCHEMA_PATH, 'utf8');
});
afterAll(async () => Promise.all(databases.map((d) => d.drop())));

/**
 * The schema-drift check end to end: prisma/migrations applied to a real PostgreSQL against
 * prisma/schema.prisma (Prisma's schema engine, which would do this, cannot be downloaded here).
 * diff.test.ts shows each kind of difference on hand-made descriptions; this file shows that both
 * sides are read right, from schema.prisma and from the database's catalog.
 */

/** Drift between `schema` and a fresh database (migrated unless told otherwise) after running `sql` on it. */
async function driftAfter(sql: string, options: { schema?: string; migrated?: boolean } = {}): Promise<string[]> {
  const database = await createTestDatabase({ migrated: options.migrated ?? true });
  databases.push(database);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    if (sql) await client.query(sql);
    return diffSchemas(schemaFromPrisma(options.schema ?? schemaText), await schemaFromDatabase(client));
  } finally {
    await client.end();
  }
}

/** schema.prisma with edits applied; fails loudly if a text to replace is gone. */
function editedSchema(...edits: [search: string, replacement: string][]): string {
  return edits.reduce((text, [search, replacement]) => {
    if (!text.includes(search)) throw new Error(`schema.prisma no longer contains ${JSON.stringify(search)}`);
    return text.replace(search, replacement);
  }, schemaText);
}

describe('schema drift', () => {
  // The CI guard: every change to schema.prisma needs a matching migration in prisma/migrations.
  it('finds none between a freshly migrated database and prisma/schema.prisma', async () => {
    const drift = await driftAfter('');
    expect(
      drift,
      `prisma/migrations does not produce what prisma/schema.prisma describes:\n  ${drift.join('\n  ')}\n`,
    ).toEqual([]);
  });

  it('reports every enum and table of the schema as missing in an empty database', async () => {
    const drift = await driftAfter('', { migrated: false });
    expect(drift).toEqual([
      `enum "PlatformRole": missing — schema.prisma expects values 'platform-admin', 'oncall', 'manager', database has no such type`,
      `enum "TenantRole": missing — schema.prisma expects values 'viewer', 'member', 'approver', 'admin', database has no such type`,
      `enum "MembershipSource": missing — schema.prisma expects values 'idp', 'portal', database has no such type`,
      `enum "TenantStatus": missing — schema.prisma expects values 'provisioning', 'active', 'incomplete', 'archived', database has no such type`,
      `enum "AuditOutcome": missing — schema.prisma expects values 'success', 'denied', 'failed', database has no such type`,
      `enum "ProvisioningOperation": missing — schema.prisma expects values 'provision', 'archive', database has no such type`,
      `enum "ProvisioningStepState": missing — schema.prisma expects values 'pending', 'running', 'done', 'failed', database has no such type`,
      `enum "PolicyChangeStatus": missing — schema.prisma expects values 'applied', 'pending', 'accepted', 'rejected', 'superseded', database has no such type`,
      `enum "PromotionStatus": missing — schema.prisma expects values 'pending', 'rejected', 'expired', 'cancelled', 'deploying', 'deployed', 'failed', database has no such type`,
      `enum "ApprovalDecision": missing — schema.prisma expects values 'approve', 'reject', database has no such type`,
      `enum "RolloutState": missing — schema.prisma expects values 'progressing', 'promoted', 'rolled-back', 'superseded', database has no such type`,
      `enum "ApiTokenKind": missing — schema.prisma expects values 'personal', 'service', database has no such type`,
      `enum "WebhookFormat": missing — schema.prisma expects values 'generic', 'slack', 'teams', database has no such type`,
      `enum "WebhookDeliveryStatus": missing — schema.prisma expects values 'pending', 'delivered', 'failed-permanently', database has no such type`,
      'users: table missing — schema.prisma has model User, database has no such table',
      'tenants: table missing — schema.prisma has model Tenant, database has no such table',
      'tenant_provisioning_steps: table missing — schema.prisma has model TenantProvisioningStep, database has no such table',
      'memberships: table missing — schema.prisma has model Membership, database has no such table',
      'audit_events: table missing — schema.prisma has model AuditEvent, database has no such table',
      'promotion_policies: table missing — schema.prisma has model PromotionPolicy, database has no such table',
      'policy_changes: table missing — schema.prisma has model PolicyChange, database has no such table',
      'promotion_requests: table missing — schema.prisma has model PromotionRequest, database has no such table',
      'approvals: table missing — schema.prisma has model Approval, database has no such table',
      'rollouts: table missing — schema.prisma has model Rollout, database has no such table',
      'rollout_events: table missing — schema.prisma has model RolloutEvent, database has no such table',
      'break_glass_changes: table missing — schema.prisma has model BreakGlassChange, database has no such table',
      'ops_thresholds: table missing — schema.prisma has model OpsThresholds, database has no such table',
      'slo_definitions: table missing — schema.prisma has model SloDefinition, database has no such table',
      'rate_limits: table missing — schema.prisma has model RateLimit, database has no such table',
      'anonymous_refusals: table missing — schema.prisma has model AnonymousRefusal, database has no such table',
      'api_tokens: table missing — schema.prisma has model ApiToken, database has no such table',
      'notification_events: table missing — schema.prisma has model NotificationEvent, database has no such table',
      'webhook_endpoints: table missing — schema.prisma has model WebhookEndpoint, database has no such table',
      'webhook_deliveries: table missing — schema.prisma has model WebhookDelivery, database has no such table',
      'webhook_delivery_attempts: table missing — schema.prisma has model WebhookDeliveryAttempt, database has no such table',
      'inbox_items: table missing — schema.prisma has model InboxItem, database has no such table',
      'notification_subscriptions: table missing — schema.prisma has model NotificationSubscription, database has no such table',
      'notification_conditions: table missing — schema.prisma has model NotificationCondition, database has no such table',
    ]);
  });

  describe('catches a database that differs from schema.prisma', () => {
    it('a dropped index', async () => {
      expect(await driftAfter('DROP INDEX "audit_events_actor_occurred_at_idx"')).toEqual([
        'audit_events: index audit_events_actor_occurred_at_idx missing — schema.prisma expects INDEX (actor, occurred_at), database has none',
      ]);
    });

    it('an index on other columns or in another order', async () => {
      const drift = await driftAfter(`
        DROP INDEX "audit_events_tenant_occurred_at_idx";
        CREATE INDEX "audit_events_tenant_occurred_at_idx" ON "audit_events"("occurred_at", "tenant");`);
      expect(drift).toEqual([
        'audit_events: index audit_events_tenant_occurred_at_idx differs — schema.prisma expects INDEX (tenant, occurred_at), database has INDEX (occurred_at, tenant)',
      ]);
    });

    it('an index the schema cannot declare: descending, partial', async () => {
      const drift = await driftAfter(`
        DROP INDEX "audit_events_actor_occurred_at_idx";
        CREATE INDEX "audit_events_actor_occurred_at_idx" ON "audit_events"("actor" DESC, "occurred_at");
        CREATE INDEX "tenants_archived_idx" ON "tenants"("name") WHERE "status" = 'archived';`);
      expect(drift).toEqual([
        `tenants: extra index tenants_archived_idx in the database (USING btree (name) WHERE (status = 'archived'::"TenantStatus")), schema.prisma does not declare it`,
        'audit_events: index audit_events_actor_occurred_at_idx differs — schema.prisma expects INDEX (actor, occurred_at), database has USING btree (actor DESC, occurred_at)',
      ]);
    });

    it('an extra column', async () => {
      expect(await driftAfter('ALTER TABLE "users" ADD COLUMN "nickname" TEXT')).toEqual([
        'users.nickname: extra column in the database (text NULL), schema.prisma has no field for it',
      ]);
    });

    it('a changed or missing default', async () => {
      const drift = await driftAfter(`
        ALTER TABLE "tenants" ALTER COLUMN "status" DROP DEFAULT;
        ALTER TABLE "tenants" ALTER COLUMN "description" SET DEFAULT 'none';`);
      expect(drift).toEqual([
        `tenants.description: default differs — schema.prisma expects ''::text, database has 'none'::text`,
        `tenants.status: default differs — schema.prisma expects 'provisioning'::"TenantStatus", database has none`,
      ]);
    });

    it('NOT NULL where the field is optional, and NULL where it is required', async () => {
      const drift = await driftAfter(`
        ALTER TABLE "users" ALTER COLUMN "email" SET NOT NULL;
        ALTER TABLE "tenants" ALTER COLUMN "display_name" DROP NOT NULL;`);
      expect(drift).toEqual([
        'users.email: nullability differs — schema.prisma expects NULL, database has NOT NULL',
        'tenants.display_name: nullability differs — schema.prisma expects NOT NULL, database has NULL',
      ]);
    });

    it('a missing enum value', async () => {
      // PostgreSQL cannot drop an enum value: recreate the type without it.
      const drift = await driftAfter(`
        ALTER TYPE "AuditOutcome" RENAME TO "AuditOutcome_old";
        CREATE TYPE "AuditOutcome" AS ENUM ('success', 'denied');
        ALTER TABLE "audit_events" ALTER COLUMN "outcome" TYPE "AuditOutcome" USING "outcome"::text::"AuditOutcome";
        DROP TYPE "AuditOutcome_old";`);
      expect(drift).toEqual([
        `enum "AuditOutcome": values differ (missing 'failed') — schema.prisma expects 'success', 'denied', 'failed', database has 'success', 'denied'`,
      ]);
    });

    it('a foreign key with another ON DELETE action', async () => {
      const drift = await driftAfter(`
        ALTER TABLE "memberships" DROP CONSTRAINT "memberships_tenant_id_fkey";
        ALTER TABLE "memberships" ADD CONSTRAINT "memberships_tenant_id_fkey" FOREIGN KEY ("tenant_id")
          REFERENCES "tenants"("id") ON DELETE RESTRICT ON UPDATE CASCADE;`);
      expect(drift).toEqual([
        'memberships: foreign key memberships_tenant_id_fkey differs — schema.prisma expects FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE CASCADE ON UPDATE CASCADE, database has FOREIGN KEY (tenant_id) REFERENCES tenants(id) ON DELETE RESTRICT ON UPDATE CASCADE',
      ]);
    });

    it('another varchar length', async () => {
      expect(await driftAfter('ALTER TABLE "tenants" ALTER COLUMN "name" TYPE VARCHAR(100)')).toEqual([
        'tenants.name: type differs — schema.prisma expects character varying(63), database has character varying(100)',
      ]);
    });

    it('a dropped table', async () => {
      expect(await driftAfter('DROP TABLE "memberships"')).toEqual([
        'memberships: table missing — schema.prisma has model Membership, database has no such table',
      ]);
    });

    it('a unique index under a name other than Prisma’s', async () => {
      expect(await driftAfter('ALTER INDEX "users_email_key" RENAME TO "users_email_unique"')).toEqual([
        'users: index users_email_unique is misnamed — schema.prisma expects the name users_email_key for UNIQUE INDEX (email)',
      ]);
    });
  });

  describe('catches schema.prisma changes without a migration', () => {
    it('a new field', async () => {
      const schema = editedSchema([
        '  name              String?\n',
        '  name              String?\n  nickname          String? @db.VarChar(40)\n',
      ]);
      expect(await driftAfter('', { schema })).toEqual([
        'users.nickname: column missing — schema.prisma has User.nickname (character varying(40) NULL), database has no such column',
      ]);
    });

    it('a new enum value, index and relation action', async () => {
      const schema = editedSchema(
        ['  archived\n}', '  archived\n  suspended\n}'],
        ['  @@index([status])\n', '  @@index([status])\n  @@index([archivedAt])\n'],
        // onDelete left out: Prisma's default for a required relation is Restrict.
        ['references: [id], onDelete: Cascade)\n  tenant', 'references: [id])\n  tenant'],
      );
      expect(await driftAfter('', { schema })).toEqual([
        `enum "TenantStatus": values differ (missing 'suspended') — schema.prisma expects 'provisioning', 'active', 'incomplete', 'archived', 'suspended', database has 'provisioning', 'active', 'incomplete', 'archived'`,
        'tenants: index tenants_archived_at_idx missing — schema.prisma expects INDEX (archived_at), database has none',
        'memberships: foreign key memberships_user_id_fkey differs — schema.prisma expects FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE RESTRICT ON UPDATE CASCADE, database has FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE ON UPDATE CASCADE',
      ]);
    });
  });
});
