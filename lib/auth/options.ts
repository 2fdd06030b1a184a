import type { NextAuthOptions } from 'next-auth';
import { config } from '../config';
import { log } from '../observability/logger';
import { sameOriginRedirect } from '../security/callback-url';
import { syncUserFromClaims } from './users';

declare module 'next-auth' {
  interface Session {
    userId?: string;
  }
}
declare module 'next-auth/jwt' {
  interface JWT {
    userId?: string;
    /** Kept server-side (the session cookie is encrypted) for RP-initiated logout at the IdP. */
    idToken?: string;
  }
}

export const SESSION_MAX_AGE_SECONDS = 8 * 60 * 60;

/** next-auth with one generic OIDC provider; roles are read from the database on each request. */
export function authOptions(): NextAuthOptions {
  const { oidc, groupMapping } = config();
  return {
    secret: process.env.NEXTAUTH_SECRET,
    session: { strategy: 'jwt', maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: '/signin', error: '/signin' },
    providers: [
      {
        id: 'oidc',
        name: oidc.displayName,
        type: 'oauth',
        wellKnown: `${oidc.issuer}/.well-known/openid-configuration`,
        clientId: oidc.clientId,
        clientSecret: oidc.clientSecret,
        authorization: { params: { scope: oidc.scopes } },
        idToken: true,
        checks: ['pkce', 'state'],
        profile(profile: Record<string, unknown>) {
          return {
            id: String(profile.sub),
            name: (profile.name ?? profile.preferred_username ?? null) as string | null,
            email: (profile.email ?? null) as string | null,
          };
        },
      },
    ],
    callbacks: {
      // After sign-in and sign-out: the portal's own origin only, never another site.
      async redirect({ url, baseUrl }) {
        return sameOriginRedirect(url, baseUrl);
      },
      async jwt({ token, account, profile }) {
        if (account && profile) {
          const user = await syncUserFromClaims(profile as Record<string, unknown>, {
            groupsClaim: oidc.groupsClaim,
            mapping: groupMapping,
          });
          token.userId = user.id;
          token.idToken = account.id_token;
          log.info('signed in', {
            user: user.username,
            platformRoles: user.platformRoles,
            tenants: user.memberships.length,
          });
        }
        return token;
      },
      async session({ session, token }) {
        // Only the user id reaches the browser; roles are looked up server-side per request.
        return { expires: session.expires, userId: token.userId };
      },
    },
  };
}
