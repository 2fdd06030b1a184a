/**
 * API tokens in the browser, against the running portal and its /api/v1: alice makes a personal
 * token, sees its secret once, calls the API with it, revokes it and is refused; grace (admin of
 * fraud) makes a pipeline's service token (no token is ever offered approval); members who are not admins
 * cannot open the service tokens page.
 */
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, portalCount, signIn } from './support';

process.loadEnvFile('.data/stack/stack.env');

const suffix = Date.now().toString(36);
const tokenRow = (page: Page, name: string) => page.getByTestId(`token-${name}`);

test('alice creates a personal token, sees it once, calls the API with it, and revokes it', async ({
  page,
  request,
}) => {
  const name = `e2e-laptop-${suffix}`;
  await signIn(page, 'alice');
  await page.getByRole('link', { name: 'API tokens' }).click();
  await expect(page).toHaveURL(/\/settings\/tokens$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your API tokens');

  const form = page.getByRole('form', { name: 'Create a personal token' });
  // Refused per field: no name, no scope.
  await form.getByRole('button', { name: 'Create token' }).click();
  await expect(form.getByText('Name the token, e.g. after its pipeline')).toBeVisible();
  await expect(form.getByText('Choose at least one scope')).toBeVisible();

  await form.getByLabel('Name').fill(name);
  await expect(form.getByLabel('Tenant')).toHaveValue('fraud');
  // alice is a member: she may not give a token what only admins and on-call do; no token approves.
  await expect(form.getByRole('checkbox', { name: /rollout\.operate/ })).toHaveCount(0);
  await expect(form.getByRole('checkbox', { name: /approve/ })).toHaveCount(0);
  await form.getByRole('checkbox', { name: /promotion\.read/ }).check();
  await expect(form.getByLabel('Expires after (days)')).toHaveAttribute('max', '90');
  await form.getByRole('button', { name: 'Create token' }).click();

  const shown = page.getByTestId('new-token');
  await expect(shown).toContainText('you will not see it again');
  const secret = await shown.getByLabel('New token').inputValue();
  expect(secret).toMatch(/^mlp_[A-Za-z0-9_-]{43}$/);
  await expect(shown.getByRole('button', { name: 'Copy' })).toBeVisible();
  const row = tokenRow(page, name);
  await expect(row).toHaveAttribute('data-state', 'active');
  await expect(row).toContainText('fraud');
  await expect(row).toContainText('promotion.read');
  await expect(row).toContainText(secret.slice(0, 12));
  await expect(row).toContainText('never used');
  await expectAccessible(page);

  const call = () =>
    request.get('/api/v1/t/fraud/promotions', { headers: { authorization: `Bearer ${secret}` }, maxRedirects: 0 });
  const allowed = await call();
  expect(allowed.status()).toBe(200);
  expect(((await allowed.json()) as { requests: unknown[] }).requests).toBeInstanceOf(Array);

  // Shown once: after a reload only its first characters remain, and the list knows it was used.
  await page.reload();
  await expect(page.getByTestId('new-token')).toHaveCount(0);
  expect(await page.content()).not.toContain(secret);
  await expect(tokenRow(page, name)).toContainText(/\d+ s ago|\d+ min/);

  // Revoking asks first; Escape leaves the token as it was.
  const revoke = tokenRow(page, name).getByRole('button', { name: 'Revoke' });
  await revoke.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: `Revoke the token ${name}?` });
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(tokenRow(page, name)).toHaveAttribute('data-state', 'active');
  await revoke.click();
  await dialog.getByRole('button', { name: 'Revoke token' }).click();
  await expect(tokenRow(page, name)).toHaveAttribute('data-state', 'revoked');

  const refused = await call();
  expect(refused.status()).toBe(401);
  expect(await refused.json()).toMatchObject({ error: 'This token has been revoked.' });
  expect(
    await portalCount(
      `SELECT count(*) AS n FROM audit_events WHERE action IN ('token.create', 'token.revoke') AND actor = 'alice' AND outcome = 'success'`,
      [],
    ),
  ).toBeGreaterThanOrEqual(2);
  await expectAccessible(page);
});

test('grace, admin of fraud, creates a service token with scope promotion.request; approval is never offered', async ({
  page,
  request,
}) => {
  const name = `e2e-pipeline-${suffix}`;
  await signIn(page, 'grace');
  await page.goto('/t/fraud');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Service tokens' }).click();
  await expect(page).toHaveURL(/\/t\/fraud\/tokens$/);
  // The seeded pipeline's token is there: it filed a request when the portal started.
  await expect(tokenRow(page, 'train-fraud-detector')).toHaveAttribute('data-state', 'active');

  const form = page.getByRole('form', { name: 'Create a service token' });
  await expect(form.getByRole('checkbox', { name: /promotion\.request/ })).toBeChecked();
  await expect(form.getByRole('checkbox', { name: /approve/ })).toHaveCount(0);
  await expect(form.getByRole('checkbox', { name: /rollout\.operate/ })).toBeVisible();
  await form.getByRole('checkbox', { name: /promotion\.read/ }).uncheck();
  await form.getByLabel('Name').fill(name);
  await form.getByLabel('Expires after (days)').fill('7');
  await form.getByRole('button', { name: 'Create service token' }).click();

  const secret = await page.getByTestId('new-token').getByLabel('New token').inputValue();
  expect(secret).toMatch(/^mlp_/);
  const row = tokenRow(page, name);
  await expect(row).toHaveAttribute('data-state', 'active');
  await expect(row).toContainText('promotion.request');
  await expect(row).not.toContainText('promotion.read');
  await expectAccessible(page);

  // Its scopes are all it has: filing, not reading.
  const read = await request.get('/api/v1/t/fraud/promotions', { headers: { authorization: `Bearer ${secret}` } });
  expect(read.status()).toBe(403);
  expect(await read.json()).toMatchObject({ error: 'This token may not promotion.read in tenant fraud.' });
});

test('members who are not admins cannot open the service tokens page, nor find it in the menu', async ({ page }) => {
  for (const username of ['alice', 'bob']) {
    await signIn(page, username);
    await page.goto('/t/fraud');
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Members' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Service tokens' })).toHaveCount(0);
    const response = await page.goto('/t/fraud/tokens');
    expect(response?.status(), username).toBe(403);
    await expect(page.getByRole('heading', { name: 'You don’t have access to this' })).toBeVisible();
    await page.context().clearCookies();
  }
});
