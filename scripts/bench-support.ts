/**
 * What the benchmarks share: the real portal as the browser tests run it (stack/demo.ts on port
 * 3100 with its own database), and a user signed in through the identity provider — in Chromium,
 * or over plain HTTP for load that a browser per user would distort — and a seeded canary the
 * portal follows, watched at the Kubernetes API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { Watch, type KubeConfig } from '@kubernetes/client-node';
import { chromium, type Browser, type Page } from '@playwright/test';
import { getDb } from '../lib/db/client';
import { inferenceServices, PORTAL_ACTOR } from '../lib/integrations/kubernetes';
import { seededCanaryAnnotations } from '../stack/seed/inference-services';
import type { SeededTenant } from '../stack/seed/mlflow';
import { followSeededCanary } from '../stack/seed/portal';
import { demoUser, submitSignIn } from '../e2e/support';

const PORT = 3100;
export const BENCH_BASE = `http://127.0.0.1:${PORT}`;

async function waitForPortal(portal: ChildProcess, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (portal.exitCode !== null)
      throw new Error(`the portal (stack/demo.ts) exited with code ${portal.exitCode} before it was ready`);
    const ready = await fetch(`${BENCH_BASE}/api/ready`, { signal: AbortSignal.timeout(2000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`the portal did not become ready at ${BENCH_BASE}`);
}

/**
 * Spawns stack/demo.ts on the bench port with `database` (`fresh`: recreated empty, DEMO_FRESH=1);
 * `ready` settles when it answers /api/ready. Kill the returned process when done. The worker
 * judges nothing on its own (a one-hour check interval) unless `env` says otherwise.
 */
export function startPortal(
  database: string,
  { fresh = false, env = {} }: { fresh?: boolean; env?: Record<string, string> } = {},
): { portal: ChildProcess; ready: Promise<void> } {
  const portal = spawn(process.execPath, ['--import', 'tsx', 'stack/demo.ts'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      PORTAL_PORT: String(PORT),
      PORTAL_DATABASE: database,
      ...(fresh ? { DEMO_FRESH: '1' } : {}),
      LOG_LEVEL: 'warn',
      ROLLOUT_CHECK_INTERVAL_SECONDS: '3600',
      ...env,
    },
  });
  return { portal, ready: waitForPortal(portal) };
}

/**
 * Refuses to go on while something else listens on the bench port (the browser tests use it too:
 * run benchmarks under `flock /tmp/e2e.lock`) — its /api/ready would pass for the bench's portal.
 */
export async function assertBenchPortFree(): Promise<void> {
  const inUse = await new Promise<boolean>((resolve) => {
    const socket = connect(PORT, '127.0.0.1');
    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
  if (inUse)
    throw new Error(
      `port ${PORT} is in use (the browser tests' portal?): the bench starts its own portal there; run it under \`flock /tmp/e2e.lock\``,
    );
}

/** Chromium with a page on the bench portal, signed in as `username` through the identity provider. */
export async function signedInPage(username: string): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = await browser.newPage({ baseURL: BENCH_BASE });
  await submitSignIn(page, demoUser(username));
  await page.getByTestId('signed-in-user').waitFor();
  return { browser, page };
}

/** A user signed in to the bench portal over plain HTTP: the session cookies a browser would hold. */
export interface HttpSession {
  username: string;
  /** The Cookie header to send with each request. */
  cookie: string;
}

/**
 * Signs `username` in over plain HTTP the way a browser does: next-auth's sign-in with its CSRF
 * token, the identity provider's login form, the callback that sets the session cookie.
 */
export async function signInOverHttp(username: string): Promise<HttpSession> {
  const user = demoUser(username);
  const jar = new Map<string, string>();
  const send = async (url: string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (jar.size) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual', signal: AbortSignal.timeout(30_000) });
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0] ?? '';
      const eq = pair.indexOf('=');
      const [name, value] = [pair.slice(0, eq), pair.slice(eq + 1)];
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name);
      else jar.set(name, value);
    }
    return response;
  };
  const form = (fields: Record<string, string>): RequestInit => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });

  const { csrfToken } = (await (await send(`${BENCH_BASE}/api/auth/csrf`)).json()) as { csrfToken: string };
  const started = await send(
    `${BENCH_BASE}/api/auth/signin/oidc`,
    form({ csrfToken, callbackUrl: BENCH_BASE, json: 'true' }),
  );
  let url = started.headers.get('location') ?? ((await started.json()) as { url?: string }).url;
  // Through the identity provider (authorization, login form, consent) until it sends us back.
  for (let hops = 0; url && !url.startsWith(`${BENCH_BASE}/`); hops++) {
    if (hops > 15) throw new Error(`signing ${username} in: too many redirects`);
    let response = await send(url);
    if (response.status === 200) {
      const action = /action="([^"]+\/login)"/.exec(await response.text())?.[1];
      if (!action) throw new Error(`signing ${username} in: no login form at ${url}`);
      response = await send(new URL(action, url).href, form({ username: user.username, password: user.password }));
    }
    const location = response.headers.get('location');
    if (!location)
      throw new Error(`signing ${username} in: the identity provider answered ${response.status} at ${url}`);
    url = new URL(location, url).href;
  }
  if (!url)
    throw new Error(`signing ${username} in: next-auth did not send us to the identity provider (${started.status})`);
  const callback = await send(url);
  if (callback.status >= 400)
    throw new Error(`signing ${username} in: the portal's callback answered ${callback.status}`);
  const session = (await (await send(`${BENCH_BASE}/api/auth/session`)).json()) as { userId?: string };
  if (!session.userId) throw new Error(`signing ${username} in: no session after the callback`);
  return { username, cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; ') };
}

/**
 * A live canary the portal follows on `endpoint`: the seeded challenger at `percent` over the
 * champion, with the challenger's evidence (the champion's as the previous), as the cluster's
 * admission guard requires. Any rollout still progressing there is superseded first.
 */
export async function startSeededCanary(
  tenant: { id: string; name: string },
  seeded: SeededTenant,
  endpoint: string,
  percent: number,
) {
  await getDb().rollout.updateMany({
    where: { tenantId: tenant.id, endpoint, state: 'progressing' },
    data: { state: 'superseded' },
  });
  await inferenceServices(tenant.name, PORTAL_ACTOR).update(endpoint, (current) => ({
    ...current,
    metadata: {
      ...current.metadata,
      annotations: { ...current.metadata.annotations, ...seededCanaryAnnotations(tenant.name, seeded) },
    },
    spec: {
      ...current.spec,
      predictor: {
        ...current.spec.predictor,
        canaryTrafficPercent: percent,
        model: { ...current.spec.predictor.model, storageUri: seeded.challenger.storageUri },
      },
    },
  }));
  return getDb().$transaction((tx) => followSeededCanary(tx, tenant, seeded, { endpoint, percent, actor: 'bench' }));
}

/** Resolves with Date.now() when the API server reports `endpoint`'s canary at 0 % (rolled back). */
export function watchForRollback(
  kubeConfig: KubeConfig,
  tenant: string,
  endpoint: string,
): { changed: Promise<number>; stop: () => void } {
  let abort: (() => void) | undefined;
  const changed = new Promise<number>((resolve, reject) => {
    new Watch(kubeConfig)
      .watch(
        `/apis/serving.kserve.io/v1beta1/namespaces/${tenant}/inferenceservices`,
        { fieldSelector: `metadata.name=${endpoint}` },
        (_type, object: { spec?: { predictor?: { canaryTrafficPercent?: number } } }) => {
          if (object.spec?.predictor?.canaryTrafficPercent === 0) resolve(Date.now());
        },
        (error) => (error ? reject(error as Error) : undefined),
      )
      .then((request) => (abort = () => request.abort()), reject);
  });
  return { changed, stop: () => abort?.() };
}
