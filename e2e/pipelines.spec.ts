/**
 * A tenant's pipeline runs in the browser, against the real local platform and the Argo Workflows
 * its seeder made (stack/seed/kubernetes.ts): alice (member of fraud) opens them from the
 * navigation and from the operations dashboard, and filters them, and watches a run start and fail
 * without reloading; carol (pricing) may not.
 * Only the seeded tenants are looked at: the cluster may hold others.
 */
import { CustomObjectsApi } from '@kubernetes/client-node';
import { expect, test, type Page } from '@playwright/test';
import { workflowPlan } from '../stack/seed/kubernetes';
import { adminApi } from './cluster';
import { expectAccessible, signIn } from './support';

process.loadEnvFile('.data/stack/stack.env');

const fraud = workflowPlan().filter((r) => r.tenant === 'fraud');
const failed = fraud.filter((r) => r.phase === 'Failed' || r.phase === 'Error');
const oomKilled = fraud.find((r) => r.role === 'oom-killed')!;
const run = (page: Page, name: string) => page.getByTestId(`pipeline-run-${name}`);

test('alice opens fraud’s pipeline runs from the navigation, sees them, and filters them to the failed ones', async ({
  page,
}) => {
  await signIn(page, 'alice');
  await page.goto('/t/fraud');
  await page.getByRole('link', { name: 'Pipelines', exact: true }).click();
  await expect(page).toHaveURL(/\/t\/fraud\/pipelines$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Pipelines');

  // The summary, then every seeded run with its template and phase.
  await expect(page.getByTestId('pipelines-summary')).toBeVisible();
  await expect(page.getByTestId('pipelines-running')).toContainText(
    String(fraud.filter((r) => r.phase === 'Running').length),
  );
  for (const planned of fraud) {
    const row = run(page, planned.name);
    await expect(row, planned.name).toBeVisible();
    await expect(row).toHaveAttribute('data-phase', planned.phase);
    await expect(row).toContainText(planned.pipeline.name);
  }
  await expect(run(page, oomKilled.name)).toContainText('OOMKilled (exit code 137)');
  await expect(run(page, oomKilled.name)).toContainText('19 min');
  await expect(page.getByTestId('pipelines-shown')).toHaveText(/^\d+ runs, newest first\.$/);
  await expectAccessible(page);

  const filter = page.getByRole('navigation', { name: 'Filter runs by phase' });
  await filter.getByRole('link', { name: /^Failed or Error/ }).click();
  await expect(page).toHaveURL(/\/t\/fraud\/pipelines\?phase=Failed$/);
  await expect(filter.getByRole('link', { name: /^Failed or Error/ })).toHaveAttribute('aria-current', 'page');
  for (const planned of failed) await expect(run(page, planned.name), planned.name).toBeVisible();
  const phases = await page
    .getByTestId('pipeline-runs')
    .locator('tbody tr')
    .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-phase')));
  expect(new Set(phases)).toEqual(new Set(['Failed', 'Error']));
  await expect(run(page, fraud.find((r) => r.phase === 'Succeeded')!.name)).toHaveCount(0);

  // Back to every run.
  await filter.getByRole('link', { name: /^All/ }).click();
  await expect(page).toHaveURL(/\/t\/fraud\/pipelines$/);
  await expect(run(page, fraud.find((r) => r.phase === 'Succeeded')!.name)).toBeVisible();
});

test('a phase the page does not know is explained, and every run is shown', async ({ page }) => {
  await signIn(page, 'alice');
  const response = await page.goto('/t/fraud/pipelines?phase=Exploded');
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('alert').filter({ hasText: 'is not a phase' })).toContainText(
    '“Exploded” is not a phase to filter by',
  );
  await expect(run(page, oomKilled.name)).toBeVisible();
});

test('carol, who is not in fraud, is refused its pipeline runs', async ({ page }) => {
  await signIn(page, 'carol');
  expect((await page.goto('/t/fraud/pipelines'))?.status()).toBe(403);
  expect((await page.goto('/t/pricing/pipelines'))?.status()).toBe(200);
});

test('the pipelines row of the operations dashboard links to the runs: the failed ones when failures make it alert', async ({
  page,
}) => {
  await signIn(page, 'alice');
  await page.goto('/ops?tenant=fraud');
  const row = page.getByTestId('ops-row-fraud-pipelines');
  // A first read of a busy cluster may come back unknown; the page refreshes itself.
  await expect(row).toHaveAttribute('data-state', /^(ok|alert|idle)$/, { timeout: 30_000 });
  const alerting = (await row.getAttribute('data-state')) === 'alert';
  await row
    .getByRole('link', {
      name: alerting ? 'Open the failed pipeline runs of fraud' : 'Open the pipeline runs of fraud',
    })
    .click();
  await expect(page).toHaveURL(alerting ? /\/t\/fraud\/pipelines\?phase=Failed$/ : /\/t\/fraud\/pipelines$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Pipelines');
  await expect(run(page, failed[0]!.name)).toBeVisible();
});

const WORKFLOWS = { group: 'argoproj.io', version: 'v1alpha1', plural: 'workflows', namespace: 'fraud' } as const;

test('the page stays live: a run submitted while alice watches appears, and its failure shows, without a reload', async ({
  page,
}) => {
  const custom = adminApi(CustomObjectsApi);
  const name = `e2e-live-${Date.now().toString(36)}`;
  const startedAt = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  // The local cluster has no Argo controller: the test writes the status Argo would (the CRD has no status subresource).
  const workflow = (status: Record<string, unknown>) => ({
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { name, labels: { 'workflows.argoproj.io/workflow-template': 'fraud-train' } },
    spec: { entrypoint: 'main', workflowTemplateRef: { name: 'fraud-train' } },
    status,
  });
  await signIn(page, 'alice');
  await page.goto('/t/fraud/pipelines');
  await expect(page.getByTestId('pipeline-runs')).toBeVisible();
  await expect(run(page, name)).toHaveCount(0);
  try {
    await custom.createNamespacedCustomObject({ ...WORKFLOWS, body: workflow({ phase: 'Running', startedAt }) });
    // Polled every 10 s.
    await expect(run(page, name)).toHaveAttribute('data-phase', 'Running', { timeout: 30_000 });
    await expect(run(page, name)).toContainText('so far');

    const current = (await custom.getNamespacedCustomObject({ ...WORKFLOWS, name })) as {
      metadata: { resourceVersion: string };
    };
    const failedRun = workflow({
      phase: 'Failed',
      startedAt,
      finishedAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      message: 'child "evaluate" failed: AUC 0.61 below 0.80',
    });
    await custom.replaceNamespacedCustomObject({
      ...WORKFLOWS,
      name,
      body: { ...failedRun, metadata: { ...failedRun.metadata, resourceVersion: current.metadata.resourceVersion } },
    });
    await expect(run(page, name)).toHaveAttribute('data-phase', 'Failed', { timeout: 30_000 });
    await expect(run(page, name)).toContainText('AUC 0.61 below 0.80');
    await expect(page.getByRole('status').filter({ hasText: 'could not be refreshed' })).toHaveCount(0);
  } finally {
    await custom.deleteNamespacedCustomObject({ ...WORKFLOWS, name }).catch(() => undefined);
  }
});

test('the live data is refused to carol as the page is, and a phase it does not know is refused in words', async ({
  page,
}) => {
  await signIn(page, 'carol');
  const refused = await page.request.get('/t/fraud/pipelines/live');
  expect(refused.status()).toBe(403);
  expect(await refused.json()).toEqual({ error: 'You are not allowed to see the pipeline runs of this tenant.' });
  // A tenant that does not exist is refused in the same words.
  expect(await (await page.request.get('/t/no-such-tenant/pipelines/live')).json()).toEqual({
    error: 'You are not allowed to see the pipeline runs of this tenant.',
  });
  const own = await page.request.get('/t/pricing/pipelines/live?phase=Failed');
  expect(own.status()).toBe(200);
  expect(await own.json()).toMatchObject({ tenant: 'pricing', phase: 'Failed', pipelines: { ok: true } });
  const bad = await page.request.get('/t/pricing/pipelines/live?phase=Exploded');
  expect(bad.status()).toBe(400);
  expect((await bad.json()).error).toContain('“Exploded” is not a phase to filter by');
});
