import { isIP } from 'node:net';

/**
 * What the portal's process (server.ts) refuses before Next.js reads a request, each with a
 * 4xx status and words — Next.js itself answers these with a 500: a mutation from another site
 * (Origin not the portal's), a body larger than any form sends, and a server-action body that
 * is not what the browser sends (not JSON, not a readable form). Pure, unit-tested in
 * request-guard.test.ts; the raw HTTP behaviour in e2e/hostile-requests.spec.ts.
 */

/** The largest request body the portal reads; Next.js' serverActions.bodySizeLimit is the same. */
export const MAX_BODY_BYTES = 256 * 1024;

export interface Refusal {
  status: 400 | 403 | 413 | 429;
  message: string;
  headers?: Record<string, string>;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** POST, PUT, PATCH, DELETE and anything else that may change something. */
export function isMutation(method: string | undefined): boolean {
  return !SAFE_METHODS.has((method ?? 'GET').toUpperCase());
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The host (name and port) of an Origin header, or null when it is not a URL ("null" included). */
export function originHost(origin: string): string | null {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.host.toLowerCase() : null;
  } catch {
    return null;
  }
}

/**
 * A mutation must come from the portal's own pages: when the browser says where it comes from
 * (Origin), that must be the host it asked for (`x-forwarded-host` from a proxy, else `Host`)
 * or the portal's public URL. Without Origin (not a browser, or a very old one) it passes, as
 * in Next.js: such a request carries no one else's cookies.
 */
export function checkOrigin(
  headers: Record<string, string | string[] | undefined>,
  portalUrl: string | undefined,
): Refusal | null {
  const origin = first(headers.origin);
  if (origin === undefined) return null;
  const from = originHost(origin);
  const allowed = new Set<string>();
  const forwarded = first(headers['x-forwarded-host'])?.split(',')[0]?.trim();
  if (forwarded) allowed.add(forwarded.toLowerCase());
  const host = first(headers.host);
  if (host) allowed.add(host.toLowerCase());
  if (portalUrl) {
    try {
      allowed.add(new URL(portalUrl).host.toLowerCase());
    } catch {
      // an invalid PORTAL_URL is the configuration's problem, not this request's
    }
  }
  if (from && allowed.has(from)) return null;
  return {
    status: 403,
    message: "Refused: this request comes from another site. Changes can only be made from the portal's own pages.",
  };
}

/**
 * Refuses an address whose percent-escapes do not decode to text (e.g. `/t/fraud/models/%E0%A4%A`):
 * Next.js would fail decoding the route's segments and answer 500.
 */
export function checkPath(path: string): Refusal | null {
  try {
    for (const segment of path.split('/')) decodeURIComponent(segment);
    return null;
  } catch {
    return {
      status: 400,
      message: 'Refused: this address has a malformed percent-escape (e.g. %E0%A4%A); nothing here answers to it.',
    };
  }
}

/** Refuses a body announced larger than the portal reads. */
export function checkDeclaredLength(headers: Record<string, string | string[] | undefined>): Refusal | null {
  const declared = first(headers['content-length']);
  if (declared === undefined) return null;
  if (!/^\d+$/.test(declared.trim()))
    return { status: 400, message: 'Refused: the Content-Length header is not a number.' };
  return Number(declared) > MAX_BODY_BYTES ? tooLarge() : null;
}

export function tooLarge(): Refusal {
  return {
    status: 413,
    message: `Refused: the request body is larger than ${MAX_BODY_BYTES / 1024} KiB, more than any form of the portal sends.`,
  };
}

/** A server action, as Next.js recognises one: its header (calls from the page's scripts), or a form posted without scripts. */
export function isServerActionRequest(
  method: string | undefined,
  headers: Record<string, string | string[] | undefined>,
  path: string,
): boolean {
  if ((method ?? '').toUpperCase() !== 'POST') return false;
  if (first(headers['next-action']) !== undefined) return true;
  const type = first(headers['content-type'])?.toLowerCase() ?? '';
  return type.startsWith('multipart/form-data') && !path.startsWith('/api/');
}

const notReadable = (what: string): Refusal => ({
  status: 400,
  message: `Refused: the server action's ${what}. Use the portal's forms, or send what they send.`,
});
// React's reply rows (keys "0", "1", …) and Next.js' no-script action fields hold JSON.
const JSON_FIELD = /^(\d+|\$ACTION_\d+:\d+|\$ACTION_KEY)$/;

/**
 * Checks a server action's body the way Next.js will read it, so that a malformed one is
 * refused with words (400) instead of failing inside Next.js (500).
 */
export async function checkServerActionBody(
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
): Promise<Refusal | null> {
  const type = first(headers['content-type']) ?? '';
  let text: string;
  if (type.toLowerCase().startsWith('multipart/form-data')) {
    let form: FormData;
    try {
      form = await new Response(new Uint8Array(body), { headers: { 'content-type': type } }).formData();
    } catch {
      return notReadable('body is not a readable multipart form');
    }
    for (const [key, value] of form.entries()) {
      if (!JSON_FIELD.test(key)) continue;
      if (typeof value !== 'string') return notReadable(`field ${key.slice(0, 40)} is a file, not JSON`);
      try {
        JSON.parse(value);
      } catch {
        return notReadable(`field ${key.slice(0, 40)} is not JSON`);
      }
    }
    return null;
  }
  if (first(headers['next-action']) === undefined) return null;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    return notReadable('body is not UTF-8 text');
  }
  try {
    JSON.parse(text);
  } catch {
    return notReadable('body is not JSON');
  }
  return null;
}

/**
 * Who is calling: the socket's address, or — behind `trustedHops` proxies of one's own, each
 * appending to X-Forwarded-For — the address the outermost trusted proxy saw. Anything that
 * is not an IP address falls back to the socket's; IPv4-mapped IPv6 addresses are written as IPv4.
 */
export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustedHops: number,
): string {
  const normalise = (address: string) => {
    const plain = address.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
    return isIP(plain) ? plain : null;
  };
  const socket = (socketAddress && normalise(socketAddress)) ?? 'unknown';
  if (trustedHops <= 0 || forwardedFor === undefined) return socket;
  const chain = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const candidate = chain[chain.length - trustedHops];
  return (candidate && normalise(candidate)) ?? socket;
}

/** `TRUSTED_PROXY_HOPS`: how many proxies of one's own stand before the portal (0: none, use the socket's address). */
export function trustedProxyHops(env: Record<string, string | undefined> = process.env): number {
  const value = Number(env.TRUSTED_PROXY_HOPS ?? 0);
  return Number.isInteger(value) && value >= 0 && value <= 10 ? value : 0;
}
