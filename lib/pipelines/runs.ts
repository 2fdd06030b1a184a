/**
 * A tenant's pipeline runs (Argo Workflows) as the pipelines page lists them: filtered by phase,
 * newest first, at most a bounded number. Pure: the service passes the tenant's Workflows (from
 * the watch cache) and the time.
 */
import { z } from 'zod';
import { workflowTemplate, type Workflow } from '../integrations/kubernetes';

/** The phases runs can be filtered by (`?phase=`). */
export const PHASE_FILTERS = ['Running', 'Pending', 'Succeeded', 'Failed'] as const;
export type PhaseFilter = (typeof PHASE_FILTERS)[number];

/** How many runs the page lists at most; the rest are counted. */
export const RUNS_SHOWN = 200;

export interface PipelineRun {
  name: string;
  /** The WorkflowTemplate it ran, or null for an ad-hoc Workflow. */
  template: string | null;
  /** Argo's phase; null until the controller has seen the Workflow. */
  phase: string | null;
  /** ISO times, null while unset. */
  startedAt: string | null;
  finishedAt: string | null;
  /** finishedAt − startedAt; for a run not finished, how long it has run so far; null without a start. */
  durationMs: number | null;
  /** Why it failed (Failed or Error); null for any other run. */
  message: string | null;
}

export interface PipelineRunList {
  /** The matching runs, newest first, at most the limit. */
  runs: PipelineRun[];
  /** Runs matching the filter, listed or not. */
  matching: number;
  /** Every run of the tenant, whatever its phase. */
  total: number;
  /** How many runs each filter would list. */
  counts: Record<PhaseFilter, number>;
}

const FAILED_PHASES = new Set(['Failed', 'Error']);

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
export function parsePhaseFilter(value: string | string[] | undefined): { ok: true; phase: PhaseFilter | null } | { ok: false; message: string } {
  if (value === undefined || value === '') return { ok: true, phase: null };
  const parsed = phaseFilterSchema.safeParse(value);
  if (parsed.success) return { ok: true, phase: parsed.data };
  const given = Array.isArray(value) ? value.join(', ') : value;
  return { ok: false, message: `“${given.slice(0, 40)}” is not a phase to filter by: choose one of ${PHASE_FILTERS.join(', ')} (Failed includes runs that ended in Error).` };
}

function time(value: string | null | undefined): number {
  return value ? Date.parse(value) : Number.NaN;
}

/** When a run counts as started for sorting: its start, else its creation; one not started yet is newest. */
function sortTime(workflow: Workflow): number {
  const started = time(workflow.status.startedAt ?? workflow.metadata.creationTimestamp);
  return Number.isNaN(started) ? Number.POSITIVE_INFINITY : started;
}

function toRun(workflow: Workflow, now: Date): PipelineRun {
  const { phase, startedAt, finishedAt, message } = workflow.status;
  const start = time(startedAt);
  const end = finishedAt ? time(finishedAt) : now.getTime();
  const durationMs = Number.isNaN(start) || Number.isNaN(end) ? null : Math.max(0, end - start);
  const known = phase || null;
  return {
    name: workflow.metadata.name,
    template: workflowTemplate(workflow),
    phase: known,
    startedAt: startedAt ?? null,
    finishedAt: finishedAt ?? null,
    durationMs,
    message: known !== null && FAILED_PHASES.has(known) ? message || null : null,
  };
}

export function listPipelineRuns(workflows: readonly Workflow[], options: { phase: PhaseFilter | null; now: Date; limit?: number }): PipelineRunList {
  const { phase, now, limit = RUNS_SHOWN } = options;
  const counts = Object.fromEntries(PHASE_FILTERS.map((f) => [f, 0])) as Record<PhaseFilter, number>;
  const matching: Workflow[] = [];
  for (const workflow of workflows) {
    const current = workflow.status.phase || null;
    for (const filter of PHASE_FILTERS) if (matchesPhase(current, filter)) counts[filter]++;
    if (phase === null || matchesPhase(current, phase)) matching.push(workflow);
  }
  const newest = matching
    .map((workflow) => ({ workflow, at: sortTime(workflow) }))
    .sort((a, b) => b.at - a.at || a.workflow.metadata.name.localeCompare(b.workflow.metadata.name))
    .slice(0, limit);
  return { runs: newest.map(({ workflow }) => toRun(workflow, now)), matching: matching.length, total: workflows.length, counts };
}
