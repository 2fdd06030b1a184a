import type { Metadata } from 'next';
import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import { Providers } from '@/components/providers';
import { NONCE_HEADER } from '@/lib/security/headers';
import './globals.css';

// Every page depends on who is signed in: nothing is prerendered at build time.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: { default: 'ML platform portal', template: '%s · ML platform' },
  description: 'The front door of the machine-learning platform: experiments, models, promotions, deployments.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // This request's CSP nonce (proxy.ts): the theme's inline script runs only with it.
  const nonce = (await headers()).get(NONCE_HEADER) ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <body className="min-h-screen font-sans">
        <Providers nonce={nonce}>{children}</Providers>
      </body>
    </html>
  );
}
