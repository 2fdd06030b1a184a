/**
 * The portal against hostile requests, as raw HTTP calls to the running portal (its real
 * PostgreSQL, IdP and API server). The matrix is generated, not listed by hand:
 *
 * - every server action in this build (Next.js's server-reference manifest) × every caller
 *   (anonymous, each demo role, and carol — a member of another tenant) × every kind of input
 *   (valid, two malformed, an oversized body, over-long fields, hostile characters);
 * - every route handler and page under app/ × {anonymous, carol, alice} × hostile path segments.
 *
 * It asserts no 5xx, no change of state (the portal database's and the cluster's fingerprints
 * before and after), no data of another tenant in any answer, and bounded audit growth.
 * A new action needs an entry in PROBES — a valid input the portal refuses without acting (a
 * stale version, an unknown id) — and this file fails, naming it, until it has one.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { CoreV1Api, CustomObjectsApi, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { expect, test, type APIRequestContext, type APIResponse, type Browser } from '@playwright/test';
import { adminApi } from './cluster';
import { portalRows, signIn } from './support';

process.loadEnvFile('.data/stack/stack.env');

const TENANT = 'fraud';
const OTHER_TENANT_MEMBER = 'carol';
const CALLERS = ['anonymous', 'alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace'] as const;
type Caller = (typeof CALLERS)[number];
/** Who may read fraud's data: its members and the platform roles. Anyone else must never see it. */
const SEES_FRAUD: readonly Caller[] = ['alice', 'bob', 'dave', 'erin', 'frank', 'grace'];

const HOSTILE =
  "\u0000\uD800<script>alert(1)</script>'; DROP TABLE audit_events;--\u202E../../etc/passwd%00{{7*7}}\r\nX-Injected: 1";
/** A few megabytes: over any body the portal reads. */
const OVERSIZED = 'x'.repeat(3 * 1024 * 1024);
/** Within the body limit, far over any field's. */
const LONG_FIELD = 'y'.repeat(30_000);
const randomUuid = () => crypto.randomUUID();

// ---------------------------------------------------------------------------------------------
// The registry: what this build serves

interface ServerAction {
  id: string;
  name: string;
  file: string;
  /** A page whose bundle carries the action, with its dynamic segments filled. */
  path: string;
}

function fillSegments(route: string, values: Record<string, string>): string {
  return route.replace(
    /\[\.\.\.(\w+)\]|\[(\w+)\]/g,
    (_m, rest: string | undefined, name: string | undefined) => values[(rest ?? name)!] ?? 'x',
  );
}

/** app/(group)/t/[tenant]/x/page → /t/[tenant]/x */
function urlTemplate(entry: string): string {
  const parts = entry
    .replace(/^app\//, '')
    .split('/')
    .filter((p) => !/^\(.*\)$/.test(p));
  parts.pop();
  return `/${parts.join('/')}`;
}

const SEGMENTS: Record<string, string> = {
  tenant: TENANT,
  name: 'fraud-detector',
  endpoint: 'fraud-detector',
  id: '00000000-0000-4000-8000-000000000000',
  experimentId: '1',
  runId: '0'.repeat(32),
  nextauth: 'session',
};

function serverActions(): ServerAction[] {
  const manifest = JSON.parse(readFileSync('.next/server/server-reference-manifest.json', 'utf8')) as {
    node: Record<string, { workers: Record<string, unknown>; filename?: string; exportedName?: string }>;
  };
  return Object.entries(manifest.node).map(([id, entry]) => ({
    id,
    name: entry.exportedName ?? id,
    file: entry.filename ?? '?',
    path: fillSegments(urlTemplate(Object.keys(entry.workers)[0]!), SEGMENTS),
  }));
}

function appFiles(base: string): string[] {
  return readdirSync(base, { recursive: true, encoding: 'utf8' }).map((f) => path.join(base, f));
}
const ROUTE_TEMPLATES = appFiles('app')
  .filter((f) => f.endsWith('route.ts'))
  .map((f) => urlTemplate(f.replace(/\.ts$/, '')));
const PAGE_TEMPLATES = appFiles('app')
  .filter((f) => f.endsWith('page.tsx'))
  .map((f) => urlTemplate(f.replace(/\.tsx$/, '')));

/**
 * For each action, a valid input that the portal refuses without acting whoever sends it: an id
 * that does not exist, a form opened at a version long gone, a name already taken. `null`: an
 * action that takes no input and acts on the caller's own session (sign-out), called anonymously.
 */
const PROBES: Record<string, Record<string, unknown> | null> = {
  signOutAction: null,
  createTenantAction: { name: TENANT, displayName: 'Fraud again', description: '', gpus: '1' },
  retryProvisioningAction: { name: 'no-such-tenant' },
  archiveTenantAction: { name: 'no-such-tenant' },
  addMemberAction: { tenant: TENANT, user: 'nobody-at-all', role: 'viewer' },
  changeRoleAction: { tenant: TENANT, user: 'nobody-at-all', role: 'admin' },
  removeMemberAction: { tenant: TENANT, user: 'nobody-at-all' },
  savePolicyAction: {
    tenant: TENANT,
    version: '99999',
    thresholds: 'holdout_auc >= 0.1',
    primaryMetric: 'holdout_auc',
    regressionTolerance: '0.9',
    requireSignature: '',
    requireModelCard: '',
    requireNotes: '',
    requiredApprovals: '1',
    staleAfterHours: '24',
    expireAfterHours: '72',
    alias: 'champion',
    canarySteps: '100',
    bakeMinutes: '1',
    analysisWindowSeconds: '60',
    maxErrorRatePercent: '50',
    maxP99Ms: '60000',
    minRequests: '1',
    immediateRollbackFactor: '20',
    minPassRatioPercent: '50',
    maxInputDrift: '1',
  },
  acceptPolicyProposalAction: { tenant: TENANT, proposalId: SEGMENTS.id },
  rejectPolicyProposalAction: { tenant: TENANT, proposalId: SEGMENTS.id, comment: 'no' },
  requestPromotionAction: {
    tenant: TENANT,
    model: 'no-such-model',
    version: '1',
    modelCardUrl: 'https://wiki.example.com/card',
    notes: 'probe',
  },
  decidePromotionAction: { tenant: TENANT, requestId: SEGMENTS.id, decision: 'approve', comment: '' },
  retryDeploymentAction: { tenant: TENANT, requestId: SEGMENTS.id },
  // A tenant that does not exist: nobody may make its tokens; a token that does not exist: nobody revokes it.
  createTokenAction: { kind: 'service', tenant: 'no-such-tenant', name: 'probe', scopes: 'promotion.read' },
  revokeTokenAction: { tokenId: SEGMENTS.id },
  rollbackDeploymentAction: {
    tenant: TENANT,
    endpoint: 'fraud-detector',
    rolloutId: SEGMENTS.id,
    idempotencyKey: randomUuid(),
  },
  rollbackToVersionAction: {
    tenant: TENANT,
    endpoint: 'fraud-detector',
    rolloutId: SEGMENTS.id,
    version: '3',
    reason: 'Probe: a rollout that does not exist, so nothing is done',
    idempotencyKey: randomUuid(),
  },
  promoteDeploymentAction: {
    tenant: TENANT,
    endpoint: 'fraud-detector',
    rolloutId: SEGMENTS.id,
    idempotencyKey: randomUuid(),
    to: 'full',
  },
  changeGpuQuotaAction: {
    tenant: TENANT,
    gpus: '0',
    expected: '99999',
    confirmBelowUsage: 'on',
    confirmOvercommit: 'on',
  },
  updateOpsThresholdsAction: {
    version: '99999',
    pipelineSuccessMinPercent: '1',
    trainingRegressionTolerance: '1',
    registryWaitHoursMax: '1000',
    servingErrorRateMaxPercent: '99',
    servingP99MsMax: '60000',
    canaryErrorRatioMax: '100',
    oomKillsPerDayMax: '1000',
  },
  // Inbox and subscriptions: an item nobody has (marks nothing), a tenant nobody may subscribe to.
  markReadAction: { ids: [SEGMENTS.id] },
  saveSubscriptionsAction: { changes: [{ tenant: 'no-such-tenant', kind: 'promotion.requested', mode: 'all' }] },
  // Webhooks: a tenant that does not exist, or a webhook that does not exist in fraud (grace manages fraud's).
  createWebhookAction: { tenant: 'no-such-tenant', name: 'probe', url: 'https://hooks.example.com/probe' },
  updateWebhookAction: { tenant: TENANT, webhookId: SEGMENTS.id, name: 'probe', rotateSecret: 'on' },
  deleteWebhookAction: { tenant: TENANT, webhookId: SEGMENTS.id },
  sendTestEventAction: { tenant: TENANT, webhookId: SEGMENTS.id },
  updateSloObjectivesAction: {
    tenant: TENANT,
    endpoint: 'fraud-detector',
    version: '99999',
    availabilityObjectivePercent: '50',
    latencyObjectivePercent: '50',
    latencyThresholdMs: '10000',
    windowDays: '7',
  },
};

type InputKind = 'valid' | 'not JSON' | 'wrong types' | 'oversized body' | 'long fields' | 'hostile characters';
const INPUT_KINDS: readonly InputKind[] = [
  'valid',
  'not JSON',
  'wrong types',
  'oversized body',
  'long fields',
  'hostile characters',
];

function body(probe: Record<string, unknown>, kind: InputKind): string {
  const replaceStrings = (value: string) =>
    Object.fromEntries(Object.entries(probe).map(([k, v]) => [k, typeof v === 'string' && k !== 'tenant' ? value : v]));
  switch (kind) {
    case 'valid':
      return JSON.stringify([null, probe]);
    case 'not JSON':
      return '[null, {"tenant": "fraud", ';
    case 'wrong types':
      return JSON.stringify([null, Object.fromEntries(Object.keys(probe).map((k) => [k, { $gt: '' }]))]);
    case 'oversized body':
      return JSON.stringify([null, replaceStrings(OVERSIZED)]);
    case 'long fields':
      return JSON.stringify([null, replaceStrings(LONG_FIELD)]);
    case 'hostile characters':
      return JSON.stringify([null, { ...replaceStrings(HOSTILE), tenant: TENANT }]);
  }
}

// ---------------------------------------------------------------------------------------------
// What must not change, and what must not be seen

/** Everything a person could change through the portal, as rows of text (the worker's own moves excluded). */
async function databaseFingerprint(): Promise<string[]> {
  const rows = await portalRows<{ row: string }>(
    `SELECT row FROM (
       SELECT 'tenant ' || name || ' ' || status || ' ' || display_name || ' ' || description || ' ' || coalesce(quota_request::text, '') AS row FROM tenants
       UNION ALL SELECT 'membership ' || u.username || ' ' || t.name || ' ' || m.role || ' ' || m.source FROM memberships m JOIN users u ON u.id = m.user_id JOIN tenants t ON t.id = m.tenant_id
       UNION ALL SELECT 'policy ' || tenant_id || ' v' || version FROM promotion_policies
       UNION ALL SELECT 'policy-change ' || id || ' ' || status FROM policy_changes
       UNION ALL SELECT 'request ' || id || ' ' || status FROM promotion_requests
       UNION ALL SELECT 'approval ' || id FROM approvals
       UNION ALL SELECT 'token ' || id || ' ' || coalesce(revoked_at::text, 'active') FROM api_tokens
       UNION ALL SELECT 'slo ' || tenant_id || ' ' || endpoint || ' v' || version FROM slo_definitions
       UNION ALL SELECT 'ops-thresholds v' || version FROM ops_thresholds
       UNION ALL SELECT 'rollout-event ' || id || ' by ' || actor FROM rollout_events WHERE actor <> 'worker'
       UNION ALL SELECT 'webhook ' || id || ' ' || name || ' ' || url || ' ' || enabled || ' ' || secret_prefix || ' ' || array_to_string(kinds, ',') FROM webhook_endpoints
       UNION ALL SELECT 'subscription ' || user_id || ' ' || tenant_id || ' ' || kind || ' ' || subscribed FROM notification_subscriptions
       UNION ALL SELECT 'notification-event ' || id || ' ' || kind FROM notification_events WHERE kind = 'test'
       UNION ALL SELECT 'audit ' || action || ' by ' || actor FROM audit_events
         WHERE outcome = 'success' AND actor <> 'worker' AND action NOT IN ('auth.sign-in', 'anonymous.refused')
     ) s ORDER BY row`,
    [],
  );
  return rows.map((r) => r.row);
}

const customObjects = adminApi(CustomObjectsApi);
const core = adminApi(CoreV1Api);
const rbac = adminApi(RbacAuthorizationV1Api);

/** The tenant namespaces' labels, quotas, role bindings, config maps and the stable endpoint's model, as the admin reads them. */
async function clusterFingerprint(): Promise<string[]> {
  const rows: string[] = [];
  for (const tenant of ['fraud', 'pricing', 'forecast']) {
    const namespace = await core.readNamespace({ name: tenant });
    rows.push(`namespace ${tenant} ${JSON.stringify(namespace.metadata?.labels ?? {})}`);
    for (const quota of (await core.listNamespacedResourceQuota({ namespace: tenant })).items)
      rows.push(`quota ${tenant}/${quota.metadata?.name} ${JSON.stringify(quota.spec?.hard ?? {})}`);
    for (const binding of (await rbac.listNamespacedRoleBinding({ namespace: tenant })).items)
      rows.push(`binding ${tenant}/${binding.metadata?.name} ${JSON.stringify(binding.subjects ?? [])}`);
    for (const map of (await core.listNamespacedConfigMap({ namespace: tenant })).items)
      rows.push(`configmap ${tenant}/${map.metadata?.name} ${JSON.stringify(map.data ?? {})}`);
    const isvcs = (await customObjects.listNamespacedCustomObject({
      group: 'serving.kserve.io',
      version: 'v1beta1',
      plural: 'inferenceservices',
      namespace: tenant,
    })) as {
      items: { metadata: { name: string; annotations?: Record<string, string> }; spec: unknown }[];
    };
    for (const isvc of isvcs.items) {
      // The canaries of pricing and forecast are the worker's to move; fraud's stable endpoint is nobody's during this test.
      rows.push(
        tenant === 'fraud'
          ? `isvc ${tenant}/${isvc.metadata.name} ${JSON.stringify(isvc.spec)} ${JSON.stringify(isvc.metadata.annotations ?? {})}`
          : `isvc ${tenant}/${isvc.metadata.name}`,
      );
    }
  }
  return rows.sort();
}

interface SeededTenant {
  tenant: string;
  model: string;
  versions: { runId: string; storageUri: string }[];
}

const SEEDED = (JSON.parse(readFileSync('.data/stack/seed/mlflow.json', 'utf8')) as { tenants: SeededTenant[] })
  .tenants;
const seededTenant = (name: string) => SEEDED.find((t) => t.tenant === name)!;

/** Strings only fraud's data contains: its model name, run ids and artifact locations. */
function fraudSecrets(): string[] {
  const fraud = seededTenant(TENANT);
  return [fraud.model, ...fraud.versions.flatMap((v) => [v.runId, v.storageUri])];
}

// ---------------------------------------------------------------------------------------------

interface Finding {
  call: string;
  problem: string;
}

async function sessions(browser: Browser): Promise<Map<Caller, APIRequestContext>> {
  const map = new Map<Caller, APIRequestContext>();
  for (const caller of CALLERS) {
    const context = await browser.newContext();
    if (caller !== 'anonymous') await signIn(await context.newPage(), caller);
    map.set(caller, context.request);
  }
  return map;
}

function judge(
  findings: Finding[],
  call: string,
  response: APIResponse,
  text: string,
  caller: Caller,
  secrets: readonly string[],
): void {
  if (response.status() >= 500)
    findings.push({ call, problem: `answered ${response.status()}: ${text.slice(0, 200)}` });
  // A client's input deserves a refusal in words, not the answer to a failure on our side.
  if (text.includes('Something went wrong on our side'))
    findings.push({ call, problem: 'answered with an internal error instead of a refusal' });
  if (!SEES_FRAUD.includes(caller)) {
    const leaked = secrets.find((s) => text.includes(s));
    if (leaked) findings.push({ call, problem: `answered with fraud's data (${leaked})` });
  }
}

test.describe.configure({ mode: 'serial', timeout: 900_000 });

let callers: Map<Caller, APIRequestContext>;
test.beforeAll(async ({ browser }) => {
  callers = await sessions(browser);
});

test('every server action × every caller × every kind of input: no 5xx, no change, no other tenant’s data, bounded audit', async ({
  baseURL,
}) => {
  const actions = serverActions();
  const missing = actions.filter((a) => !(a.name in PROBES)).map((a) => `${a.name} (${a.file})`);
  expect(missing, 'server actions without a probe input in e2e/adversarial.spec.ts: add one').toEqual([]);

  const secrets = fraudSecrets();
  const [databaseBefore, clusterBefore] = await Promise.all([databaseFingerprint(), clusterFingerprint()]);
  const [lastAudit] = await portalRows<{ id: string }>('SELECT coalesce(max(id), 0)::text AS id FROM audit_events', []);
  const lastAuditId = lastAudit!.id;
  const started = Date.now();
  const findings: Finding[] = [];
  let sent = 0;
  let fiveHundreds = 0;
  let closedEarly = 0;

  for (const action of actions) {
    const probe = PROBES[action.name];
    for (const caller of CALLERS) {
      if (probe === null && caller !== 'anonymous') continue; // signing out is what it does for anyone signed in
      for (const kind of INPUT_KINDS) {
        const call = `${action.name} as ${caller} with ${kind} input`;
        sent += 1;
        let response: APIResponse;
        try {
          response = await callers.get(caller)!.post(action.path, {
            headers: {
              'Next-Action': action.id,
              'Content-Type': 'text/plain;charset=UTF-8',
              Accept: 'text/x-component',
              Origin: baseURL!,
            },
            data: body(probe ?? {}, kind),
            maxRedirects: 0,
            failOnStatusCode: false,
          });
        } catch (error) {
          // The portal answers 413 from the declared length and closes the connection without
          // reading a body that large: the client may see the closed socket before the answer.
          if (kind === 'oversized body' && /EPIPE|ECONNRESET|socket hang up/.test(String(error))) {
            closedEarly += 1;
            continue;
          }
          throw error;
        }
        if (response.status() >= 500) fiveHundreds += 1;
        judge(findings, call, response, await response.text(), caller, secrets);
      }
    }
  }

  const [databaseAfter, clusterAfter] = await Promise.all([databaseFingerprint(), clusterFingerprint()]);
  const added = await portalRows<{ actor: string; action: string; outcome: string; size: number; hostile: boolean }>(
    `SELECT actor, action, outcome::text, length(coalesce(before::text, '') || coalesce(after::text, '') || coalesce(reason, '')) AS size,
            (coalesce(after::text, '') LIKE '%DROP TABLE audit_events%') AS hostile
       FROM audit_events WHERE id > $1`,
    [lastAuditId],
  );
  const minutes = Math.ceil((Date.now() - started) / 60_000) + 1;
  // Anonymous calls of the minutes not yet over are still counted, not yet audited.
  const [pending] = await portalRows<{ rows: string; calls: string }>(
    'SELECT count(*)::text AS rows, coalesce(sum(calls), 0)::text AS calls FROM anonymous_refusals',
    [],
  );
  const anonymousRows = added.filter((r) => r.actor === 'anonymous' || r.action === 'anonymous.refused');
  console.log(
    `adversarial: ${actions.length} actions × ${CALLERS.length} callers × ${INPUT_KINDS.length} inputs → ${sent} requests in ${Math.round((Date.now() - started) / 1000)} s; ` +
      `${fiveHundreds} answered 5xx, ${closedEarly} oversized bodies refused unread; ${added.length} audit rows added, ${anonymousRows.length} by anonymous traffic (${pending!.calls} anonymous calls counted in ${pending!.rows} per-address-and-minute rows awaiting their event); largest ${Math.max(0, ...added.map((r) => r.size))} characters`,
  );

  expect(findings, 'answers to hostile calls').toEqual([]);
  expect(databaseAfter, "the portal's database (what people can change)").toEqual(databaseBefore);
  expect(clusterAfter, 'the cluster (tenant namespaces)').toEqual(clusterBefore);
  // Anonymous calls leave at most one aggregated event per source address and minute, never their input.
  expect(
    anonymousRows.every((r) => r.action === 'anonymous.refused'),
    'anonymous calls audited only as aggregates',
  ).toBe(true);
  expect(anonymousRows.length).toBeLessThanOrEqual(minutes);
  expect(Number(pending!.rows)).toBeLessThanOrEqual(minutes);
  expect(
    added.filter((r) => r.size > 20_000),
    'audit rows larger than 20,000 characters',
  ).toEqual([]);
  expect(
    added.filter((r) => r.actor === 'anonymous' && r.hostile),
    'anonymous input stored in the audit log',
  ).toEqual([]);
});

test('every route and page × {anonymous, carol, alice} × hostile segments: no 5xx, no other tenant’s data', async () => {
  const secrets = fraudSecrets();
  const pricingModel = seededTenant('pricing').model;
  const values = [
    '%00',
    '..%2F..%2Fetc%2Fpasswd',
    encodeURIComponent('<script>alert(1)</script>'),
    '%E0%A4%A',
    'x'.repeat(3000),
    encodeURIComponent(pricingModel),
    SEGMENTS.id,
  ];
  const findings: Finding[] = [];
  let sent = 0;
  for (const template of [...ROUTE_TEMPLATES, ...PAGE_TEMPLATES]) {
    // Without a dynamic segment only the query string varies: two values say as much as seven.
    for (const value of template.includes('[') ? values : values.slice(0, 2)) {
      const target = fillSegments(template, {
        ...Object.fromEntries(Object.keys(SEGMENTS).map((k) => [k, value])),
        tenant: TENANT,
      });
      for (const caller of ['anonymous', OTHER_TENANT_MEMBER, 'alice'] as const) {
        for (const method of ['GET', 'POST'] as const) {
          const request = callers.get(caller)!;
          const url = `${target}?callbackUrl=${encodeURIComponent('//evil.example')}&filter=${value}&phase=${value}&range=${value}`;
          const response =
            method === 'GET'
              ? await request.get(url, { maxRedirects: 0, failOnStatusCode: false })
              : await request.post(url, { data: 'not json', maxRedirects: 0, failOnStatusCode: false });
          sent += 1;
          judge(
            findings,
            `${method} ${target.slice(0, 120)} as ${caller}`,
            response,
            await response.text(),
            caller,
            secrets,
          );
        }
      }
    }
  }
  console.log(
    `adversarial: ${ROUTE_TEMPLATES.length} routes + ${PAGE_TEMPLATES.length} pages × ${values.length} values × 3 callers × 2 methods → ${sent} requests`,
  );
  expect(findings).toEqual([]);
});
