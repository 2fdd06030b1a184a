import path from 'node:path';

/**
 * Pure rules for object keys: what an `s3://` URI names, what a tenant's prefix is, and whether a
 * key stays inside it once `.` and `..` are resolved.
 */

export function parseS3Uri(uri: string): { bucket: string; key: string } | undefined {
  const match = /^s3:\/\/([^/]+)\/?(.*)$/.exec(uri);
  return match ? { bucket: match[1]!, key: match[2]! } : undefined;
}

/** `workspaces/{tenant}/` → `workspaces/fraud/`, always ending in one slash. */
export function tenantPrefix(template: string, tenant: string): string {
  return `${template.replaceAll('{tenant}', tenant).replace(/\/+$/, '')}/`;
}

/**
 * The key with `.`, `..` and repeated slashes resolved the way a path is, keeping a trailing slash
 * (a folder). A key that climbs above the bucket's root keeps its leading `..` and so never
 * matches a prefix.
 */
export function normalizeKey(key: string): string {
  if (key === '') return '';
  const normalized = path.posix.normalize(key);
  return normalized === '.' || normalized === './' ? '' : normalized;
}

/** Whether the (normalised) key is the prefix's folder itself or anything below it. */
export function isWithinPrefix(key: string, prefix: string): boolean {
  return key.startsWith(prefix) || `${key}/` === prefix;
}

/** The last segment of a key, without a folder's trailing slash. */
export function baseName(key: string): string {
  return key.replace(/\/+$/, '').split('/').pop() ?? '';
}

/** A Content-Disposition that makes a browser save the file under its own name. */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^A-Za-z0-9._-]/g, '_') || 'download';
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
