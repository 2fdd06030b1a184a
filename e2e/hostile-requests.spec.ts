/**
 * The portal holds against hostile requests, sent as raw HTTP the way anyone could: server actions
 * called without a session, with bodies that are not what a browser sends, too large, or from
 * another site; redirects after sign-in to other sites; made-up URLs against the metrics; a
 * promotion form opened with another tenant's model. Each is refused with a 4xx and words — never
 * a 5xx — and nothing a refused caller sent is kept.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type APIRequestContext, type APIResponse } from '@playwright/test';
import { callServerAction, portalCount, serverActionId, signIn } from './support';

process.loadEnvFile('.data/stack/stack.env');

interface SeededTenant {
  tenant: string;
  model: string;
  champion: { version: string };
}
const seeded = (JSON.parse(readFileSync('.data/stack/seed/mlflow.json', 'utf8')) as { tenants: SeededTenant[] })
  .tenants;
const pricing = seeded.find((t) => t.tenant === 'pricing')!;

const MARKER = `HOSTILE-${Date.now().toString(36)}`;

function postAction(
  request: APIRequestContext,
  baseURL: string,
  options: { body: string | Buffer; origin?: string; type?: string; action?: string },
): Promise<APIResponse> {
  return request.post('/t/fraud/members', {
    headers: {
      'Next-Action': options.action ?? serverActionId('addMemberAction'),
      'Content-Type': options.type ?? 'text/plain;charset=UTF-8',
      Accept: 'text/x-component',
      Origin: options.origin ?? baseURL,
    },
    data: options.body,
    maxRedirects: 0,
  });
}

test.describe('server actions called by anyone', () => {
  test('without a session: refused (401) before the input is read, and only counted per address and minute', async ({
    request,
    baseURL,
  }) => {
    // JSON carries NUL and a lone surrogate as escapes; the marker must end up nowhere.
    const input = { tenant: 'fraud', user: `${MARKER}\u0000\ud800${'x'.repeat(100_000)}`, role: 'admin' };
    for (let i = 0; i < 5; i++) {
      const response = await postAction(request, baseURL!, { body: JSON.stringify([null, input]) });
      expect(response.status()).toBe(401);
      expect(await response.text()).toContain('Your session has ended: sign in again.');
    }
    expect(
      await portalCount(
        `SELECT count(*) AS n FROM audit_events WHERE actor = 'anonymous' AND action = 'membership.add'`,
        [],
      ),
    ).toBe(0);
    expect(
      await portalCount(
        `SELECT count(*) AS n FROM audit_events WHERE coalesce(after::text, '') || coalesce(reason, '') LIKE $1`,
        [`%${MARKER}%`],
      ),
    ).toBe(0);
    // Counted (until the minute is over) or already audited as one event per address and minute.
    const counted =
      (await portalCount(
        `SELECT coalesce(sum((actions->>'membership.add')::int), 0) AS n FROM anonymous_refusals`,
        [],
      )) +
      (await portalCount(
        `SELECT coalesce(sum((after->'actions'->>'membership.add')::int), 0) AS n FROM audit_events WHERE action = 'anonymous.refused'`,
        [],
      ));
    expect(counted).toBeGreaterThanOrEqual(5);
  });

  test('bodies a browser does not send are refused with 400, 403 or 413 and words, never 500', async ({
    request,
    baseURL,
  }) => {
    const cases: { what: string; options: Parameters<typeof postAction>[2]; status: number; words: RegExp }[] = [
      { what: 'not JSON', options: { body: 'this is not json' }, status: 400, words: /body is not JSON/ },
      { what: 'not UTF-8', options: { body: Buffer.from([0x5b, 0xff, 0xfe, 0x5d]) }, status: 400, words: /not UTF-8/ },
      {
        what: 'a broken form',
        options: { body: 'garbage', type: 'multipart/form-data; boundary=xyz' },
        status: 400,
        words: /not a readable multipart form/,
      },
      { what: 'a reply Next.js cannot decode', options: { body: '"$Q99"' }, status: 400, words: /could not be read/ },
      {
        what: 'a field of 3 MB',
        options: { body: JSON.stringify([null, { tenant: 'fraud', user: 'u'.repeat(3_000_000), role: 'admin' }]) },
        status: 413,
        words: /larger than 256 KiB/,
      },
      {
        what: 'a call from another site',
        options: { body: JSON.stringify([null, {}]), origin: 'https://evil.example' },
        status: 403,
        words: /comes from another site/,
      },
      {
        what: 'an Origin of "null"',
        options: { body: JSON.stringify([null, {}]), origin: 'null' },
        status: 403,
        words: /comes from another site/,
      },
    ];
    for (const { what, options, status, words } of cases) {
      const response = await postAction(request, baseURL!, options);
      expect(response.status(), what).toBe(status);
      expect(response.headers()['content-type'], what).toBe('text/plain');
      expect(await response.text(), what).toMatch(words);
    }
    // An action id that does not exist: Next.js' own 4xx.
    const unknown = await postAction(request, baseURL!, {
      body: '[null,{}]',
      action: '7f00000000000000000000000000000000000000aa',
    });
    expect(unknown.status()).toBeGreaterThanOrEqual(400);
    expect(unknown.status()).toBeLessThan(500);
  });

  test('a signed-in caller sending a field longer than any form gets a field error, not a 5xx', async ({ page }) => {
    await signIn(page, 'frank');
    await page.goto('/t/fraud/members');
    const response = await callServerAction(page, '/t/fraud/members', 'addMemberAction', [
      null,
      { tenant: 'fraud', user: `${MARKER}${'y'.repeat(50_000)}`, role: 'viewer' },
    ]);
    expect(response.status()).toBe(200);
    expect(await response.text()).toContain('Far too long for this form.');
    expect(
      await portalCount(`SELECT count(*) AS n FROM audit_events WHERE coalesce(after::text, '') LIKE $1`, [
        `%${MARKER}%`,
      ]),
    ).toBe(0);
  });

  test('a refused signed-in caller gets 403, and the audit keeps a bounded copy of what was sent', async ({ page }) => {
    await signIn(page, 'alice');
    await page.goto('/t/fraud');
    const user = `${MARKER}-denied-<script>'${'z'.repeat(200)}`;
    const response = await callServerAction(page, '/t/pricing/members', 'addMemberAction', [
      null,
      { tenant: 'pricing', user, role: 'admin' },
    ]);
    expect(response.status()).toBe(403);
    expect(await response.text()).toContain('You are not allowed to do this.');
    expect(
      await portalCount(
        `SELECT count(*) AS n FROM audit_events WHERE actor = 'alice' AND outcome = 'denied' AND after::text LIKE $1 AND length(after::text) < 9000`,
        [`%${MARKER}-denied-%`],
      ),
    ).toBe(1);

    // Characters no text can hold are refused as input, in words, before anything is looked up or kept.
    const unstorable = await callServerAction(page, '/t/pricing/members', 'addMemberAction', [
      null,
      { tenant: 'pricing', user: `${MARKER}-nul-\u0000-\ud800`, role: 'admin' },
    ]);
    expect(unstorable.status()).toBeLessThan(500);
    expect(await unstorable.text()).toContain(
      'Contains characters that are not text (NUL or a broken Unicode sequence).',
    );
    expect(
      await portalCount(`SELECT count(*) AS n FROM audit_events WHERE after::text LIKE $1`, [`%${MARKER}-nul-%`]),
    ).toBe(0);
  });
});

test.describe('redirects after sign-in', () => {
  const hostile = [
    '/\\evil.example',
    '/%5Cevil.example',
    '%2F%2Fevil.example',
    '/%2F%2Fevil.example',
    '//evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    'https:evil.example',
    'https://evil.example/',
    '/%09/evil.example',
    '/%252F%252Fevil.example',
    'javascript:alert(1)',
  ];

  test('go only to the portal itself, whatever callbackUrl says', async ({ page, baseURL }) => {
    await signIn(page, 'alice');
    for (const callback of hostile) {
      const response = await page.request.get(`/signin?callbackUrl=${encodeURIComponent(callback)}`, {
        maxRedirects: 0,
      });
      expect(response.status(), callback).toBeLessThan(400);
      const location = response.headers().location;
      expect(location, callback).toBeDefined();
      expect(new URL(location!, baseURL).origin, `${callback} → ${location}`).toBe(new URL(baseURL!).origin);
      expect(location, callback).not.toMatch(/^(\/\/|\/\\|[a-z]+:)/i);
    }
    await page.goto(`/signin?callbackUrl=${encodeURIComponent('/%5Cevil.example')}`);
    expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
    // A path of the portal is kept.
    const kept = await page.request.get(`/signin?callbackUrl=${encodeURIComponent('/t/fraud/models')}`, {
      maxRedirects: 0,
    });
    expect(kept.headers().location).toMatch(/\/t\/fraud\/models$/);
  });

  test('odd sign-in parameters do not break the page', async ({ request }) => {
    for (const query of [
      'error=__proto__',
      'error=constructor',
      'callbackUrl=/a&callbackUrl=/b',
      `callbackUrl=${'%2F'.repeat(3000)}`,
    ]) {
      expect((await request.get(`/signin?${query}`)).status(), query).toBe(200);
    }
  });
});

test('a promotion form opened with another tenant’s model says so, with a 200', async ({ page }) => {
  await signIn(page, 'alice');
  for (const query of [
    `model=${encodeURIComponent(pricing.model)}`,
    `model=${encodeURIComponent(pricing.model)}&version=${pricing.champion.version}`,
    'model=%00%27%22&version=1',
  ]) {
    const response = await page.goto(`/t/fraud/promotions/new?${query}`);
    expect(response?.status(), query).toBe(200);
    await expect(page.getByRole('alert').filter({ hasText: /\S/ }), query).toBeVisible();
    // Nothing of pricing's model is shown: no versions to choose, no request form.
    await expect(page.getByLabel('Version'), query).toHaveCount(0);
    await expect(page.getByRole('button', { name: /request/i }), query).toHaveCount(0);
  }
  await page.goto(`/t/fraud/promotions/new?model=${encodeURIComponent(pricing.model)}`);
  await expect(page.getByRole('alert').filter({ hasText: /\S/ })).toHaveText(
    `This tenant has no registered model named “${pricing.model}”. Choose one of its models.`,
  );
});

test('made-up URLs add no metrics series; the labels are route templates', async ({ request }) => {
  for (let i = 0; i < 40; i++) await request.get(`/made-up-${MARKER}-${i}/x?y=${i}`);
  await request.get('/t/fraud/also-made-up');
  const text = await (await request.get('/api/metrics')).text();
  const routes = new Set(
    [...text.matchAll(/portal_http_request_duration_seconds_count\{[^}]*route="([^"]*)"/g)].map((m) => m[1]!),
  );
  expect([...routes].filter((r) => r.includes(MARKER) || r.includes('made-up'))).toEqual([]);
  expect(routes).toContain('other');
  // Templates: fixed segments (e.g. /api/v1/openapi.json) and :name for dynamic ones, never a raw request path.
  for (const route of routes) expect(route, route).toMatch(/^(other|\/_next\/\*|\/[a-zA-Z0-9:/*.-]*)$/);
});

test('odd URLs and parameters of signed-in pages answer without a 5xx', async ({ page }) => {
  test.setTimeout(120_000);
  await signIn(page, 'frank');
  const odd = [
    '/t/fraud/experiments/not-a-number',
    '/t/fraud/experiments/1?page=-1&sort=%3Bdrop&filter=%00%27',
    '/t/fraud/experiments/1/compare?runs=%00,%27,x',
    '/t/fraud/runs/%27%00',
    '/t/fraud/runs/abc/download?path=../../etc/passwd',
    '/t/fraud/models/%00%27%22',
    `/t/fraud/models/${'m'.repeat(3000)}`,
    '/t/fraud/promotions/not-a-uuid',
    '/t/fraud/deployments/%00',
    '/t/fraud/deployments/x/live',
    '/t/fraud/pipelines?phase=%00',
    '/t/%00/members',
    '/t/FRAUD',
    '/slo/fraud/%00',
    '/slo/fraud/x/live?range=%00',
    '/slo?range=-1',
    '/ops?tenant=%00',
    '/admin/audit?before=abc&from=not-a-date&to=%00&limit=-5',
    '/admin/tenants/%00/progress',
    '/gpu/live?x=%00',
  ];
  for (const path of odd) {
    const response = await page.request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBeLessThan(500);
  }
});
