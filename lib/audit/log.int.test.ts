import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase, type TestDatabase } from '../../test/db';
import { getDb } from '../db/client';
import { requestContext } from '../observability/request-context';
import { listAuditEvents, recordAudit, recordAuditAlone, verifyAuditLog } from './log';

let database: TestDatabase;
beforeAll(async () => {
  database = await useTestDatabase();
});
afterAll(async () => {
  await getDb().$disconnect();
  await database.drop();
});

async function sql(text: string) {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return await client.query(text);
  } finally {
    await client.end();
  }
}

describe('audit log', () => {
  it('writes events in the caller transaction, chained, with the request id', async () => {
    await requestContext.run({ requestId: 'req-1' }, () =>
      recordAuditAlone({
        actor: { name: 'frank' },
        action: 'tenant.create',
        tenant: 'fraud',
        target: { type: 'tenant', id: 'fraud' },
        after: { name: 'fraud' },
        outcome: 'success',
      }),
    );
    // A transaction that fails takes its audit event with it.
    await expect(
      getDb().$transaction(async (tx) => {
        await recordAudit(tx, {
          actor: { name: 'frank' },
          action: 'tenant.create',
          tenant: 'ghost',
          outcome: 'success',
        });
        throw new Error('change failed');
      }),
    ).rejects.toThrow('change failed');

    const { events } = await listAuditEvents({ limit: 10 });
    expect(events.map((e) => e.tenant)).toEqual(['fraud']);
    expect(events[0]).toMatchObject({
      actor: 'frank',
      requestId: 'req-1',
      outcome: 'success',
      after: { name: 'fraud' },
    });
    expect(events[0]!.prevHash).toBe('0'.repeat(64));
  });

  it('keeps one unbroken chain under concurrent writers', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        recordAuditAlone({ actor: { name: `u${i}` }, action: 'membership.add', tenant: 'fraud', outcome: 'success' }),
      ),
    );
    expect(await verifyAuditLog(7)).toMatchObject({ ok: true, checked: 21 });
  });

  it('is refused by the database: no UPDATE, DELETE or TRUNCATE', async () => {
    await expect(sql(`UPDATE audit_events SET actor = 'mallory'`)).rejects.toThrow(/append-only: UPDATE/);
    await expect(sql(`DELETE FROM audit_events`)).rejects.toThrow(/append-only: DELETE/);
    await expect(sql(`TRUNCATE audit_events`)).rejects.toThrow(/append-only: TRUNCATE/);
    await expect(getDb().auditEvent.deleteMany({})).rejects.toThrow();
    expect(await verifyAuditLog()).toMatchObject({ ok: true, checked: 21 });
  });

  it('detects tampering by someone who switched the protection off', async () => {
    // A superuser can bypass triggers; the hash chain still shows what they did.
    const { rows } = await sql(`SELECT id FROM audit_events ORDER BY id OFFSET 4 LIMIT 1`);
    const fifth = BigInt(rows[0].id);
    await sql(
      `SET session_replication_role = replica; UPDATE audit_events SET actor = 'mallory' WHERE id = ${fifth}; SET session_replication_role = origin;`,
    );
    expect(await verifyAuditLog()).toMatchObject({ ok: false, brokenAt: fifth, checked: 4 });
  });

  it('filters by tenant, actor, action prefix and time, newest first, in pages', async () => {
    await recordAuditAlone({
      actor: { name: 'bob' },
      action: 'promotion.approve',
      tenant: 'pricing',
      outcome: 'denied',
    });
    const pricing = await listAuditEvents({ tenant: 'pricing', limit: 10 });
    expect(pricing.events.map((e) => e.actor)).toEqual(['bob']);
    expect((await listAuditEvents({ action: 'membership', limit: 100 })).events).toHaveLength(20);
    // One of the concurrent writers, but not the one whose event the tampering test renamed (its position is random).
    const { rows: untouched } = await sql(
      `SELECT actor FROM audit_events WHERE actor ~ '^u[0-9]+$' ORDER BY id DESC LIMIT 1`,
    );
    expect((await listAuditEvents({ actor: untouched[0].actor, limit: 10 })).events).toHaveLength(1);
    expect((await listAuditEvents({ from: new Date(Date.now() + 60_000), limit: 10 })).events).toHaveLength(0);

    const first = await listAuditEvents({ limit: 8 });
    expect(first.events).toHaveLength(8);
    const second = await listAuditEvents({ limit: 8, before: first.nextBefore });
    expect(second.events[0]!.id).toBeLessThan(first.events[7]!.id);
    const ids = [...first.events, ...second.events].map((e) => e.id);
    expect([...ids].sort((a, b) => (a > b ? -1 : 1))).toEqual(ids);
  });
});
