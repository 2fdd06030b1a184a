import { defineConfig } from '@playwright/test';

// The browser tests run the real portal (stack/demo.ts) against the local platform — its
// PostgreSQL, identity provider, Kubernetes, MLflow, MinIO and Prometheus — on its own port and
// with its own, freshly created database, in Debian's Chromium.
const portalPort = Number(process.env.E2E_PORTAL_PORT ?? 3100);

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${portalPort}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    },
  },
  webServer: {
    command: 'node --import tsx stack/demo.ts',
    // Not /api/ready: the demo announces the portal once the seeded pipeline's step has filed its
    // promotion request through the running portal's API, and the specs must not see that happen.
    wait: { stdout: /The portal is ready: / },
    reuseExistingServer: false,
    // The platform is normally up already (npm test starts it first); cold, it is built here.
    timeout: 3_600_000,
    stdout: 'pipe',
    stderr: 'pipe',
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
    env: {
      PORTAL_PORT: String(portalPort),
      PORTAL_DATABASE: 'portal_e2e',
      DEMO_FRESH: '1',
      // Short enough that a canary fault is judged within a test's patience.
      ROLLOUT_CHECK_INTERVAL_SECONDS: '3',
      // Every spec calls from 127.0.0.1, and the adversarial matrix sends hundreds of mutations a
      // minute: the limits (tested in lib/security/rate-limit.int.test.ts) must not answer for the code behind them.
      RATE_LIMIT_ADDRESS_MUTATIONS_PER_MINUTE: '100000',
      RATE_LIMIT_USER_ACTIONS_PER_MINUTE: '100000',
      LOG_LEVEL: 'warn',
    },
  },
});
