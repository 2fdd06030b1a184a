/**
 * /api/v1 against the running local platform (MLflow, MinIO, the Kubernetes API and its
 * simulator; the portal's database is a fresh test database with the seeded tenants):
 * - the OpenAPI document, as the real route serves it, is walked: every operation it lists is
 *   called through its route file with a token of its scope and answers a documented success whose
 *   body validates against the documented schema; without a token 401, with a token lacking the
 *   scope, another tenant's, an expired or a revoked one 401/403 — each refusal documented, and
 *   every call with a token audited with the token's id;
 * - the runs page's filter, sort and paging; models with their signature and files; the GPU quota
 *   as the cluster counts it;
 * - a rollback through the API with an idempotency key on pricing's seeded canary: the
 *   InferenceService changes at the Kubernetes API once, the same key again does not act, the
 *   same key for a promotion is refused. The endpoint is put back on its seeded canary afterwards.
 * Prometheus is pointed at a closed port: automatic judgment pauses, with the values that drove it.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { ValidateFunction } from 'ajv/dist/2020';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMembers, useTestDatabase, type TestDatabase } from '../../test/db';
import { jsonSchemaValidator, schemaProblems, validateOpenApi, type DocumentedOperation } from '../../test/openapi';
import { restoreSeededCanary } from '../../test/seeded-canary';
import {
  closedPort,
  loadStackEnv,
  requireMlflow,
  requireObjectStorage,
  requireSetting,
  seededTenant,
  type SeededTenant,
} from '../../test/stack';
import { followSeededCanary } from '../../stack/seed/portal';
import { GET as openApiRoute } from '../../app/api/v1/openapi.json/route';
import { createApiToken } from '../api-tokens/service';
import { TOKEN_SCOPES, type TokenScope } from '../auth/authorize';
import { loadSessionUser, type SessionUser } from '../auth/users';
import { verifyAuditLog } from '../audit/log';
import { getDb } from '../db/client';
import type { Rollout } from '../db/generated/client';
import { inferenceServices, PORTAL_ACTOR, resourceQuotas } from '../integrations/kubernetes';
import { stopSharedWatchCaches } from '../integrations/kubernetes/watch-cache';
import { DEFAULT_POLICY } from '../promotion/policy';
import { checkRollout } from '../rollout/service';
import { closeRateLimits } from '../security/rate-limit';
import type { RouteHandler } from './define-route';
import { ENDPOINTS } from './endpoints';

loadStackEnv();

const ROOT = path.resolve(import.meta.dirname, '../..');
const WALKED_TENANT = 'fraud';
const PRICING_ENDPOINT = 'price-elasticity';
/** Every scope a service token may hold: all but approving. */
const SERVICE_SCOPES = TOKEN_SCOPES;

let database: TestDatabase;
let fraud: SeededTenant;
let pricing: SeededTenant;
let ada: SessionUser;
let pia: SessionUser;
const tenantIds: Record<string, string> = {};
let requestId = '';
let finishedRollout: Rollout;
type Token = { id: string; secret: string };
const scoped = {} as Record<TokenScope, Token>;
const lacking = {} as Record<TokenScope, Token>;
const tokens: Record<'foreign' | 'expired' | 'revoked' | 'piaOperates', Token> = {} as never;

beforeAll(async () => {
  requireSetting('KUBERNETES_PORTAL_KUBECONFIG', 'Kubernetes');
  await requireMlflow();
  await requireObjectStorage();
  // Automatic judgment is not what is looked at here: with Prometheus away it pauses, saying why.
  process.env.PROMETHEUS_URL = `http://127.0.0.1:${await closedPort()}`;
  fraud = seededTenant('fraud');
  pricing = seededTenant('pricing');
  database = await useTestDatabase();
  for (const name of ['fraud', 'pricing', 'forecast'])
    tenantIds[name] = (await getDb().tenant.create({ data: { name, displayName: name, status: 'active' } })).id;

  // ada administers fraud, pia pricing; admins may give tokens every scope but approval.
  const people = {
    ...(await createMembers(tenantIds.fraud!, { ada: 'member' })),
    ...(await createMembers(tenantIds.pricing!, { pia: 'member' })),
  };
  await getDb().membership.updateMany({ where: {}, data: { role: 'admin' } });
  ada = (await loadSessionUser(people.ada.id))!;
  pia = (await loadSessionUser(people.pia.id))!;

  const service = (user: SessionUser, tenant: string, name: string, scopes: readonly TokenScope[]) =>
    createApiToken(user, { kind: 'service', tenant, name, scopes: [...scopes] });
  for (const scope of SERVICE_SCOPES) {
    scoped[scope] = await service(ada, WALKED_TENANT, `only ${scope}`, [scope]);
    lacking[scope] = await service(
      ada,
      WALKED_TENANT,
      `all but ${scope}`,
      SERVICE_SCOPES.filter((s) => s !== scope),
    );
  }
  tokens.foreign = await service(pia, 'pricing', 'pricing everything', SERVICE_SCOPES);
  tokens.expired = await service(ada, WALKED_TENANT, 'expired', SERVICE_SCOPES);
  await getDb().apiToken.update({ where: { id: tokens.expired.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
  tokens.revoked = await service(ada, WALKED_TENANT, 'revoked', SERVICE_SCOPES);
  await getDb().apiToken.update({ where: { id: tokens.revoked.id }, data: { revokedAt: new Date() } });
  tokens.piaOperates = await createApiToken(pia, {
    kind: 'personal',
    tenant: 'pricing',
    name: 'on-call script',
    scopes: ['rollout.read', 'rollout.operate'],
  });

  const request = await getDb().promotionRequest.create({
    data: {
      tenantId: tenantIds.fraud!,
      modelName: fraud.model,
      version: fraud.versions[0]!.version,
      runId: fraud.versions[0]!.runId,
      storageUri: fraud.versions[0]!.storageUri,
      endpoint: 'fraud-detector',
      requesterId: ada.id,
      requesterName: 'ada',
      notes: '',
      modelCardUrl: '',
      gates: [],
      policy: DEFAULT_POLICY as object,
      requiredApprovals: 1,
      expiresAt: new Date(Date.now() + 3_600_000),
    },
  });
  requestId = request.id;
  // A rollout of fraud's endpoint that has ended, and a newer one after it: rollback, promote and
  // rollback to a version answer it without touching the cluster.
  const followed = () =>
    getDb().$transaction((tx) =>
      followSeededCanary(tx, { id: tenantIds.fraud!, name: 'fraud' }, fraud, {
        endpoint: 'fraud-detector',
        percent: 100,
        actor: 'test',
      }),
    );
  finishedRollout = await getDb().rollout.update({
    where: { id: (await followed()).id },
    data: { createdAt: new Date(Date.now() - 60_000) },
  });
  await followed();
}, 120_000);

afterAll(async () => {
  await stopSharedWatchCaches();
  await closeRateLimits();
  await getDb().$disconnect();
  await database?.drop();
});

// ---------------------------------------------------------------------------------------------
// Calling an operation as the document describes it

const params = (values: Record<string, string>) => ({ params: Promise.resolve(values) });

/** Values for the document's parameters and body fields, by name; an operation needing one not here is not walkable. */
function pathValues(): Record<string, string> {
  return {
    tenant: WALKED_TENANT,
    requestId,
    experimentId: fraud.experiments[0]!.experimentId,
    name: encodeURIComponent(fraud.model),
    endpoint: 'fraud-detector',
  };
}
function bodyValues(): Record<string, unknown> {
  return {
    model: fraud.model,
    version: fraud.challenger.version,
    modelCardUrl: 'https://wiki.example.com/fraud/model-card',
    notes: 'Filed by the walk of the OpenAPI document',
    pipeline: 'openapi-walk-1',
    rolloutId: finishedRollout.id,
    to: 'next',
    reason: 'Walked by the OpenAPI test: nothing is rolled back',
  };
}
const HEADER_VALUES: Record<string, () => string> = { 'Idempotency-Key': () => randomUUID() };

async function routeHandler(op: DocumentedOperation): Promise<RouteHandler> {
  const folder = op.path.replace(/^\//, '').replace(/\{(\w+)\}/g, '[$1]');
  const route = (await import(path.join(ROOT, 'app', folder, 'route.ts'))) as Record<string, RouteHandler | undefined>;
  const handler = route[op.method];
  if (!handler) throw new Error(`${op.operationId}: app/${folder}/route.ts exports no ${op.method}`);
  return handler;
}

/** A valid call of `op` as its parameters and body schema describe it, with the values above. */
function callOf(op: DocumentedOperation, token?: string) {
  const missing = (what: string) =>
    new Error(`${op.operationId} is not walkable: the walk has no value for ${what}; add one to this test`);
  const values: Record<string, string> = {};
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  for (const parameter of op.parameters) {
    if (parameter.in === 'path') {
      const value = pathValues()[parameter.name];
      if (value === undefined) throw missing(`the path parameter {${parameter.name}}`);
      values[parameter.name] = value;
    } else if (parameter.in === 'header') {
      const value = HEADER_VALUES[parameter.name];
      if (!value) throw missing(`the header ${parameter.name}`);
      headers[parameter.name] = value();
    } else if (parameter.required) {
      throw missing(`the required query parameter ${parameter.name}`);
    }
  }
  const url = `http://portal.test${op.path.replace(/\{(\w+)\}/g, (_, name: string) => values[name]!)}`;
  let body: string | undefined;
  if (op.body) {
    const { properties = {}, required = [] } = op.body as { properties?: object; required?: string[] };
    const fields = bodyValues();
    for (const name of required) if (!(name in fields)) throw missing(`the body field ${name}`);
    body = JSON.stringify(
      Object.fromEntries(Object.keys(properties).flatMap((k) => (k in fields ? [[k, fields[k]]] : []))),
    );
  }
  return { request: new Request(url, { method: op.method, headers, body }), context: params(values) };
}

const ajv = jsonSchemaValidator();
const compiled = new Map<object, ValidateFunction>();
/** Why `body` is not what `op` documents for `status`; empty when it is. */
function undocumented(op: DocumentedOperation, status: number, body: unknown): string[] {
  const schema = op.responses[String(status)];
  if (!schema) return [`${status} is not a documented answer of ${op.operationId}`];
  if (!compiled.has(schema)) compiled.set(schema, ajv.compile(schema));
  return schemaProblems(compiled.get(schema)!, body);
}

async function lastApiAudit(tokenId: string) {
  return getDb().auditEvent.findFirst({
    where: { targetId: tokenId, action: { startsWith: 'api.' } },
    orderBy: { id: 'desc' },
  });
}

// ---------------------------------------------------------------------------------------------

describe('/api/v1: the OpenAPI document, walked against the local platform', () => {
  let operations: DocumentedOperation[];

  beforeAll(async () => {
    operations = await validateOpenApi(await openApiRoute().json());
  });

  it('lists every endpoint, each with a route file and a token scope', async () => {
    expect(operations.map((op) => op.operationId).sort()).toEqual(ENDPOINTS.map((e) => e.operationId).sort());
    for (const op of operations) {
      await routeHandler(op);
      expect(SERVICE_SCOPES, op.operationId).toContain(op.scope);
    }
  });

  it('walks the document: every operation answers a valid call with its scope as documented, and audits it', async () => {
    const walked: string[] = [];
    for (const op of operations) {
      const handler = await routeHandler(op);
      const token = scoped[op.scope as TokenScope];
      const { request, context } = callOf(op, token.secret);
      const response = await handler(request, context);
      const body: unknown = await response.json();
      const label = `${op.method} ${op.path} → ${response.status} ${JSON.stringify(body).slice(0, 400)}`;
      expect(response.status, label).toBeGreaterThanOrEqual(200);
      expect(response.status, label).toBeLessThan(300);
      expect(undocumented(op, response.status, body), label).toEqual([]);
      expect(await lastApiAudit(token.id), label).toMatchObject({
        outcome: 'success',
        tenant: WALKED_TENANT,
        after: { token: { id: token.id, kind: 'service' }, status: response.status },
      });
      // A service token names the pipeline run, and the request says so to whoever reads it back.
      if (op.method === 'POST' && op.path.endsWith('/promotions'))
        expect((body as { pipeline?: unknown }).pipeline, label).toBe('openapi-walk-1');
      walked.push(op.operationId);
    }
    expect(walked).toHaveLength(ENDPOINTS.length);
  }, 180_000);

  it('refuses every operation as documented: 401 without a token, and with an expired or revoked one; 403 out of scope or tenant', async () => {
    for (const op of operations) {
      const handler = await routeHandler(op);
      const attempts: [string, Token | undefined, number][] = [
        ['no token', undefined, 401],
        ['expired', tokens.expired, 401],
        ['revoked', tokens.revoked, 401],
        [`all scopes but ${op.scope}`, lacking[op.scope as TokenScope], 403],
        ['another tenant’s token', tokens.foreign, 403],
      ];
      for (const [who, token, status] of attempts) {
        const { request, context } = callOf(op, token?.secret);
        const response = await handler(request, context);
        const body: unknown = await response.json();
        const label = `${op.method} ${op.path} with ${who}`;
        expect(response.status, label).toBe(status);
        expect(undocumented(op, response.status, body), label).toEqual([]);
        if (status === 401) expect(response.headers.get('www-authenticate'), label).toMatch(/^Bearer realm="api"/);
        if (!token) continue;
        // Refused, and audited with the token's id: which token, which tenant, why.
        const event = await lastApiAudit(token.id);
        expect(event, label).toMatchObject({ outcome: 'denied', targetType: 'api-token' });
        expect(event!.occurredAt.getTime(), label).toBeGreaterThan(Date.now() - 60_000);
        if (who === 'expired' || who === 'revoked') expect(event!.reason, label).toBe(`token ${who}`);
        else expect(event!.reason, label).toMatch(/^not allowed to /);
      }
    }
  }, 120_000);
});

describe('/api/v1: runs with the runs page’s parameters', () => {
  const runs = async (query: Record<string, string>, experimentId = fraud.experiments[0]!.experimentId) => {
    const route = await import('../../app/api/v1/t/[tenant]/experiments/[experimentId]/runs/route');
    const url = `http://portal.test/api/v1/t/fraud/experiments/${experimentId}/runs?${new URLSearchParams(query)}`;
    const response = await route.GET(
      new Request(url, { headers: { authorization: `Bearer ${scoped['experiments.read'].secret}` } }),
      params({ tenant: 'fraud', experimentId }),
    );
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('filters, sorts and pages on the server, as the page does', async () => {
    const query = { filter: 'metrics.holdout_auc >= 0.9', sort: 'metrics.holdout_auc', dir: 'desc', size: '10' };
    const seen: string[] = [];
    const aucs: number[] = [];
    let page: string | undefined;
    for (let pages = 0; pages < 10; pages++) {
      const { status, body } = await runs({ ...query, ...(page ? { page } : {}) });
      expect(status).toBe(200);
      const found = body.runs as { runId: string; metrics: { holdout_auc: number } }[];
      expect(found.length).toBeLessThanOrEqual(10);
      seen.push(...found.map((r) => r.runId));
      aucs.push(...found.map((r) => r.metrics.holdout_auc));
      page = (body.nextPageToken as string | null) ?? undefined;
      if (!page) break;
    }
    expect(seen.length).toBeGreaterThan(10);
    expect(new Set(seen).size).toBe(seen.length);
    expect(aucs.every((auc) => auc >= 0.9)).toBe(true);
    expect(aucs).toEqual(aucs.toSorted((a, b) => b - a));
  });

  it('refuses what the page would have replaced by its default, naming the parameter', async () => {
    for (const [query, field, message] of [
      [{ filter: 'metrics.holdout_auc >= high' }, 'filter', /compares with a number/],
      [{ size: '7' }, 'size', /Choose a page size of 10, 25, 50, 100/],
      [{ sort: 'attributes.colour' }, 'sort', /Runs have no attribute "colour"/],
      [{ dir: 'sideways' }, 'dir', /asc or desc/],
    ] as const) {
      const { status, body } = await runs(query);
      expect(status, JSON.stringify(query)).toBe(400);
      expect((body.fieldErrors as Record<string, string>)[field]).toMatch(message);
    }
  });

  it('answers 404 for an experiment the tenant does not have', async () => {
    // pricing's experiment, asked for in fraud's workspace.
    expect((await runs({}, pricing.experiments[0]!.experimentId)).status).toBe(404);
  });
});

describe('/api/v1: models and versions', () => {
  const call = async (url: string, values: Record<string, string>, file: string) => {
    const route = (await import(path.join(ROOT, 'app/api/v1/t/[tenant]', file, 'route.ts'))) as { GET: RouteHandler };
    const response = await route.GET(
      new Request(`http://portal.test/api/v1/t/fraud/${url}`, {
        headers: { authorization: `Bearer ${scoped['models.read'].secret}` },
      }),
      params({ tenant: 'fraud', ...values }),
    );
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('lists the registered models with their aliases', async () => {
    const { status, body } = await call('models', {}, 'models');
    expect(status).toBe(200);
    const model = (body.models as { name: string; aliases: unknown[]; versionCount: number }[]).find(
      (m) => m.name === fraud.model,
    );
    expect(model).toMatchObject({ versionCount: fraud.versions.length, latestVersion: fraud.versions.at(-1)!.version });
    expect(model!.aliases).toEqual(expect.arrayContaining([{ alias: 'champion', version: fraud.champion.version }]));
  });

  it('says for each version whether its files are there and its signature logged, as the registry has them', async () => {
    const name = encodeURIComponent(fraud.model);
    const { status, body } = await call(`models/${name}/versions`, { name }, 'models/[name]/versions');
    expect(status).toBe(200);
    const versions = body.versions as { version: string; signature: string; artifactPresent: boolean; runId: string }[];
    expect(versions.map((v) => v.version)).toEqual(fraud.versions.map((v) => v.version).reverse());
    for (const seeded of fraud.versions)
      expect(versions.find((v) => v.version === seeded.version)).toMatchObject({
        runId: seeded.runId,
        artifactPresent: true,
        signature: seeded.signature ? 'logged' : 'missing',
      });
    const missing = await call('models/no-such-model/versions', { name: 'no-such-model' }, 'models/[name]/versions');
    expect(missing.status).toBe(404);
  });
});

describe('/api/v1: GPU quota', () => {
  it('answers the quota as the cluster counts it', async () => {
    const route = await import('../../app/api/v1/t/[tenant]/quota/route');
    const response = await route.GET(
      new Request('http://portal.test/api/v1/t/fraud/quota', {
        headers: { authorization: `Bearer ${scoped['quota.read'].secret}` },
      }),
      params({ tenant: 'fraud' }),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { quota: { name: string; hard: number; used: number } };
    const quota = (await resourceQuotas('fraud', PORTAL_ACTOR).get(body.quota.name))!;
    expect(body.quota.hard).toBe(Number(quota.spec.hard['requests.nvidia.com/gpu']));
    expect(body.quota.used).toBe(Number(quota.status?.used['requests.nvidia.com/gpu'] ?? 0));
  });
});

describe('/api/v1: a canary through the API (pricing’s seeded canary)', () => {
  let rollout: Rollout;
  let operations: DocumentedOperation[];
  const isvcs = () => inferenceServices('pricing', PORTAL_ACTOR);

  beforeAll(async () => {
    operations = await validateOpenApi(await openApiRoute().json());
    await restoreSeededCanary(pricing, PRICING_ENDPOINT);
    rollout = await getDb().$transaction((tx) =>
      followSeededCanary(tx, { id: tenantIds.pricing!, name: 'pricing' }, pricing, {
        endpoint: PRICING_ENDPOINT,
        percent: 20,
        actor: 'test',
      }),
    );
  }, 200_000);

  afterAll(async () => {
    if (pricing) await restoreSeededCanary(pricing, PRICING_ENDPOINT);
  }, 200_000);

  const operation = (operationId: string) => operations.find((op) => op.operationId === operationId)!;

  async function call(operationId: string, endpoint: string | null, init: { body?: object; key?: string } = {}) {
    const op = operation(operationId);
    const handler = await routeHandler(op);
    const headers: Record<string, string> = {
      authorization: `Bearer ${tokens.piaOperates.secret}`,
      'content-type': 'application/json',
    };
    if (init.key) headers['idempotency-key'] = init.key;
    const url = `http://portal.test${op.path.replace('{tenant}', 'pricing').replace('{endpoint}', endpoint ?? '')}`;
    const response = await handler(
      new Request(url, {
        method: op.method,
        headers,
        body: init.body ? JSON.stringify(init.body) : undefined,
      }),
      params(endpoint ? { tenant: 'pricing', endpoint } : { tenant: 'pricing' }),
    );
    const body = (await response.json()) as Record<string, unknown>;
    expect(undocumented(op, response.status, body), `${operationId} ${response.status}`).toEqual([]);
    return { status: response.status, body };
  }

  const served = async () => {
    const isvc = (await isvcs().get(PRICING_ENDPOINT))!;
    return {
      storageUri: isvc.spec.predictor.model?.storageUri ?? null,
      canaryTrafficPercent: isvc.spec.predictor.canaryTrafficPercent ?? null,
      generation: isvc.metadata.generation,
    };
  };

  it('lists the endpoint with its canary, and reads its judgment with the values that drove it and its history', async () => {
    const live = await getDb().rollout.findUniqueOrThrow({ where: { id: rollout.id }, include: { tenant: true } });
    const decision = await checkRollout(live);
    expect(decision.action).toBe('pause');

    const list = await call('listRollouts', null);
    expect(list.status).toBe(200);
    const row = (list.body.endpoints as { endpoint: { name: string; canary: unknown }; rollout: unknown }[]).find(
      (r) => r.endpoint.name === PRICING_ENDPOINT,
    );
    expect(row?.endpoint.canary).toMatchObject({ percent: 20, storageUri: pricing.challenger.storageUri });
    expect(row?.rollout).toMatchObject({ id: rollout.id, state: 'progressing', currentPercent: 20 });

    const one = await call('getRollout', PRICING_ENDPOINT);
    expect(one.status).toBe(200);
    expect(one.body.rollout).toMatchObject({
      id: rollout.id,
      judgment: { state: 'paused', action: 'pause' },
      judgmentValues: { percent: 20, metrics: { unavailable: expect.any(String) }, thresholds: expect.any(Object) },
    });
    expect((one.body.history as { kind: string }[]).map((e) => e.kind)).toEqual(
      expect.arrayContaining(['pause', 'start']),
    );
    expect((await call('getRollout', 'no-such-endpoint')).status).toBe(404);
  });

  it('refuses a rollback without an Idempotency-Key, changing nothing', async () => {
    const before = await served();
    // The key travels as the header only: the server action's field of the same name in the body does not stand in for it.
    for (const body of [{ rolloutId: rollout.id }, { rolloutId: rollout.id, idempotencyKey: randomUUID() }]) {
      const response = await call('rollbackRollout', PRICING_ENDPOINT, { body });
      expect(response.status).toBe(400);
      expect(response.body.fieldErrors).toEqual({ 'Idempotency-Key': 'That is not an idempotency key' });
    }
    expect(await served()).toEqual(before);
  });

  it('rolls back at the Kubernetes API once per key: the same key again answers without acting', async () => {
    const key = randomUUID();
    const first = await call('rollbackRollout', PRICING_ENDPOINT, { body: { rolloutId: rollout.id }, key });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ changed: true, rollout: { id: rollout.id, state: 'rolled_back' } });
    const after = await served();
    expect(after).toMatchObject({ storageUri: pricing.champion.storageUri, canaryTrafficPercent: 0 });

    const again = await call('rollbackRollout', PRICING_ENDPOINT, { body: { rolloutId: rollout.id }, key });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ changed: false, rollout: first.body.rollout });
    expect(again.body.message).toMatch(/^Already done: Rolled back by pia \(token mlp_[\w-]+\) through the API/);
    expect(await served()).toEqual(after);

    // One intent, one outcome, acting at the API server as pia; one audited rollback, two audited calls.
    const events = await getDb().rolloutEvent.findMany({
      where: { rolloutId: rollout.id, kind: { in: ['intent', 'rollback'] } },
    });
    expect(events.map((e) => e.kind).sort()).toEqual(['intent', 'rollback']);
    expect(events.find((e) => e.kind === 'intent')!.values).toMatchObject({
      kube: { kind: 'user', username: 'pia', groups: expect.arrayContaining(['mlp:pricing:admin']) },
    });
    const rollbacks = await getDb().auditEvent.findMany({
      where: { action: 'deployment.rollback', tenant: 'pricing', outcome: 'success' },
    });
    expect(rollbacks).toHaveLength(1);
    expect(rollbacks[0]!.actor).toMatch(/^pia \(token mlp_/);
    const calls = await getDb().auditEvent.findMany({
      where: { action: 'api.rollout.rollback', targetId: tokens.piaOperates.id, outcome: 'success' },
    });
    expect(calls).toHaveLength(2);

    // The same key for another action is refused, and nothing moves.
    const promote = await call('promoteRollout', PRICING_ENDPOINT, {
      body: { rolloutId: rollout.id, to: 'full' },
      key,
    });
    expect(promote.status).toBe(422);
    expect(promote.body.error).toMatch(/key was already used for a rollback/);
    expect(await served()).toEqual(after);
  });

  it('refuses a personal token once its owner lost the role, though its scopes are unchanged', async () => {
    const before = await served();
    const where = { userId_tenantId: { userId: pia.id, tenantId: tenantIds.pricing! } };
    await getDb().membership.update({ where, data: { role: 'viewer' } });
    try {
      const response = await call('promoteRollout', PRICING_ENDPOINT, {
        body: { rolloutId: rollout.id, to: 'next' },
        key: randomUUID(),
      });
      expect(response.status).toBe(403);
      expect(await lastApiAudit(tokens.piaOperates.id)).toMatchObject({
        action: 'api.rollout.promote',
        outcome: 'denied',
        reason: 'not allowed to deployment.operate',
      });
      // Reading needs only a viewer.
      expect((await call('getRollout', PRICING_ENDPOINT)).status).toBe(200);
    } finally {
      await getDb().membership.update({ where, data: { role: 'admin' } });
    }
    expect(await served()).toEqual(before);
  });

  it('answers 404 for a rollout that is not this endpoint’s', async () => {
    const response = await call('rollbackRollout', PRICING_ENDPOINT, {
      body: { rolloutId: finishedRollout.id },
      key: randomUUID(),
    });
    expect(response.status).toBe(404);
  });
});

describe('/api/v1: the audit log', () => {
  it('stays one intact chain', async () => {
    expect((await verifyAuditLog()).ok).toBe(true);
  });
});
