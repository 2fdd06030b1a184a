import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase, type TestDatabase } from '../../test/db';
import { getDb } from '../db/client';
import { requestContext } from '../observability/request-context';
import { recordAudit, recordAuditAlone, verifyAuditLog } from './log';

let database: TestDatabase;
beforeAll(async () => {
  database = await useTestDatabase();
});
afterAll(async () => {
  await getDb().$disconnect();
  await database.drop();
});

// What a browser can send that PostgreSQL cannot store as it is: NUL (in text and as \u0000 in
// jsonb), lone UTF-16 surrogates, and sizes nobody should keep.
const NUL = '\u0000';
const LONE = '\uD800';
const huge = 'h'.repeat(2_000_000);

describe('the audit log takes any input', () => {
  it('stores NUL, lone surrogates and huge values everywhere, in the same transaction as the change', async () => {
    const username = `u-${randomUUID()}`;
    await requestContext.run({ requestId: `req${NUL}${LONE}` }, () =>
      getDb().$transaction(async (tx) => {
        await tx.user.create({ data: { subject: `s-${username}`, username } });
        await recordAudit(tx, {
          actor: { name: `mallory${NUL}${LONE}${huge}` },
          action: `membership.add${NUL}`,
          tenant: `fraud${LONE}`,
          target: { type: `user${NUL}`, id: `${LONE}${huge}` },
          before: { [`key${NUL}`]: `v${LONE}`, list: [NUL, LONE, { deep: `${NUL}${huge}` }] },
          after: {
            input: { user: `${huge}${NUL}`, role: `admin${LONE}` },
            many: Array.from({ length: 100_000 }, (_, i) => i),
          },
          outcome: 'denied',
          reason: `because${NUL}${LONE}${huge}`,
        });
      }),
    );
    // The change and its event both exist.
    expect(await getDb().user.count({ where: { username } })).toBe(1);
    const [event] = await getDb().auditEvent.findMany({ orderBy: { id: 'desc' }, take: 1 });
    expect(event!.actor.startsWith('mallory\uFFFD\uFFFD')).toBe(true);
    expect(event!.actor.length).toBeLessThanOrEqual(200);
    expect(event!.action).toBe('membership.add\uFFFD');
    expect(event!.tenant).toBe('fraud\uFFFD');
    expect(event!.targetId!.length).toBeLessThanOrEqual(1000);
    expect(event!.reason!.length).toBeLessThanOrEqual(2000);
    expect(event!.requestId).toBe('req\uFFFD\uFFFD');
    expect(event!.before).toMatchObject({
      'key\uFFFD': 'v\uFFFD',
      list: ['\uFFFD', '\uFFFD', { deep: expect.stringMatching(/^\uFFFDh+…$/) }],
    });
    expect(JSON.stringify(event!.after).length).toBeLessThanOrEqual(64_000);
    expect(await verifyAuditLog()).toMatchObject({ ok: true, checked: 1 });
  });

  it('keeps the chain verifiable for events written alone', async () => {
    await recordAuditAlone({
      actor: { name: `a${NUL}` },
      action: 'tenant.create',
      outcome: 'failed',
      reason: LONE,
      after: { name: `${NUL}${LONE}` },
    });
    expect(await verifyAuditLog()).toMatchObject({ ok: true, checked: 2 });
  });
});
