/**
 * When a webhook delivery is tried again, and when the worker gives up on it. Pure: no I/O.
 */

/** The first retry waits this long; each next one twice as long… */
export const FIRST_RETRY_MS = 5_000;
/** …up to this. */
export const MAX_RETRY_MS = 15 * 60_000;
/** After this many failed attempts the delivery is failed permanently (nine waits: 5 s doubling to 15 min, about 36 min in all). */
export const MAX_ATTEMPTS = 10;

/** 5 s, 10 s, 20 s, 40 s … capped at 15 min, after the `attempts`-th failed attempt (1-based). */
export function retryDelayMs(attempts: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
}

/** One attempt's result: the receiver's status, or why no answer came. */
export type AttemptResult = { statusCode: number } | { error: string };

export type DeliveryVerdict =
  { status: 'delivered' } | { status: 'pending'; nextAttemptAt: Date } | { status: 'failed-permanently' };

/** A 2xx acknowledges; anything else (another status, a timeout, a refused connection) is tried again until MAX_ATTEMPTS. */
export function verdictAfter(result: AttemptResult, attempts: number, now: Date): DeliveryVerdict {
  if ('statusCode' in result && result.statusCode >= 200 && result.statusCode < 300) return { status: 'delivered' };
  if (attempts >= MAX_ATTEMPTS) return { status: 'failed-permanently' };
  return { status: 'pending', nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)) };
}
