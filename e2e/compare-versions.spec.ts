/**
 * Champion vs challenger in the browser, against the real local platform: alice (fraud member)
 * opens the comparison of fraud's model — champion against the newest version by default — picks
 * two other versions in the form, switches to differences only (all in the URL), reads the
 * primary metric's trend with the policy's threshold, at 1280 × 800; carol (pricing) is refused.
 * The versions and the champion are read from MLflow itself, so the spec holds whatever an earlier
 * spec did to the aliases.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { mlflowFor } from '../lib/integrations/mlflow';
import { expectAccessible, signIn } from './support';

process.loadEnvFile('.data/stack/stack.env');

interface SeededTenant {
  tenant: string;
  model: string;
  versions: { version: string; signature: boolean }[];
}
const fraud = (
  JSON.parse(readFileSync('.data/stack/seed/mlflow.json', 'utf8')) as { tenants: SeededTenant[] }
).tenants.find((t) => t.tenant === 'fraud')!;
const comparePath = `/t/fraud/models/${fraud.model}/compare`;

test('alice compares fraud’s champion with the newest version, then two versions of her choice, differences only', async ({
  page,
}) => {
  const versions = await mlflowFor('fraud').searchModelVersions(fraud.model);
  const champion = versions.find((v) => v.aliases.includes('champion'))!.version;
  const newest = versions[0]!.version;
  expect(champion, 'the champion is not the newest version, so the default pair is two versions').not.toBe(newest);
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, 'alice');

  await page.goto(comparePath);
  await expect(page.getByRole('heading', { name: 'Compare versions', level: 1 })).toBeVisible();
  const form = page.getByRole('form', { name: 'Choose the versions to compare' });
  await expect(form.getByLabel('Version A (baseline)')).toHaveValue(champion);
  await expect(form.getByLabel('Version B (compared with A)')).toHaveValue(newest);
  await expect(page.getByTestId('compared-a')).toContainText(`v${champion}`);
  await expect(page.getByTestId('compared-a')).toContainText('champion');
  await expect(page.getByTestId('compared-b')).toContainText(`v${newest}`);

  // The policy's primary metric first, its change judged in words as well as colour.
  const primary = page.getByTestId('metric-holdout_auc');
  await expect(primary).toContainText('primary metric (policy)');
  await expect(primary).toContainText(/better|no change|lower, within tolerance|regression beyond tolerance/);
  await expect(page.getByTestId('metric-cv_f1_mean')).toContainText(/[+−]\d/);

  // The trend chart arrives after the page, with the policy's threshold and both compared versions marked.
  const chart = page.getByTestId('metric-trend-chart');
  await expect(chart.locator('.recharts-reference-line')).toHaveCount(3);
  await expect(chart).toContainText('threshold 0.85');
  await expect(chart).toContainText(`A (v${champion})`);
  await expect(chart).toContainText(`B (v${newest})`);
  await expect(chart.locator('.recharts-line-dot')).toHaveCount(versions.length);
  await page.getByText('The trend as a table').click();
  await expect(page.getByTestId('metric-trend-table').locator('tbody tr')).toHaveCount(versions.length);
  await expectAccessible(page);
  // Every table fits the 1280 px screen: nothing makes the page itself scroll sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);

  // Any two versions, chosen in the form: here the one logged without a signature against the champion.
  const unsigned = fraud.versions.find((v) => !v.signature)!.version;
  await form.getByLabel('Version A (baseline)').selectOption(unsigned);
  await form.getByLabel('Version B (compared with A)').selectOption(champion);
  await form.getByRole('button', { name: 'Compare' }).click();
  await expect(page).toHaveURL(new RegExp(`/compare\\?a=${unsigned}&b=${champion}$`));
  await expect(page.getByTestId('signature-sides')).toContainText(`v${unsigned} has no signature`);
  await expect(page.getByTestId('signature-inputs').locator('tbody tr[data-change="same"]')).toHaveCount(0);
  await expect(page.getByTestId('signature-inputs').locator('tbody tr[data-change="added"]').first()).toContainText(
    'added in B',
  );

  // Differences only: the switch is in the URL, the rows that are the same are gone, the changed ones stay.
  const params = page.getByTestId('params-diff');
  const differing = await params.locator('tbody tr:not([data-change="same"])').count();
  expect(differing, 'the seeded trainings differ in their params').toBeGreaterThan(0);
  expect(await params.locator('tbody tr[data-change="same"]').count()).toBeGreaterThan(0);
  await page.getByTestId('differences-switch').getByRole('link', { name: 'Differences only' }).click();
  await expect(page).toHaveURL(new RegExp(`/compare\\?a=${unsigned}&b=${champion}&diff=1$`));
  await expect(params.locator('tbody tr')).toHaveCount(differing);
  await expect(params.locator('tbody tr[data-change="same"]')).toHaveCount(0);
  await expect(page.getByTestId('params-diff-summary')).toContainText(/that (is|are) the same (is|are) hidden/);
  await expectAccessible(page);

  // A new choice keeps the switch.
  await form.getByLabel('Version B (compared with A)').selectOption(newest);
  await form.getByRole('button', { name: 'Compare' }).click();
  await expect(page).toHaveURL(new RegExp(`/compare\\?a=${unsigned}&b=${newest}&diff=1$`));

  // A version the model does not have is named, with the form to choose again.
  await page.goto(`${comparePath}?a=999`);
  await expect(page.getByRole('alert').filter({ hasText: 'No such version' })).toContainText(
    `${fraud.model} has no version “999”`,
  );
  await expect(form.getByLabel('Version A (baseline)')).toBeVisible();
});

test('carol, of pricing, cannot compare fraud’s versions', async ({ page }) => {
  await signIn(page, 'carol');
  const response = await page.goto(comparePath);
  expect(response?.status()).toBe(403);
});
