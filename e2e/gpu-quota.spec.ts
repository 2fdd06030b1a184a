/**
 * GPU quota views in the browser, against the real local platform: carol (pricing member) sees
 * pricing's GPUs and not fraud's; a GPU Job over pricing's quota shows as waiting with quota
 * admission's reason; frank (platform admin) changes fraud's quota — bad input refused, a cut
 * below usage asks for confirmation, the ResourceQuota changes — and puts it back; dave (manager)
 * sees the cluster page and can change nothing, not even by calling the server action directly.
 *
 * Seeded state changed here is restored: fraud's quota goes back to 8 and the Job is deleted.
 */
import { BatchV1Api, CoreV1Api } from '@kubernetes/client-node';
import { expect, test, type Page } from '@playwright/test';
import { adminApi } from './cluster';
import { callServerAction, expectAccessible, portalCount, signIn } from './support';

process.loadEnvFile('.data/stack/stack.env');

const GPU = 'requests.nvidia.com/gpu';
const SEEDED_FRAUD_GPUS = '8';
const OVER_QUOTA_JOB = `e2e-over-quota-${Date.now().toString(36)}`;

const core = adminApi(CoreV1Api);
const batch = adminApi(BatchV1Api);

async function quota(namespace: string) {
  return core.readNamespacedResourceQuota({ namespace, name: 'gpu-quota' });
}

async function fraudHard(): Promise<string | undefined> {
  return (await quota('fraud')).spec?.hard?.[GPU];
}

async function restoreFraudQuota(): Promise<void> {
  if ((await fraudHard()) === SEEDED_FRAUD_GPUS) return;
  const current = await quota('fraud');
  await core.replaceNamespacedResourceQuota({
    namespace: 'fraud',
    name: 'gpu-quota',
    body: { ...current, spec: { ...current.spec, hard: { ...current.spec?.hard, [GPU]: SEEDED_FRAUD_GPUS } } },
  });
}

async function submitQuota(page: Page, value: string): Promise<void> {
  const form = page.getByTestId('quota-form');
  await form.getByLabel('GPUs (requests.nvidia.com/gpu)').fill(value);
  await form.getByRole('button', { name: 'Change quota' }).click();
}

test.describe.serial('GPU quota views', () => {
  test.beforeAll(async () => {
    // The seeded world this spec expects (a previous run interrupted mid-way may have left fraud at another value).
    await restoreFraudQuota();
  });

  test.afterAll(async () => {
    await restoreFraudQuota();
    await batch
      .deleteNamespacedJob({ namespace: 'pricing', name: OVER_QUOTA_JOB, propagationPolicy: 'Background' })
      .catch(() => undefined);
  });

  test("carol sees pricing's GPU page and not fraud's", async ({ page }) => {
    await signIn(page, 'carol');
    const pricing = await quota('pricing');
    await page.goto('/t/pricing');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'GPUs', exact: true }).click();
    await expect(page).toHaveURL(/\/t\/pricing\/gpu$/);
    await expect(page.getByRole('heading', { name: 'GPUs', level: 1 })).toBeVisible();
    await expect(page.getByTestId('quota-used')).toContainText(
      `${pricing.status?.used?.[GPU]} of ${pricing.spec?.hard?.[GPU]}`,
    );

    // pricing's predictors hold its GPUs: each with its node, GPU product and DCGM utilisation.
    const rows = page.getByTestId('gpu-pods').locator('tbody tr');
    await expect(rows.first()).toBeVisible();
    await expect(rows.first()).toContainText(/predictor/);
    await expect(rows.first()).toContainText(/gpu-a100-\d/);
    await expect(rows.first()).toContainText(/\d+ %/, { timeout: 30_000 });
    await expect(page.getByTestId('gpu-utilisation')).toContainText(/\d+ %/);
    await expect(page.getByTestId('quota-form')).toHaveCount(0);
    await expect(page.getByRole('link', { name: 'Cluster GPUs' })).toHaveCount(0);
    await expectAccessible(page);

    const fraud = await page.goto('/t/fraud/gpu');
    expect(fraud?.status()).toBe(403);
    await expect(page.getByText('fraud-train')).toHaveCount(0);
    const live = await page.request.get('/t/fraud/gpu/live');
    expect(live.status()).toBe(403);
    expect(await live.text()).not.toContain('fraud-train');
    expect((await page.goto('/gpu'))?.status()).toBe(403);
  });

  test('a GPU Job over the quota shows as waiting, with quota admission’s reason', async ({ page }) => {
    const pricing = await quota('pricing');
    const hard = Number(pricing.spec!.hard![GPU]);
    const gpus = String(hard + 1);
    const resources = { 'nvidia.com/gpu': gpus, cpu: '1', memory: '1Gi' };
    await batch.createNamespacedJob({
      namespace: 'pricing',
      body: {
        metadata: { name: OVER_QUOTA_JOB },
        spec: {
          backoffLimit: 0,
          template: {
            spec: {
              restartPolicy: 'Never',
              automountServiceAccountToken: false,
              containers: [
                {
                  name: 'train',
                  image: 'registry.example.com/pricing/trainer:e2e',
                  resources: { requests: resources, limits: resources },
                },
              ],
            },
          },
        },
      },
    });

    await signIn(page, 'carol');
    await page.goto('/t/pricing/gpu');
    // The page polls; the Job controller is refused within moments.
    const row = page.getByTestId(`pending-${OVER_QUOTA_JOB}`);
    await expect(row).toBeVisible({ timeout: 30_000 });
    await expect(row).toContainText('Quota');
    await expect(row).toContainText('quota admission');
    await expect(row).toContainText(`exceeded quota: gpu-quota, requested: ${GPU}=${gpus}`);
    await expect(row).toContainText(`limited: ${GPU}=${hard}`);
    await expectAccessible(page);

    // Deleted, the Job no longer waits.
    await batch.deleteNamespacedJob({ namespace: 'pricing', name: OVER_QUOTA_JOB, propagationPolicy: 'Background' });
    await expect(row).toHaveCount(0, { timeout: 30_000 });
  });

  test("frank lowers fraud's quota and the ResourceQuota changes; bad input changes nothing", async ({ page }) => {
    await signIn(page, 'frank');
    await page.goto('/t/fraud/gpu');
    // fraud's seeded GPU world: waiting on quota and on capacity, and an OOM kill.
    await expect(page.getByTestId('pending-fraud-retrain-full-history')).toContainText('exceeded quota: gpu-quota');
    await expect(page.getByTestId('gpu-pending')).toContainText('Insufficient nvidia.com/gpu');
    await expect(page.getByTestId('gpu-oom').locator('tbody tr')).toHaveCount(1);
    await expect(page.getByTestId('quota-used')).toContainText('6 of 8');
    await expectAccessible(page);
    const form = page.getByTestId('quota-form');

    await submitQuota(page, '-1');
    await expect(form.getByText('A GPU quota cannot be negative (-1): enter 0 or more.')).toBeVisible();
    await submitQuota(page, '2.5');
    await expect(form.getByText('GPUs are whole devices: 2.5 is not a whole number.')).toBeVisible();
    await submitQuota(page, 'lots');
    await expect(form.getByText(/Enter the number of GPUs as a whole number/)).toBeVisible();
    expect(await fraudHard()).toBe('8');

    // Below what fraud's pods request: explained, and only with a confirmation.
    await form.getByLabel('GPUs (requests.nvidia.com/gpu)').fill('4');
    await expect(
      form.getByText("fraud's pods already request 6 GPUs, more than the 4 GPUs you ask for.", { exact: false }),
    ).toBeVisible();
    await form.getByRole('button', { name: 'Change quota' }).click();
    await expect(form.getByRole('status')).toHaveText('Nothing was changed yet: confirm below, then submit again.');
    expect(await fraudHard()).toBe('8');

    // Over-committing the cluster: warned before anything is sent.
    await form.getByLabel('GPUs (requests.nvidia.com/gpu)').fill('40');
    await expect(form.getByText(/This over-commits the cluster/)).toBeVisible();
    await expect(form.getByLabel('Over-commit the cluster anyway')).toBeVisible();
    await expectAccessible(page);

    await submitQuota(page, '7');
    await expect(form.getByRole('status')).toHaveText("fraud's GPU quota is now 7 GPUs (was 8 GPUs).");
    expect(await fraudHard()).toBe('7');
    await expect(page.getByTestId('quota-used')).toContainText('6 of 7');
    expect(
      await portalCount(
        `SELECT count(*) AS n FROM audit_events WHERE action = 'quota.change' AND tenant = 'fraud' AND outcome = 'success' AND actor = 'frank' AND after->>'gpus' = '7'`,
        [],
      ),
    ).toBe(1);

    // And back, as seeded (a raise: confirmed if other tenants' quotas now over-commit the cluster).
    await form.getByLabel('GPUs (requests.nvidia.com/gpu)').fill(SEEDED_FRAUD_GPUS);
    const others = (await core.listResourceQuotaForAllNamespaces()).items
      .filter((q) => q.metadata?.namespace !== 'fraud')
      .reduce((sum, q) => sum + Number(q.spec?.hard?.[GPU] ?? 0), 0);
    if (others + Number(SEEDED_FRAUD_GPUS) > 32) await form.getByLabel('Over-commit the cluster anyway').check();
    await form.getByRole('button', { name: 'Change quota' }).click();
    await expect(form.getByRole('status')).toHaveText("fraud's GPU quota is now 8 GPUs (was 7 GPUs).");
    expect(await fraudHard()).toBe(SEEDED_FRAUD_GPUS);
  });

  test('dave sees the cluster page and can change nothing', async ({ page }) => {
    await signIn(page, 'dave');
    await page.getByRole('link', { name: 'Cluster GPUs' }).click();
    await expect(page).toHaveURL(/\/gpu$/);
    await expect(page.getByRole('heading', { name: 'Cluster GPUs', level: 1 })).toBeVisible();

    const tenants = page.getByTestId('tenant-quotas');
    for (const [tenant, hard] of [
      ['fraud', '8'],
      ['pricing', '4'],
      ['forecast', '2'],
    ] as const) {
      await expect(tenants.getByTestId(`tenant-${tenant}`).locator('td').nth(1)).toHaveText(hard);
    }
    await expect(page.getByTestId('product-NVIDIA-A100-SXM4-80GB')).toContainText('16');
    await expect(page.getByTestId('product-NVIDIA-H100-80GB-HBM3')).toContainText('16');
    await expect(page.getByTestId('other-namespaces')).toContainText('mlp-shared');
    const quotas = (await core.listResourceQuotaForAllNamespaces()).items.reduce(
      (sum, q) => sum + Number(q.spec?.hard?.[GPU] ?? 0),
      0,
    );
    await expect(page.getByTestId('overcommitment')).toContainText(`${quotas} / 32`);
    await expect(page.getByRole('link', { name: /Change quota/ })).toHaveCount(0);
    await expectAccessible(page);

    await tenants.getByRole('link', { name: 'Fraud detection' }).click();
    await expect(page).toHaveURL(/\/t\/fraud\/gpu$/);
    await expect(page.getByTestId('gpu-pods')).toBeVisible();
    await expect(page.getByTestId('quota-form')).toHaveCount(0);

    const denied = await portalCount(
      `SELECT count(*) AS n FROM audit_events WHERE action = 'quota.change' AND outcome = 'denied' AND actor = 'dave'`,
      [],
    );
    const response = await callServerAction(page, '/t/fraud/gpu', 'changeGpuQuotaAction', [
      null,
      { tenant: 'fraud', gpus: '1', expected: '8' },
    ]);
    expect(await response.text()).toContain('You are not allowed to do this.');
    expect(await fraudHard()).toBe(SEEDED_FRAUD_GPUS);
    expect(
      await portalCount(
        `SELECT count(*) AS n FROM audit_events WHERE action = 'quota.change' AND outcome = 'denied' AND actor = 'dave'`,
        [],
      ),
    ).toBe(denied + 1);
  });
});
