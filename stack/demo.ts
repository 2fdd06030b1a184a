/**
 * `npm run demo` (after stack/demo.sh has installed and built what is missing): the portal with
 * its database, the development identity provider and demo data, all on 127.0.0.1. Also the
 * web server of the browser tests, on other ports. Ctrl-C stops everything.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { getDb } from '../lib/db/client';
import { embeddedDatabaseSettings, resolveDatabase } from '../lib/db/embedded';
import { migrate } from '../lib/db/migrator';
import { startIdentityProvider } from './oidc/provider';
import { DEMO_USERS } from './oidc/users';
import { seedDemo } from './seed';

const portalPort = Number(process.env.PORTAL_PORT ?? 3000);
const oidcPort = Number(process.env.OIDC_PORT ?? 9400);
const portalUrl = `http://127.0.0.1:${portalPort}`;
const clientSecret = process.env.OIDC_CLIENT_SECRET ?? 'portal-dev-secret';
const started = Date.now();

function progress(message: string) {
  console.log(`[demo ${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${message}`);
}

async function waitForReady(url: string, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the portal exited with code ${child.exitCode} before it was ready`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`the portal did not become ready at ${url} within ${timeoutMs / 1000} s`);
}

async function main() {
  if (process.env.DEMO_FRESH === '1') {
    progress('starting from an empty database (DEMO_FRESH=1)');
    await rm(embeddedDatabaseSettings().dataDir, { recursive: true, force: true });
  }
  progress('starting PostgreSQL');
  const database = await resolveDatabase();
  process.env.DATABASE_URL = database.url;
  progress('applying migrations');
  await migrate(database.url);
  progress('seeding demo tenants and users');
  await seedDemo();
  await getDb().$disconnect();

  progress('starting the development identity provider');
  const idp = await startIdentityProvider({
    port: oidcPort,
    clients: [
      {
        clientId: 'portal',
        clientSecret,
        redirectUris: [`${portalUrl}/api/auth/callback/oidc`],
        postLogoutRedirectUris: [`${portalUrl}/signin?signedOut=1`],
      },
    ],
  });

  progress('starting the portal');
  const portal = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      PORT: String(portalPort),
      PORTAL_URL: portalUrl,
      NEXTAUTH_URL: portalUrl,
      NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET ?? randomBytes(32).toString('hex'),
      DATABASE_URL: database.url,
      OIDC_ISSUER: idp.issuer,
      OIDC_CLIENT_ID: 'portal',
      OIDC_CLIENT_SECRET: clientSecret,
      OIDC_DISPLAY_NAME: process.env.OIDC_DISPLAY_NAME ?? 'the demo identity provider',
    },
  });

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    progress('stopping');
    if (portal.exitCode === null) {
      portal.kill('SIGTERM');
      await new Promise((resolve) => portal.once('exit', resolve));
    }
    await idp.close();
    await database.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  portal.on('exit', (code) => {
    if (!stopping) {
      console.error(`the portal exited (code ${code})`);
      void stop(1);
    }
  });

  await waitForReady(`${portalUrl}/api/ready`, portal);
  const width = Math.max(...DEMO_USERS.map((u) => u.username.length));
  console.log(
    [
      '',
      `  The portal is ready: ${portalUrl}`,
      `  Identity provider:   ${idp.issuer}`,
      '',
      '  Demo users (username / password — role):',
      ...DEMO_USERS.map((u) => `    ${u.username.padEnd(width)} / ${u.password.padEnd(width + 5)} — ${u.description}`),
      '',
      '  Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

main().catch((error: unknown) => {
  console.error(`The demo could not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
