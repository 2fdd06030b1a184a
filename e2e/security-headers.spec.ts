/**
 * The portal's pages really run under their Content-Security-Policy: each page of a list loads
 * and hydrates in Chromium with no CSP violation (scripts only with the request's nonce, styles
 * and charts included), every response carries the security headers, and a page of another
 * origin cannot show the portal in a frame.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { signIn } from './support';

interface SeededTenant {
  tenant: string;
  model: string;
  experiments: { experimentId: string }[];
  challenger: { version: string };
}
const seeded = (JSON.parse(readFileSync('.data/stack/seed/mlflow.json', 'utf8')) as { tenants: SeededTenant[] })
  .tenants;
const fraud = seeded.find((t) => t.tenant === 'fraud')!;

const EVERY_RESPONSE = {
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
};

/** CSP violations the page reports, from before its first script on (and the console's words for them). */
async function watchViolations(page: Page): Promise<string[]> {
  const console: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to (execute|load|apply|frame|connect)/i.test(message.text()))
      console.push(message.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`),
    );
  });
  return console;
}

async function expectCleanAndHydrated(page: Page, path: string, consoleViolations: string[]): Promise<void> {
  const response = await page.goto(path);
  expect(response?.status(), path).toBe(200);
  const headers = response!.headers();
  expect(headers, path).toMatchObject(EVERY_RESPONSE);
  const policy = headers['content-security-policy'] ?? '';
  expect(policy, path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(policy, path).toContain("frame-ancestors 'none'");
  expect(headers['strict-transport-security'], 'no HSTS over plain http').toBeUndefined();
  // Hydrated: React listens on the document, and next-themes' inline script set the theme.
  await expect
    .poll(() => page.evaluate(() => Object.keys(document).some((k) => k.startsWith('_reactListening'))), {
      message: `${path} hydrates`,
    })
    .toBe(true);
  await expect(page.locator('html')).toHaveClass(/\b(light|dark)\b/);
  await page.waitForLoadState('networkidle').catch(() => {});
  const violations = await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations);
  expect(violations, `CSP violations on ${path}`).toEqual([]);
  expect(consoleViolations, `CSP errors in the console on ${path}`).toEqual([]);
}

test('the sign-in page loads and hydrates under its policy, with a fresh nonce per response', async ({
  page,
  request,
}) => {
  const consoleViolations = await watchViolations(page);
  await expectCleanAndHydrated(page, '/signin', consoleViolations);
  const nonces = await Promise.all(
    [1, 2, 3].map(
      async () =>
        /'nonce-([^']+)'/.exec((await request.get('/signin')).headers()['content-security-policy'] ?? '')?.[1],
    ),
  );
  expect(new Set(nonces).size).toBe(3);
  // The nonce is on the scripts Next.js and next-themes render, and nowhere a script lacks it.
  const html = await (await request.get('/signin')).text();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts.length).toBeGreaterThan(0);
  for (const tag of scripts) expect(tag, 'every script carries the nonce').toMatch(/\bnonce="[^"]+"/);
});

test('every page of the portal runs with no CSP violation', async ({ page, browser }) => {
  test.setTimeout(240_000);
  const consoleViolations = await watchViolations(page);
  await signIn(page, 'frank');
  const pages = [
    '/',
    '/admin/tenants',
    '/admin/audit',
    '/approvals',
    '/ops',
    '/slo',
    '/slo/pricing/price-elasticity',
    '/gpu',
    '/t/fraud',
    '/t/fraud/experiments',
    `/t/fraud/experiments/${fraud.experiments[0]!.experimentId}`,
    '/t/fraud/models',
    `/t/fraud/models/${fraud.model}`,
    '/t/fraud/promotions',
    '/t/fraud/policy',
    '/t/fraud/members',
    '/t/fraud/pipelines',
    '/t/fraud/gpu',
    '/t/pricing/deployments',
    '/t/pricing/deployments/price-elasticity',
  ];
  for (const path of pages) await expectCleanAndHydrated(page, path, consoleViolations);

  // What only a tenant member sees: the promotion form with its gates.
  const alice = await browser.newPage();
  const aliceConsole = await watchViolations(alice);
  await signIn(alice, 'alice');
  for (const path of [
    '/t/fraud/promotions/new',
    `/t/fraud/promotions/new?model=${fraud.model}&version=${fraud.challenger.version}`,
  ]) {
    await expectCleanAndHydrated(alice, path, aliceConsole);
  }
  await alice.close();
});

test('responses that are not pages carry the headers too', async ({ request }) => {
  for (const path of ['/api/health', '/api/ready', '/api/metrics', '/no-such-page']) {
    const response = await request.get(path);
    expect(response.headers(), path).toMatchObject(EVERY_RESPONSE);
    expect(response.headers()['content-security-policy'], path).toContain("frame-ancestors 'none'");
  }
  const html = await (await request.get('/signin')).text();
  const chunk = /src="(\/_next\/static\/[^"]+\.js)"/.exec(html)![1]!;
  const asset = await request.get(chunk);
  expect(asset.status()).toBe(200);
  expect(asset.headers()).toMatchObject(EVERY_RESPONSE);
});

test.describe('framing', () => {
  let server: Server;
  let otherOrigin: string;

  test.beforeAll(async ({ baseURL }) => {
    // A page of another origin that frames the portal, and, to show that framing works at all, a page of its own.
    server = createServer((req, res) => {
      res.setHeader('content-type', 'text/html');
      if (req.url === '/own') return res.end('<!doctype html><title>own</title><p>framed content of another site</p>');
      const target =
        req.url === '/frame-own'
          ? `${otherOrigin}/own`
          : `${baseURL}${decodeURIComponent((req.url ?? '/').replace(/^\/frame\?path=/, ''))}`;
      res.end(
        `<!doctype html><title>framer</title><iframe id="target" src="${target}" width="800" height="600"></iframe>`,
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    otherOrigin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  test.afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  test('a page of another origin shows its own frames', async ({ page }) => {
    await page.goto(`${otherOrigin}/frame-own`);
    await expect(page.frameLocator('#target').getByText('framed content of another site')).toBeVisible();
  });

  for (const path of ['/signin', '/api/health']) {
    test(`a page of another origin cannot show ${path} in a frame`, async ({ page }) => {
      const refused: string[] = [];
      page.on('console', (message) => {
        if (/frame-ancestors|X-Frame-Options|Refused to (display|frame)/i.test(message.text()))
          refused.push(message.text());
      });
      await page.goto(`${otherOrigin}/frame?path=${encodeURIComponent(path)}`);
      await page.waitForLoadState('load');
      const frame = page.frames().find((f) => f !== page.mainFrame());
      expect(frame, 'the iframe exists').toBeDefined();
      await expect.poll(() => refused.length, { message: 'Chromium reports the refusal' }).toBeGreaterThan(0);
      // Nothing of the portal is shown: the frame holds Chromium's error page, not the portal's.
      expect(frame!.url()).not.toContain('/signin');
      await expect(page.frameLocator('#target').getByText(/ML platform portal|"status"/)).toHaveCount(0);
    });
  }
});
