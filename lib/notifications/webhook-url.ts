/**
 * Which webhook URLs the portal sends to. The worker POSTs from inside the platform's network, so
 * a tenant admin could otherwise aim it at internal services (the cloud's metadata address, the
 * Kubernetes API) and read their status codes in the delivery log: loopback, private, link-local
 * and other non-public addresses are refused — at creation for literal addresses, and at delivery
 * for what a name resolves to — unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=true (receivers inside the
 * company network; the local stack and tests). Pure: no I/O.
 */
import { isIP } from 'node:net';

export function privateNetworksAllowed(env: string | undefined = process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS): boolean {
  return env === 'true';
}

function ipv4Parts(address: string): number[] | null {
  const parts = address.split('.').map(Number);
  return parts.length === 4 && parts.every((p) => Number.isInteger(p) && p >= 0 && p <= 255) ? parts : null;
}

/** Whether an IP address is outside the public internet (loopback, private, link-local, CGNAT, multicast, unspecified…). */
export function isNonPublicAddress(address: string): boolean {
  const version = isIP(address);
  if (version === 4) {
    const [a, b] = ipv4Parts(address)!;
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 100 && b! >= 64 && b! <= 127) ||
      (a === 169 && b === 254) ||
      (a === 172 && b! >= 16 && b! <= 31) ||
      (a === 192 && b === 168) ||
      (a === 192 && b === 0) ||
      (a === 198 && (b === 18 || b === 19)) ||
      a! >= 224
    );
  }
  if (version === 6) {
    const lower = address.toLowerCase();
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    if (mapped) return isNonPublicAddress(mapped[1]!);
    return (
      lower === '::' ||
      lower === '::1' ||
      /^f[cd]/.test(lower) ||
      /^fe[89ab]/.test(lower) ||
      lower.startsWith('ff') ||
      lower.startsWith('64:ff9b:')
    );
  }
  return false;
}

/** Why a webhook URL is refused, in words, or null when it may be used. */
export function webhookUrlProblem(raw: string, allowPrivate = privateNetworksAllowed()): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'Enter a full URL, e.g. https://hooks.slack.com/services/…';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'A webhook URL starts with https:// or http://';
  if (url.username || url.password)
    return 'Put no user name or password in the URL; the signature authenticates the portal';
  if (allowPrivate) return null;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host.endsWith('.localhost') || isNonPublicAddress(host))
    return 'The portal sends webhooks to public addresses only (WEBHOOK_ALLOW_PRIVATE_NETWORKS allows private ones)';
  return null;
}
