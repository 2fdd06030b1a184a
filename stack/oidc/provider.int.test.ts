/**
 * The development IdP driven over HTTP the way the portal's browser and next-auth drive it:
 * authorization code flow with PKCE, the login form, the token endpoint, a signed ID token that
 * carries the groups, and RP-initiated logout.
 */
import { createHash, createPublicKey, randomBytes, verify, type JsonWebKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIdentityProvider, type RunningIdentityProvider } from './provider';
import { DEMO_USERS } from './users';

const REDIRECT_URI = 'http://127.0.0.1:3999/api/auth/callback/oidc';
const POST_LOGOUT_URI = 'http://127.0.0.1:3999/signin?signedOut=1';
const client = {
  clientId: 'portal',
  clientSecret: 'test-secret',
  redirectUris: [REDIRECT_URI],
  postLogoutRedirectUris: [POST_LOGOUT_URI],
};

let idp: RunningIdentityProvider;
beforeAll(async () => {
  idp = await startIdentityProvider({ port: 0, clients: [client] });
});
afterAll(async () => idp?.close());

/** A browser in miniature: keeps cookies per host and follows redirects until one leaves the IdP. */
class Browser {
  private cookies = new Map<string, string>();

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const pair = line.split(';')[0] ?? '';
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** Follows redirects within the IdP; returns the last IdP response or the first URL outside it. */
  async follow(url: string, init: RequestInit = {}): Promise<{ response?: Response; leftTo?: URL }> {
    let response = await this.request(url, init);
    for (let hops = 0; hops < 10; hops++) {
      const location = response.headers.get('location');
      if (!location || response.status < 300 || response.status >= 400) return { response };
      const next = new URL(location, url);
      if (next.origin !== idp.issuer) return { leftTo: next };
      url = next.href;
      response = await this.request(url);
    }
    throw new Error('too many redirects');
  }
}

function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeUrl(state: string, challenge: string) {
  const url = new URL('/auth', idp.issuer);
  url.search = new URLSearchParams({
    client_id: client.clientId,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid profile email groups',
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  return url.href;
}

async function signIn(browser: Browser, username: string, password: string) {
  const { verifier, challenge } = pkce();
  const state = randomBytes(8).toString('hex');
  const { response: loginPage } = await browser.follow(authorizeUrl(state, challenge));
  expect(loginPage?.status).toBe(200);
  const html = await loginPage!.text();
  const action = /action="([^"]+\/login)"/.exec(html)?.[1];
  expect(action, 'the login page has a form').toBeTruthy();
  const result = await browser.follow(new URL(action!, idp.issuer).href, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }).toString(),
  });
  return { ...result, state, verifier };
}

async function exchange(code: string, verifier: string) {
  const response = await fetch(new URL('/token', idp.issuer), {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    }).toString(),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { id_token: string; access_token: string };
}

async function verifiedClaims(idToken: string): Promise<Record<string, unknown>> {
  const [header = '', payload = '', signature = ''] = idToken.split('.');
  const { kid } = JSON.parse(Buffer.from(header, 'base64url').toString()) as { kid: string };
  const discovery = (await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json()) as {
    jwks_uri: string;
  };
  const { keys } = (await (await fetch(discovery.jwks_uri)).json()) as { keys: (JsonWebKey & { kid: string })[] };
  const key = createPublicKey({ key: keys.find((k) => k.kid === kid)!, format: 'jwk' });
  expect(verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'))).toBe(
    true,
  );
  return JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
}

describe('development identity provider', () => {
  it('publishes a discovery document for its issuer', async () => {
    const discovery = (await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    expect(discovery.issuer).toBe(idp.issuer);
    expect(discovery.end_session_endpoint).toBe(`${idp.issuer}/session/end`);
    expect(discovery.scopes_supported).toEqual(expect.arrayContaining(['openid', 'groups']));
  });

  it.each(DEMO_USERS.map((u) => [u.username, u] as const))(
    'signs %s in and puts their groups in a signed ID token',
    async (_name, user) => {
      const browser = new Browser();
      const { leftTo, state, verifier } = await signIn(browser, user.username, user.password);
      expect(leftTo?.origin + leftTo!.pathname).toBe(REDIRECT_URI);
      expect(leftTo!.searchParams.get('state')).toBe(state);
      const tokens = await exchange(leftTo!.searchParams.get('code')!, verifier);
      const claims = await verifiedClaims(tokens.id_token);
      expect(claims).toMatchObject({
        iss: idp.issuer,
        aud: client.clientId,
        sub: user.username,
        name: user.name,
        email: user.email,
        groups: user.groups,
      });
    },
  );

  it('refuses a wrong password with a message on the login page and issues no code', async () => {
    const browser = new Browser();
    const { response, leftTo } = await signIn(browser, 'alice', 'not-her-password');
    expect(leftTo).toBeUndefined();
    expect(response?.status).toBe(401);
    expect(await response!.text()).toContain('Unknown user or wrong password.');
  });

  it('signs the user out and returns to the registered post-logout URL', async () => {
    const browser = new Browser();
    const { leftTo, verifier } = await signIn(browser, 'bob', 'bob-demo');
    const { id_token } = await exchange(leftTo!.searchParams.get('code')!, verifier);

    const endSession = new URL('/session/end', idp.issuer);
    endSession.search = new URLSearchParams({
      id_token_hint: id_token,
      post_logout_redirect_uri: POST_LOGOUT_URI,
    }).toString();
    const { response: confirm } = await browser.follow(endSession.href);
    const html = await confirm!.text();
    const action = /action="([^"]+)"/.exec(html)?.[1];
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
    expect(action && xsrf, 'the logout page carries its form').toBeTruthy();
    const { leftTo: back } = await browser.follow(new URL(action!, idp.issuer).href, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ xsrf: xsrf!, logout: 'yes' }).toString(),
    });
    expect(back?.href).toBe(POST_LOGOUT_URI);

    // The IdP session is gone: a new authorization request asks for credentials again.
    const { challenge } = pkce();
    const { response: again } = await browser.follow(authorizeUrl('s', challenge));
    expect(await again!.text()).toContain('<label for="password">Password</label>');
  });
});
