/**
 * How long the reason of a rollback to a version is, in characters: it is shown on the timeline and
 * kept in the audit log. Alone in its module so the canary dashboard's dialog can check it in the
 * browser without shipping zod.
 */
export const ROLLBACK_REASON = { min: 10, max: 500 } as const;
