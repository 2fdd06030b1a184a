import { decode } from 'next-auth/jwt';
import { cookies } from 'next/headers';
import { z } from 'zod';
import { recordAuditAlone } from '../audit/log';
import { config } from '../config';
import { log } from '../observability/logger';
import type { SessionUser } from './users';

const discoverySchema = z.object({ end_session_endpoint: z.url().optional() });
let endSessionEndpoint: Promise<string | undefined> | undefined;

async function discoverEndSession(issuer: string): Promise<string | undefined> {
  try {
    const response = await fetch(`${issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(3_000) });
    return discoverySchema.parse(await response.json()).end_session_endpoint;
  } catch (error) {
    log.warn('could not read the identity provider discovery document', { error });
    endSessionEndpoint = undefined; // try again next time
    return undefined;
  }
}

const SESSION_COOKIE = /^(__Secure-)?next-auth\.session-token(\.\d+)?$/;

/**
 * Ends the portal session and returns where to send the browser: the IdP's end-session
 * endpoint when it has one (so the IdP forgets the sign-in too), else the sign-in page.
 */
export async function signOutEverywhere(user: SessionUser | null): Promise<string> {
  const { oidc, portalUrl } = config();
  const jar = await cookies();
  const sessionCookies = jar.getAll().filter((c) => SESSION_COOKIE.test(c.name));
  const raw = sessionCookies
    .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }))
    .map((c) => c.value)
    .join('');
  const token = raw ? await decode({ token: raw, secret: process.env.NEXTAUTH_SECRET ?? '' }).catch(() => null) : null;
  for (const cookie of sessionCookies) jar.delete(cookie.name);

  if (user) {
    await recordAuditAlone({
      actor: { id: user.id, name: user.username },
      action: 'auth.sign-out',
      target: { type: 'user', id: user.username },
      outcome: 'success',
    });
  }

  const afterLogout = `${portalUrl}/signin?signedOut=1`;
  endSessionEndpoint ??= discoverEndSession(oidc.issuer);
  const endpoint = await endSessionEndpoint;
  if (!endpoint || !token?.idToken) return afterLogout;
  const url = new URL(endpoint);
  url.searchParams.set('id_token_hint', token.idToken);
  url.searchParams.set('post_logout_redirect_uri', afterLogout);
  url.searchParams.set('client_id', oidc.clientId);
  return url.toString();
}
