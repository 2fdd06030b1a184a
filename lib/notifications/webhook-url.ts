/**
 * Which webhook URLs the portal sends to. The worker POSTs from inside the platform's network, so
 * a tenant admin could otherwise aim it at internal services (the cloud's metadata address, the
 * Kubernetes API) and read their status codes in the delivery log: loopback, private, link-local
 * and other non-public addresses are refused — at creation for literal addresses, and at delivery
 * for what a name resolves to — unless WEBHOOK_ALLOW_PRIVATE_NETWORKS=true (receivers inside the
 * company network; the local stack and tests). Pure: no I/O.
 */
import { BlockList, isIP } from 'node:net';

export function privateNetworksAllowed(env: string | undefined = process.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS): boolean {
  return env === 'true';
}

/**
 * Addresses outside the public internet. A BlockList also matches IPv4 rules against IPv4-mapped
 * IPv6 in either spelling (`::ffff:127.0.0.1`, `::ffff:7f00:1`, which URL parsing produces), and the
 * transition prefixes that embed an IPv4 address (NAT64, 6to4, Teredo, IPv4-compatible) are refused
 * whole rather than decoded.
 */
const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, the clouds' metadata address
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 3], // multicast and reserved, up to 255.255.255.255
] as const)
  NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
for (const [network, prefix] of [
  ['::', 96], // unspecified, loopback, IPv4-compatible
  ['64:ff9b::', 96], // NAT64
  ['64:ff9b:1::', 48], // local NAT64
  ['100::', 64], // discard
  ['2001::', 32], // Teredo
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const)
  NON_PUBLIC.addSubnet(network, prefix, 'ipv6');

/** Whether an IP address is outside the public internet (loopback, private, link-local, CGNAT, multicast, unspecified…). */
export function isNonPublicAddress(address: string): boolean {
  const version = isIP(address);
  if (version === 0) return false;
  return NON_PUBLIC.check(address, version === 4 ? 'ipv4' : 'ipv6');
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

/**
 * A webhook URL as pages and the audit log show it. Chat services' incoming-webhook URLs are
 * credentials (whoever has one posts into the channel), so only the origin and the path's last four
 * characters are shown: enough to tell two webhooks apart. The worker alone reads the whole URL.
 */
export function maskedWebhookUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return '(not a URL)';
  }
  const rest = `${url.pathname}${url.search}`;
  return rest.length <= 1 ? url.origin : `${url.origin}/…${rest.slice(-4)}`;
}
