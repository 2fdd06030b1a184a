/**
 * The SLO dashboards in the browser, against the real local platform: dave (manager, read-only)
 * reads the list and an endpoint's SLOs; the endpoint whose canary fails goes first; frank (platform
 * admin) edits an endpoint's objectives. The tests run in order.
 */
import { expect, test } from '@playwright/test';
import { FAULTY, injectFault, removeScratchCanary, startScratchCanary } from './canary-fault';
import { expectAccessible, portalCount, signIn } from './support';

process.loadEnvFile('.data/stack/stack.env');

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  await startScratchCanary();
  await injectFault();
});

test.afterAll(async () => {
  await removeScratchCanary();
});

test('the SLO list puts the endpoint with the failing canary first, and every SLO of the seeded endpoints is there', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await signIn(page, 'dave');
  await page.getByRole('link', { name: 'SLOs' }).click();
  await expect(page).toHaveURL(/\/slo$/);
  const rows = page.getByTestId('slo-row');
  for (const endpoint of ['fraud-detector', 'price-elasticity', 'demand-forecast']) {
    for (const kind of ['availability', 'latency'])
      await expect(
        page.locator(`[data-testid="slo-row"][data-endpoint="${endpoint}"][data-kind="${kind}"]`),
      ).toHaveCount(1);
  }
  // The list refreshes itself (every 15 s); the faulty canary's errors overspend its budget at once,
  // but the counts behind the list are shared for 80 s, so a brand-new endpoint can take two of those.
  await expect(rows.first(), 'worst first: the endpoint whose canary fails').toHaveAttribute(
    'data-endpoint',
    FAULTY.service,
    { timeout: 180_000 },
  );
  await expect(rows.first()).toHaveAttribute('data-kind', 'availability');
  await expect(rows.first()).toHaveAttribute('data-alerting', 'true');
  await expectAccessible(page);
});

test('dave reads an endpoint’s SLOs — three headline numbers, burn rates, history by range — and has nothing to edit', async ({
  page,
}) => {
  await signIn(page, 'dave');
  await page.goto('/slo');
  await page
    .locator('[data-testid="slo-row"][data-endpoint="fraud-detector"][data-kind="availability"]')
    .getByRole('link', { name: 'fraud / fraud-detector' })
    .click();
  await expect(page).toHaveURL(/\/slo\/fraud\/fraud-detector/);

  const availability = page.getByTestId('slo-availability');
  await expect(availability.getByTestId('slo-availability-objective')).toContainText('99.9 %');
  await expect(availability.getByTestId('slo-availability-sli')).toContainText(/\d+(\.\d+)? %/);
  await expect(availability.getByTestId('slo-availability-budget')).toContainText(/−?\d/);
  await expect(page.getByTestId('slo-latency-objective')).toContainText('95 %');
  await expect(page.getByTestId('slo-latency')).toContainText('200 ms');
  const burnRates = page.getByTestId('burn-rates-availability');
  for (const window of ['1h / 5m', '6h / 30m', '3d / 6h'])
    await expect(burnRates.locator(`tr[data-window="${window}"]`)).toHaveAttribute('data-firing', /^(true|false)$/);

  for (const chart of ['budget', 'requests', 'errors', 'latency'])
    await expect(page.getByTestId(`slo-chart-${chart}`).locator('svg').first()).toBeVisible();
  await page.getByTestId('slo-range-picker').getByRole('link', { name: '7 days' }).click();
  await expect(page).toHaveURL(/range=7d$/);
  await expect(page.getByTestId('slo-range-picker').getByRole('link', { name: '7 days' })).toHaveAttribute(
    'aria-current',
    'page',
  );
  await expect(page.getByTestId('slo-chart-budget').locator('svg').first()).toBeVisible();

  await expect(page.getByTestId('slo-objectives-form')).toHaveCount(0);
  await expect(page.getByRole('button', { name: /save/i })).toHaveCount(0);
  await expect(page.getByTestId('slo-objectives')).toContainText('99.9');
  await expectAccessible(page);
});

test('frank changes an endpoint’s objectives: the numbers are judged against them, and the change is audited', async ({
  page,
}) => {
  await signIn(page, 'frank');
  await page.goto('/slo/pricing/price-elasticity');
  const form = page.getByTestId('slo-objectives-form');
  await form.getByLabel('Availability objective (%)').fill('99');
  await form.getByLabel('Latency threshold (ms)').selectOption('300');
  await form.getByRole('button', { name: 'Save objectives' }).click();
  await expect(form.getByRole('status')).toContainText(/saved/i);
  await expect(page.getByTestId('slo-availability-objective')).toContainText('99 %');
  await expect(page.getByTestId('slo-latency')).toContainText('300 ms');

  // A bad value is refused with a message at the field, and nothing changes.
  await form.getByLabel('Availability objective (%)').fill('100');
  await form.getByRole('button', { name: 'Save objectives' }).click();
  await expect(form).toContainText(/below 100 %/);
  await expect(page.getByTestId('slo-availability-objective')).toContainText('99 %');
  expect(
    await portalCount(
      `SELECT count(*) AS n FROM audit_events WHERE action = 'slo.update' AND actor = 'frank' AND target_id = 'pricing/price-elasticity'`,
      [],
    ),
  ).toBe(1);

  // Back to the defaults.
  await page.reload();
  await form.getByLabel('Availability objective (%)').fill('99.9');
  await form.getByLabel('Latency threshold (ms)').selectOption('200');
  await form.getByRole('button', { name: 'Save objectives' }).click();
  await expect(page.getByTestId('slo-availability-objective')).toContainText('99.9 %');
});
