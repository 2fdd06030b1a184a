/**
 * Tenant provisioning against the running local platform: the real API server (frank impersonated,
 * RBAC applied), MLflow with its Kubernetes workspace store, and MinIO. Every tenant here is named
 * `t-<run>-…` and removed afterwards (namespaces deleted with the admin kubeconfig, markers and
 * policies removed from MinIO) — the product itself never deletes any of them. The seeded tenants
 * (fraud, pricing, forecast) are not touched.
 */
import { readFileSync } from 'node:fs';
import { DeleteObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CoreV1Api, KubeConfig, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase, type TestDatabase } from '../../test/db';
import { eventually, loadStackEnv, requireMlflow, requireObjectStorage, requireSetting } from '../../test/stack';
import { getDb } from '../db/client';
import {
  limitRanges,
  namespaces,
  PORTAL_ACTOR,
  resourceQuotas,
  roleBindings,
  userActor,
  type KubeActor,
} from '../integrations/kubernetes';
import { mlflowWorkspaces } from '../integrations/mlflow';
import { prefixPolicies, prefixPolicy, canonicalPolicy, tenantPolicyName } from '../integrations/s3';
import { sha256Hex, signV4 } from '../integrations/s3/sigv4';
import { ARCHIVED_LABEL, HARD_BEFORE_ARCHIVE_ANNOTATION } from './cluster-plan';
import { provisioningSteps, type ProvisioningContext, type ProvisioningStep, type TenantRef } from './provisioning';
import { archiveTenant, createTenant, provisionTenant, tenantProgress } from './service';

loadStackEnv();

const run = `t-${Date.now().toString(36)}`;
const names = { main: `${run}-a`, foreign: `${run}-foreign`, conflict: `${run}-c`, denied: `${run}-d` };
const frankAudit = { name: 'frank' };
let frank: KubeActor;
let alice: KubeActor;
let core: CoreV1Api;
let rbac: RbacAuthorizationV1Api;
let s3: S3Client;
let database: TestDatabase;
const steps = () => provisioningSteps({ tenantGroupPattern: 'mlp:{tenant}:{role}', workspaceWaitMs: 15_000 });

async function minioAdminDelete(path: string, query: Record<string, string>): Promise<void> {
  const url = new URL(`/minio/admin/v3/${path}`, requireSetting('S3_ENDPOINT', 'object storage'));
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  const payloadHash = sha256Hex('');
  const headers = signV4(
    { method: 'DELETE', url, headers: { 'x-amz-content-sha256': payloadHash }, payloadHash },
    {
      accessKeyId: process.env.S3_ACCESS_KEY_ID!,
      secretAccessKey: process.env.S3_SECRET_ACCESS_KEY!,
      region: process.env.S3_REGION ?? 'us-east-1',
      service: 's3',
    },
    new Date(),
  );
  delete headers.host;
  await fetch(url, { method: 'DELETE', headers });
}

/** The resourceVersions of everything provisioning writes in the cluster, to see that a second run writes nothing. */
async function clusterVersions(tenant: string): Promise<Record<string, string>> {
  const versions: Record<string, string> = {};
  versions.namespace = (await namespaces(frank).get(tenant))!.metadata.resourceVersion;
  versions.quota = (await resourceQuotas(tenant, frank).get('gpu-quota'))!.metadata.resourceVersion;
  for (const binding of await roleBindings(tenant, frank).list())
    versions[binding.metadata.name] = binding.metadata.resourceVersion;
  versions.limitRange = (await limitRanges(tenant, frank).get('defaults'))?.metadata.resourceVersion ?? 'none';
  return versions;
}

beforeAll(async () => {
  requireSetting('KUBERNETES_PORTAL_KUBECONFIG', 'kubernetes');
  await requireMlflow();
  await requireObjectStorage();
  const users = JSON.parse(readFileSync(requireSetting('KUBERNETES_USERS_FILE', 'kubernetes'), 'utf8')) as {
    users: Record<string, { username: string; groups: string[] }>;
  };
  frank = userActor('frank', users.users.frank!.groups);
  alice = userActor('alice', users.users.alice!.groups);
  const admin = new KubeConfig();
  admin.loadFromFile(requireSetting('KUBECONFIG', 'kubernetes (admin kubeconfig)'));
  core = admin.makeApiClient(CoreV1Api);
  rbac = admin.makeApiClient(RbacAuthorizationV1Api);
  s3 = new S3Client({
    endpoint: process.env.S3_ENDPOINT,
    region: process.env.S3_REGION,
    forcePathStyle: true,
    credentials: { accessKeyId: process.env.S3_ACCESS_KEY_ID!, secretAccessKey: process.env.S3_SECRET_ACCESS_KEY! },
  });
  database = await useTestDatabase();
});

afterAll(async () => {
  for (const name of Object.values(names)) {
    await core?.deleteNamespace({ name }).catch(() => undefined);
    await s3
      ?.send(new DeleteObjectCommand({ Bucket: process.env.S3_BUCKET, Key: `workspaces/${name}/.keep` }))
      .catch(() => undefined);
    await minioAdminDelete('remove-canned-policy', { name: tenantPolicyName(name) }).catch(() => undefined);
  }
  await getDb().$disconnect();
  await database?.drop();
});

describe('provisioning a tenant on the real platform', () => {
  it('frank creates a tenant: namespace, quota, role bindings, MLflow workspace and storage prefix, in one step', async () => {
    const started = Date.now();
    const tenant = await createTenant(
      frankAudit,
      {
        name: names.main,
        displayName: 'Provisioning test',
        description: 'made by provisioning.int.test.ts',
        quota: { gpus: 2, cpu: '8', memory: '16Gi' },
      },
      { kube: frank, steps: steps() },
    );
    const seconds = (Date.now() - started) / 1000;
    console.log(`provision_seconds=${seconds.toFixed(2)} (${names.main})`);
    expect(tenant, tenant.provisioningError ?? '').toMatchObject({ status: 'active', provisioningError: null });

    const ns = await namespaces(frank).get(names.main);
    expect(ns?.metadata.labels).toMatchObject({
      'mlp.example.com/tenant': names.main,
      'mlp.example.com/managed-by': 'ml-platform-portal',
    });
    expect(ns?.metadata.annotations['mlp.example.com/display-name']).toBe('Provisioning test');
    const quota = await resourceQuotas(names.main, frank).get('gpu-quota');
    expect(quota?.spec.hard).toEqual({
      'requests.nvidia.com/gpu': '2',
      'requests.cpu': '8',
      'requests.memory': '16Gi',
    });
    // A CPU/memory quota refuses pods that request nothing, so containers get default requests.
    const defaults = await limitRanges(names.main, frank).get('defaults');
    expect(defaults?.spec.limits).toEqual([{ type: 'Container', defaultRequest: { cpu: '100m', memory: '128Mi' } }]);
    const bindings = await roleBindings(names.main, frank).list();
    expect(
      bindings.map((b) => [b.metadata.name, b.roleRef.name, b.subjects.map((s) => `${s.kind}:${s.name}`)]).sort(),
    ).toEqual([
      ['mlp-admin', 'admin', [`Group:mlp:${names.main}:admin`]],
      ['mlp-approver', 'edit', [`Group:mlp:${names.main}:approver`]],
      ['mlp-member', 'edit', [`Group:mlp:${names.main}:member`]],
      ['mlp-viewer', 'view', [`Group:mlp:${names.main}:viewer`]],
    ]);
    expect(await mlflowWorkspaces().get(names.main)).toMatchObject({ name: names.main });
    await expect(
      s3.send(new HeadObjectCommand({ Bucket: process.env.S3_BUCKET, Key: `workspaces/${names.main}/.keep` })),
    ).resolves.toBeDefined();
    const policy = await prefixPolicies().read(names.main);
    expect(policy && 'document' in policy && canonicalPolicy(policy.document)).toBe(
      canonicalPolicy(prefixPolicy(process.env.S3_BUCKET!, `workspaces/${names.main}/`, 'read-write')),
    );

    const progress = (await tenantProgress(names.main))!;
    console.log(`step_ms ${progress.steps.map((s) => `${s.key}=${s.durationMs}`).join(' ')}`);
    expect(progress.steps.map((s) => [s.key, s.state])).toEqual([
      ['namespace', 'done'],
      ['quota', 'done'],
      ['role-bindings', 'done'],
      ['mlflow-workspace', 'done'],
      ['storage-prefix', 'done'],
      ['admission-guard', 'done'],
    ]);
    expect(progress.steps.find((s) => s.key === 'mlflow-workspace')?.detail).toMatch(/MLflow workspace .* is in place/);
    expect(progress.steps.find((s) => s.key === 'storage-prefix')?.detail).toMatch(
      /MinIO policy mlp-tenant-.* created/,
    );
    // The admission guard's parameters, from the tenant's (default) promotion policy, written as the portal.
    expect(progress.steps.find((s) => s.key === 'admission-guard')?.detail).toBe(
      'Admission guard parameters (ConfigMap mlp-admission) created',
    );
    expect((await core.readNamespacedConfigMap({ namespace: names.main, name: 'mlp-admission' })).data).toEqual({
      primaryMetric: 'holdout_auc',
      minimum: '0.85',
      requireModelCard: 'true',
    });
  });

  it('is idempotent: provisioning again writes nothing, and the portal’s own read-only identity can confirm it', async () => {
    const before = await clusterVersions(names.main);
    const ref: TenantRef = { id: '', name: names.main, displayName: 'Provisioning test' };
    const again: string[] = [];
    for (const step of steps())
      again.push(String(await step.provision(ref, { kube: frank, quota: { gpus: 2, cpu: '8', memory: '16Gi' } })));
    expect(await clusterVersions(names.main)).toEqual(before);
    expect(again.join('\n')).toMatch(/Namespace .* is in place/);
    expect(again.join('\n')).toMatch(/policy mlp-tenant-.* in place/);
    // The demo seeder's path: the portal's identity may only read, and finds nothing to write.
    for (const step of steps()) await step.provision(ref, { kube: PORTAL_ACTOR, quota: null });
    expect(await clusterVersions(names.main)).toEqual(before);
  });

  it('refuses a name used by a namespace the portal did not make, changing nothing', async () => {
    await core.createNamespace({ body: { metadata: { name: names.foreign, labels: { team: 'someone-else' } } } });
    const before = (await core.readNamespace({ name: names.foreign })).metadata!.resourceVersion;
    await expect(
      createTenant(
        frankAudit,
        { name: names.foreign, displayName: 'Foreign', description: '', quota: { gpus: 1, cpu: null, memory: null } },
        { kube: frank, steps: steps() },
      ),
    ).rejects.toThrow(
      new RegExp(`namespace named "${names.foreign}" already exists and was not created by the portal`),
    );
    expect(await getDb().tenant.findUnique({ where: { name: names.foreign } })).toBeNull();
    expect((await core.readNamespace({ name: names.foreign })).metadata!.resourceVersion).toBe(before);
    expect((await rbac.listNamespacedRoleBinding({ namespace: names.foreign })).items).toEqual([]);
    expect((await core.listNamespacedResourceQuota({ namespace: names.foreign })).items).toEqual([]);
  });

  it('acts as the signed-in person: the cluster refuses alice, and nothing is created', async () => {
    await expect(
      createTenant(
        { name: 'alice' },
        { name: names.denied, displayName: 'Denied', description: '', quota: { gpus: 0, cpu: null, memory: null } },
        { kube: alice, steps: steps() },
      ),
    ).rejects.toThrow(
      /could not be checked with Kubernetes, so nothing was created: The cluster does not allow alice to get Namespace/,
    );
    expect(await getDb().tenant.findUnique({ where: { name: names.denied } })).toBeNull();
    expect(await namespaces(frank).get(names.denied)).toBeNull();
  });

  it('names the failing step, marks the tenant incomplete, and Retry finishes the remaining steps', async () => {
    // A namespace the portal made earlier (its database was reset, say), in which someone bound mlp-admin to the wrong role.
    await core.createNamespace({
      body: {
        metadata: {
          name: names.conflict,
          labels: { 'mlp.example.com/tenant': names.conflict, 'mlp.example.com/managed-by': 'ml-platform-portal' },
        },
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace: names.conflict,
      body: {
        metadata: { name: 'mlp-admin' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [],
      },
    });
    const tenant = await createTenant(
      frankAudit,
      { name: names.conflict, displayName: 'Conflict', description: '', quota: { gpus: 1, cpu: null, memory: null } },
      { kube: frank, steps: steps() },
    );
    expect(tenant.status).toBe('incomplete');
    expect(tenant.provisioningError).toBe(
      `Role bindings for the IdP groups: RoleBinding ${names.conflict}/mlp-admin already exists and binds ClusterRole view, not ClusterRole admin. A RoleBinding cannot change its role; a cluster admin must remove or rename it, then retry.`,
    );
    expect((await tenantProgress(names.conflict))!.steps.map((s) => s.state)).toEqual([
      'done',
      'done',
      'failed',
      'pending',
      'pending',
      'pending',
    ]);
    // The namespace alone makes the workspace (once MLflow's namespace watch has seen it); the step has simply not run.
    await eventually(
      `MLflow to list workspace ${names.conflict}`,
      30_000,
      async () => ({ done: (await mlflowWorkspaces().get(names.conflict)) !== null, value: null }),
      500,
    );

    await rbac.deleteNamespacedRoleBinding({ namespace: names.conflict, name: 'mlp-admin' });
    const quotaVersion = (await resourceQuotas(names.conflict, frank).get('gpu-quota'))!.metadata.resourceVersion;
    const retried = await provisionTenant(frankAudit, names.conflict, { kube: frank, steps: steps() });
    expect(retried).toMatchObject({ status: 'active', provisioningError: null });
    expect((await tenantProgress(names.conflict))!.steps.every((s) => s.state === 'done')).toBe(true);
    expect((await resourceQuotas(names.conflict, frank).get('gpu-quota'))!.metadata.resourceVersion).toBe(quotaVersion);
    expect((await roleBindings(names.conflict, frank).get('mlp-admin'))?.roleRef.name).toBe('admin');
  });

  it('archives backwards keeping data: namespace labelled archived, quota zeroed, groups unbound, workspace and objects kept', async () => {
    const archived = await archiveTenant(frankAudit, names.main, { kube: frank, steps: steps() });
    expect(archived, archived.provisioningError ?? '').toMatchObject({ status: 'archived' });
    const progress = (await tenantProgress(names.main))!;
    expect(progress.operation).toBe('archive');
    expect(progress.steps.map((s) => s.key)).toEqual([
      'admission-guard',
      'storage-prefix',
      'mlflow-workspace',
      'role-bindings',
      'quota',
      'namespace',
    ]);

    const ns = (await namespaces(frank).get(names.main))!;
    expect(ns.metadata.labels).toMatchObject({ [ARCHIVED_LABEL]: 'true', 'mlp.example.com/tenant': names.main });
    const quota = (await resourceQuotas(names.main, frank).get('gpu-quota'))!;
    expect(quota.spec.hard).toEqual({ 'requests.nvidia.com/gpu': '0', 'requests.cpu': '0', 'requests.memory': '0' });
    expect(JSON.parse(quota.metadata.annotations[HARD_BEFORE_ARCHIVE_ANNOTATION]!)).toEqual({
      'requests.nvidia.com/gpu': '2',
      'requests.cpu': '8',
      'requests.memory': '16Gi',
    });
    expect((await roleBindings(names.main, frank).list()).flatMap((b) => b.subjects)).toEqual([]);
    expect(await mlflowWorkspaces().get(names.main)).not.toBeNull();
    await expect(
      s3.send(new HeadObjectCommand({ Bucket: process.env.S3_BUCKET, Key: `workspaces/${names.main}/.keep` })),
    ).resolves.toBeDefined();
    const policy = await prefixPolicies().read(names.main);
    expect(policy && 'document' in policy && canonicalPolicy(policy.document)).toBe(
      canonicalPolicy(prefixPolicy(process.env.S3_BUCKET!, `workspaces/${names.main}/`, 'read-only')),
    );

    // Archiving again changes nothing.
    const before = await clusterVersions(names.main);
    const ref: TenantRef = { id: '', name: names.main, displayName: 'Provisioning test' };
    const context: ProvisioningContext = { kube: frank, quota: null };
    for (const step of [...steps()].reverse()) await step.archive(ref, context);
    expect(await clusterVersions(names.main)).toEqual(before);
  });

  it('creating the tenant again over its archived namespace (a reset portal database) gives its limits and access back', async () => {
    await getDb().tenant.delete({ where: { name: names.main } });
    const tenant = await createTenant(
      frankAudit,
      { name: names.main, displayName: 'Again', description: '', quota: { gpus: 4, cpu: null, memory: null } },
      { kube: frank, steps: steps() },
    );
    expect(tenant, tenant.provisioningError ?? '').toMatchObject({ status: 'active' });
    expect((await namespaces(frank).get(names.main))!.metadata.labels[ARCHIVED_LABEL]).toBeUndefined();
    const quota = (await resourceQuotas(names.main, frank).get('gpu-quota'))!;
    // GPUs as asked now; CPU and memory as they were before the archive.
    expect(quota.spec.hard).toEqual({ 'requests.nvidia.com/gpu': '4', 'requests.cpu': '8', 'requests.memory': '16Gi' });
    expect(quota.metadata.annotations[HARD_BEFORE_ARCHIVE_ANNOTATION]).toBeUndefined();
    expect((await roleBindings(names.main, frank).get('mlp-member'))?.subjects.map((s) => s.name)).toEqual([
      `mlp:${names.main}:member`,
    ]);
  });
});

describe('a step that keeps failing', () => {
  it('stops the run at that step each time, never running the later ones', async () => {
    const later: string[] = [];
    const broken: ProvisioningStep[] = [
      { key: 'namespace', title: 'Kubernetes namespace', provision: async () => 'ok', archive: async () => 'ok' },
      {
        key: 'quota',
        title: 'Resource quota',
        provision: async (tenant) => {
          await resourceQuotas(tenant.name, alice).apply('gpu-quota', { 'requests.nvidia.com/gpu': '1' });
        },
        archive: async () => 'ok',
      },
      { key: 'later', title: 'Later', provision: async () => void later.push('ran'), archive: async () => 'ok' },
    ];
    const tenant = await createTenant(
      frankAudit,
      { name: `${run}-b`, displayName: 'Broken', description: '' },
      { kube: frank, steps: broken },
    );
    expect(tenant.provisioningError).toMatch(
      /^Resource quota: The cluster does not allow alice to (get|create) ResourceQuota/,
    );
    expect(later).toEqual([]);
  });
});
