/**
 * Notifications against a real PostgreSQL and real HTTP: the pages' service (webhooks with their
 * secret shown once, inbox, subscriptions — authorized and audited), the outbox written with its
 * cause or not at all, and webhook delivery by the real worker to a receiver on 127.0.0.1 —
 * signed, in each format, retried after 500s, and neither lost nor repeated when the worker is
 * killed in the middle of a delivery. (Events from the platform's own code paths — promotion,
 * canary, rollback, quota, SLO — are in every-kind.int.test.ts.)
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPerson, useTestDatabase, type TestDatabase } from '../../test/db';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/webhook-receiver';
import { loadSessionUser, type SessionUser } from '../auth/users';
import { getDb } from '../db/client';
import { decidePromotion } from '../promotion/requests';
import { startWorker, type WorkerHandle } from '../rollout/worker';
import { promotionRequested } from './events';
import { emitNotification } from './outbox';
import {
  createWebhook,
  deleteWebhook,
  deliveryLog,
  getSubscriptions,
  listInbox,
  listWebhooks,
  markRead,
  NotificationRefusedError,
  sendTestEvent,
  setSubscriptions,
  unreadCount,
  updateWebhook,
} from './service';

const CHILD = path.resolve(import.meta.dirname, '../../test/notify-worker-child.ts');
let database: TestDatabase;
let receiver: WebhookReceiver;
let worker: WorkerHandle | null = null;
const people: Record<'alice' | 'bob' | 'dora' | 'vic' | 'pat', SessionUser> = {} as never;
let fraudId = '';

/** A pending request of alice's, written as the portal writes one (the gates are the platform test's). */
async function pendingRequest(version: string) {
  return getDb().promotionRequest.create({
    data: {
      tenantId: fraudId,
      modelName: 'fraud-model',
      version,
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
}

async function until<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const audits = (action: string, outcome?: 'success') =>
  getDb().auditEvent.findMany({ where: { action, outcome }, orderBy: { id: 'asc' } });
const deliveryOf = (eventId: string, endpointId: string) =>
  getDb().webhookDelivery.findUnique({
    where: { eventId_endpointId: { eventId, endpointId } },
    include: { attemptLog: { orderBy: { id: 'asc' } } },
  });

function startInProcessWorker(): WorkerHandle {
  return startWorker({
    databaseUrl: database.url,
    intervalMs: 3_600_000,
    resumeDeploymentsAfterMs: 3_600_000,
    name: 'test',
  });
}

beforeAll(async () => {
  database = await useTestDatabase();
  receiver = await startWebhookReceiver();
  const fraud = await getDb().tenant.create({ data: { name: 'fraud', displayName: 'Fraud', status: 'active' } });
  const pricing = await getDb().tenant.create({ data: { name: 'pricing', displayName: 'Pricing', status: 'active' } });
  fraudId = fraud.id;
  people.alice = await createPerson('alice', [[fraud.id, 'member']]);
  people.bob = await createPerson('bob', [[fraud.id, 'approver']]);
  people.dora = await createPerson('dora', [[fraud.id, 'admin']]);
  people.vic = await createPerson('vic', [[fraud.id, 'viewer']]);
  people.pat = await createPerson('pat', [[pricing.id, 'admin']]);
});

afterAll(async () => {
  await worker?.stop();
  await receiver?.close();
  delete process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS;
  await getDb().$disconnect();
  await database?.drop();
});

describe('webhooks: who manages them, and the secret shown once', () => {
  it('refuses a receiver on an internal address unless private networks are allowed', async () => {
    delete process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS;
    await expect(
      createWebhook(people.dora, { tenant: 'fraud', name: 'internal', url: `${receiver.url}/x` }),
    ).rejects.toThrow(/public addresses only/);
    expect(await getDb().webhookEndpoint.count()).toBe(0);
    process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS = 'true';
  });

  it('lets a tenant admin create one; the secret is in the answer once, never in a listing or the audit log', async () => {
    const { webhook, secret } = await createWebhook(people.dora, {
      tenant: 'fraud',
      name: '#fraud-alerts',
      url: `${receiver.url}/generic`,
      format: 'generic',
    });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(webhook).toMatchObject({
      tenant: 'fraud',
      name: '#fraud-alerts',
      format: 'generic',
      kinds: [],
      enabled: true,
      secretPrefix: secret.slice(0, 12),
      createdByName: 'dora',
      deliveries: { pending: 0, failedPermanently: 0, lastDeliveredAt: null },
    });
    const listed = await listWebhooks(people.dora, 'fraud');
    expect(listed.map((w) => w.id)).toEqual([webhook.id]);
    expect(JSON.stringify(listed)).not.toContain(secret);
    const [audit] = await audits('notification.webhook.create');
    expect(audit).toMatchObject({ actor: 'dora', tenant: 'fraud', outcome: 'success', targetId: webhook.id });
    expect(JSON.stringify(audit!.after)).not.toContain(secret);
  });

  it('refuses everyone else — an approver, another tenant’s admin — and audits the refusal', async () => {
    await expect(
      createWebhook(people.bob, { tenant: 'fraud', name: 'mine', url: `${receiver.url}/bob` }),
    ).rejects.toBeInstanceOf(NotificationRefusedError);
    await expect(listWebhooks(people.pat, 'fraud')).rejects.toThrow('Only an admin of the tenant');
    const [webhook] = await listWebhooks(people.dora, 'fraud');
    await expect(deleteWebhook(people.pat, { tenant: 'fraud', webhookId: webhook!.id })).rejects.toThrow(
      'Only an admin of the tenant',
    );
    await expect(sendTestEvent(people.bob, { tenant: 'fraud', webhookId: webhook!.id })).rejects.toThrow(
      'Only an admin of the tenant',
    );
    // Pat may manage pricing's, but not reach fraud's webhook through it.
    await expect(deleteWebhook(people.pat, { tenant: 'pricing', webhookId: webhook!.id })).rejects.toThrow(
      'There is no such webhook in this tenant.',
    );
    const denied = await getDb().auditEvent.findMany({
      where: { outcome: 'denied', action: { startsWith: 'notification.webhook' } },
    });
    expect(denied.map((a) => [a.actor, a.action])).toEqual([
      ['bob', 'notification.webhook.create'],
      ['pat', 'notification.webhook.delete'],
      ['bob', 'notification.webhook.test'],
    ]);
    expect(await getDb().webhookEndpoint.count()).toBe(1);
  });

  it('rotates the secret on request (shown once again) and deletes with an audit', async () => {
    const extra = await createWebhook(people.dora, { tenant: 'fraud', name: 'temp', url: `${receiver.url}/temp` });
    const rotated = await updateWebhook(people.dora, {
      tenant: 'fraud',
      webhookId: extra.webhook.id,
      rotateSecret: true,
    });
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(extra.secret);
    expect(rotated.webhook.secretPrefix).toBe(rotated.secret!.slice(0, 12));
    const renamed = await updateWebhook(people.dora, { tenant: 'fraud', webhookId: extra.webhook.id, name: 'renamed' });
    expect(renamed.secret).toBeUndefined();
    await deleteWebhook(people.dora, { tenant: 'fraud', webhookId: extra.webhook.id });
    expect((await listWebhooks(people.dora, 'fraud')).map((w) => w.name)).toEqual(['#fraud-alerts']);
    expect((await audits('notification.webhook.update')).map((a) => a.after)).toEqual([
      { secretPrefix: rotated.secret!.slice(0, 12) },
      { name: 'renamed' },
    ]);
    expect(await audits('notification.webhook.delete', 'success')).toHaveLength(1);
  });
});

describe('the inbox and subscriptions', () => {
  it('puts a request in the inboxes of those who may approve it, and a decision in the requester’s', async () => {
    const request = await pendingRequest('7');
    await getDb().$transaction((tx) =>
      emitNotification(tx, promotionRequested('fraud', request, []), {
        requesterId: people.alice.id,
        actorId: people.alice.id,
      }),
    );
    expect((await listInbox(people.bob)).items.map((i) => i.kind)).toEqual(['promotion.requested']);
    expect(await unreadCount(people.dora)).toBe(1);
    expect(await unreadCount(people.alice)).toBe(0);
    expect(await unreadCount(people.vic)).toBe(0);

    // The real decision path: bob rejects, alice hears it, bob (who decided) does not.
    await decidePromotion({ id: people.bob.id, name: 'bob' }, 'fraud', request.id, {
      decision: 'reject',
      comment: 'AUC too low',
    });
    const [news] = (await listInbox(people.alice)).items;
    expect(news).toMatchObject({
      kind: 'promotion.rejected',
      kindLabel: 'Promotion rejected',
      tenant: 'fraud',
      title: 'fraud: bob rejected the promotion of fraud-model v7: AUC too low',
      link: `/t/fraud/promotions/${request.id}`,
      readAt: null,
      data: { requestId: request.id, rejectedBy: 'bob', comment: 'AUC too low' },
    });
    expect((await listInbox(people.bob)).items.map((i) => i.kind)).toEqual(['promotion.requested']);
  });

  it('marks one’s own items read, never someone else’s', async () => {
    const [bobs] = (await listInbox(people.bob)).items;
    expect(await markRead(people.dora, { ids: [bobs!.id] })).toEqual({ marked: 0 });
    expect(await markRead(people.bob, { ids: [bobs!.id] })).toEqual({ marked: 1 });
    expect(await unreadCount(people.bob)).toBe(0);
    expect((await listInbox(people.bob, { unreadOnly: true })).items).toEqual([]);
    expect(await markRead(people.dora, { all: true })).toEqual({ marked: 1 });
  });

  it('follows each person’s subscriptions: `all` adds, `none` removes, and only in tenants they may see', async () => {
    await setSubscriptions(people.vic, { changes: [{ tenant: 'fraud', kind: 'promotion.requested', mode: 'all' }] });
    await setSubscriptions(people.dora, { changes: [{ tenant: 'fraud', kind: 'promotion.requested', mode: 'none' }] });
    const request = await pendingRequest('8');
    await getDb().$transaction((tx) =>
      emitNotification(tx, promotionRequested('fraud', request, []), {
        requesterId: people.alice.id,
        actorId: people.alice.id,
      }),
    );
    expect(await unreadCount(people.vic)).toBe(1);
    expect(await unreadCount(people.dora)).toBe(0);
    expect(await unreadCount(people.bob)).toBe(1);

    const vic = await getSubscriptions(people.vic);
    expect(vic.map((t) => t.tenant)).toEqual(['fraud']);
    expect(vic[0]!.kinds.find((k) => k.kind === 'promotion.requested')).toMatchObject({
      mode: 'all',
      concernsByDefault: false,
    });
    // A viewer may not read webhooks' test events, nor anything of pricing.
    await expect(
      setSubscriptions(people.vic, { changes: [{ tenant: 'pricing', kind: 'quota.gpu_high', mode: 'all' }] }),
    ).rejects.toThrow('You may not subscribe to GPU quota above 90 % in pricing.');
    expect((await audits('notification.subscriptions')).map((a) => [a.actor, a.outcome])).toEqual([
      ['vic', 'success'],
      ['dora', 'success'],
      ['vic', 'denied'],
    ]);
    await setSubscriptions(people.dora, {
      changes: [{ tenant: 'fraud', kind: 'promotion.requested', mode: 'default' }],
    });
    expect(await getDb().notificationSubscription.count({ where: { userId: people.dora.id } })).toBe(0);
  });

  it('judges permissions when read: someone who left the tenant no longer sees its items', async () => {
    expect(await unreadCount(people.bob)).toBe(1);
    await getDb().membership.deleteMany({ where: { userId: people.bob.id } });
    const bob = (await loadSessionUser(people.bob.id))!;
    expect(await unreadCount(bob)).toBe(0);
    expect((await listInbox(bob)).items).toEqual([]);
    await getDb().membership.create({
      data: { userId: bob.id, tenantId: fraudId, role: 'approver', source: 'idp', approverSince: new Date(0) },
    });
  });
});

describe('the outbox', () => {
  it('holds an event exactly when its cause committed: a failing transaction leaves no event, inbox item or delivery', async () => {
    const counts = async () => [
      await getDb().notificationEvent.count(),
      await getDb().inboxItem.count(),
      await getDb().webhookDelivery.count(),
    ];
    const before = await counts();
    const request = await pendingRequest('9');
    await expect(
      getDb().$transaction(async (tx) => {
        await tx.promotionRequest.update({ where: { id: request.id }, data: { status: 'rejected' } });
        await emitNotification(tx, promotionRequested('fraud', request, []), { requesterId: people.alice.id });
        throw new Error('the change failed after its event was written');
      }),
    ).rejects.toThrow('the change failed');
    expect(await counts()).toEqual(before);
    expect((await getDb().promotionRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe('pending');
  });
});

describe('webhook delivery by the worker', () => {
  const endpoints: Record<'generic' | 'slack' | 'teams', { id: string; secret: string }> = {} as never;

  beforeAll(async () => {
    const [generic] = await listWebhooks(people.dora, 'fraud');
    // The generic endpoint's secret was shown once at creation: rotate to know it here.
    const rotated = await updateWebhook(people.dora, { tenant: 'fraud', webhookId: generic!.id, rotateSecret: true });
    endpoints.generic = { id: generic!.id, secret: rotated.secret! };
    for (const format of ['slack', 'teams'] as const) {
      const made = await createWebhook(people.dora, {
        tenant: 'fraud',
        name: format,
        url: `${receiver.url}/${format}`,
        format,
      });
      endpoints[format] = { id: made.webhook.id, secret: made.secret };
    }
    for (const [format, { secret }] of Object.entries(endpoints)) receiver.secrets.set(`/${format}`, secret);
    // Deliveries queued before the secrets were known go first, so the assertions below see only their own.
    worker = startInProcessWorker();
    await until(
      'the earlier deliveries',
      async () => (await getDb().webhookDelivery.count({ where: { status: 'pending' } })) === 0,
    );
  });

  it('sends a test event to that one endpoint, signed, in its format', async () => {
    for (const format of ['generic', 'slack', 'teams'] as const) {
      const { eventId } = await sendTestEvent(people.dora, { tenant: 'fraud', webhookId: endpoints[format].id });
      const got = await receiver.waitFor(`the ${format} test event`, (r) => r.eventId === eventId);
      expect(got).toMatchObject({ path: `/${format}`, kind: 'test', signatureValid: true, answered: 200 });
      expect(receiver.forEvent(eventId)).toHaveLength(1);
      const body = JSON.parse(got.body);
      if (format === 'generic')
        expect(body).toMatchObject({
          id: eventId,
          kind: 'test',
          tenant: 'fraud',
          subject: { type: 'webhook', id: endpoints.generic.id },
          text: 'fraud: test event for the webhook "#fraud-alerts", sent by dora',
          link: expect.stringMatching(/^https?:\/\/[^/]+\/t\/fraud$/),
          data: { webhookId: endpoints.generic.id, webhookName: '#fraud-alerts', requestedBy: 'dora' },
        });
      if (format === 'slack') expect(body.blocks[0].text.text).toContain('*Test event*');
      if (format === 'teams') expect(body.attachments[0].content.type).toBe('AdaptiveCard');
    }
    expect(await audits('notification.webhook.test', 'success')).toHaveLength(3);
  });

  it('delivers a real event to every enabled endpoint that takes its kind, and no other', async () => {
    await updateWebhook(people.dora, {
      tenant: 'fraud',
      webhookId: endpoints.slack.id,
      kinds: ['rollout.rolled_back.automatic'],
    });
    await updateWebhook(people.dora, { tenant: 'fraud', webhookId: endpoints.teams.id, enabled: false });
    const request = await pendingRequest('10');
    await decidePromotion({ id: people.bob.id, name: 'bob' }, 'fraud', request.id, {
      decision: 'reject',
      comment: 'Not now',
    });
    const event = await getDb().notificationEvent.findFirstOrThrow({ where: { subjectId: request.id } });
    const got = await receiver.waitFor('the rejection', (r) => r.eventId === event.id);
    expect(got).toMatchObject({ path: '/generic', kind: 'promotion.rejected', signatureValid: true });
    expect(JSON.parse(got.body)).toMatchObject({ id: event.id, occurred_at: event.createdAt.toISOString() });
    expect(got.headers['x-mlp-event-id']).toBe(event.id);
    expect(
      await getDb().webhookDelivery.findMany({ where: { eventId: event.id }, select: { endpointId: true } }),
    ).toEqual([{ endpointId: endpoints.generic.id }]);
    await updateWebhook(people.dora, { tenant: 'fraud', webhookId: endpoints.slack.id, kinds: [] });
    await updateWebhook(people.dora, { tenant: 'fraud', webhookId: endpoints.teams.id, enabled: true });
  });

  it('tries again after a receiver answers 500 twice: three attempts logged with their codes, one delivery', async () => {
    let answered = 0;
    receiver.answer = (r) => (r.path === '/generic' && r.kind === 'test' ? (++answered <= 2 ? 500 : 200) : 200);
    const { eventId } = await sendTestEvent(people.dora, { tenant: 'fraud', webhookId: endpoints.generic.id });
    const delivered = await until(
      'the third attempt',
      async () => {
        const d = await deliveryOf(eventId, endpoints.generic.id);
        return d?.status === 'delivered' ? d : null;
      },
      40_000,
    );
    receiver.answer = () => 200;
    expect(delivered.attempts).toBe(3);
    expect(delivered.attemptLog.map((a) => a.statusCode)).toEqual([500, 500, 200]);
    // 5 s, then 10 s, between the attempts.
    const [first, second, third] = delivered.attemptLog.map((a) => a.attemptedAt.getTime());
    expect(second! - first!).toBeGreaterThanOrEqual(5_000);
    expect(third! - second!).toBeGreaterThanOrEqual(10_000);
    expect(receiver.forEvent(eventId).map((r) => r.answered)).toEqual([500, 500, 200]);
    expect(new Set(receiver.forEvent(eventId).map((r) => JSON.parse(r.body).id))).toEqual(new Set([eventId]));

    const [logged] = await deliveryLog(people.dora, { tenant: 'fraud', webhookId: endpoints.generic.id, limit: 1 });
    expect(logged).toMatchObject({ eventId, kind: 'test', status: 'delivered', attempts: 3, lastStatusCode: 200 });
    expect(logged!.attemptLog.map((a) => a.statusCode)).toEqual([200, 500, 500]);
  }, 60_000);

  it('gives up after the last attempt and shows it in the delivery log', async () => {
    receiver.answer = (r) => (r.path === '/slack' ? 503 : 200);
    const { eventId } = await sendTestEvent(people.dora, { tenant: 'fraud', webhookId: endpoints.slack.id });
    await until(
      'the first failed attempt',
      async () => (await deliveryOf(eventId, endpoints.slack.id))?.attempts === 1,
    );
    // Nine attempts failed already: the next is the last.
    await getDb().webhookDelivery.update({
      where: { eventId_endpointId: { eventId, endpointId: endpoints.slack.id } },
      data: { attempts: 9, nextAttemptAt: new Date() },
    });
    const failed = await until('the last attempt', async () => {
      const d = await deliveryOf(eventId, endpoints.slack.id);
      return d?.status === 'failed_permanently' ? d : null;
    });
    receiver.answer = () => 200;
    expect(failed).toMatchObject({ attempts: 10, lastStatusCode: 503 });
    const [logged] = await deliveryLog(people.dora, { tenant: 'fraud', webhookId: endpoints.slack.id, limit: 1 });
    expect(logged).toMatchObject({ status: 'failed-permanently', nextAttemptAt: null, lastStatusCode: 503 });
    expect(
      (await listWebhooks(people.dora, 'fraud')).find((w) => w.id === endpoints.slack.id)!.deliveries,
    ).toMatchObject({
      failedPermanently: 1,
      pending: 0,
    });
  });

  it('loses nothing and repeats nothing acknowledged when the worker is killed in the middle of a delivery', async () => {
    await worker!.stop();
    worker = null;
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: { ...process.env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    await until('the child worker to lead', async () => output.includes('leading'), 45_000);

    // A: acknowledged by the receiver while the child delivers.
    const acknowledged = await sendTestEvent(people.dora, { tenant: 'fraud', webhookId: endpoints.generic.id });
    await until(
      'A delivered',
      async () => (await deliveryOf(acknowledged.eventId, endpoints.generic.id))?.status === 'delivered',
    );
    // B: the receiver holds the request open; the child is killed while it waits for the answer.
    let held = false;
    receiver.answer = (r) => (r.kind === 'test' && !held ? ((held = true), 'hold') : 200);
    const interrupted = await sendTestEvent(people.dora, { tenant: 'fraud', webhookId: endpoints.generic.id });
    const first = await receiver.waitFor('B, held', (r) => r.eventId === interrupted.eventId);
    child.kill('SIGKILL');
    expect(await exited).toEqual([null, 'SIGKILL']);
    await until('the receiver to see the connection drop', async () => first.closedByClient);

    // Nothing was recorded for the attempt that died with the worker: B is still pending.
    expect(await deliveryOf(interrupted.eventId, endpoints.generic.id)).toMatchObject({
      status: 'pending',
      attempts: 0,
      attemptLog: [],
    });

    // The next leader tries B again once the dead worker's lease is over; A never again.
    worker = startInProcessWorker();
    const delivered = await until(
      'B delivered by the next leader',
      async () => {
        const d = await deliveryOf(interrupted.eventId, endpoints.generic.id);
        return d?.status === 'delivered' ? d : null;
      },
      45_000,
    );
    expect(delivered.attemptLog.map((a) => a.statusCode)).toEqual([200]);
    expect(receiver.forEvent(interrupted.eventId).map((r) => r.answered)).toEqual([null, 200]);
    // The same event both times: the receiver dedupes by the id it did not acknowledge the first time.
    expect(new Set(receiver.forEvent(interrupted.eventId).map((r) => r.headers['x-mlp-event-id']))).toEqual(
      new Set([interrupted.eventId]),
    );
    expect(receiver.forEvent(acknowledged.eventId)).toHaveLength(1);
    expect(await getDb().webhookDelivery.count({ where: { status: 'pending' } })).toBe(0);
  }, 120_000);
});
