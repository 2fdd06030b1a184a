/** The portal as a client of the development identity provider. */
export const OIDC_CLIENT = {
  id: 'portal',
  secret: process.env.OIDC_CLIENT_SECRET ?? 'portal-dev-secret',
};

/** The portal URLs the IdP accepts redirects to: the demo's and the browser tests'. */
export function portalUrls(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.STACK_PORTAL_URLS ?? 'http://127.0.0.1:3000,http://localhost:3000,http://127.0.0.1:3100')
    .split(',')
    .map((url) => url.trim().replace(/\/$/, ''))
    .filter(Boolean);
}
