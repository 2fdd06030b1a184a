/**
 * Prometheus stopped for real while dave watches both dashboards (PRODUCT.md: an upstream that is
 * down degrades only the panels that need it, with a clear message and the age of stale data). The
 * portal first shows Prometheus's last answers marked as out of date (the GPU page too), then
 * says the numbers are missing; every area that does not need Prometheus is judged throughout.
 * Prometheus is started again at the end, and the dashboards recover by themselves. Runs last:
 * nothing after it has to wait for Prometheus.
 */
import { expect, test } from '@playwright/test';
import { prometheus } from '../stack/components/prometheus';
import { stackContext } from '../stack/lib/context';
import { expectAccessible, signIn } from './support';

process.loadEnvFile('.data/stack/stack.env');

const ctx = stackContext();

test.afterAll(async () => {
  await prometheus.start(ctx);
});

test('with Prometheus stopped, both dashboards keep every other area, show the last numbers as out of date, then say they are missing', async ({
  page,
  context,
}) => {
  // Shared answers last 20 s (the SLO counts 80 s) and are kept up to four times as long while refreshes fail.
  test.setTimeout(360_000);
  await signIn(page, 'dave');
  await page.goto('/ops?tenant=fraud');
  const row = (area: string) => page.getByTestId(`ops-row-fraud-${area}`);
  await expect(row('serving')).not.toHaveAttribute('data-state', 'unknown');
  const slo = await context.newPage();
  await slo.goto('/slo');
  await expect(slo.getByTestId('slo-row').first()).toBeVisible();
  await expect(slo.getByTestId('slo-problems')).toHaveCount(0);
  const gpu = await context.newPage();
  await gpu.goto('/gpu');
  await expect(gpu.getByTestId('idle-gpus')).not.toContainText('—');

  await prometheus.stop(ctx);

  // The last answer, marked with its time and why; the areas that need no Prometheus are judged as before.
  await expect(page.getByTestId('ops-outdated-sources')).toContainText(
    /may be out of date: Prometheus cannot be reached.* Showing data as of .* UTC \(.* ago\)/,
    { timeout: 90_000 },
  );
  await expect(page.getByTestId('ops-outdated-sources')).toContainText(
    'The rows that need Prometheus show its last known numbers',
  );
  // The banner speaks for whichever shared answer went out of date first (the GPU means or the
  // serving numbers); the serving row is marked once its own answer is past its 20 s.
  await expect(row('serving')).toContainText(
    /serving metrics may be out of date: Prometheus cannot be reached.* Showing data as of .* ago\)/,
    { timeout: 60_000 },
  );
  for (const area of ['pipelines', 'training', 'registry'])
    await expect(row(area)).not.toHaveAttribute('data-state', 'unknown');
  await expectAccessible(page);
  // The cluster GPU page, polling on its own, marks its utilisation the same way.
  await expect(
    gpu.getByRole('status').filter({ hasText: 'The GPU metrics may be out of date: Prometheus cannot be reached' }),
  ).toContainText(/Showing data as of .* UTC \(.* ago\)/, { timeout: 30_000 });

  // Too old to show: the serving and canary rows say what is missing; the rest stay judged.
  await expect(row('serving')).toHaveAttribute('data-state', 'unknown', { timeout: 120_000 });
  await expect(row('canary')).toHaveAttribute('data-state', 'unknown');
  await expect(row('serving')).toContainText('Prometheus cannot be reached');
  await expect(page.getByTestId('ops-missing-sources')).toContainText('Prometheus could not be read');
  for (const area of ['pipelines', 'training', 'registry', 'infrastructure'])
    await expect(row(area)).not.toHaveAttribute('data-state', 'unknown');

  // The SLO list, open all along, keeps every SLO with its last numbers and says they are out of date.
  await expect(slo.getByTestId('slo-problems')).toContainText(
    /SLO metrics may be out of date: Prometheus cannot be reached.* Showing data as of .* UTC \(.* ago\)/,
    { timeout: 150_000 },
  );
  await expect(slo.getByTestId('slo-problems')).toContainText('The SLOs show its last numbers.');
  for (const endpoint of ['fraud-detector', 'price-elasticity', 'demand-forecast']) {
    await expect(
      slo.locator(`[data-testid="slo-row"][data-endpoint="${endpoint}"][data-kind="availability"]`),
    ).toContainText('99.9 %');
  }
  await expectAccessible(slo);

  await prometheus.start(ctx);
  // Back: judged again without a reload, and no message left. An answer still kept (the GPU means
  // last 80 s) is served once more, marked, while it is refreshed, and the judged rows are shared
  // for a few seconds and served once more while they are judged again: the last mark goes up to
  // two polls (10 s each) after the missing numbers are back.
  await expect(row('serving')).not.toHaveAttribute('data-state', 'unknown', { timeout: 60_000 });
  await expect(page.getByTestId('ops-missing-sources')).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByTestId('ops-outdated-sources')).toHaveCount(0, { timeout: 30_000 });
});
