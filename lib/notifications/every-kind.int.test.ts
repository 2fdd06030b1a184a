/**
 * Every event kind, from its real cause on the running local platform to a signed webhook at a
 * receiver on 127.0.0.1 (issue 17): a webhook per tenant, created by its admin, and each kind
 * produced by the product's own code path — filing, rejecting and approving promotion requests
 * against the real MLflow (fraud); judgment paused by a real worker process that cannot reach
 * Prometheus, a step and a rollback by an operator, and an automatic rollback of a canary the
 * simulator makes fail (pricing's seeded canary, put back afterwards); GPU quota above 90 % and an
 * SLO burning fast in a throwaway namespace of the test's own (a 2-GPU pod under a 2-GPU quota, an
 * endpoint whose every request fails), seen by the worker's watcher, as is the input drift of
 * pricing's seeded drifting endpoint (the simulator's drift exporter). Delivered by the real
 * delivery code; the receiver checks every signature with the secret the webhook was created with.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMembers, useTestDatabase, type TestDatabase } from '../../test/db';
import { restoreSeededCanary } from '../../test/seeded-canary';
import { closedPort, eventually, loadStackEnv, requireSetting, seededTenant } from '../../test/stack';
import { startWebhookReceiver, type ReceivedRequest, type WebhookReceiver } from '../../test/webhook-receiver';
import { followSeededCanary } from '../../stack/seed/portal';
import { loadSessionUser } from '../auth/users';
import { getDb } from '../db/client';
import { userActor } from '../integrations/kubernetes';
import { stopSharedWatchCaches } from '../integrations/kubernetes/watch-cache';
import { createPromotionRequest, decidePromotion } from '../promotion/requests';
import { checkRollout, promoteRollout, rollbackRollout, type Operator } from '../rollout/service';
import { FAST_BURN_WINDOW, GPU_QUOTA_HIGH_SHARE, driftKey, quotaKey, sloKey } from './conditions';
import { deliverDue } from './delivery';
import { SUBSCRIBABLE_KINDS } from './kind-names';
import { createWebhook } from './service';
import { watchConditions } from './watch';

loadStackEnv();

const CHILD = path.resolve(import.meta.dirname, '../../test/notify-worker-child.ts');
const FRAUD = 'fraud';
const PRICING = 'pricing';
const PRICING_ENDPOINT = 'price-elasticity';
/** The throwaway tenant: its namespace holds the GPU quota and the burning endpoint, deleted afterwards. */
const SCRATCH = `every-kind-${Date.now().toString(36)}`;
const BURNING = 'burning-scorer';
const GPU = 'nvidia.com/gpu';
const evidence = { modelCardUrl: 'https://wiki.example.com/fraud/model-card', notes: 'Retrained; AUC up.' };
const erin: Operator = { actor: { name: 'erin' }, kube: userActor('erin', ['mlp:oncall']) };

let database: TestDatabase;
let receiver: WebhookReceiver;
let core: CoreV1Api;
let custom: CustomObjectsApi;
const tenantIds: Record<string, string> = {};
const people = { alice: { id: '', name: 'alice' }, bob: { id: '', name: 'bob' } };
let adminId = '';

interface Received {
  request: ReceivedRequest;
  body: {
    id: string;
    kind: string;
    tenant: string;
    subject: { type: string; id: string };
    data: Record<string, unknown>;
  };
}

const parsed = (request: ReceivedRequest): Received => ({
  request,
  body: JSON.parse(request.body) as Received['body'],
});

/** Runs the delivery code until the receiver has an event of `kind` whose data `matches`; checks it is signed and acknowledged. */
async function deliveredEvent(kind: string, matches: (data: Record<string, unknown>) => boolean, timeoutMs = 30_000) {
  const { found } = await eventually(
    `the receiver to get ${kind}`,
    timeoutMs,
    async () => {
      await deliverDue();
      const found = receiver.requests.map(parsed).find((r) => r.body.kind === kind && matches(r.body.data));
      return { done: found !== undefined, value: { found, received: receiver.requests.map((r) => r.kind) } };
    },
    100,
  );
  const received = found!;
  expect(received.request).toMatchObject({ kind, signatureValid: true, answered: 200 });
  expect(received.request.headers['x-mlp-event-id']).toBe(received.body.id);
  const event = await getDb().notificationEvent.findUniqueOrThrow({ where: { id: received.body.id } });
  expect(event.kind).toBe(kind);
  return received.body;
}

/** A tenant admin (in the tenant since an hour ago) creates the tenant's webhook; the receiver is told its secret. */
async function webhookFor(tenant: string) {
  await getDb().membership.create({
    data: { userId: adminId, tenantId: tenantIds[tenant]!, role: 'admin', source: 'idp', approverSince: new Date(0) },
  });
  const { secret } = await createWebhook((await loadSessionUser(adminId))!, {
    tenant,
    name: `${tenant} receiver`,
    url: `${receiver.url}/${tenant}`,
  });
  receiver.secrets.set(`/${tenant}`, secret);
}

async function simulatorFault(namespace: string, service: string, fault: { target: 'canary' | 'stable' } | null) {
  const base = requireSetting('SIMULATOR_URL', 'the KServe simulator');
  const response = fault
    ? await fetch(`${base}/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ namespace, service, target: fault.target, errorRate: 1, latencyMs: 0 }),
      })
    : await fetch(`${base}/faults?${new URLSearchParams({ namespace, service })}`, { method: 'DELETE' });
  if (!response.ok) throw new Error(`the simulator refused the fault change: HTTP ${response.status}`);
}

/**
 * The throwaway namespace: a 2-GPU quota filled by a 2-GPU pod, and an endpoint whose every
 * request fails from its first one — so both its 1 h and its 5 min error ratios are 100 %.
 * Made first, so that Prometheus has scraped its traffic by the time the watcher looks.
 */
async function arrangeScratchNamespace() {
  const admin = new KubeConfig();
  admin.loadFromFile(requireSetting('KUBECONFIG', 'Kubernetes (admin kubeconfig)'));
  core = admin.makeApiClient(CoreV1Api);
  custom = admin.makeApiClient(CustomObjectsApi);
  await core.createNamespace({
    body: { metadata: { name: SCRATCH, labels: { 'app.kubernetes.io/managed-by': 'every-kind-int-test' } } },
  });
  await simulatorFault(SCRATCH, BURNING, { target: 'stable' });
  await custom.createNamespacedCustomObject({
    group: 'serving.kserve.io',
    version: 'v1beta1',
    plural: 'inferenceservices',
    namespace: SCRATCH,
    body: {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: BURNING },
      spec: {
        predictor: {
          minReplicas: 1,
          model: {
            modelFormat: { name: 'mlflow' },
            storageUri: `s3://mlflow-artifacts/${SCRATCH}/model`,
            resources: { requests: { cpu: '100m', memory: '256Mi' } },
          },
        },
      },
    },
  });
  await core.createNamespacedResourceQuota({
    namespace: SCRATCH,
    body: { metadata: { name: 'gpu-quota' }, spec: { hard: { [`requests.${GPU}`]: '2' } } },
  });
  await eventually(
    'the default ServiceAccount of the scratch namespace',
    30_000,
    async () => {
      const done = await core.readNamespacedServiceAccount({ namespace: SCRATCH, name: 'default' }).then(
        () => true,
        () => false,
      );
      return { done, value: done };
    },
    250,
  );
  const gpus = { [GPU]: '2', cpu: '1', memory: '1Gi' };
  await core.createNamespacedPod({
    namespace: SCRATCH,
    body: {
      metadata: { name: 'trainer' },
      spec: {
        automountServiceAccountToken: false,
        containers: [
          { name: 'main', image: 'registry.example.com/test:1', resources: { requests: gpus, limits: gpus } },
        ],
      },
    },
  });
}

beforeAll(async () => {
  requireSetting('MLFLOW_TRACKING_URI', 'MLflow');
  requireSetting('KUBERNETES_PORTAL_KUBECONFIG', 'Kubernetes');
  requireSetting('PROMETHEUS_URL', 'Prometheus');
  await arrangeScratchNamespace();
  database = await useTestDatabase();
  receiver = await startWebhookReceiver();
  // The receiver listens on 127.0.0.1, which a production portal refuses as a webhook address.
  process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS = 'true';
  for (const [name, displayName] of [
    [FRAUD, 'Fraud'],
    [PRICING, 'Pricing'],
  ] as const)
    tenantIds[name] = (await getDb().tenant.create({ data: { name, displayName, status: 'active' } })).id;
  Object.assign(people, await createMembers(tenantIds[FRAUD]!, { alice: 'member', bob: 'approver' }));
  adminId = (await getDb().user.create({ data: { subject: 'dora', username: 'dora' } })).id;
  await webhookFor(FRAUD);
  await webhookFor(PRICING);
}, 120_000);

afterAll(async () => {
  await receiver?.close();
  delete process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS;
  await simulatorFault(PRICING, PRICING_ENDPOINT, null).catch(() => undefined);
  await simulatorFault(SCRATCH, BURNING, null).catch(() => undefined);
  await core?.deleteNamespace({ name: SCRATCH }).catch(() => undefined);
  await stopSharedWatchCaches();
  // Left as seeded: the challenger's canary, which other tests and the demo expect.
  await restoreSeededCanary(seededTenant(PRICING), PRICING_ENDPOINT);
  await getDb().$disconnect();
  await database?.drop();
}, 240_000);

describe('promotion requests (fraud, gates from the real MLflow)', () => {
  const fraud = () => seededTenant(FRAUD);
  let rejectedId = '';

  it('sends promotion.gate_failed when a blocking gate refuses the filing', async () => {
    await expect(
      createPromotionRequest(people.alice, FRAUD, { modelName: fraud().model, version: '2', ...evidence }),
    ).rejects.toThrow(/cannot be submitted/);
    const body = await deliveredEvent('promotion.gate_failed', (d) => d.version === '2');
    expect(body).toMatchObject({ tenant: FRAUD, subject: { type: 'promotion-request' } });
    expect(body.data).toMatchObject({ requestId: null, model: fraud().model, requester: 'alice', filed: false });
    expect(body.data.failed).toContainEqual(
      expect.objectContaining({ id: 'signature', passed: false, blocking: true }),
    );
  });

  it('sends promotion.requested when a request is filed, and promotion.rejected when an approver rejects it', async () => {
    const request = await createPromotionRequest(people.alice, FRAUD, {
      modelName: fraud().model,
      version: fraud().challenger.version,
      ...evidence,
    });
    rejectedId = request.id;
    const requested = await deliveredEvent('promotion.requested', (d) => d.requestId === request.id);
    expect(requested).toMatchObject({ tenant: FRAUD, subject: { type: 'promotion-request', id: request.id } });
    expect(requested.data).toMatchObject({
      model: fraud().model,
      version: fraud().challenger.version,
      endpoint: 'fraud-detector',
      requester: 'alice',
      requiredApprovals: 1,
    });

    await decidePromotion(people.bob, FRAUD, request.id, { decision: 'reject', comment: 'Not this week' });
    const rejected = await deliveredEvent('promotion.rejected', (d) => d.requestId === request.id);
    expect(rejected.data).toMatchObject({ requester: 'alice', rejectedBy: 'bob', comment: 'Not this week' });
  });

  it('sends promotion.approved on the final approval', async () => {
    const request = await createPromotionRequest(people.alice, FRAUD, {
      modelName: fraud().model,
      version: fraud().challenger.version,
      ...evidence,
    });
    expect(request.id).not.toBe(rejectedId);
    // Approved only: its deployment (the cluster and MLflow's alias) is not this test's subject.
    expect(
      await decidePromotion(people.bob, FRAUD, request.id, { decision: 'approve', comment: 'Ship it' }),
    ).toMatchObject({ finallyApproved: true });
    const approved = await deliveredEvent('promotion.approved', (d) => d.requestId === request.id);
    expect(approved.data).toMatchObject({ requester: 'alice', approvers: ['bob'] });
  });
});

describe('rollouts (pricing’s seeded canary, restored afterwards)', () => {
  const seeded = () => seededTenant(PRICING);
  let followed = '';

  const follow = async () => {
    await getDb().rollout.updateMany({
      where: { tenantId: tenantIds[PRICING], endpoint: PRICING_ENDPOINT, state: 'progressing' },
      data: { state: 'superseded' },
    });
    const rollout = await getDb().$transaction((tx) =>
      followSeededCanary(tx, { id: tenantIds[PRICING]!, name: PRICING }, seeded(), {
        endpoint: PRICING_ENDPOINT,
        percent: 20,
        actor: 'test',
      }),
    );
    return rollout.id;
  };

  beforeAll(async () => {
    await restoreSeededCanary(seeded(), PRICING_ENDPOINT);
    followed = await follow();
  }, 240_000);

  it('sends judgment.paused when the worker cannot read Prometheus', async () => {
    // The real worker, in a process of its own whose Prometheus is a port where nothing listens:
    // its tick judges the live canary, pauses, and its delivery loop sends the event.
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      cwd: path.resolve(import.meta.dirname, '../..'),
      env: { ...process.env, PROMETHEUS_URL: `http://127.0.0.1:${await closedPort()}`, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(child, 'exit');
    try {
      const paused = await receiver
        .waitFor(
          'judgment.paused',
          (r) => r.kind === 'judgment.paused' && parsed(r).body.data.rolloutId === followed,
          60_000,
        )
        .catch((error: unknown) => {
          throw new Error(`${String(error)}; the worker said: ${output}`);
        });
      expect(paused).toMatchObject({ path: `/${PRICING}`, signatureValid: true, answered: 200 });
      expect(parsed(paused).body.data).toMatchObject({
        endpoint: PRICING_ENDPOINT,
        version: seeded().challenger.version,
        percent: 20,
        reason: expect.stringMatching(/^judgment paused: Prometheus cannot be reached at 127\.0\.0\.1:\d+/),
      });
      await eventually(
        'the delivery to be recorded',
        10_000,
        async () => {
          const pending = await getDb().webhookDelivery.count({ where: { status: 'pending' } });
          return { done: pending === 0, value: pending };
        },
        100,
      );
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
  }, 90_000);

  it('sends canary.step when an operator steps the canary up, and rollout.rolled_back.manual when they roll it back', async () => {
    await promoteRollout(erin, PRICING, followed, {
      idempotencyKey: crypto.randomUUID(),
      to: 'next',
      reason: 'Stepped up by erin',
    });
    const step = await deliveredEvent('canary.step', (d) => d.rolloutId === followed);
    expect(step).toMatchObject({ tenant: PRICING, subject: { type: 'rollout', id: followed } });
    expect(step.data).toMatchObject({ fromPercent: 20, toPercent: 25, actor: 'erin', reason: 'Stepped up by erin' });

    await rollbackRollout(erin, PRICING, followed, {
      idempotencyKey: crypto.randomUUID(),
      reason: 'Rolled back by erin from the canary dashboard',
    });
    const rollback = await deliveredEvent('rollout.rolled_back.manual', (d) => d.rolloutId === followed);
    expect(rollback.data).toMatchObject({
      endpoint: PRICING_ENDPOINT,
      previousVersion: seeded().champion.version,
      percent: 25,
      actor: 'erin',
      reason: 'Rolled back by erin from the canary dashboard',
    });
  });

  it('sends rollout.rolled_back.automatic when judgment rolls back a canary whose requests fail', async () => {
    await restoreSeededCanary(seeded(), PRICING_ENDPOINT);
    const rolloutId = await follow();
    await simulatorFault(PRICING, PRICING_ENDPOINT, { target: 'canary' });
    try {
      // The worker's check, as its tick runs it, until the failing canary's errors reach Prometheus.
      const decision = await eventually(
        'judgment to roll the failing canary back',
        120_000,
        async () => {
          const live = await getDb().rollout.findUniqueOrThrow({
            where: { id: rolloutId },
            include: { tenant: { select: { name: true } } },
          });
          const judged = await checkRollout(live);
          return { done: judged.action === 'rollback', value: judged };
        },
        1_000,
      );
      const rollback = await deliveredEvent('rollout.rolled_back.automatic', (d) => d.rolloutId === rolloutId);
      expect(rollback.data).toMatchObject({
        endpoint: PRICING_ENDPOINT,
        previousVersion: seeded().champion.version,
        percent: 20,
        reason: decision.reason,
      });
      expect(rollback.data.errorRate).toBeGreaterThan(0.05);
    } finally {
      await simulatorFault(PRICING, PRICING_ENDPOINT, null);
    }
  }, 240_000);
});

describe('watched conditions (a throwaway tenant)', () => {
  beforeAll(async () => {
    tenantIds[SCRATCH] = (
      await getDb().tenant.create({ data: { name: SCRATCH, displayName: 'Scratch', status: 'active' } })
    ).id;
    await webhookFor(SCRATCH);
  });

  it('sends quota.gpu_high and slo.fast_burn once the watcher sees them', async () => {
    const opened = new Set<string>();
    const wanted = [quotaKey(SCRATCH), sloKey(SCRATCH, BURNING, 'availability')];
    // The worker's watcher, as its tick runs it, until Prometheus has the endpoint's failures in both windows.
    await eventually(
      `the conditions ${wanted.join(', ')} to open`,
      150_000,
      async () => {
        const outcome = await watchConditions({ tenants: [SCRATCH] });
        outcome.opened.forEach((key) => opened.add(key));
        return { done: wanted.every((key) => opened.has(key)), value: { opened: [...opened], unread: outcome.unread } };
      },
      1_000,
    );

    const quota = await deliveredEvent('quota.gpu_high', () => true);
    expect(quota).toMatchObject({ tenant: SCRATCH, subject: { type: 'quota' } });
    expect(quota.data).toEqual({ used: 2, hard: 2, share: 1, threshold: GPU_QUOTA_HIGH_SHARE });

    const burn = await deliveredEvent('slo.fast_burn', (d) => d.endpoint === BURNING);
    expect(burn).toMatchObject({ tenant: SCRATCH, subject: { type: 'slo' } });
    expect(burn.data).toMatchObject({
      objective: 'availability',
      window: FAST_BURN_WINDOW.label,
      factor: FAST_BURN_WINDOW.factor,
    });
    expect(burn.data.longBurnRate).toBeGreaterThan(FAST_BURN_WINDOW.factor);
    expect(burn.data.shortBurnRate).toBeGreaterThan(FAST_BURN_WINDOW.factor);
  }, 180_000);

  it('sends model.drift once the watcher sees pricing’s seeded drifting endpoint', async () => {
    const key = driftKey(PRICING, PRICING_ENDPOINT);
    await eventually(
      `the condition ${key} to open`,
      90_000,
      async () => {
        const outcome = await watchConditions({ tenants: [PRICING] });
        return { done: outcome.opened.includes(key), value: outcome };
      },
      1_000,
    );
    const drift = await deliveredEvent('model.drift', (d) => d.endpoint === PRICING_ENDPOINT);
    expect(drift).toMatchObject({ tenant: PRICING, subject: { type: 'endpoint', id: PRICING_ENDPOINT } });
    expect(drift.data).toMatchObject({ threshold: 0.2, policyVersion: expect.any(Number) });
    expect((drift.data.features as { score: number }[]).every((f) => f.score > 0.2)).toBe(true);
  }, 120_000);
});

it('delivered every event kind, each signed with its tenant’s webhook secret', () => {
  const kinds = new Set(receiver.requests.filter((r) => r.signatureValid && r.answered === 200).map((r) => r.kind));
  expect([...kinds].sort()).toEqual([...SUBSCRIBABLE_KINDS].sort());
  expect(receiver.requests.filter((r) => !r.signatureValid)).toEqual([]);
});
