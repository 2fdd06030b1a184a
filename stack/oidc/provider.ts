/**
 * The development and test identity provider: a real OpenID Connect provider (the `oidc-provider`
 * package) with the demo users, their groups in the ID token, a plain login page, consent taken
 * as given for the registered (first-party) clients, and RP-initiated logout without a question.
 * Part of the local stack, never of the product: the portal only ever sees a standard OIDC issuer.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import Provider, { type Configuration, type JWK, type KoaContextWithOIDC } from 'oidc-provider';
import { DEMO_USERS, findDemoUser } from './users';

export interface IdentityProviderClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
}

export interface IdentityProviderOptions {
  port: number;
  host?: string;
  clients: IdentityProviderClient[];
  /** Where the signing key is kept, so tokens issued before a restart stay verifiable. */
  keyFile?: string;
}

export interface RunningIdentityProvider {
  issuer: string;
  close(): Promise<void>;
}

const SCOPES = ['openid', 'profile', 'email', 'groups'];

async function signingKey(keyFile: string | undefined): Promise<JWK> {
  if (keyFile) {
    try {
      return JSON.parse(await readFile(keyFile, 'utf8')) as JWK;
    } catch {
      // no key yet: make one below
    }
  }
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = {
    ...privateKey.export({ format: 'jwk' }),
    kid: randomBytes(8).toString('hex'),
    use: 'sig',
    alg: 'RS256',
  } as JWK;
  if (keyFile) {
    await mkdir(dirname(keyFile), { recursive: true });
    await writeFile(keyFile, JSON.stringify(jwk), { mode: 0o600 });
  }
  return jwk;
}

function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Demo identity provider</title>
<style>
  :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: Canvas; color: CanvasText; }
  main { width: min(26rem, 92vw); padding: 2rem; border: 1px solid #8886; border-radius: .75rem; }
  h1 { font-size: 1.25rem; margin: 0 0 1rem; }
  label { display: block; font-weight: 600; margin: .75rem 0 .25rem; }
  input { width: 100%; box-sizing: border-box; padding: .5rem; font: inherit; border: 1px solid #888; border-radius: .375rem; }
  button { margin-top: 1rem; width: 100%; padding: .6rem; font: inherit; font-weight: 600; border: 0; border-radius: .375rem; background: #1d4ed8; color: #fff; cursor: pointer; }
  button:focus-visible, input:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
  [role=alert] { padding: .5rem .75rem; border-radius: .375rem; background: #fee2e2; color: #7f1d1d; }
  table { width: 100%; border-collapse: collapse; margin-top: 1.5rem; font-size: .875rem; }
  th, td { text-align: left; padding: .25rem .5rem .25rem 0; }
  code { font-size: .85em; }
</style>
</head>
<body><main>${body}</main></body>
</html>`;
}

function loginPage(uid: string, error?: string, username = ''): string {
  const users = DEMO_USERS.map(
    (u) =>
      `<tr><td><code>${escapeHtml(u.username)}</code></td><td><code>${escapeHtml(u.password)}</code></td><td>${escapeHtml(u.description)}</td></tr>`,
  ).join('');
  return page(
    'Sign in',
    `<h1>Sign in to the ML platform</h1>
${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login" autocomplete="off">
  <label for="username">Username</label>
  <input id="username" name="username" value="${escapeHtml(username)}" required autofocus>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" required>
  <button type="submit">Sign in</button>
</form>
<table><caption>Demo users</caption><thead><tr><th scope="col">User</th><th scope="col">Password</th><th scope="col">Role</th></tr></thead><tbody>${users}</tbody></table>`,
  );
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 16_384) throw new Error('form too large');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function sendHtml(res: ServerResponse, status: number, html: string) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
}

function configuration(clients: IdentityProviderClient[], jwk: JWK): Configuration {
  return {
    clients: clients.map((c) => ({
      client_id: c.clientId,
      client_secret: c.clientSecret,
      redirect_uris: c.redirectUris,
      post_logout_redirect_uris: c.postLogoutRedirectUris,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    scopes: SCOPES,
    claims: {
      openid: ['sub'],
      profile: ['name', 'preferred_username'],
      email: ['email', 'email_verified'],
      groups: ['groups'],
    },
    // Put the granted claims (groups among them) in the ID token, as Keycloak and Dex do.
    conformIdTokenClaims: false,
    async findAccount(_ctx, sub) {
      const user = findDemoUser(sub);
      if (!user) return undefined;
      return {
        accountId: sub,
        async claims() {
          return {
            sub,
            name: user.name,
            preferred_username: user.username,
            email: user.email,
            email_verified: true,
            groups: [...user.groups],
          };
        },
      };
    },
    // Every registered client is first-party: consent is taken as given for what it asks.
    async loadExistingGrant(ctx: KoaContextWithOIDC) {
      const { client, session, provider, params } = ctx.oidc;
      if (!client || !session?.accountId) return undefined;
      const grantId = ctx.oidc.result?.consent?.grantId ?? session.grantIdFor(client.clientId);
      if (grantId) {
        const existing = await provider.Grant.find(grantId);
        if (existing) return existing;
      }
      const grant = new provider.Grant({ clientId: client.clientId, accountId: session.accountId });
      grant.addOIDCScope(String(params?.scope ?? 'openid'));
      await grant.save();
      return grant;
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        // Signing out of the portal signs out here too, without a second question.
        async logoutSource(ctx, form) {
          ctx.body = page(
            'Signing out',
            `<h1>Signing out…</h1>${form}<button type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>
<script>document.querySelector('button[name=logout]').click()</script>`,
          );
        },
        async postLogoutSuccessSource(ctx) {
          ctx.body = page('Signed out', '<h1>You are signed out.</h1>');
        },
      },
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = page(
        'Error',
        `<h1>Sign-in failed</h1><p role="alert">${escapeHtml(out.error)}: ${escapeHtml(out.error_description)}</p>`,
      );
    },
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      IdToken: 3600,
      Interaction: 3600,
      Session: 8 * 3600,
      Grant: 8 * 3600,
    },
  };
}

async function handleInteraction(provider: Provider, req: IncomingMessage, res: ServerResponse, path: string) {
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'POST' && path.endsWith('/login')) {
    const form = await readForm(req);
    const username = (form.get('username') ?? '').trim();
    const user = findDemoUser(username);
    if (!user || form.get('password') !== user.password) {
      sendHtml(res, 401, loginPage(details.uid, 'Unknown user or wrong password.', username));
      return;
    }
    await provider.interactionFinished(
      req,
      res,
      { login: { accountId: user.username } },
      { mergeWithLastSubmission: false },
    );
    return;
  }
  if (details.prompt.name === 'login') {
    sendHtml(res, 200, loginPage(details.uid));
    return;
  }
  // Any other prompt (consent) is answered by loadExistingGrant; finish without a page.
  await provider.interactionFinished(req, res, {}, { mergeWithLastSubmission: true });
}

export async function startIdentityProvider(options: IdentityProviderOptions): Promise<RunningIdentityProvider> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://${host}:${port}`;
  const provider = new Provider(issuer, configuration(options.clients, await signingKey(options.keyFile)));
  const callback = provider.callback();
  server.on('request', (req, res) => {
    const path = new URL(req.url ?? '/', issuer).pathname;
    if (!path.startsWith('/interaction/')) {
      callback(req, res);
      return;
    }
    handleInteraction(provider, req, res, path).catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      if (!res.headersSent)
        sendHtml(res, 400, page('Error', `<h1>Sign-in failed</h1><p role="alert">${escapeHtml(message)}</p>`));
      else res.end();
    });
  });
  return {
    issuer,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
