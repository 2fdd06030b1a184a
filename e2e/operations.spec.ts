/**
 * The operations dashboard in the browser, against the real local platform: dave (manager,
 * read-only), erin (on-call) and frank (platform admin). A canary of the tests' own is faulted
 * through the simulator (see canary-fault.ts); the tests run in order.
 */
import { expect, test, type Page } from '@playwright/test';
import { THRESHOLD_FIELDS } from '../lib/ops/threshold-fields';
import { DEFAULT_OPS_THRESHOLDS } from '../lib/ops/thresholds';
import { FAULTY, injectFault, removeScratchCanary, startScratchCanary } from './canary-fault';
import { callServerAction, expectAccessible, portalCount, signIn } from './support';

process.loadEnvFile('.data/stack/stack.env');

test.describe.configure({ mode: 'serial' });

const AREAS = ['pipelines', 'training', 'registry', 'serving', 'canary', 'infrastructure', 'health'];
const row = (page: Page, tenant: string, area: string) => page.getByTestId(`ops-row-${tenant}-${area}`);
const cell = (page: Page, tenant: string, area: string) => page.getByTestId(`ops-cell-${tenant}-${area}`);

test.beforeAll(async () => {
  test.setTimeout(180_000);
  await startScratchCanary();
});

test.afterAll(async () => {
  await removeScratchCanary();
});

test('dave sees every tenant’s seven areas with their states and thresholds, worst first, and nothing to edit', async ({
  page,
}) => {
  await signIn(page, 'dave');
  await page.getByRole('link', { name: 'Operations' }).click();
  await expect(page).toHaveURL(/\/ops$/);
  // The board: a row per tenant, a cell per area with its state in words and colour.
  for (const tenant of ['fraud', 'pricing', 'forecast']) {
    for (const area of AREAS) {
      const c = cell(page, tenant, area);
      await expect(c, `${tenant} ${area}`).toBeVisible();
      await expect(c).toHaveAttribute('data-state', /^(ok|alert|warning|unknown|idle)$/);
      await expect(c).toContainText(/OK|Alert|Warning|No data|Nothing to judge/);
    }
  }
  // Each area says what its cells are judged against.
  await expect(page.getByTestId('ops-threshold-pipelines')).toHaveText('alert when success < 95 %');
  await expect(page.getByTestId('ops-threshold-serving')).toContainText('p99 > 500 ms');
  // Worst first: no tenant with more alerts below one with fewer; every alert is also listed in full above the board.
  const boardRows = page.locator('[data-testid^="ops-tenant-row-"]');
  await expect(boardRows.first()).toBeVisible();
  const alertsPerTenant = await boardRows.evaluateAll((rows) =>
    rows.map((r) => r.querySelectorAll('[data-state="alert"]').length),
  );
  expect(alertsPerTenant).toEqual([...alertsPerTenant].sort((a, b) => b - a));
  const alerting = await page
    .locator('[data-testid^="ops-cell-"][data-state="alert"]')
    .evaluateAll((cells) => cells.map((c) => c.getAttribute('data-testid')!.slice('ops-cell-'.length)));
  for (const id of alerting)
    await expect(page.getByTestId('ops-attention').getByTestId(`ops-row-${id}`)).toHaveAttribute('data-state', 'alert');
  // A tenant's name opens its seven rows in full, each with its threshold and where to act.
  await page.getByTestId('ops-tenant-row-fraud').getByRole('link', { name: /Fraud/ }).click();
  await expect(page).toHaveURL(/\/ops\?tenant=fraud$/);
  for (const area of AREAS)
    await expect(row(page, 'fraud', area)).toHaveAttribute('data-state', /^(ok|alert|warning|unknown|idle)$/);
  await expect(row(page, 'fraud', 'pipelines')).toContainText('alert when success < 95 %');
  await expect(row(page, 'fraud', 'pipelines').getByRole('link', { name: /pipeline runs of fraud/ })).toBeVisible();
  await page.goto('/ops');

  // Read-only: no form but the tenant filter, no threshold inputs, no save button.
  await expect(page.getByTestId('ops-thresholds-form')).toHaveCount(0);
  await expect(page.getByRole('button', { name: /save/i })).toHaveCount(0);
  await expect(page.locator('main form:not([role="search"])')).toHaveCount(0);
  await expectAccessible(page);

  // Even a hand-made call of the action is refused and changes nothing.
  const before = await portalCount(`SELECT count(*) AS n FROM ops_thresholds`, []);
  const valid = Object.fromEntries(
    THRESHOLD_FIELDS.map((f) => [f.name, String(f.toForm(DEFAULT_OPS_THRESHOLDS[f.key]))]),
  );
  const response = await callServerAction(page, '/ops', 'updateOpsThresholdsAction', [
    null,
    { ...valid, version: '0', servingP99MsMax: '1' },
  ]);
  expect(await response.text()).toContain('You are not allowed to do this.');
  expect(await portalCount(`SELECT count(*) AS n FROM ops_thresholds`, [])).toBe(before);
});

test('the tenant filter lives in the URL', async ({ page }) => {
  await signIn(page, 'dave');
  await page.goto('/ops');
  const filter = page.getByRole('search', { name: 'Filter by tenant' });
  await filter.getByLabel('Tenant', { exact: true }).selectOption('pricing');
  await filter.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(/\/ops\?tenant=pricing$/);
  await expect(row(page, 'pricing', 'serving')).toBeVisible();
  await expect(row(page, 'fraud', 'serving')).toHaveCount(0);
  // The link can be shared: opened fresh, it shows the same.
  await page.goto('/ops?tenant=fraud');
  await expect(row(page, 'fraud', 'canary')).toBeVisible();
  await expect(row(page, 'pricing', 'canary')).toHaveCount(0);
});

test('the board comes in pages worst first, and its state filter lives in the URL with the counts of every page', async ({
  page,
}) => {
  await signIn(page, 'dave');
  await page.goto('/ops');
  // A platform of a few tenants is one page: every tenant on it, no way to another page.
  const position = page.getByTestId('ops-page-position');
  await expect(position).toHaveText(/^tenants 1–\d+ of \d+$/);
  const [, last, all] = /tenants 1–(\d+) of (\d+)/.exec(await position.innerText())!;
  expect(last).toBe(all);
  await expect(page.locator('[data-testid^="ops-tenant-row-"]')).toHaveCount(Number(all));
  for (const tenant of ['fraud', 'pricing', 'forecast'])
    await expect(page.getByTestId(`ops-tenant-row-${tenant}`)).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Pages of tenants' }).getByRole('link')).toHaveCount(0);
  const alerts = (await page.getByTestId('ops-alert-count').textContent())!;

  // Only the tenants in a state: each shown tenant has such a row (or, healthy, none needing attention).
  const filter = page.getByRole('search', { name: 'Filter by state' });
  for (const state of ['healthy', 'alert'] as const) {
    await filter.getByLabel('Tenants').selectOption(state);
    await filter.getByRole('button', { name: 'Show' }).click();
    await expect(page).toHaveURL(new RegExp(`/ops\\?state=${state}$`));
    const boardStates = await page
      .locator('[data-testid^="ops-tenant-row-"]')
      .evaluateAll((rows) =>
        rows.map((r) => [...r.querySelectorAll('[data-state]')].map((c) => c.getAttribute('data-state'))),
      );
    const option = await filter.getByLabel('Tenants').locator('option:checked').innerText();
    const counted = Number(/\((\d+)\)$/.exec(option)![1]);
    if (counted === 0) await expect(page.getByTestId('ops-no-match')).toBeVisible();
    expect(boardStates, `${state}: as many tenants as the filter counts`).toHaveLength(counted);
    for (const states of boardStates)
      if (state === 'alert') expect(states).toContain('alert');
      else for (const s of states) expect(['ok', 'idle']).toContain(s);
    // The counts are over every tenant, whatever is shown.
    await expect(page.getByTestId('ops-alert-count')).toHaveText(alerts);
  }
  // A state the board does not know is refused in words.
  await page.goto('/ops?state=bogus');
  await expect(page.getByRole('heading', { name: 'This filter cannot be shown' })).toBeVisible();
  await expect(page.getByText('There is no state “bogus” to filter by')).toBeVisible();
});

test('a canary fault turns the canary row red within a minute, and erin follows its link to the canary page', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await signIn(page, 'erin');
  await page.goto(`/ops?tenant=${FAULTY.tenant}`);
  const canary = row(page, FAULTY.tenant, 'canary');
  await expect(canary).toBeVisible();
  // Before the fault no canary of the tenant alerts: the scratch canary is healthy and fraud runs no other.
  await expect(canary, `before the fault no canary of ${FAULTY.tenant} alerts`).not.toHaveAttribute(
    'data-state',
    'alert',
  );

  await injectFault();
  const injected = Date.now();
  // The page refreshes itself: no reload.
  await expect(canary).toHaveAttribute('data-state', 'alert', { timeout: 60_000 });
  test
    .info()
    .annotations.push({ type: 'fault to red', description: `${Math.round((Date.now() - injected) / 1000)} s` });
  await expect(canary.getByTestId(`ops-state-${FAULTY.tenant}-canary`)).toHaveText(/Alert/);
  await expect(canary).toContainText(FAULTY.service);

  await canary.getByRole('link', { name: `Open the canary of ${FAULTY.service}` }).click();
  await expect(page).toHaveURL(new RegExp(`/t/${FAULTY.tenant}/deployments/${FAULTY.service}$`));
  await expect(page.getByRole('heading', { level: 1 })).toContainText(FAULTY.service);
});

test('frank changes a threshold and the state follows; the change is audited', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, 'frank');
  await page.goto('/ops?tenant=fraud');
  const serving = row(page, 'fraud', 'serving');
  const form = page.getByTestId('ops-thresholds-form');
  await expect(form).toBeVisible();

  const save = async (values: Record<string, string>) => {
    for (const [label, value] of Object.entries(values)) await form.getByLabel(label).fill(value);
    await form.getByRole('button', { name: 'Save thresholds' }).click();
    await expect(form.getByRole('status')).toContainText(/saved/i);
  };

  // Lenient: nothing an endpoint does is beyond these.
  await save({ 'Serving error rate above (%)': '100', 'Serving p99 latency above (ms)': '60000' });
  await expect(serving).toHaveAttribute('data-state', 'ok', { timeout: 30_000 });
  await expect(serving).toContainText('p99 > 60000 ms');

  // Strict: every endpoint with traffic answers slower than 1 ms at p99.
  await save({ 'Serving p99 latency above (ms)': '1' });
  await expect(serving).toHaveAttribute('data-state', 'alert', { timeout: 30_000 });
  await expect(serving).toContainText('p99 > 1 ms');

  // Back to PRODUCT.md's defaults for the tests after this one.
  await save({ 'Serving error rate above (%)': '1', 'Serving p99 latency above (ms)': '500' });
  await expect(serving).toContainText('p99 > 500 ms');
  expect(
    await portalCount(
      `SELECT count(*) AS n FROM audit_events WHERE action = 'ops.thresholds.update' AND actor = 'frank' AND outcome = 'success'`,
      [],
    ),
  ).toBe(3);
  await expectAccessible(page);
});
