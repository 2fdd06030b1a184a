import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Browser, type Page } from '@playwright/test';
import pg from 'pg';
import { DEMO_USERS } from '../stack/oidc/users';

export function demoUser(username: string) {
  const user = DEMO_USERS.find((u) => u.username === username);
  if (!user) throw new Error(`No demo user ${username}`);
  return user;
}

/** Fills in and submits the real development identity provider's login form (also used by the benchmarks). */
export async function submitSignIn(page: Page, user: { username: string; password: string }): Promise<void> {
  await page.goto('/signin');
  await page.getByRole('button', { name: /^Sign in with/ }).click();
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: /sign in/i }).click();
}

/** Signs in through the real development identity provider's login form. */
export async function signIn(page: Page, username: string): Promise<void> {
  const user = demoUser(username);
  await submitSignIn(page, user);
  await expect(page.getByTestId('signed-in-user')).toContainText(user.name);
}

/** A page of a new browser context (its own cookies), signed in as `username`. */
export async function signedIn(browser: Browser, username: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, username);
  return page;
}

/** No serious or critical accessibility violation on the page as it is now. */
export async function expectAccessible(page: Page): Promise<void> {
  // After a server action Next.js re-renders the page's metadata, and the <title> is briefly absent.
  await expect(page, `the page at ${page.url()} has a title`).toHaveTitle(/\S/);
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    serious.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    `accessibility violations on ${page.url()}`,
  ).toEqual([]);
}

/** The id Next.js gave a server action in this build, as anyone can read it from the client bundles. */
export function serverActionId(exportedName: string): string {
  const manifest = JSON.parse(readFileSync('.next/server/server-reference-manifest.json', 'utf8')) as {
    node: Record<string, { exportedName?: string }>;
  };
  const entry = Object.entries(manifest.node).find(([, v]) => v.exportedName === exportedName);
  if (!entry) throw new Error(`Server action ${exportedName} is not in the build`);
  return entry[0];
}

/** Calls a server action directly over HTTP with the page's cookies, the way an attacker could. */
export async function callServerAction(page: Page, path: string, actionName: string, args: unknown[]) {
  const origin = new URL(page.url()).origin;
  return page.request.post(path, {
    headers: {
      'Next-Action': serverActionId(actionName),
      'Content-Type': 'text/plain;charset=UTF-8',
      Accept: 'text/x-component',
      Origin: origin,
    },
    data: JSON.stringify(args),
  });
}

/** Rows of a query on the e2e portal's own database. Needs DATABASE_URL, as the specs load it from the stack's env file. */
export async function portalRows<Row extends Record<string, unknown>>(sql: string, params: unknown[]): Promise<Row[]> {
  const url = new URL(process.env.DATABASE_URL!);
  url.pathname = '/portal_e2e';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return (await client.query<Row>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Counts rows in the e2e portal's own database (the audit log is append-only evidence): `sql` selects the count as `n`. */
export async function portalCount(sql: string, params: unknown[]): Promise<number> {
  const [row] = await portalRows<{ n: string }>(sql, params);
  return Number(row!.n);
}

/**
 * Test clean-up only — the portal never deletes: removes a tenant a test provisioned on the local
 * platform (its namespace, with the admin kubeconfig; its `.keep` marker and MinIO policy, with
 * MinIO's admin API). Missing pieces are ignored.
 */
export async function removeTenantFromPlatform(name: string): Promise<void> {
  process.loadEnvFile('.data/stack/stack.env');
  const { CoreV1Api, KubeConfig } = await import('@kubernetes/client-node');
  const { DeleteObjectCommand, S3Client } = await import('@aws-sdk/client-s3');
  const { sha256Hex, signV4 } = await import('../lib/integrations/s3/sigv4');
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(process.env.KUBECONFIG!);
  await kubeConfig
    .makeApiClient(CoreV1Api)
    .deleteNamespace({ name })
    .catch(() => undefined);
  const credentials = {
    accessKeyId: process.env.S3_ACCESS_KEY_ID!,
    secretAccessKey: process.env.S3_SECRET_ACCESS_KEY!,
  };
  const s3 = new S3Client({
    endpoint: process.env.S3_ENDPOINT,
    region: process.env.S3_REGION,
    forcePathStyle: true,
    credentials,
  });
  await s3
    .send(new DeleteObjectCommand({ Bucket: process.env.S3_BUCKET, Key: `workspaces/${name}/.keep` }))
    .catch(() => undefined);
  const url = new URL(`/minio/admin/v3/remove-canned-policy?name=mlp-tenant-${name}`, process.env.S3_ENDPOINT);
  const payloadHash = sha256Hex('');
  const headers = signV4(
    { method: 'DELETE', url, headers: { 'x-amz-content-sha256': payloadHash }, payloadHash },
    { ...credentials, region: process.env.S3_REGION ?? 'us-east-1', service: 's3' },
    new Date(),
  );
  delete headers.host;
  await fetch(url, { method: 'DELETE', headers }).catch(() => undefined);
}
