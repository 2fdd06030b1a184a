import type { JsonValue } from './chain';

/**
 * Makes anything a client can send storable in the audit log, so that no input can make the
 * audit write fail (and with it the change it belongs to). PostgreSQL cannot store U+0000 in
 * `text` nor `\u0000` in `jsonb`, and refuses lone UTF-16 surrogates (`\uD800`) in both; an
 * unbounded value would make the log as large as the biggest request. Pure.
 */

export const REPLACEMENT = '\uFFFD';

export interface JsonLimits {
  /** Characters kept of each string (and object key). */
  string: number;
  /** Items kept of each array, keys of each object. */
  items: number;
  /** Nesting below which values are summarised. */
  depth: number;
  /** Characters of the whole value as JSON; above, it is replaced by a summary. */
  total: number;
}

/** For before/after of changes the portal makes itself (policies, quotas, traffic). */
export const DEFAULT_JSON_LIMITS: JsonLimits = { string: 4000, items: 200, depth: 12, total: 64_000 };
/** For what a refused or failed caller sent: enough to see what was tried, never the whole of it. */
export const INPUT_JSON_LIMITS: JsonLimits = { string: 500, items: 50, depth: 6, total: 8000 };

/**
 * `value` without NUL characters and lone surrogates (each becomes U+FFFD), cut to `max`
 * characters (never inside a surrogate pair), with "…" marking the cut.
 */
export function storableText(value: string, max: number): string {
  let text = value.replace(/\u0000/g, REPLACEMENT).toWellFormed();
  if (text.length > max) {
    let end = Math.max(0, max - 1);
    const last = text.charCodeAt(end - 1);
    if (last >= 0xd800 && last <= 0xdbff) end -= 1;
    text = `${text.slice(0, end)}…`;
  }
  return text;
}

/** `storableText` for optional fields. */
export function storableOptionalText(value: string | null | undefined, max: number): string | null {
  return value === null || value === undefined ? null : storableText(String(value), max);
}

function walk(value: unknown, limits: JsonLimits, depth: number, seen: Set<object>): JsonValue | undefined {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
      return storableText(value, limits.string);
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  const object = value as object;
  if (object instanceof Date) return Number.isNaN(object.getTime()) ? null : object.toISOString();
  if (typeof (object as { toJSON?: unknown }).toJSON === 'function') {
    return walk((object as { toJSON: () => unknown }).toJSON(), limits, depth, seen);
  }
  if (seen.has(object)) return '[circular]';
  if (depth >= limits.depth) return Array.isArray(object) ? `[${object.length} items]` : '[object]';
  seen.add(object);
  try {
    if (Array.isArray(object)) {
      const items = object.slice(0, limits.items).map((item) => walk(item, limits, depth + 1, seen) ?? null);
      if (object.length > limits.items) items.push(`[${object.length - limits.items} more items]`);
      return items;
    }
    if (object instanceof Map) return walk(Object.fromEntries(object), limits, depth, seen);
    if (object instanceof Set) return walk([...object], limits, depth, seen);
    const result: { [key: string]: JsonValue } = {};
    const entries = Object.entries(object);
    let kept = 0;
    for (const [key, item] of entries) {
      if (kept >= limits.items) {
        result['…'] = `${entries.length - kept} more keys`;
        break;
      }
      const stored = walk(item, limits, depth + 1, seen);
      if (stored === undefined) continue;
      result[storableText(key, Math.min(limits.string, 200))] = stored;
      kept++;
    }
    return result;
  } finally {
    seen.delete(object);
  }
}

/**
 * `value` as JSON PostgreSQL's jsonb can store, bounded by `limits`: every string and key made
 * storable and cut, long arrays and objects cut, deep nesting summarised, and the whole replaced
 * by a summary of its size if it is still too large.
 */
export function storableJson(value: unknown, limits: JsonLimits = DEFAULT_JSON_LIMITS): JsonValue | null {
  if (value === undefined) return null;
  const stored = walk(value, limits, 0, new Set()) ?? null;
  const length = JSON.stringify(stored).length;
  if (length <= limits.total) return stored;
  return { truncated: true, jsonCharacters: length, limit: limits.total };
}
