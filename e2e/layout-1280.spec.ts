/**
 * The pages with wide tables on a 1280 × 800 screen, against the real local platform, each as a
 * user who may see it: the page itself never scrolls sideways; a table wider than its card scrolls
 * inside its own frame (components/ui/table.tsx) — a labelled region the keyboard can focus and
 * scroll — down to its last column, with its first column kept in view. The charts on these pages
 * are drawn once their lazily loaded drawing arrives (components/ui/lazy-chart.tsx).
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, signedIn, signIn } from './support';

process.loadEnvFile('.data/stack/stack.env');

interface SeededTenant {
  tenant: string;
  model: string;
  versions: { version: string; runId: string; experimentId: string }[];
  champion: { runId: string; experimentId: string };
}
const fraud = (
  JSON.parse(readFileSync('.data/stack/seed/mlflow.json', 'utf8')) as { tenants: SeededTenant[] }
).tenants.find((t) => t.tenant === 'fraud')!;
const experimentId = fraud.champion.experimentId;
const comparedRuns = fraud.versions.filter((v) => v.experimentId === experimentId).map((v) => v.runId);

test.use({ viewport: { width: 1280, height: 800 } });

const PAGES: { user: string; paths: string[] }[] = [
  {
    user: 'alice',
    paths: [
      '/t/fraud/models',
      `/t/fraud/models/${fraud.model}`,
      '/t/fraud/experiments',
      `/t/fraud/experiments/${experimentId}`,
      `/t/fraud/experiments/${experimentId}/compare?runs=${comparedRuns.join(',')}`,
      `/t/fraud/runs/${fraud.champion.runId}`,
      '/t/fraud/promotions',
      '/t/fraud/deployments',
      '/t/fraud/deployments/fraud-detector',
      '/t/fraud/pipelines',
      '/t/fraud/gpu',
    ],
  },
  { user: 'dave', paths: ['/ops', '/slo', '/slo/pricing/price-elasticity'] },
  { user: 'erin', paths: ['/platform/health'] },
  { user: 'frank', paths: ['/admin/audit', '/admin/tenants', '/gpu'] },
];

/** Every data table of the page fits the page, and scrolls in its own frame to its last column. */
async function expectTablesFit(page: Page, path: string): Promise<void> {
  const response = await page.goto(path);
  expect(response?.status(), path).toBe(200);
  await expect(page.getByRole('heading', { level: 1 }), path).toBeVisible();

  const widths = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  expect(widths.scrollWidth, `${path} scrolls sideways`).toBeLessThanOrEqual(widths.clientWidth);

  const frames = page.getByTestId('table-scroll');
  for (const frame of await frames.all()) {
    const table = frame.getByRole('table');
    const caption = (await table.locator('caption').textContent()) ?? '';
    await expect(frame, `${path}: ${caption}`).toHaveAttribute('tabindex', '0');
    await expect(frame, `${path}: ${caption}`).toHaveRole('region');
    await expect(frame, `${path}: ${caption}`).toHaveAccessibleName(caption);

    const overflow = await frame.evaluate((el) => el.scrollWidth - el.clientWidth);
    if (overflow > 0) {
      test.info().annotations.push({ type: 'scrolls sideways', description: `${path}: ${caption} (${overflow} px)` });
      // The keyboard scrolls it: focused, the arrow key moves it sideways.
      await frame.focus();
      await page.keyboard.press('ArrowRight');
      await expect
        .poll(() => frame.evaluate((el) => el.scrollLeft), `${path}: ${caption} scrolls by keyboard`)
        .toBeGreaterThan(0);
    }
    // Scrolled to its end, the last header cell is inside the frame, and the first column has not moved.
    const reach = await frame.evaluate((el) => {
      const headers = el.querySelectorAll('thead th');
      const first = headers[0]!;
      const last = headers[headers.length - 1]!;
      el.scrollLeft = 0;
      const firstLeftBefore = first.getBoundingClientRect().left;
      el.scrollLeft = el.scrollWidth;
      const frameBox = el.getBoundingClientRect();
      return {
        frameLeft: frameBox.left,
        frameRight: frameBox.right,
        firstLeftBefore,
        firstLeftAfter: first.getBoundingClientRect().left,
        lastLeft: last.getBoundingClientRect().left,
        lastRight: last.getBoundingClientRect().right,
      };
    });
    expect(reach.lastRight, `${path}: ${caption}, last column`).toBeLessThanOrEqual(reach.frameRight + 1);
    expect(reach.lastLeft, `${path}: ${caption}, last column`).toBeGreaterThanOrEqual(reach.frameLeft - 1);
    // Within 2 px: the sticky cell's collapsed left border (the 4 px accent of rows in alert) slides half under the frame's edge.
    expect(
      Math.abs(reach.firstLeftAfter - reach.firstLeftBefore),
      `${path}: ${caption}, first column stays`,
    ).toBeLessThanOrEqual(2);
  }
}

for (const { user, paths } of PAGES)
  test(`${user}’s pages with tables fit a 1280 px screen`, async ({ page }) => {
    test.setTimeout(180_000);
    await signIn(page, user);
    for (const path of paths) await expectTablesFit(page, path);
  });

test('the models table shows its last column at 1280 px, its model names staying in view', async ({ page }) => {
  await signIn(page, 'alice');
  await page.goto('/t/fraud/models');
  await expectAccessible(page);
  const frame = page.getByRole('region', { name: 'Registered models of fraud' });
  await expect(frame.getByRole('columnheader', { name: 'Last updated' })).toBeVisible();
  await frame.evaluate((el) => (el.scrollLeft = el.scrollWidth));
  await expect(frame.getByRole('columnheader', { name: 'Last updated' })).toBeInViewport();
  await expect(frame.getByRole('link', { name: fraud.model })).toBeInViewport();
});

test('the charts are drawn after the page, in the place kept for them', async ({ browser }) => {
  const dave = await signedIn(browser, 'dave');
  await dave.goto('/slo/pricing/price-elasticity');
  for (const chart of ['budget', 'requests', 'errors', 'latency']) {
    const figure = dave.getByTestId(`slo-chart-${chart}`);
    await expect(figure.locator('.recharts-line').first(), chart).toBeVisible();
    await expect(figure.getByTestId('chart-placeholder'), chart).toHaveCount(0);
  }
  const alice = await signedIn(browser, 'alice');
  await alice.goto(`/t/fraud/runs/${fraud.champion.runId}`);
  await expect(alice.locator('[data-testid^="metric-chart-"] .recharts-line').first()).toBeVisible();
});
