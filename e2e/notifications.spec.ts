/**
 * Notifications in the browser, against the real portal, worker, IdP and PostgreSQL: bob
 * (approver of fraud) sees his unread count rise — without reloading — when alice files a
 * request, and finds it waiting on him; grace (admin of fraud) adds a webhook pointing at a
 * receiver this test starts on 127.0.0.1, sees its secret once, presses "Send test" and sees the
 * delivery logged as delivered with the receiver's 200; bob and carol are refused the webhooks
 * page and its actions. The web server allows private webhook addresses (playwright.config.ts).
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { startWebhookReceiver, type WebhookReceiver } from '../test/webhook-receiver';
import { callServerAction, expectAccessible, portalCount, signedIn } from './support';

process.loadEnvFile('.data/stack/stack.env');

interface SeededTenant {
  tenant: string;
  model: string;
  challenger: { version: string };
}
const fraud = (
  JSON.parse(readFileSync('.data/stack/seed/mlflow.json', 'utf8')) as { tenants: SeededTenant[] }
).tenants.find((t) => t.tenant === 'fraud')!;

/** The unread count the shell's inbox link says, from its accessible name. */
async function unreadOf(page: Page): Promise<number> {
  const label = (await page.getByTestId('inbox-link').getAttribute('aria-label')) ?? '';
  return Number(/(\d+) unread/.exec(label)?.[1] ?? 0);
}
const inboxName = (count: number) => (count > 0 ? `Inbox, ${count} unread` : 'Inbox, nothing unread');

let receiver: WebhookReceiver;
test.beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
test.afterAll(async () => {
  await receiver?.close();
});

test.describe.serial('notifications', () => {
  test('bob’s unread count rises when alice files a request, which waits on him in the inbox', async ({ browser }) => {
    const bob = await signedIn(browser, 'bob');
    await bob.goto('/t/fraud');
    const before = await unreadOf(bob);

    const alice = await signedIn(browser, 'alice');
    await alice.goto(`/t/fraud/promotions/new?model=${fraud.model}&version=${fraud.challenger.version}`);
    await alice.getByLabel('Model card URL').fill('https://wiki.example.com/fraud/fraud-detector/model-card');
    await alice.getByLabel('Notes for the approvers').fill('Notifications test: please decide.');
    await alice.getByRole('button', { name: 'Request promotion' }).click();
    await expect(alice).toHaveURL(/\/t\/fraud\/promotions\/[0-9a-f-]{36}$/);
    const requestId = alice.url().split('/').at(-1)!;

    // The badge polls its route (every 15 s): bob's page shows the new count without a reload.
    const inbox = bob.getByRole('link', { name: inboxName(before + 1) });
    await expect(inbox).toBeVisible({ timeout: 30_000 });
    await inbox.click();
    await expect(bob).toHaveURL(/\/inbox$/);
    const waiting = bob.getByRole('region', { name: 'Approvals to give' });
    await expect(waiting.getByRole('link', { name: `${fraud.model} v${fraud.challenger.version}` })).toHaveAttribute(
      'href',
      `/t/fraud/promotions/${requestId}`,
    );
    const item = bob
      .getByTestId('inbox-item')
      .filter({ has: bob.locator(`a[href="/t/fraud/promotions/${requestId}"]`) });
    await expect(item).toHaveAttribute('data-kind', 'promotion.requested');
    await expect(item).toHaveAttribute('data-unread', 'true');
    await expect(item).toContainText(`alice asks to promote ${fraud.model} v${fraud.challenger.version}`);
    await expectAccessible(bob);

    // Marking it read lowers the count at once, in the page and in the shell.
    await item.getByRole('button', { name: /^Mark read:/ }).click();
    await expect(item).toHaveAttribute('data-unread', 'false');
    await expect(bob.getByTestId('inbox-link')).toHaveAccessibleName(inboxName(before));

    // What reaches the inbox is bob's to choose, per tenant and kind.
    await bob.goto('/settings/notifications');
    await bob.getByRole('radio', { name: 'Canary step taken in fraud: all' }).check();
    await bob.getByRole('button', { name: 'Save 1 change' }).click();
    await expect(bob.getByRole('status').filter({ hasText: 'Saved 1 change.' })).toBeVisible();
    await expectAccessible(bob);
    await bob.reload();
    await expect(bob.getByRole('radio', { name: 'Canary step taken in fraud: all' })).toBeChecked();
  });

  test('grace adds a webhook, sees its secret once, sends a test and sees it delivered with 200', async ({
    browser,
  }) => {
    const grace = await signedIn(browser, 'grace');
    await grace.goto('/t/fraud');
    await grace.getByRole('link', { name: 'Webhooks', exact: true }).click();
    await expect(grace).toHaveURL(/\/t\/fraud\/webhooks$/);
    await expectAccessible(grace);

    const name = `e2e-receiver-${Date.now()}`;
    await grace.getByLabel('Name').fill(name);
    await grace.getByLabel('Receiver URL').fill(`${receiver.url}/grace`);
    await grace.getByRole('button', { name: 'Add webhook' }).click();
    const shown = grace.getByTestId('webhook-secret-value');
    await expect(shown).toHaveText(/^whsec_/);
    const secret = (await shown.textContent())!;
    receiver.secrets.set('/grace', secret);
    await expect(grace.getByRole('button', { name: 'Copy the secret' })).toBeVisible();
    await expectAccessible(grace);
    await expect(grace.getByTestId(`webhook-${name}`)).toContainText('Enabled');

    await grace.getByRole('link', { name: 'Open the webhook and its delivery log' }).click();
    await expect(grace.getByRole('heading', { name, level: 1 })).toBeVisible();
    // Once: neither this page nor the list shows the secret again.
    expect(await grace.content()).not.toContain(secret);
    await expect(grace.getByTestId('webhook-secret')).toHaveCount(0);

    await grace.getByRole('button', { name: 'Send test' }).click();
    await expect(grace.getByRole('status').filter({ hasText: /^Test event [0-9a-f-]{36} queued/ })).toBeVisible();
    const received = await receiver.waitFor('the test event', (r) => r.path === '/grace' && r.kind === 'test');
    expect(received.signatureValid, 'the signature verifies with the secret shown once').toBe(true);

    const delivery = grace.getByTestId('delivery').first();
    await expect(grace.getByTestId('delivery')).toHaveCount(1);
    await expect(delivery).toHaveAttribute('data-event-id', received.eventId);
    await expect(delivery).toHaveAttribute('data-status', 'delivered', { timeout: 20_000 });
    await expect(delivery).toContainText('Delivered');
    await expect(delivery.getByTestId('delivery-attempt')).toHaveCount(1);
    await expect(delivery.getByTestId('delivery-attempt')).toContainText('200');
    await expectAccessible(grace);

    // Disable, then delete after confirming; both audited.
    await grace.getByRole('button', { name: 'Disable' }).click();
    await expect(grace.getByTestId('webhook-state')).toContainText('Disabled');
    await grace.getByRole('button', { name: 'Delete' }).click();
    await grace.getByRole('button', { name: 'Delete webhook' }).click();
    await expect(grace).toHaveURL(/\/t\/fraud\/webhooks$/);
    await expect(grace.getByTestId(`webhook-${name}`)).toHaveCount(0);
    for (const action of ['create', 'test', 'update', 'delete'])
      expect(
        await portalCount(
          `SELECT count(*) AS n FROM audit_events WHERE action = $1 AND actor = 'grace' AND tenant = 'fraud' AND outcome = 'success'`,
          [`notification.webhook.${action}`],
        ),
        `notification.webhook.${action} audited`,
      ).toBeGreaterThanOrEqual(1);
  });

  test('bob (approver) and carol (pricing) are refused the webhooks page, its link and its actions', async ({
    browser,
  }) => {
    for (const username of ['bob', 'carol']) {
      const page = await signedIn(browser, username);
      const response = await page.goto('/t/fraud/webhooks');
      expect(response?.status()).toBe(403);
      await expect(page.getByRole('heading', { name: 'You don’t have access to this' })).toBeVisible();
      await expectAccessible(page);
      if (username === 'bob') {
        await page.goto('/t/fraud');
        await expect(page.getByRole('link', { name: 'Webhooks', exact: true })).toHaveCount(0);
      }
      const before = await portalCount('SELECT count(*) AS n FROM webhook_endpoints', []);
      const refused = await callServerAction(page, '/t/fraud/webhooks', 'createWebhookAction', [
        null,
        { tenant: 'fraud', name: `${username}s`, url: `${receiver.url}/${username}` },
      ]);
      expect(refused.status()).toBe(403);
      expect(await refused.text()).toContain('You are not allowed to do this.');
      expect(await portalCount('SELECT count(*) AS n FROM webhook_endpoints', [])).toBe(before);
    }
  });
});
