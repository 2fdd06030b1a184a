/**
 * The platform health page in the browser, against the real local platform: erin (on-call) opens
 * it from the navigation, reads the checks and filters the findings by tenant and check in the
 * URL; alice (a tenant member) has no link to it and is refused. Seed-free: nothing here depends
 * on which findings the platform has at the moment.
 */
import { expect, test } from '@playwright/test';
import { CHECK_IDS } from '../lib/platform-health/finding';
import { expectAccessible, signIn } from './support';

process.loadEnvFile('.data/stack/stack.env');

test('erin, on call, opens platform health from the navigation, reads every check and filters by tenant and check', async ({
  page,
}) => {
  await signIn(page, 'erin');
  await page.getByRole('link', { name: 'Platform health' }).click();
  await expect(page).toHaveURL(/\/platform\/health$/);
  await expect(page.getByRole('heading', { name: 'Platform health', level: 1 })).toBeVisible();
  await expect(page.getByTestId('health-checked-at')).toContainText('Checked at');
  for (const id of CHECK_IDS) await expect(page.getByTestId('health-checks')).toContainText(id);
  for (const severity of ['critical', 'warning', 'info'])
    await expect(page.getByTestId(`health-count-${severity}`)).toContainText(/\d+/);
  await expectAccessible(page);

  // Each finding has its own address on the page.
  const findings = page.getByTestId('health-finding');
  for (const id of await findings.evaluateAll((items) => items.map((item) => item.id)))
    await expect(page.locator(`a[href="#${id}"]`)).toHaveCount(1);

  // The tenant filter lives in the URL and keeps only that tenant's findings.
  const filters = page.getByRole('search', { name: 'Filter the findings' });
  await filters.getByLabel('Tenant').selectOption('fraud');
  await filters.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/\/platform\/health\?tenant=fraud&check=$/);
  for (const tenant of await findings.evaluateAll((items) => items.map((i) => i.getAttribute('data-tenant'))))
    expect(tenant).toBe('fraud');

  // So does the check filter.
  await page.goto('/platform/health?check=version-matrix');
  await expect(filters.getByLabel('Check')).toHaveValue('version-matrix');
  for (const check of await findings.evaluateAll((items) => items.map((i) => i.getAttribute('data-check'))))
    expect(check).toBe('version-matrix');

  // A filter naming no check, or a tenant erin may not see, is refused in words.
  await page.goto('/platform/health?check=no-such-check');
  await expect(page.getByText('There is no check “no-such-check”.')).toBeVisible();
  await page.goto('/platform/health?tenant=no-such-tenant');
  await expect(page.getByRole('heading', { name: 'This tenant cannot be shown' })).toBeVisible();
});

test('alice, a tenant member, has no link to platform health and is refused the page', async ({ page }) => {
  await signIn(page, 'alice');
  await expect(page.getByRole('link', { name: 'Platform health' })).toHaveCount(0);
  expect((await page.goto('/platform/health'))?.status()).toBe(403);
  await expect(page.getByTestId('health-finding')).toHaveCount(0);
});
