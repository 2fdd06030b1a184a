/**
 * What the benchmarks share: the real portal as the browser tests run it (stack/demo.ts on port
 * 3100 with its own database) and a Chromium page signed in through the identity provider.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chromium, type Browser, type Page } from '@playwright/test';
import { demoUser, submitSignIn } from '../e2e/support';

const PORT = 3100;
export const BENCH_BASE = `http://127.0.0.1:${PORT}`;

async function waitForPortal(timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
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
 * `ready` settles when it answers /api/ready. Kill the returned process when done.
 */
export function startPortal(database: string, { fresh = false } = {}): { portal: ChildProcess; ready: Promise<void> } {
  const portal = spawn(process.execPath, ['--import', 'tsx', 'stack/demo.ts'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      PORTAL_PORT: String(PORT),
      PORTAL_DATABASE: database,
      ...(fresh ? { DEMO_FRESH: '1' } : {}),
      LOG_LEVEL: 'warn',
      ROLLOUT_CHECK_INTERVAL_SECONDS: '3600',
    },
  });
  return { portal, ready: waitForPortal() };
}

/** Chromium with a page on the bench portal, signed in as `username` through the identity provider. */
export async function signedInPage(username: string): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage({ baseURL: BENCH_BASE });
  await submitSignIn(page, demoUser(username));
  await page.getByTestId('signed-in-user').waitFor();
  return { browser, page };
}
