/**
 * The seeded pipeline's last step against the real local platform: its Workflow in the cluster,
 * its token delivered through a Kubernetes Secret, its Python script run for real, filing through
 * the /api/v1 route handlers served over HTTP (the same handlers Next.js serves; the browser
 * tests go through the running portal), with gates from the real MLflow registry. It removes its
 * Workflows and puts the token Secret back as it found it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CoreV1Api, CustomObjectsApi, type V1Secret } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as promotionsRoute from '../../app/api/v1/t/[tenant]/promotions/route';
import { authenticateToken, createApiToken } from '../../lib/api-tokens/service';
import { can } from '../../lib/auth/authorize';
import { loadSessionUser, type SessionUser } from '../../lib/auth/users';
import { getDb } from '../../lib/db/client';
import {
  createPromotionRequest,
  decidePromotion,
  getPromotionRequest,
  requestGates,
} from '../../lib/promotion/requests';
import { closeRateLimits } from '../../lib/security/rate-limit';
import { createMembers, useTestDatabase, type TestDatabase } from '../../test/db';
import { loadStackEnv, requireMlflow, seededModels } from '../../test/stack';
import { adminKubeConfig, errorCode } from '../kubernetes/apply';
import { stackContext } from '../lib/context';
import {
  FILES_PROMOTION_LABEL,
  PIPELINE,
  PORTAL_DATABASE_LABEL,
  pipelineVersion,
  runPromotionPipeline,
  type PromotionWorkflow,
} from './pipeline-promotion';

loadStackEnv();

const ctx = stackContext();
const kc = adminKubeConfig(ctx);
const core = kc.makeApiClient(CoreV1Api);
const custom = kc.makeApiClient(CustomObjectsApi);
const WORKFLOWS = { group: 'argoproj.io', version: 'v1alpha1', plural: 'workflows', namespace: PIPELINE.tenant };

let database: TestDatabase;
let databaseName: string;
let server: Server;
let portalUrl: string;
let grace: SessionUser;
let alice: SessionUser;
let bob: SessionUser;
/** The token Secret as the demo left it, put back afterwards. */
let secretBefore: V1Secret | null = null;

/** The /api/v1 promotions route, as Next.js would call it, behind a plain HTTP server. */
function servePromotionsApi(): Promise<Server> {
  const http = createServer((incoming, outgoing) => {
    void (async () => {
      const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
      const tenant = /^\/api\/v1\/t\/([^/]+)\/promotions$/.exec(url.pathname)?.[1];
      const handler = incoming.method === 'POST' ? promotionsRoute.POST : promotionsRoute.GET;
      const chunks: Buffer[] = [];
      for await (const chunk of incoming) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [name, value] of Object.entries(incoming.headers))
        if (typeof value === 'string') headers.set(name, value);
      const response = tenant
        ? await handler(
            new Request(url, {
              method: incoming.method,
              headers,
              body: incoming.method === 'POST' ? Buffer.concat(chunks) : undefined,
            }),
            { params: Promise.resolve({ tenant }) },
          )
        : Response.json({ error: 'not found' }, { status: 404 });
      outgoing.writeHead(response.status, Object.fromEntries(response.headers));
      outgoing.end(Buffer.from(await response.arrayBuffer()));
    })();
  });
  return new Promise((resolve) => http.listen(0, '127.0.0.1', () => resolve(http)));
}

async function workflow(name: string): Promise<PromotionWorkflow> {
  return (await custom.getNamespacedCustomObject({ ...WORKFLOWS, name })) as PromotionWorkflow;
}

async function workflowsOfThisDatabase(): Promise<PromotionWorkflow[]> {
  const list = (await custom.listNamespacedCustomObject({
    ...WORKFLOWS,
    labelSelector: `${FILES_PROMOTION_LABEL}=true,${PORTAL_DATABASE_LABEL}=${databaseName}`,
  })) as { items: PromotionWorkflow[] };
  return list.items;
}

beforeAll(async () => {
  await requireMlflow();
  database = await useTestDatabase();
  databaseName = new URL(database.url).pathname.slice(1);
  const fraud = await getDb().tenant.create({
    data: { name: PIPELINE.tenant, displayName: 'Fraud', status: 'active' },
  });
  const people = await createMembers(fraud.id, { grace: 'member', alice: 'member', bob: 'approver' });
  await getDb().membership.update({
    where: { userId_tenantId: { userId: people.grace.id, tenantId: fraud.id } },
    data: { role: 'admin', approverSince: new Date(Date.now() - 3_600_000) },
  });
  grace = (await loadSessionUser(people.grace.id))!;
  alice = (await loadSessionUser(people.alice.id))!;
  bob = (await loadSessionUser(people.bob.id))!;
  secretBefore = await core
    .readNamespacedSecret({ namespace: PIPELINE.tenant, name: PIPELINE.secret })
    .catch((error: unknown) => {
      if (errorCode(error) === 404) return null;
      throw error;
    });
  server = await servePromotionsApi();
  portalUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await custom
    .deleteCollectionNamespacedCustomObject({
      ...WORKFLOWS,
      labelSelector: `${FILES_PROMOTION_LABEL}=true,${PORTAL_DATABASE_LABEL}=${databaseName}`,
    })
    .catch(() => undefined);
  if (secretBefore) {
    const { name, namespace, labels } = secretBefore.metadata!;
    await core.replaceNamespacedSecret({
      namespace: namespace!,
      name: name!,
      body: { metadata: { name, namespace, labels }, type: secretBefore.type, data: secretBefore.data },
    });
  } else
    await core.deleteNamespacedSecret({ namespace: PIPELINE.tenant, name: PIPELINE.secret }).catch(() => undefined);
  await new Promise((resolve) => server?.close(resolve));
  await closeRateLimits();
  await getDb().$disconnect();
  await database?.drop();
});

describe('the seeded pipeline that files its own promotion request', () => {
  it('records a refusal by the gates as a Failed Workflow with the portal’s reason, and files nothing', async () => {
    const fraud = seededModels().tenants.find((t) => t.tenant === PIPELINE.tenant)!;
    const unsigned = fraud.versions.find((v) => !v.signature)!;
    const run = await runPromotionPipeline(ctx, {
      portalUrl,
      database: databaseName,
      version: { model: fraud.model, version: unsigned.version },
    });
    expect(run).toMatchObject({ phase: 'Failed', message: expect.stringContaining('(422)') });
    const failed = await workflow(run.workflow);
    expect(failed.status.phase).toBe('Failed');
    expect(failed.metadata.labels['workflows.argoproj.io/phase']).toBe('Failed');
    expect(failed.status.message).toContain('child step "request-promotion" failed');
    expect(failed.status.message).toContain('Model signature logged');
    expect(await getDb().promotionRequest.count()).toBe(0);
  });

  let workflowName = '';
  let requestId = '';

  it('files the request through the API with the service token from the tenant’s Secret, and Argo’s status says so', async () => {
    const run = await runPromotionPipeline(ctx, {
      portalUrl,
      database: databaseName,
      version: pipelineVersion(seededModels()),
    });
    expect(run, JSON.stringify(run)).toMatchObject({ phase: 'Succeeded', requestId: expect.any(String) });
    workflowName = run.workflow;
    requestId = run.requestId!;
    expect(workflowName).toMatch(/^train-fraud-detector-[0-9a-f]{5}$/);

    // The failed attempt was replaced: one run of this pipeline per portal database.
    expect((await workflowsOfThisDatabase()).map((w) => w.metadata.name)).toEqual([workflowName]);
    const succeeded = await workflow(workflowName);
    expect(succeeded.status.phase).toBe('Succeeded');
    expect(succeeded.metadata.labels).toMatchObject({
      'workflows.argoproj.io/phase': 'Succeeded',
      'workflows.argoproj.io/completed': 'true',
      'workflows.argoproj.io/workflow-template': 'train-fraud-detector',
    });
    const step = Object.values(succeeded.status.nodes).find((n) => n.displayName === 'request-promotion')!;
    expect(step.phase).toBe('Succeeded');
    expect(step.outputs?.parameters).toEqual([
      { name: 'request-id', value: requestId },
      { name: 'request-href', value: `${portalUrl}/t/fraud/promotions/${requestId}` },
    ]);
    // The step reads its token from the Secret, as a pod would: that token is the pipeline's service token.
    const template = succeeded.spec.templates.find((t) => t.name === 'request-promotion') as {
      script: { env: { name: string; valueFrom?: unknown }[] };
    };
    expect(template.script.env.find((e) => e.name === 'PORTAL_TOKEN')).toEqual({
      name: 'PORTAL_TOKEN',
      valueFrom: { secretKeyRef: { name: PIPELINE.secret, key: 'token' } },
    });
    const secret = await core.readNamespacedSecret({ namespace: PIPELINE.tenant, name: PIPELINE.secret });
    const auth = await authenticateToken(`Bearer ${Buffer.from(secret.data!.token!, 'base64').toString('utf8')}`);
    expect(auth.ok && auth.caller.token).toMatchObject({ kind: 'service', name: 'train-fraud-detector' });
  });

  it('shows the request as filed by the pipeline, with its gates, and its requester cannot approve it', async () => {
    const request = (await getPromotionRequest(PIPELINE.tenant, requestId))!;
    expect(request).toMatchObject({
      status: 'pending',
      pipeline: workflowName,
      filedViaToken: { kind: 'service', name: 'train-fraud-detector', createdByName: 'grace' },
      requesterId: grace.id,
    });
    const gates = requestGates(request);
    expect(gates.map((g) => g.kind)).toEqual(expect.arrayContaining(['threshold', 'regression', 'signature']));
    expect(gates.filter((g) => g.blocking && !g.passed)).toEqual([]);

    // The admin who set the token up is its requester: four eyes hold against them.
    const resource = { kind: 'promotion' as const, tenant: 'fraud', status: 'active' as const, requesterId: grace.id };
    expect(can(grace, 'promotion.approve', resource)).toBe(false);
    await expect(
      decidePromotion({ id: grace.id, name: 'grace' }, 'fraud', requestId, { decision: 'approve', comment: '' }),
    ).rejects.toThrow('You cannot approve or reject your own request.');
    expect(can(bob, 'promotion.approve', resource)).toBe(true);
  });

  it('does not run again for a database that has its request', async () => {
    const again = await runPromotionPipeline(ctx, {
      portalUrl,
      database: databaseName,
      version: pipelineVersion(seededModels()),
    });
    expect(again).toEqual({ workflow: workflowName, phase: 'Skipped', requestId });
    expect((await workflowsOfThisDatabase()).map((w) => w.metadata.name)).toEqual([workflowName]);
  });

  it('lets no person claim to be a pipeline: not with a personal token, not in the browser', async () => {
    const token = await createApiToken(alice, {
      kind: 'personal',
      tenant: 'fraud',
      name: 'laptop',
      scopes: ['promotion.request'],
    });
    const fraud = seededModels().tenants.find((t) => t.tenant === PIPELINE.tenant)!;
    const claim = {
      model: fraud.model,
      version: fraud.challenger.version,
      modelCardUrl: 'https://wiki.example.com/card',
      notes: 'Pretending to be the pipeline.',
      pipeline: 'train-fraud-detector-zzzzz',
    };
    const response = await fetch(`${portalUrl}/api/v1/t/fraud/promotions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token.secret}`, 'content-type': 'application/json' },
      body: JSON.stringify(claim),
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      fieldErrors: { pipeline: expect.stringContaining('only a tenant service token may name a pipeline run') },
    });
    await expect(
      createPromotionRequest({ id: alice.id, name: 'alice' }, 'fraud', {
        modelName: claim.model,
        version: claim.version,
        modelCardUrl: claim.modelCardUrl,
        notes: claim.notes,
        pipeline: claim.pipeline,
      }),
    ).rejects.toThrow('a person files as themself');
    expect(await getDb().promotionRequest.count()).toBe(1);
  });
});
