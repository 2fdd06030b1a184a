/**
 * The phases a tenant's pipeline runs can be filtered by (`?phase=`), and which Argo phases each
 * one lists. Pure, without the Kubernetes client or zod, so the page's live view can use it in the
 * browser without shipping either (`?phase=` is parsed in ./phase-param.ts).
 */

/** The phases runs can be filtered by (`?phase=`). */
export const PHASE_FILTERS = ['Running', 'Pending', 'Succeeded', 'Failed'] as const;
export type PhaseFilter = (typeof PHASE_FILTERS)[number];

/** Argo phases of a run that failed: a step's failure, or the controller's (Error). */
export const FAILED_PHASES: ReadonlySet<string> = new Set(['Failed', 'Error']);

/**
 * Whether a run of `phase` is listed under `filter`. Argo's Error is a failure too (the controller's
 * rather than a step's), and the operations dashboard counts both as failed: "Failed" lists both.
 * A Workflow the controller has not picked up yet is waiting like a Pending one.
 */
export function matchesPhase(phase: string | null, filter: PhaseFilter): boolean {
  switch (filter) {
    case 'Failed':
      return phase !== null && FAILED_PHASES.has(phase);
    case 'Pending':
      return phase === null || phase === 'Pending';
    default:
      return phase === filter;
  }
}
