import { NextResponse, type NextRequest } from 'next/server';
import { contentSecurityPolicy, isHttps, makeNonce, NONCE_HEADER } from '@/lib/security/headers';

/**
 * Every page runs under a Content-Security-Policy with a nonce of its own: Next.js reads the
 * nonce from the request's CSP header and puts it on the scripts it renders; the root layout
 * hands it to next-themes' inline script (x-nonce). The other security headers are server.ts's.
 */
export function proxy(request: NextRequest) {
  const nonce = makeNonce();
  const policy = contentSecurityPolicy({
    nonce,
    dev: process.env.NODE_ENV === 'development',
    https: isHttps(process.env.PORTAL_URL),
  });
  const headers = new Headers(request.headers);
  headers.set(NONCE_HEADER, nonce);
  headers.set('Content-Security-Policy', policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set('Content-Security-Policy', policy);
  return response;
}

export const config = {
  // Not for built files and images (no page runs there); prefetches carry no page either.
  matcher: [
    {
      source: '/((?!_next/static|_next/image|favicon.ico).*)',
      missing: [
        { type: 'header', key: 'next-router-prefetch' },
        { type: 'header', key: 'purpose', value: 'prefetch' },
      ],
    },
  ],
};
