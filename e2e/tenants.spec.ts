/**
 * Tenant lifecycle in the browser, against the real local platform: frank (platform admin) creates
 * tenant `vision` — namespace, GPU quota, role bindings, MLflow workspace and storage prefix, each
 * step shown done — then archives it, keeping its data. Bad input (a negative or fractional GPU
 * count, a name taken by a namespace the portal did not make) gets a clear message and changes
 * nothing; alice may not create tenants at all.
 *
 * Reruns: the portal's database is fresh for every run (DEMO_FRESH=1 in playwright.config.ts),
 * but the cluster keeps `vision` from the last run — archived at the end of it. Creating `vision`
 * again takes that namespace back, because the portal made it for this very tenant (its labels
 * say so): the namespace is labelled active again, the quota gets the form's limits, the groups
 * are bound again. So every run checks the same thing, and the second and later runs check the
 * way back from an archive too.
 */
import { CoreV1Api, RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { expect, test, type Page } from '@playwright/test';
import { adminApi } from './cluster';
import { callServerAction, expectAccessible, removeTenantFromPlatform, signIn } from './support';

process.loadEnvFile('.data/stack/stack.env');

const core = adminApi(CoreV1Api);
const rbac = adminApi(RbacAuthorizationV1Api);

const TENANT = 'vision';
/** A tenant whose provisioning fails on the first try; unique per run, and removed afterwards. */
const RETRIED = `retry-${Date.now().toString(36)}`;
const STEPS = ['namespace', 'quota', 'role-bindings', 'mlflow-workspace', 'storage-prefix', 'admission-guard'];

async function mlflowWorkspace(name: string): Promise<number> {
  const response = await fetch(`${process.env.MLFLOW_TRACKING_URI}/api/3.0/mlflow/workspaces/${name}`);
  return response.status;
}

async function namespaceVersion(name: string): Promise<string | undefined> {
  return (await core.readNamespace({ name })).metadata?.resourceVersion;
}

async function fillCreateForm(
  page: Page,
  fields: { name: string; displayName: string; gpus: string; cpu?: string; memory?: string },
) {
  await page.getByLabel('Name', { exact: true }).fill(fields.name);
  await page.getByLabel('Display name').fill(fields.displayName);
  await page.getByLabel('GPUs').fill(fields.gpus);
  await page.getByLabel('CPU (optional)').fill(fields.cpu ?? '');
  await page.getByLabel('Memory (optional)').fill(fields.memory ?? '');
  await page.getByRole('button', { name: 'Create tenant' }).click();
}

test.describe.configure({ mode: 'serial' });
test.afterAll(() => removeTenantFromPlatform(RETRIED));

test.describe('tenant lifecycle', () => {
  test('bad input gets a clear message and changes nothing', async ({ page }) => {
    await signIn(page, 'frank');
    await page.goto('/admin/tenants');

    await fillCreateForm(page, { name: TENANT, displayName: 'Computer vision', gpus: '-1' });
    await expect(page.getByText('A GPU quota cannot be negative: enter 0 or more').first()).toBeVisible();
    await expect(page.getByLabel('GPUs')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.getByTestId(`tenant-${TENANT}`)).toHaveCount(0);

    await fillCreateForm(page, { name: TENANT, displayName: 'Computer vision', gpus: '1.5' });
    await expect(page.getByText('GPUs are whole devices: enter a whole number, not 1.5').first()).toBeVisible();
    await expect(page.getByTestId(`tenant-${TENANT}`)).toHaveCount(0);

    // mlp-shared is a platform namespace of the local platform, not a tenant the portal made.
    const before = await namespaceVersion('mlp-shared');
    await fillCreateForm(page, { name: 'mlp-shared', displayName: 'Shared', gpus: '1' });
    await expect(
      page
        .getByText(
          /A Kubernetes namespace named "mlp-shared" already exists and was not created by the portal for this tenant\. Choose another name/,
        )
        .first(),
    ).toBeVisible();
    await expect(page.getByTestId('tenant-mlp-shared')).toHaveCount(0);
    expect(await namespaceVersion('mlp-shared')).toBe(before);
    expect(
      (await rbac.listNamespacedRoleBinding({ namespace: 'mlp-shared' })).items.filter((b) =>
        b.metadata?.name?.startsWith('mlp-'),
      ),
    ).toEqual([]);
    await expectAccessible(page);
  });

  test('alice may not create a tenant, even by calling the action directly', async ({ page }) => {
    await signIn(page, 'alice');
    const response = await callServerAction(page, '/admin/tenants', 'createTenantAction', [
      null,
      { name: 'alice-own', displayName: 'Mine', gpus: '8' },
    ]);
    expect(await response.text()).toContain('You are not allowed to do this.');
    await expect(core.readNamespace({ name: 'alice-own' })).rejects.toThrow();
    // Nor may she follow an admin's provisioning.
    expect((await page.request.get('/admin/tenants/fraud/progress')).status()).toBe(403);
  });

  test('frank creates vision: namespace, quota, role bindings, MLflow workspace and storage prefix, each step shown done', async ({
    page,
  }) => {
    await signIn(page, 'frank');
    await page.goto('/admin/tenants');
    const started = Date.now();
    await fillCreateForm(page, { name: TENANT, displayName: 'Computer vision', gpus: '2', cpu: '8', memory: '32Gi' });
    await expect(
      page.getByText(
        `Created tenant ${TENANT}. Its namespace, quota, role bindings, MLflow workspace and storage prefix are in place.`,
      ),
    ).toBeVisible();
    console.log(`create_vision_seconds=${((Date.now() - started) / 1000).toFixed(2)}`);

    const row = page.getByTestId(`tenant-${TENANT}`);
    await expect(row).toContainText('active');
    await expect(row).toContainText('2 GPUs, 8 CPU, 32Gi memory');
    await row.getByText(/Provisioning: 6 of 6 steps done/).click();
    for (const step of STEPS)
      await expect(row.getByTestId(`step-${TENANT}-${step}`)).toHaveAttribute('data-state', 'done');
    await expect(row.getByTestId(`step-${TENANT}-storage-prefix`)).toContainText(
      's3://mlflow-artifacts/workspaces/vision/',
    );
    // What the page polls while a run is under way.
    const polled = await page.request.get(`/admin/tenants/${TENANT}/progress`);
    expect(polled.status()).toBe(200);
    expect(await polled.json()).toMatchObject({
      status: 'active',
      operation: 'provision',
      running: false,
      steps: STEPS.map((key) => ({ key, state: 'done' })),
    });
    await expectAccessible(page);

    // The platform really has it.
    const namespace = await core.readNamespace({ name: TENANT });
    expect(namespace.metadata?.labels).toMatchObject({
      'mlp.example.com/tenant': TENANT,
      'mlp.example.com/managed-by': 'ml-platform-portal',
    });
    expect(namespace.metadata?.labels?.['mlp.example.com/archived']).toBeUndefined();
    const quota = await core.readNamespacedResourceQuota({ namespace: TENANT, name: 'gpu-quota' });
    expect(quota.spec?.hard).toEqual({
      'requests.nvidia.com/gpu': '2',
      'requests.cpu': '8',
      'requests.memory': '32Gi',
    });
    const bindings = (await rbac.listNamespacedRoleBinding({ namespace: TENANT })).items;
    expect(bindings.map((b) => [b.metadata?.name, b.roleRef.name, b.subjects?.map((s) => s.name)]).sort()).toEqual([
      ['mlp-admin', 'admin', ['mlp:vision:admin']],
      ['mlp-approver', 'edit', ['mlp:vision:approver']],
      ['mlp-member', 'edit', ['mlp:vision:member']],
      ['mlp-viewer', 'view', ['mlp:vision:viewer']],
    ]);
    expect(await mlflowWorkspace(TENANT)).toBe(200);

    // Creating it twice is refused, and nothing changes.
    const version = await namespaceVersion(TENANT);
    await fillCreateForm(page, { name: TENANT, displayName: 'Again', gpus: '4' });
    await expect(page.getByText(`A tenant named "${TENANT}" already exists`).first()).toBeVisible();
    expect(await namespaceVersion(TENANT)).toBe(version);

    // Both the creation and the provisioning are in the audit log.
    await page.goto(`/admin/audit?tenant=${TENANT}&action=tenant.`);
    await expect(page.getByTestId('audit-row').filter({ hasText: 'tenant.create' }).first()).toContainText('frank');
    await expect(page.getByTestId('audit-row').filter({ hasText: 'tenant.provision' }).first()).toContainText(
      'success',
    );
  });

  test('a failing step is named on the page, the tenant is incomplete, and Retry finishes the remaining steps', async ({
    page,
  }) => {
    // The portal made this namespace before (its database was reset, say) and someone bound mlp-admin to the wrong role since.
    await core.createNamespace({
      body: {
        metadata: {
          name: RETRIED,
          labels: { 'mlp.example.com/tenant': RETRIED, 'mlp.example.com/managed-by': 'ml-platform-portal' },
        },
      },
    });
    await rbac.createNamespacedRoleBinding({
      namespace: RETRIED,
      body: {
        metadata: { name: 'mlp-admin' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
        subjects: [],
      },
    });
    await signIn(page, 'frank');
    await page.goto('/admin/tenants');
    await fillCreateForm(page, { name: RETRIED, displayName: 'Retried', gpus: '1' });
    await expect(
      page.getByText(
        new RegExp(
          `Tenant ${RETRIED} was created, but provisioning stopped at Role bindings for the IdP groups: RoleBinding ${RETRIED}/mlp-admin already exists`,
        ),
      ),
    ).toBeVisible();
    const row = page.getByTestId(`tenant-${RETRIED}`);
    await expect(row).toContainText('incomplete');
    await expect(row.getByTestId(`step-${RETRIED}-namespace`)).toHaveAttribute('data-state', 'done');
    await expect(row.getByTestId(`step-${RETRIED}-quota`)).toHaveAttribute('data-state', 'done');
    await expect(row.getByTestId(`step-${RETRIED}-role-bindings`)).toHaveAttribute('data-state', 'failed');
    await expect(row.getByTestId(`step-${RETRIED}-role-bindings`)).toContainText(
      'binds ClusterRole view, not ClusterRole admin',
    );
    await expect(row.getByTestId(`step-${RETRIED}-mlflow-workspace`)).toHaveAttribute('data-state', 'pending');
    await expect(row.getByTestId(`step-${RETRIED}-storage-prefix`)).toHaveAttribute('data-state', 'pending');
    await expectAccessible(page);

    // The cluster admin removes the stray binding, as the message says; Retry finishes the rest.
    await rbac.deleteNamespacedRoleBinding({ namespace: RETRIED, name: 'mlp-admin' });
    await row.getByRole('button', { name: `Retry provisioning of ${RETRIED}` }).click();
    await expect(row).toContainText('active');
    for (const step of STEPS)
      await expect(row.getByTestId(`step-${RETRIED}-${step}`)).toHaveAttribute('data-state', 'done');
    expect((await rbac.readNamespacedRoleBinding({ namespace: RETRIED, name: 'mlp-admin' })).roleRef.name).toBe(
      'admin',
    );
    expect(await mlflowWorkspace(RETRIED)).toBe(200);
  });

  test('frank archives vision after a second confirmation: namespace labelled archived, quota zeroed, workspace kept', async ({
    page,
  }) => {
    await signIn(page, 'frank');
    await page.goto('/admin/tenants');
    const row = page.getByTestId(`tenant-${TENANT}`);
    await row.getByRole('button', { name: 'Archive' }).click();
    const dialog = page.getByRole('dialog', { name: `Archive tenant ${TENANT}?` });
    await expect(dialog).toContainText('Its data is kept: nothing is deleted.');
    await expect(dialog).toContainText('set to zero');
    await dialog.getByRole('button', { name: `Archive ${TENANT}` }).click();
    await expect(row).toContainText('archived');
    await expect(row).toContainText('Archived, data kept');
    for (const step of STEPS)
      await expect(row.getByTestId(`step-${TENANT}-${step}`)).toHaveAttribute('data-state', 'done');
    await expect(row.getByTestId(`step-${TENANT}-quota`)).toContainText('zeroed');

    const namespace = await core.readNamespace({ name: TENANT });
    expect(namespace.metadata?.labels).toMatchObject({
      'mlp.example.com/archived': 'true',
      'mlp.example.com/tenant': TENANT,
    });
    const quota = await core.readNamespacedResourceQuota({ namespace: TENANT, name: 'gpu-quota' });
    expect(quota.spec?.hard).toEqual({ 'requests.nvidia.com/gpu': '0', 'requests.cpu': '0', 'requests.memory': '0' });
    expect(
      (await rbac.listNamespacedRoleBinding({ namespace: TENANT })).items.flatMap((b) => b.subjects ?? []),
    ).toEqual([]);
    expect(await mlflowWorkspace(TENANT)).toBe(200);
    await expectAccessible(page);
  });
});
