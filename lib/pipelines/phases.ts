/**
 * The phases a tenant's pipeline runs can be filtered by (`?phase=`), and which Argo phases each
 * one lists. Pure, without the Kubernetes client, so the page's live view can use it in the browser.
 */
import { z } from 'zod';

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

const phaseFilterSchema = z.enum(PHASE_FILTERS);

/** `?phase=` as a filter: absent or empty lists every run; anything but one known phase is refused in words. */
export function parsePhaseFilter(
  value: string | string[] | undefined,
): { ok: true; phase: PhaseFilter | null } | { ok: false; message: string } {
  if (value === undefined || value === '') return { ok: true, phase: null };
  const parsed = phaseFilterSchema.safeParse(value);
  if (parsed.success) return { ok: true, phase: parsed.data };
  const given = Array.isArray(value) ? value.join(', ') : value;
  return {
    ok: false,
    message: `“${given.slice(0, 40)}” is not a phase to filter by: choose one of ${PHASE_FILTERS.join(', ')} (Failed includes runs that ended in Error).`,
  };
}
