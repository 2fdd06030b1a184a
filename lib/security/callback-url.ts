/**
 * Where the portal may send someone after signing in: a path on the portal itself, never
 * another site. Pure, so every variant an attacker might try is unit-tested
 * (lib/security/callback-url.test.ts).
 *
 * Browsers read `\` as `/` and drop tabs and newlines inside URLs, so `/\evil.com` and
 * `/\t/evil.com` both mean `//evil.com` — another host. Encoded forms (`/%5Cevil.com`,
 * `/%2F%2Fevil.com`) may be decoded once more by whatever handles the value next. So a value
 * is accepted only when it, and every decoding of it, is a plain absolute path: one leading `/`,
 * no second `/` or `\` after it, no backslash and no control character anywhere.
 */

const FALLBACK = '/';
const MAX_LENGTH = 2048;
// Control characters (URL parsers drop tabs and newlines, and trim the rest at the ends) and the
// backslash (read as `/`): never part of a path the portal makes.
const FORBIDDEN = /[\u0000-\u001f\u007f\\]/;
const BASE = 'http://portal.invalid';

/** The value decoded until it no longer changes (at most a few rounds); null when it cannot be decoded. */
function decodings(value: string): string[] | null {
  const forms = [value];
  let current = value;
  for (let round = 0; round < 4; round++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(current);
    } catch {
      return null;
    }
    if (decoded === current) return forms;
    forms.push(decoded);
    current = decoded;
  }
  // Still changing after several rounds: nothing the portal itself would ever produce.
  return null;
}

function isPlainPath(form: string): boolean {
  return form.startsWith('/') && !form.startsWith('//') && !FORBIDDEN.test(form);
}

/**
 * `value` as a same-origin path (path, query and fragment, normalised), or `/` when it is
 * missing or could lead anywhere else.
 */
export function safeCallbackPath(value: unknown): string {
  if (typeof value !== 'string' || value === '' || value.length > MAX_LENGTH) return FALLBACK;
  const forms = decodings(value);
  if (!forms || !forms.every(isPlainPath)) return FALLBACK;
  let resolved: URL;
  try {
    resolved = new URL(value, BASE);
  } catch {
    return FALLBACK;
  }
  if (resolved.origin !== BASE) return FALLBACK;
  const path = `${resolved.pathname}${resolved.search}${resolved.hash}`;
  return isPlainPath(path) ? path : FALLBACK;
}

/**
 * next-auth's redirect callback: `url` may be a path or an absolute URL. Only the portal's own
 * origin (`baseUrl`) is accepted; anything else goes to the portal's start page.
 */
export function sameOriginRedirect(url: string, baseUrl: string): string {
  const base = baseUrl.replace(/\/$/, '');
  let origin: string;
  try {
    origin = new URL(base).origin;
  } catch {
    return base;
  }
  if (url.startsWith('/')) {
    const path = safeCallbackPath(url);
    return `${base}${path}`;
  }
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return `${base}/`;
  }
  if (target.origin !== origin || FORBIDDEN.test(url)) return `${base}/`;
  return `${origin}${safeCallbackPath(`${target.pathname}${target.search}${target.hash}`)}`;
}
