import { timingSafeEqual } from 'node:crypto';

/**
 * Who may read /api/metrics: everyone when METRICS_TOKEN is unset (as before), otherwise only a
 * caller sending `Authorization: Bearer <METRICS_TOKEN>` (Prometheus: `authorization.credentials`
 * in the scrape config). Pure.
 */
export function metricsAccess(
  authorization: string | null,
  token: string | undefined,
): 'allowed' | 'missing' | 'wrong' {
  if (!token) return 'allowed';
  if (!authorization) return 'missing';
  const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
  if (!match) return 'wrong';
  const given = Buffer.from(match[1]!.trim());
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'allowed' : 'wrong';
}
