/**
 * A tenant's pipeline runs in the browser, against the real local platform and the Argo Workflows
 * its seeder made (stack/seed/kubernetes.ts): alice (member of fraud) opens them from the
 * navigation and from the operations dashboard, and filters them; carol (pricing) may not.
 * Only the seeded tenants are looked at: the cluster may hold others.
 */
import { expect, test, type Page } from '@playwright/test';
import { workflowPlan } from '../stack/seed/kubernetes';
import { expectAccessible, signIn } from './support';

process.loadEnvFile('.data/stack/stack.env');

const fraud = workflowPlan().filter((r) => r.tenant === 'fraud');
const failed = fraud.filter((r) => r.phase === 'Failed' || r.phase === 'Error');
const oomKilled = fraud.find((r) => r.role === 'oom-killed')!;
const run = (page: Page, name: string) => page.getByTestId(`pipeline-run-${name}`);

test('alice opens fraud’s pipeline runs from the navigation, sees them, and filters them to the failed ones', async ({ page }) => {
  await signIn(page, 'alice');
  await page.goto('/t/fraud');
  await page.getByRole('link', { name: 'Pipelines', exact: true }).click();
  await expect(page).toHaveURL(/\/t\/fraud\/pipelines$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Pipelines');

  // The summary, then every seeded run with its template and phase.
  await expect(page.getByTestId('pipelines-summary')).toBeVisible();
  await expect(page.getByTestId('pipelines-running')).toContainText(String(fraud.filter((r) => r.phase === 'Running').length));
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
  const phases = await page.getByTestId('pipeline-runs').locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-phase')));
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
  await expect(page.getByRole('alert').filter({ hasText: 'is not a phase' })).toContainText('“Exploded” is not a phase to filter by');
  await expect(run(page, oomKilled.name)).toBeVisible();
});

test('carol, who is not in fraud, is refused its pipeline runs', async ({ page }) => {
  await signIn(page, 'carol');
  expect((await page.goto('/t/fraud/pipelines'))?.status()).toBe(403);
  expect((await page.goto('/t/pricing/pipelines'))?.status()).toBe(200);
});

test('the pipelines row of the operations dashboard links to the runs: the failed ones when failures make it alert', async ({ page }) => {
  await signIn(page, 'alice');
  await page.goto('/ops?tenant=fraud');
  const row = page.getByTestId('ops-row-fraud-pipelines');
  // A first read of a busy cluster may come back unknown; the page refreshes itself.
  await expect(row).toHaveAttribute('data-state', /^(ok|alert|idle)$/, { timeout: 30_000 });
  const alerting = (await row.getAttribute('data-state')) === 'alert';
  await row.getByRole('link', { name: alerting ? 'Open the failed pipeline runs of fraud' : 'Open the pipeline runs of fraud' }).click();
  await expect(page).toHaveURL(alerting ? /\/t\/fraud\/pipelines\?phase=Failed$/ : /\/t\/fraud\/pipelines$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Pipelines');
  await expect(run(page, failed[0]!.name)).toBeVisible();
});
