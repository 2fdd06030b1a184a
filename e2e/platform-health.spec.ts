/**
 * The platform health page in the browser, against the real local platform: erin (on-call) opens
 * it from the navigation, reads the checks and filters the findings by tenant and check in the
 * URL; alice (a tenant member) has no link to it and is refused, but reads her tenant's and its
 * endpoint's findings in their pages' checks panels; the operations board has a platform health
 * row per tenant. Seed-free: nothing here depends on which findings the platform has at the moment.
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

test('alice reads the checks of her tenant and of its endpoint on their pages, each saying when it was checked', async ({
  page,
}) => {
  await signIn(page, 'alice');
  for (const path of ['/t/fraud', '/t/fraud/deployments/fraud-detector']) {
    await page.goto(path);
    const panel = page.getByTestId('checks-panel');
    await expect(panel.getByRole('heading', { name: 'Checks', level: 2 }), path).toBeVisible();
    await expect(panel.getByTestId('checks-checked-at'), path).toContainText(/checked \d{4}-\d{2}-\d{2}/);
    // Only fraud's findings, and no way to the platform health page she may not open.
    for (const tenant of await panel
      .getByTestId('health-finding')
      .evaluateAll((items) => items.map((i) => i.getAttribute('data-tenant'))))
      expect(tenant, path).toBe('fraud');
    await expect(panel.locator('a[href^="/platform/health"]'), path).toHaveCount(0);
    await expectAccessible(page);
  }
});

test('erin’s checks panel leads to the tenant’s findings on the platform health page', async ({ page }) => {
  await signIn(page, 'erin');
  await page.goto('/t/fraud');
  const panel = page.getByTestId('checks-panel');
  await expect(panel.getByTestId('checks-checked-at')).toContainText('checked');
  await panel.getByRole('link', { name: 'On the platform health page' }).click();
  await expect(page).toHaveURL(/\/platform\/health\?tenant=fraud$/);
  await expect(page.getByTestId('health-checked-at')).toContainText('Checked at');
});

test('the operations board has a seventh row, platform health, leading to the tenant’s findings', async ({ page }) => {
  await signIn(page, 'dave');
  await page.goto('/ops');
  await expect(page.getByTestId('ops-threshold-health')).toHaveText(
    'alert on any critical finding, warning on any warning',
  );
  for (const tenant of ['fraud', 'pricing', 'forecast']) {
    const cell = page.getByTestId(`ops-cell-${tenant}-health`);
    await expect(cell).toHaveAttribute('data-state', /^(ok|alert|warning|unknown)$/);
    await expect(cell.locator(`a[href="/platform/health?tenant=${tenant}"]`)).toHaveCount(1);
  }
  await page.goto('/ops?tenant=fraud');
  await expect(page.getByTestId('ops-row-fraud-health')).toContainText('Platform health');
  await page
    .getByTestId('ops-row-fraud-health')
    .getByRole('link', { name: /platform health findings of fraud/ })
    .click();
  await expect(page).toHaveURL(/\/platform\/health\?tenant=fraud$/);
});

test('carol reads her endpoint’s input drift: the breaching features named against the policy threshold, charted with it', async ({
  page,
}) => {
  await signIn(page, 'carol');
  await page.goto('/t/pricing/deployments/price-elasticity');
  const drift = page.getByRole('region', { name: 'Input drift' });
  // The simulator drifts pricing's competitor_price_ratio and discount_pct past the default 0.2.
  await expect(page.getByTestId('drift-summary')).toContainText(
    /Above the threshold of 0\.2 now: .*competitor_price_ratio/,
  );
  await expect(drift.locator('.recharts-reference-line')).toHaveCount(1);
  await expect(drift.locator('.recharts-line')).not.toHaveCount(0);
  // Its checks panel names the same breach as a finding.
  await expect(
    page.getByTestId('checks-panel').getByTestId('health-finding').filter({ hasText: 'input features drift' }),
  ).toHaveCount(1);
  await expectAccessible(page);
});
