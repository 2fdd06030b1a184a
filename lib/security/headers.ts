/**
 * The headers every response of the portal carries (set by server.ts), and the nonce-based
 * Content-Security-Policy of its pages (made per request by proxy.ts; Next.js reads the nonce
 * from the request's CSP header and puts it on its own scripts). Pure, unit-tested in
 * headers.test.ts; e2e/security-headers.spec.ts checks that the pages really run under them.
 */

export const NONCE_HEADER = 'x-nonce';

/** Whether the portal is served over HTTPS (its public URL, PORTAL_URL). */
export function isHttps(portalUrl: string | undefined): boolean {
  return (portalUrl ?? '').trim().toLowerCase().startsWith('https://');
}

/**
 * The pages' policy: scripts only with this request's nonce (and what they load, 'strict-dynamic'),
 * everything else from the portal itself, never framed. Styles allow 'unsafe-inline': React
 * renders `style` attributes (charts, progress bars), which no nonce can cover.
 */
export function contentSecurityPolicy(options: { nonce: string; dev?: boolean; https?: boolean }): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${options.nonce}' 'strict-dynamic'${options.dev ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "frame-src 'none'",
    "worker-src 'self' blob:",
    "manifest-src 'self'",
  ];
  if (options.https) directives.push('upgrade-insecure-requests');
  return directives.join('; ');
}

/** For responses that are not pages (API answers, files, refusals): nothing may run or frame them. */
export const NON_PAGE_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** The headers of every response. */
export function securityHeaders(options: { https: boolean }): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Security-Policy': NON_PAGE_CSP,
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
    'Permissions-Policy':
      'accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
  if (options.https) headers['Strict-Transport-Security'] = 'max-age=63072000; includeSubDomains';
  return headers;
}

/** A fresh, unguessable nonce (base64 of 16 random bytes). */
export function makeNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}
