/**
 * Version numbers as components report them ("v1.37.2", "3.17.2", "0.15", "1.33.1-gke.100"):
 * the leading numeric release part, compared numerically. Pre-release and build suffixes are
 * ignored: the version matrix and the signature check reason about releases. Pure.
 */

/** The numeric parts of a version ([1, 37, 2] for "v1.37.2"), or null when it does not start with one. */
export function parseVersion(text: string): number[] | null {
  const match = /^\s*v?(\d+(?:\.\d+)*)/i.exec(text);
  return match ? match[1]!.split('.').map(Number) : null;
}

/** Negative, zero or positive as `a` is older than, the same release as, or newer than `b`; missing parts count as 0. */
export function compareParsed(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}

/** compareParsed over two version texts, or null when either is not a version. */
export function compareVersions(a: string, b: string): number | null {
  const left = parseVersion(a);
  const right = parseVersion(b);
  return left && right ? compareParsed(left, right) : null;
}

/** `version` is `minimum` or later; false when it cannot be told. */
export function atLeast(version: string, minimum: string): boolean {
  const comparison = compareVersions(version, minimum);
  return comparison !== null && comparison >= 0;
}
