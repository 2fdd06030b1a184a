/**
 * The notification server actions against a real PostgreSQL, for what the service's own tests
 * (lib/notifications/*.int.test.ts) do not cover: the door of each action — a caller without a
 * session refused before the input is read, the first permission refused and audited under the
 * action's name — and the shapes the pages send (a form's comma-separated events and its
 * enabled switch), the secret in the answer once, a test event queued for one endpoint,
 * "news of your requests" on the inbox, and paging through the inbox with `nextBefore`.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPerson, useTestDatabase, type TestDatabase } from '../../test/db';
import type { SessionUser } from '../../lib/auth/users';
import { getDb } from '../../lib/db/client';
import { promotionRejected, promotionRequested } from '../../lib/notifications/events';
import { emitNotification } from '../../lib/notifications/outbox';
import { getSubscriptions, listInbox, listWebhooks, unreadCount } from '../../lib/notifications/service';
import { waitingOnYou } from '../../lib/notifications/waiting-view';
import { closeRateLimits } from '../../lib/security/rate-limit';

// The session is next-auth's (it needs a Next.js request); here it is whoever the test says.
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock('../../lib/auth/session', () => ({ getCurrentUser: async () => session.user }));
// revalidatePath needs a Next.js request too; the pages it refreshes are not rendered here.
vi.mock('next/cache', () => ({ revalidatePath: () => undefined }));

const {
  createWebhookAction,
  deleteWebhookAction,
  markReadAction,
  saveSubscriptionsAction,
  sendTestEventAction,
  updateWebhookAction,
} = await import('./actions');

let database: TestDatabase;
const people = {} as Record<'alice' | 'bob' | 'dora' | 'pat', SessionUser>;
let fraudId = '';

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
}

const audits = (action: string) =>
  getDb().auditEvent.findMany({ where: { action }, orderBy: { id: 'asc' }, select: { actor: true, outcome: true } });

async function webhookOfDora(name: string) {
  session.user = people.dora;
  const created = await createWebhookAction(null, {
    tenant: 'fraud',
    name,
    url: `https://receiver.example.com/${name}`,
  });
  if (!created.ok || !('secret' in created)) throw new Error(JSON.stringify(created));
  const webhook = (await listWebhooks(people.dora, 'fraud')).find((w) => w.name === name)!;
  session.user = null;
  return { webhook, secret: created.secret };
}

beforeAll(async () => {
  database = await useTestDatabase();
  const fraud = await getDb().tenant.create({ data: { name: 'fraud', displayName: 'Fraud', status: 'active' } });
  const pricing = await getDb().tenant.create({ data: { name: 'pricing', displayName: 'Pricing', status: 'active' } });
  fraudId = fraud.id;
  people.alice = await createPerson('alice', [[fraud.id, 'member']]);
  people.bob = await createPerson('bob', [[fraud.id, 'approver']]);
  people.dora = await createPerson('dora', [[fraud.id, 'admin']]);
  people.pat = await createPerson('pat', [[pricing.id, 'admin']]);
});

afterAll(async () => {
  await closeRateLimits();
  await getDb().$disconnect();
  await database?.drop();
});

beforeEach(() => {
  session.user = null;
});

describe('without a session', () => {
  it('every action refuses before reading its input, and nothing changes or is audited', async () => {
    const { webhook } = await webhookOfDora('anonymous-target');
    const auditBefore = await getDb().auditEvent.count();
    // Input no schema accepts: a refusal in the schema's words would show it was parsed.
    const garbage = { tenant: { $gt: '' }, webhookId: 42, changes: 'all', ids: 'every' } as never;
    const calls = [
      createWebhookAction,
      updateWebhookAction,
      deleteWebhookAction,
      sendTestEventAction,
      markReadAction,
      saveSubscriptionsAction,
    ];
    for (const action of calls) {
      expect(await action(null, garbage)).toEqual({ ok: false, error: 'Your session has ended: sign in again.' });
      expect(await action(null, { tenant: 'fraud', webhookId: webhook.id } as never)).toEqual({
        ok: false,
        error: 'Your session has ended: sign in again.',
      });
    }
    // Anonymous calls are counted per address and minute, never audited with their input.
    expect(await getDb().auditEvent.count()).toBe(auditBefore);
    expect(await getDb().notificationEvent.count({ where: { kind: 'test' } })).toBe(0);
    expect((await listWebhooks(people.dora, 'fraud')).map((w) => w.name)).toContain('anonymous-target');
  });
});

describe('webhook actions', () => {
  it('refuse anyone but an admin of the tenant (audited as denied), whatever tenant the input names', async () => {
    const { webhook } = await webhookOfDora('refusals');
    const before = await getDb().webhookEndpoint.count();
    for (const user of [people.alice, people.bob, people.pat]) {
      session.user = user;
      const ref = { tenant: 'fraud', webhookId: webhook.id };
      for (const answer of [
        await createWebhookAction(null, { tenant: 'fraud', name: 'mine', url: 'https://receiver.example.com/x' }),
        await updateWebhookAction(null, { ...ref, url: 'https://attacker.example.com/' }),
        await updateWebhookAction(null, { ...ref, rotateSecret: true }),
        await deleteWebhookAction(null, ref),
        await sendTestEventAction(null, ref),
      ])
        expect(answer).toEqual({ ok: false, error: 'You are not allowed to do this.' });
    }
    // A tenant that does not exist is refused in the same words as one the caller may not manage.
    session.user = people.dora;
    expect(
      await createWebhookAction(null, { tenant: 'no-such-tenant', name: 'x', url: 'https://receiver.example.com/x' }),
    ).toEqual({ ok: false, error: 'You are not allowed to do this.' });
    // Pat administers pricing: naming pricing does not reach fraud's webhook.
    session.user = people.pat;
    expect(await deleteWebhookAction(null, { tenant: 'pricing', webhookId: webhook.id })).toEqual({
      ok: false,
      error: 'There is no such webhook in this tenant.',
    });

    expect(await getDb().webhookEndpoint.count()).toBe(before);
    const [unchanged] = (await listWebhooks(people.dora, 'fraud')).filter((w) => w.id === webhook.id);
    expect(unchanged).toMatchObject({ url: webhook.url, secretPrefix: webhook.secretPrefix });
    expect(await getDb().notificationEvent.count({ where: { kind: 'test' } })).toBe(0);
    const denied = (action: string) =>
      getDb().auditEvent.count({ where: { action, outcome: 'denied', actor: { in: ['alice', 'bob', 'pat'] } } });
    expect(await denied('notification.webhook.create')).toBe(3);
    expect(await denied('notification.webhook.update')).toBe(6);
    expect(await denied('notification.webhook.test')).toBe(3);
    expect(await denied('notification.webhook.delete')).toBe(3);
  });

  it('create from the page’s form: events as one comma-separated field, the switch off, the secret in the answer once', async () => {
    session.user = people.dora;
    const answer = await createWebhookAction(
      null,
      form({
        tenant: 'fraud',
        name: '#fraud-alerts',
        url: 'https://hooks.example.com/services/T000/B000',
        format: 'slack',
        kinds: 'promotion.requested,rollout.rolled_back.automatic',
        enabled: 'false',
      }),
    );
    if (!answer.ok || !('secret' in answer)) throw new Error(JSON.stringify(answer));
    expect(answer.secret).toMatch(/^whsec_[A-Za-z0-9_-]{40,}$/);
    expect(answer.message).toContain('shown only this once');
    const webhook = (await listWebhooks(people.dora, 'fraud')).find((w) => w.name === '#fraud-alerts')!;
    expect(answer.href).toBe(`/t/fraud/webhooks/${webhook.id}`);
    expect(webhook).toMatchObject({
      format: 'slack',
      kinds: ['promotion.requested', 'rollout.rolled_back.automatic'],
      enabled: false,
      secretPrefix: answer.secret.slice(0, 12),
    });
    expect(JSON.stringify(webhook)).not.toContain(answer.secret);
    // A chat's webhook URL is a credential: pages and the audit log see its origin and last characters only.
    expect(webhook.url).toBe('https://hooks.example.com/…B000');
    const audited = await getDb().auditEvent.findMany({
      where: { action: { startsWith: 'notification.webhook.' } },
      select: { before: true, after: true },
    });
    expect(JSON.stringify(audited)).not.toContain('T000/B000');

    // Saving the settings form again (its URL field left blank) keeps the URL and answers no secret;
    // rotating answers a new one, once.
    const saved = await updateWebhookAction(
      null,
      form({ tenant: 'fraud', webhookId: webhook.id, name: '#fraud-alerts', url: '', kinds: '' }),
    );
    expect(saved).toEqual({ ok: true, message: 'Saved.' });
    expect((await getDb().webhookEndpoint.findUniqueOrThrow({ where: { id: webhook.id } })).url).toBe(
      'https://hooks.example.com/services/T000/B000',
    );
    expect((await listWebhooks(people.dora, 'fraud')).find((w) => w.id === webhook.id)!.kinds).toEqual([]);
    const rotated = await updateWebhookAction(null, { tenant: 'fraud', webhookId: webhook.id, rotateSecret: true });
    if (!rotated.ok || !('secret' in rotated)) throw new Error(JSON.stringify(rotated));
    expect(rotated.secret).not.toBe(answer.secret);
    expect(rotated.message).toContain('shown only this once');
    expect(await updateWebhookAction(null, { tenant: 'fraud', webhookId: webhook.id, enabled: true })).toEqual({
      ok: true,
      message: 'The webhook is enabled.',
    });
  });

  it('reports a bad URL as a field error and makes nothing', async () => {
    session.user = people.dora;
    const before = await getDb().webhookEndpoint.count();
    const answer = await createWebhookAction(
      null,
      form({ tenant: 'fraud', name: 'creds', url: 'https://user:pw@hooks.example.com/x' }),
    );
    expect(answer).toMatchObject({ ok: false, fieldErrors: { url: expect.any(String) } });
    expect(await getDb().webhookEndpoint.count()).toBe(before);
  });

  it('send test queues one test event for that endpoint only, even disabled; delete answers where to go', async () => {
    const { webhook: target } = await webhookOfDora('test-target');
    const { webhook: other } = await webhookOfDora('other');
    session.user = people.dora;
    await updateWebhookAction(null, { tenant: 'fraud', webhookId: target.id, enabled: false });
    const answer = await sendTestEventAction(null, form({ tenant: 'fraud', webhookId: target.id }));
    expect(answer).toMatchObject({ ok: true, message: expect.stringMatching(/^Test event [0-9a-f-]{36} queued/) });
    const events = await getDb().notificationEvent.findMany({ where: { kind: 'test' }, include: { deliveries: true } });
    expect(events).toHaveLength(1);
    expect(events[0]!.deliveries.map((d) => [d.endpointId, d.status])).toEqual([[target.id, 'pending']]);
    expect(await getDb().inboxItem.count({ where: { eventId: events[0]!.id } })).toBe(0);

    expect(await deleteWebhookAction(null, { tenant: 'fraud', webhookId: target.id })).toEqual({
      ok: true,
      message: 'Deleted the webhook and its delivery log.',
      href: '/t/fraud/webhooks',
    });
    expect(await getDb().webhookDelivery.count({ where: { endpointId: target.id } })).toBe(0);
    expect((await listWebhooks(people.dora, 'fraud')).map((w) => w.id)).toContain(other.id);
    expect((await audits('notification.webhook.test')).at(-1)).toEqual({ actor: 'dora', outcome: 'success' });
  });
});

describe('inbox and subscription actions', () => {
  it('mark read through the action: one’s own items only, then all; the answer says how many', async () => {
    const request = await getDb().promotionRequest.create({
      data: {
        tenantId: fraudId,
        modelName: 'fraud-model',
        version: '3',
        runId: 'a'.repeat(32),
        storageUri: 's3://mlflow/fraud/model',
        endpoint: 'fraud-detector',
        requesterId: people.alice.id,
        requesterName: 'alice',
        notes: 'notes',
        modelCardUrl: 'https://wiki.example.com/card',
        gates: [],
        policy: {},
        requiredApprovals: 1,
        expiresAt: new Date(Date.now() + 3_600_000),
      },
    });
    await getDb().$transaction(async (tx) => {
      await emitNotification(tx, promotionRequested('fraud', request, []), {
        requesterId: people.alice.id,
        actorId: people.alice.id,
      });
      await emitNotification(tx, promotionRejected('fraud', request, 'bob', 'AUC too low'), {
        requesterId: people.alice.id,
        actorId: people.bob.id,
      });
    });
    const bobsItem = await getDb().inboxItem.findFirstOrThrow({ where: { userId: people.bob.id } });

    // Alice's "waiting on you" shows the decision on her own request; bob's shows the request to decide.
    const aliceWaits = await waitingOnYou(people.alice, [{ name: 'fraud', status: 'active' }]);
    expect(aliceWaits.yourRequests.map((i) => i.kind)).toEqual(['promotion.rejected']);
    const bobWaits = await waitingOnYou(people.bob, [{ name: 'fraud', status: 'active' }]);
    expect(bobWaits.yourRequests).toEqual([]);
    expect(bobWaits.approvals.shown.map((r) => r.requestId)).toEqual([request.id]);

    session.user = people.alice;
    expect(await markReadAction(null, { ids: [bobsItem.id] })).toEqual({ ok: true, message: 'Nothing was unread.' });
    expect(await unreadCount(people.bob)).toBe(1);
    expect(await markReadAction(null, { all: true })).toEqual({ ok: true, message: 'Marked 1 item read.' });
    expect(await unreadCount(people.alice)).toBe(0);
    expect((await waitingOnYou(people.alice, [{ name: 'fraud', status: 'active' }])).yourRequests).toEqual([]);
    session.user = people.bob;
    expect(await markReadAction(null, { ids: [bobsItem.id] })).toEqual({ ok: true, message: 'Marked 1 item read.' });
    expect(await markReadAction(null, { ids: ['not-an-id'] })).toMatchObject({ ok: false, fieldErrors: {} });
  });

  it('the settings say a request to approve concerns approvers and admins by default, not members', async () => {
    const concerns = async (user: SessionUser) =>
      (await getSubscriptions(user))[0]!.kinds.find((k) => k.kind === 'promotion.requested')!.concernsByDefault;
    expect(await concerns(people.bob)).toBe(true);
    expect(await concerns(people.dora)).toBe(true);
    expect(await concerns(people.alice)).toBe(false);
  });

  it('save subscriptions: the changes are kept; a tenant the person does not see is refused in words', async () => {
    session.user = people.alice;
    expect(
      await saveSubscriptionsAction(null, {
        changes: [
          { tenant: 'fraud', kind: 'canary.step', mode: 'all' },
          { tenant: 'fraud', kind: 'promotion.rejected', mode: 'none' },
        ],
      }),
    ).toEqual({ ok: true, message: 'Saved 2 changes.' });
    expect(
      await saveSubscriptionsAction(null, { changes: [{ tenant: 'pricing', kind: 'canary.step', mode: 'all' }] }),
    ).toMatchObject({ ok: false, error: expect.stringContaining('You may not subscribe to') });
    expect(await saveSubscriptionsAction(null, { changes: [] })).toMatchObject({
      ok: false,
      fieldErrors: { changes: 'Nothing to change' },
    });
    const rows = await getDb().notificationSubscription.findMany({
      where: { userId: people.alice.id },
      select: { kind: true, subscribed: true },
      orderBy: { kind: 'asc' },
    });
    expect(rows).toEqual([
      { kind: 'canary.step', subscribed: true },
      { kind: 'promotion.rejected', subscribed: false },
    ]);
  });
});

describe('inbox pages', () => {
  it('pages through every item once, newest first, with nextBefore; the last page has none', async () => {
    for (const version of ['10', '11', '12', '13', '14']) {
      const request = await getDb().promotionRequest.create({
        data: {
          tenantId: fraudId,
          modelName: 'paged-model',
          version,
          runId: 'b'.repeat(32),
          storageUri: 's3://mlflow/fraud/paged',
          endpoint: 'fraud-detector',
          requesterId: people.alice.id,
          requesterName: 'alice',
          notes: 'notes',
          modelCardUrl: 'https://wiki.example.com/card',
          gates: [],
          policy: {},
          requiredApprovals: 1,
          expiresAt: new Date(Date.now() + 3_600_000),
        },
      });
      await getDb().$transaction((tx) =>
        emitNotification(tx, promotionRequested('fraud', request, []), {
          requesterId: people.alice.id,
          actorId: people.alice.id,
        }),
      );
    }
    const all = (await listInbox(people.dora, { limit: 200 })).items;
    const seen: string[] = [];
    const sizes: number[] = [];
    let before: string | undefined;
    for (;;) {
      const page = await listInbox(people.dora, { limit: 2, ...(before ? { before } : {}) });
      seen.push(...page.items.map((i) => i.id));
      sizes.push(page.items.length);
      if (!page.nextBefore) break;
      before = page.nextBefore;
    }
    expect(seen).toEqual(all.map((i) => i.id));
    expect(all.slice(0, 5).map((i) => i.data.version)).toEqual(['14', '13', '12', '11', '10']);
    expect(sizes.slice(0, -1).every((size) => size === 2)).toBe(true);
    expect(sizes.at(-1)).toBeLessThanOrEqual(2);
  });
});
