/**
 * "These numbers are as of T, because E failed": the one way the portal says how current data is,
 * from the caches that keep it (watch caches, shared answers) to the views that show it.
 */

/** When data was last known current and, while it may be out of date, why. */
export interface Freshness {
  /** ISO 8601 time the data was last known current (read, or last seen live). */
  asOf: string;
  /** Why the data may be out of date, in words for people; absent while it is current. */
  error?: string;
}

/** Whether data may be out of date. */
export const isOutdated = (freshness: Freshness | null | undefined): freshness is Freshness & { error: string } =>
  Boolean(freshness?.error);

/**
 * The freshness of data built from several sources: as of the oldest out-of-date source, with
 * every out-of-date source's words; null when all are current.
 */
export function oldestOutdated(...sources: (Freshness | null | undefined)[]): (Freshness & { error: string }) | null {
  const outdated = sources.filter(isOutdated);
  if (outdated.length === 0) return null;
  const asOf = outdated.map((f) => f.asOf).sort()[0]!;
  return { asOf, error: [...new Set(outdated.map((f) => f.error))].join(' · ') };
}

/** Data read just now. */
export const currentFreshness = (): Freshness => ({ asOf: new Date().toISOString() });
