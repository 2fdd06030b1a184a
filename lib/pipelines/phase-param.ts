/** `?phase=` of the pipelines page and its live route, parsed at the boundary. */
import { z } from 'zod';
import { PHASE_FILTERS, type PhaseFilter } from './phases';

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
