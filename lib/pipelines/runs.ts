/**
 * A tenant's pipeline runs (Argo Workflows) as the pipelines page lists them: filtered by phase,
 * newest first, at most a bounded number. Pure: the service passes the tenant's Workflows (from
 * the watch cache) and the time.
 */
import { workflowTemplate, type Workflow } from '../integrations/kubernetes';
import { FAILED_PHASES, matchesPhase, PHASE_FILTERS, type PhaseFilter } from './phases';

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

export function listPipelineRuns(
  workflows: readonly Workflow[],
  options: { phase: PhaseFilter | null; now: Date; limit?: number },
): PipelineRunList {
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
  return {
    runs: newest.map(({ workflow }) => toRun(workflow, now)),
    matching: matching.length,
    total: workflows.length,
    counts,
  };
}
