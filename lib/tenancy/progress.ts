/**
 * A tenant's provisioning progress as people see it: each step done, running, failed (with why)
 * or pending, for the latest run — provisioning or archiving. Pure: built from the stored rows.
 */

/** A run holds the tenant for at most this long; one older than this was interrupted (a restart) and may be taken over. */
export const RUN_LEASE_MS = 2 * 60_000;

export type Operation = 'provision' | 'archive';
export type StepState = 'pending' | 'running' | 'done' | 'failed';

export interface StepRow {
  step: string;
  position: number;
  operation: Operation;
  state: StepState;
  detail: string | null;
  error: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface StepProgress {
  key: string;
  title: string;
  state: StepState;
  detail: string | null;
  error: string | null;
  /** How long the step took, once finished. */
  durationMs: number | null;
}

export interface TenantProgress {
  /** The latest run's operation; null when the tenant has no recorded steps (made before they were recorded). */
  operation: Operation | null;
  /** A run is under way now. */
  running: boolean;
  /** A run was under way but stopped answering for longer than RUN_LEASE_MS (e.g. a restart): Retry takes over. */
  interrupted: boolean;
  steps: StepProgress[];
}

export function leaseHeld(runStartedAt: Date | null, now: Date): boolean {
  return runStartedAt !== null && now.getTime() - runStartedAt.getTime() < RUN_LEASE_MS;
}

/**
 * The steps in the order the run takes them (reversed for archiving), with titles from the step
 * definitions (`titles`, by key; a step no longer defined shows its key).
 */
export function describeProgress(
  rows: readonly StepRow[],
  titles: ReadonlyMap<string, string>,
  runStartedAt: Date | null,
  now: Date,
): TenantProgress {
  if (rows.length === 0)
    return { operation: null, running: leaseHeld(runStartedAt, now), interrupted: false, steps: [] };
  const operation = rows.some((r) => r.operation === 'archive') ? 'archive' : 'provision';
  const ordered = [...rows].sort((a, b) =>
    operation === 'archive' ? b.position - a.position : a.position - b.position,
  );
  const running = leaseHeld(runStartedAt, now);
  const unfinished = ordered.some((r) => r.state === 'running');
  return {
    operation,
    running,
    interrupted: !running && unfinished,
    steps: ordered.map((r) => ({
      key: r.step,
      title: titles.get(r.step) ?? r.step,
      // A step left "running" by an interrupted run did not finish: say so rather than spin forever.
      state: !running && r.state === 'running' ? 'failed' : r.state,
      detail: r.detail,
      error:
        !running && r.state === 'running'
          ? 'Interrupted before it finished (the portal restarted?); Retry runs it again'
          : r.error,
      durationMs: r.startedAt && r.finishedAt ? r.finishedAt.getTime() - r.startedAt.getTime() : null,
    })),
  };
}

/** Keys of the steps a retry still has to run: all but those already done in the same operation. */
export function remainingSteps(rows: readonly StepRow[], keys: readonly string[], operation: Operation): string[] {
  const done = new Set(rows.filter((r) => r.operation === operation && r.state === 'done').map((r) => r.step));
  return keys.filter((key) => !done.has(key));
}
