/**
 * The development identity provider as a long-running stack process. It registers the portal
 * client for every portal URL the stack serves (the demo and the browser tests use different
 * ports); its signing key is kept so tokens survive a restart.
 */
import path from 'node:path';
import { stackContext } from '../lib/context';
import { OIDC_CLIENT, portalUrls } from './client';
import { startIdentityProvider } from './provider';

const ctx = stackContext();
const urls = portalUrls();
const idp = await startIdentityProvider({
  port: ctx.ports.oidc,
  keyFile: path.join(ctx.dataDir('oidc'), 'signing-key.json'),
  clients: [
    {
      clientId: OIDC_CLIENT.id,
      clientSecret: OIDC_CLIENT.secret,
      redirectUris: urls.map((url) => `${url}/api/auth/callback/oidc`),
      postLogoutRedirectUris: urls.map((url) => `${url}/signin?signedOut=1`),
    },
  ],
});
console.log(`identity provider ready at ${idp.issuer} for ${urls.join(', ')}`);
const stop = () => void idp.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
