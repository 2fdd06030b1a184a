import { expect, test, type Page } from '@playwright/test';
import { callServerAction, expectAccessible, removeTenantFromPlatform, signIn } from './support';

// One run makes one new tenant; the name is unique per run so reruns against a kept database work too.
const newTenant = `risk-${Date.now().toString(36)}`;
const archivedTenant = `old-${Date.now().toString(36)}`;

// Creating a tenant provisions it on the local platform (namespace, quota, bindings, storage):
// remove what these tests made once they are done.
test.afterAll(async () => {
  await removeTenantFromPlatform(newTenant);
  await removeTenantFromPlatform(archivedTenant);
});

async function auditRows(page: Page, filters: Record<string, string>) {
  await page.goto(`/admin/audit?${new URLSearchParams(filters).toString()}`);
  return page.getByTestId('audit-row');
}

test.describe('tenant isolation', () => {
  test('alice sees fraud and not pricing; pricing pages give 403', async ({ page }) => {
    await signIn(page, 'alice');
    await expect(page.getByRole('link', { name: /Fraud detection/ })).toBeVisible();
    await expect(page.getByRole('link', { name: /Dynamic pricing/ })).toHaveCount(0);
    const switcher = page.getByLabel('Tenant');
    await expect(switcher.locator('option', { hasText: 'fraud' })).toHaveCount(1);
    await expect(switcher.locator('option', { hasText: 'pricing' })).toHaveCount(0);
    await expectAccessible(page);

    await switcher.selectOption('fraud');
    await expect(page).toHaveURL(/\/t\/fraud$/);
    await expect(page.getByRole('heading', { level: 1, name: 'Fraud detection' })).toBeVisible();
    await expect(page.getByText(/You are member of fraud/)).toBeVisible();
    // The cluster's admission guard protects fraud's endpoints, and the page says so.
    await expect(page.getByTestId('admission-guard-state')).toHaveAttribute('data-state', 'in-force');
    await expectAccessible(page);

    await page.getByRole('link', { name: 'Members', exact: true }).click();
    await expect(page.getByTestId('member-alice')).toBeVisible();
    // A member reads the list but cannot change it.
    await expect(page.getByRole('button', { name: 'Add member' })).toHaveCount(0);
    await expectAccessible(page);

    for (const path of ['/t/pricing', '/t/pricing/members', '/t/no-such-tenant', '/admin/tenants', '/admin/audit']) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(403);
      await expect(page.getByRole('heading', { name: /don’t have access/ })).toBeVisible();
    }
    await expectAccessible(page);

    const missing = await page.goto('/no/such/page');
    expect(missing?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'There is nothing here' })).toBeVisible();
    await expectAccessible(page);
  });

  test('a pricing server action called by alice is rejected, changes nothing and is audited', async ({ browser }) => {
    const alice = await browser.newPage();
    await signIn(alice, 'alice');
    // alice tries to make herself admin of pricing by calling the action directly.
    const response = await callServerAction(alice, '/t/pricing/members', 'addMemberAction', [
      null,
      { tenant: 'pricing', user: 'alice', role: 'admin' },
    ]);
    expect(await response.text()).toContain('You are not allowed to do this.');
    expect((await alice.goto('/t/pricing'))?.status()).toBe(403);

    const frank = await browser.newPage();
    await signIn(frank, 'frank');
    await frank.goto('/t/pricing/members');
    await expect(frank.getByTestId('member-carol')).toBeVisible();
    await expect(frank.getByTestId('member-alice')).toHaveCount(0);

    const rows = await auditRows(frank, { actor: 'alice', action: 'membership.add', tenant: 'pricing' });
    await expect(rows.first()).toContainText('denied');
    await expect(rows.first()).toContainText('not allowed to member.manage');
  });
});

test.describe('platform administration', () => {
  test('frank creates a tenant and adds carol; bad input is refused; the audit page shows both events', async ({
    page,
    browser,
  }) => {
    await signIn(page, 'frank');
    await page.getByRole('link', { name: 'Tenants' }).click();
    await expect(page.getByRole('heading', { name: 'Tenants', level: 1 })).toBeVisible();
    await expectAccessible(page);

    const name = page.getByLabel('Name', { exact: true });
    const displayName = page.getByLabel('Display name');
    const create = page.getByRole('button', { name: 'Create tenant' });

    // Bad input: each gets a clear message and nothing changes.
    await name.fill('Risk_Models');
    await displayName.fill('Risk');
    await create.click();
    await expect(page.getByText(/Use lower-case letters, digits and "-"/).first()).toBeVisible();
    await expect(page.getByTestId('tenant-risk_models')).toHaveCount(0);

    await name.fill('fraud');
    await displayName.fill('Another fraud');
    await create.click();
    await expect(page.getByText('A tenant named "fraud" already exists').first()).toBeVisible();
    await expect(page.locator('[data-testid^="tenant-"]', { hasText: 'Another fraud' })).toHaveCount(0);

    await name.fill(newTenant);
    await displayName.fill('Credit risk');
    await create.click();
    await expect(page.getByText(`Created tenant ${newTenant}.`)).toBeVisible();
    const row = page.getByTestId(`tenant-${newTenant}`);
    await expect(row).toContainText('active');
    await expect(row).toContainText('0');

    await row.getByRole('link', { name: /members of/ }).click();
    await expect(page).toHaveURL(new RegExp(`/t/${newTenant}/members$`));
    await expect(page.getByText('No members yet')).toBeVisible();
    await expectAccessible(page);

    const user = page.getByLabel('Username or email');
    const add = page.getByRole('button', { name: 'Add member' });
    await user.fill('nobody');
    await add.click();
    await expect(page.getByText(/No user "nobody" is known/).first()).toBeVisible();

    // A role that does not exist (the select is tampered with, as a crafted request would be).
    await user.fill('carol');
    await page.getByLabel('Role', { exact: true }).evaluate((select: HTMLSelectElement) => {
      select.add(new Option('superuser', 'superuser'));
      select.value = 'superuser';
    });
    await add.click();
    await expect(page.getByText(/Choose a role: viewer, member, approver, admin/).first()).toBeVisible();
    await expect(page.getByTestId('member-carol')).toHaveCount(0);

    await page.getByLabel('Role', { exact: true }).selectOption('member');
    await add.click();
    await expect(page.getByText('Added carol as member.')).toBeVisible();
    await expect(page.getByTestId('member-carol')).toContainText('portal admin');

    // Change the role, then check carol really sees the tenant.
    await page.getByLabel('Role of carol').selectOption('approver');
    await page.getByRole('button', { name: 'Save role' }).click();
    await expect(page.getByText('carol is now approver.')).toBeVisible();

    const carol = await browser.newPage();
    await signIn(carol, 'carol');
    await carol.goto(`/t/${newTenant}`);
    await expect(carol.getByText(`You are approver of ${newTenant}.`)).toBeVisible();

    const created = await auditRows(page, { tenant: newTenant, action: 'tenant.create' });
    await expect(created).toHaveCount(1);
    await expect(created.first()).toContainText('frank');
    await expect(created.first()).toContainText('success');
    const added = await auditRows(page, { tenant: newTenant, action: 'membership.add', actor: 'frank' });
    await expect(added.filter({ hasText: 'success' })).toHaveCount(1);
    await expect(added.filter({ hasText: 'success' })).toContainText('"user":"carol"');
    // The refused attempts are there too, as failures, and changed nothing.
    await expect(added.filter({ hasText: 'failed' }).first()).toContainText('No user "nobody" is known');
    await expectAccessible(page);

    // Filters live in the URL, so the view can be shared.
    await page.goto('/admin/audit');
    await page.getByRole('main').getByLabel('Tenant').fill(newTenant);
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect(page).toHaveURL(new RegExp(`tenant=${newTenant}`));
    await expect(page.getByTestId('audit-row').first()).toContainText(newTenant);

    await page.getByRole('link', { name: 'ML platform' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expectAccessible(page);
    await page.goto('/admin');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expectAccessible(page);
  });

  test('archiving asks first and keeps the tenant listed as archived', async ({ page }) => {
    const name = archivedTenant;
    await signIn(page, 'frank');
    await page.goto('/admin/tenants');
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('Display name').fill('Old project');
    await page.getByRole('button', { name: 'Create tenant' }).click();
    const row = page.getByTestId(`tenant-${name}`);
    await expect(row).toContainText('active');

    await row.getByRole('button', { name: 'Archive' }).click();
    const dialog = page.getByRole('dialog', { name: `Archive tenant ${name}?` });
    await expect(dialog).toBeVisible();
    await expectAccessible(page);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(row).toContainText('active');

    await row.getByRole('button', { name: 'Archive' }).click();
    await dialog.getByRole('button', { name: `Archive ${name}` }).click();
    await expect(row).toContainText('archived');
    await expect(page.getByLabel('Tenant').locator('option', { hasText: name })).toHaveCount(0);
  });
});

test.describe('session and shell', () => {
  test('sign-out ends the session at the portal and at the identity provider', async ({ page }) => {
    await signIn(page, 'frank');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL(/\/signin\?signedOut=1/);
    await expect(page.getByText('You are signed out.')).toBeVisible();
    await expectAccessible(page);

    await page.goto('/');
    await expect(page).toHaveURL(/\/signin/);
    // The IdP forgot the sign-in too: it asks for credentials again.
    await page.getByRole('button', { name: /^Sign in with/ }).click();
    await expect(page.getByLabel('Password')).toBeVisible();
  });

  test('dark mode switches and stays accessible', async ({ page }) => {
    await signIn(page, 'dave');
    const toggle = page.getByRole('button', { name: /Colour theme/ });
    await toggle.click(); // system → light
    await expect(page.locator('html')).toHaveClass(/light/);
    await toggle.click(); // light → dark
    await expect(page.locator('html')).toHaveClass(/dark/);
    await page.reload();
    await expect(page.locator('html')).toHaveClass(/dark/);
    await expectAccessible(page);
  });

  test('on-call sees every tenant through her platform role, and no admin pages', async ({ page }) => {
    await signIn(page, 'erin');
    await expect(page.getByRole('link', { name: /Fraud detection/ })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Tenants' })).toHaveCount(0);
    expect((await page.goto('/admin/audit'))?.status()).toBe(403);
  });

  test('health, readiness and metrics endpoints', async ({ request }) => {
    const health = await request.get('/api/health');
    expect(health.status()).toBe(200);
    expect(health.headers()['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const echoed = await request.get('/api/health', { headers: { 'x-request-id': 'trace-abc-123' } });
    expect(echoed.headers()['x-request-id']).toBe('trace-abc-123');

    const ready = await request.get('/api/ready');
    expect(ready.status()).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { database: { ok: true } } });

    const metrics = await (await request.get('/api/metrics')).text();
    expect(metrics).toMatch(
      /portal_http_request_duration_seconds_count\{method="GET",route="\/api\/health",status="200"\} \d+/,
    );
    expect(metrics).toMatch(/portal_server_actions_total\{action="tenant.create",outcome="success"\} \d+/);
    expect(metrics).toMatch(/portal_server_actions_total\{action="membership.add",outcome="denied"\} \d+/);
  });
});
