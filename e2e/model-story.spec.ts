/**
 * A model's story in the browser, on the seeded demo: the fraud model's tabs, its timeline
 * filtered by version and kind through the address and the form, an event's deep link, and the
 * evidence pack of the request the seeded pipeline filed — printable, and downloaded as JSON whose
 * audit rows are the portal's own, hash for hash.
 */
import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { pipelineVersion } from '../stack/seed/pipeline-promotion';
import { seededTenant } from '../test/stack';
import { expectAccessible, portalRows, signIn } from './support';

process.loadEnvFile('.data/stack/stack.env');

const fraud = seededTenant('fraud');
const MODEL = fraud.model;
const base = `/t/fraud/models/${encodeURIComponent(MODEL)}`;

async function shownEvents(page: Page) {
  const events = page.getByTestId('story-event');
  await expect(events.first()).toBeVisible();
  return events.all();
}

test('the model’s tabs link Overview and Timeline, marking the current one', async ({ page }) => {
  await signIn(page, 'alice');
  await page.goto(base);
  const tabs = page.getByRole('navigation', { name: 'Model views' });
  await expect(tabs.getByRole('link', { name: 'Overview' })).toHaveAttribute('aria-current', 'page');
  await expect(tabs.getByRole('link', { name: 'Compare' })).toHaveAttribute('href', `${base}/compare`);
  await tabs.getByRole('link', { name: 'Timeline' }).focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(`${base}/timeline`);
  await expect(tabs.getByRole('link', { name: 'Timeline' })).toHaveAttribute('aria-current', 'page');
  await expect(tabs.getByRole('link', { name: 'Overview' })).not.toHaveAttribute('aria-current', 'page');
  // Every seeded version's registration, and its run with the main metric MLflow has for it.
  for (const version of fraud.versions) {
    await expect(page.locator(`#e-reg-${version.version}`)).toBeAttached();
  }
  await expectAccessible(page);
});

test('the timeline filters by version and kind in the address, and through its form', async ({ page }) => {
  await signIn(page, 'alice');
  // The seeded history's canaries of the champion, what serves now (stack/seed/model-history.ts): deployment events.
  const serving = fraud.champion.version;
  await page.goto(`${base}/timeline?version=${serving}&kind=deployment`);
  for (const event of await shownEvents(page)) {
    await expect(event).toHaveAttribute('data-kind', 'deployment');
    await expect(event).toHaveAttribute('data-version', serving);
  }
  await expect(page.getByTestId('story-event').filter({ hasText: 'Canary started' }).first()).toBeVisible();

  const filed = pipelineVersion({ seedVersion: '', trackingUri: '', tenants: [fraud] }).version;
  await page.goto(`${base}/timeline`);
  await page.getByLabel('Version').selectOption(filed);
  await page.getByLabel('Kind').selectOption('run');
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(page).toHaveURL(new RegExp(`/timeline\\?version=${filed}&kind=run$`));
  const runs = await shownEvents(page);
  expect(runs).toHaveLength(1);
  const seeded = fraud.versions.find((v) => v.version === filed)!;
  await expect(runs[0]!).toContainText(`holdout_auc ${seeded.metrics.holdout_auc}`);

  await page.goto(`${base}/timeline?version=${filed}&kind=request`);
  const requests = await shownEvents(page);
  expect(requests.length).toBeGreaterThanOrEqual(1);
  await expect(requests[0]!).toContainText(`requested promotion of v${filed}`);
  await expectAccessible(page);
});

test('an event’s link opens the timeline on that event', async ({ page }) => {
  await signIn(page, 'alice');
  await page.goto(`${base}/timeline?kind=registration`);
  const events = await shownEvents(page);
  const last = events[events.length - 1]!;
  const id = await last.getAttribute('id');
  const href = await last.getByRole('link', { name: /^Link to this event/ }).getAttribute('href');
  expect(href).toMatch(new RegExp(`#${id}$`));
  await page.goto(href!);
  const target = page.locator(`#${id}`);
  await expect(target).toBeInViewport();
  await expect(page).toHaveURL(new RegExp(`#${id}$`));
  // Marked as the linked event, and the only one.
  await expect(target).toHaveAttribute('aria-current', 'location');
  await expect(page.locator('[data-testid="story-event"][aria-current="location"]')).toHaveCount(1);
});

test('the evidence pack of the pipeline’s request prints without navigation and downloads as JSON matching the audit log', async ({
  page,
}) => {
  const filed = pipelineVersion({ seedVersion: '', trackingUri: '', tenants: [fraud] }).version;
  await signIn(page, 'bob');
  await page.goto('/t/fraud/promotions');
  await page
    .getByTestId(`promotion-${MODEL}-v${filed}`)
    .getByRole('link', { name: `${MODEL} v${filed}` })
    .click();
  await page.getByRole('link', { name: 'Evidence pack' }).click();
  await expect(page).toHaveURL(/\/promotions\/[0-9a-f-]{36}\/evidence$/);
  const pack = page.getByTestId('evidence-pack');
  await expect(pack.getByRole('heading', { name: `Evidence pack: ${MODEL} v${filed}` })).toBeVisible();
  await expect(pack.getByRole('list', { name: 'Approval gates' }).getByRole('listitem').first()).toBeVisible();
  await expect(page.getByTestId('evidence-audit-row').first()).toBeVisible();
  await expectAccessible(page);

  await page.emulateMedia({ media: 'print' });
  // No navigation on paper: the shell's header and side bar are left out.
  await expect(page.locator('aside').first()).toBeHidden();
  await expect(page.getByTestId('signed-in-user')).toBeHidden();
  await expect(page.getByRole('button', { name: 'Print' })).toBeHidden();
  await expect(pack.getByRole('heading', { name: `Evidence pack: ${MODEL} v${filed}` })).toBeVisible();
  await page.emulateMedia({ media: 'screen' });

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download JSON' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^evidence-fraud-${MODEL}-v${filed}-.+\\.json$`));
  const json = JSON.parse(await readFile((await download.path())!, 'utf8')) as {
    format: string;
    request: { id: string; version: string; audit: { id: string; hash: string }[] };
    auditEvents: { id: string; hash: string; prevHash: string; action: string }[];
  };
  expect(json.format).toBe('mlp.evidence-pack/1');
  expect(json.request.version).toBe(filed);
  expect(page.url()).toContain(json.request.id);
  expect(json.auditEvents.map((e) => e.action)).toContain('promotion.request');
  const logged = await portalRows<{ id: string; hash: string; prev_hash: string }>(
    'SELECT id::text, hash, prev_hash FROM audit_events WHERE id = ANY($1::bigint[])',
    [json.auditEvents.map((e) => e.id)],
  );
  expect(logged).toHaveLength(json.auditEvents.length);
  for (const event of json.auditEvents)
    expect(logged).toContainEqual({ id: event.id, hash: event.hash, prev_hash: event.prevHash });
});
