/**
 * A tenant's pipeline runs (Argo Workflows) summed up for the operations dashboard: how many
 * finished in the window, what share succeeded, how long they took, what is running and what
 * failed last. Pure: the caller passes the tenant's Workflows (from the watch cache) and the time.
 */
import { workflowTemplate, type Workflow } from '../integrations/kubernetes';

/** Runs count by when they finished: the last 7 days. */
export const PIPELINE_WINDOW_MS = 7 * 24 * 60 * 60_000;
/** How many of the latest failures the summary keeps. */
const RECENT_FAILURES = 5;

export interface PipelineFailure {
  name: string;
  /** The WorkflowTemplate it ran, or null for an ad-hoc Workflow. */
  template: string | null;
  phase: 'Failed' | 'Error';
  message: string | null;
  /** ISO time. */
  finishedAt: string;
}

export interface PipelineSummary {
  windowMs: number;
  /** Runs that finished (Succeeded, Failed or Error) in the window. */
  finished: number;
  succeeded: number;
  /** Failed or Error. */
  failed: number;
  /** succeeded / finished, 0–1; null when none finished. */
  successRate: number | null;
  /** Mean of finishedAt − startedAt over the finished runs that have both; null when none. */
  meanDurationMs: number | null;
  /** Runs in phase Running now, whenever they started. */
  running: number;
  /** The latest failures in the window, newest first. */
  recentFailures: PipelineFailure[];
}

function time(value: string | null | undefined): number {
  return value ? Date.parse(value) : Number.NaN;
}

export function summarisePipelines(
  workflows: readonly Workflow[],
  now: Date,
  windowMs: number = PIPELINE_WINDOW_MS,
): PipelineSummary {
  const since = now.getTime() - windowMs;
  let succeeded = 0;
  let durationSum = 0;
  let durations = 0;
  let running = 0;
  const failures: PipelineFailure[] = [];

  for (const workflow of workflows) {
    const { phase, startedAt, finishedAt, message } = workflow.status;
    if (phase === 'Running') running++;
    if (phase !== 'Succeeded' && phase !== 'Failed' && phase !== 'Error') continue;
    const finished = time(finishedAt);
    if (Number.isNaN(finished) || finished < since) continue;

    if (phase === 'Succeeded') succeeded++;
    else
      failures.push({
        name: workflow.metadata.name,
        template: workflowTemplate(workflow),
        phase,
        message: message || null,
        finishedAt: finishedAt!,
      });
    const duration = finished - time(startedAt);
    if (duration >= 0) {
      durationSum += duration;
      durations++;
    }
  }

  const finished = succeeded + failures.length;
  return {
    windowMs,
    finished,
    succeeded,
    failed: failures.length,
    successRate: finished === 0 ? null : succeeded / finished,
    meanDurationMs: durations === 0 ? null : durationSum / durations,
    running,
    recentFailures: failures
      .sort((a, b) => time(b.finishedAt) - time(a.finishedAt) || a.name.localeCompare(b.name))
      .slice(0, RECENT_FAILURES),
  };
}
