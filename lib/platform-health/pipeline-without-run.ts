/**
 * pipeline-without-run: a training pipeline shows green, but no MLflow run was logged (typically
 * its step could not reach MLflow), so nothing it trained can be registered or promoted.
 *
 * THE CONVENTION (README documents it for pipeline authors):
 * - An Argo Workflow that trains declares it with the label `mlp.example.com/logs-mlflow-run: "true"`
 *   on the Workflow object itself (for runs of a WorkflowTemplate, e.g. in its
 *   `spec.workflowMetadata.labels`); the check reads the label from the Workflow.
 * - Its training step tags the MLflow run it logs `mlp.pipeline_run = {{workflow.name}}`, in the
 *   tenant's MLflow workspace — the same name a promotion request's `pipeline` field carries.
 * A Workflow so labelled that Succeeded within the last N days (default 7) with no run so tagged in
 * its tenant's workspace is a finding. Unlabelled Workflows (data preparation, evaluation, …) are
 * not judged. Pure.
 */
import { formatTime } from '@/lib/format';
import type { Finding } from './finding';

export const LOGS_MLFLOW_RUN_LABEL = 'mlp.example.com/logs-mlflow-run';
export const PIPELINE_RUN_TAG = 'mlp.pipeline_run';
export const DEFAULT_PIPELINE_WINDOW_DAYS = 7;

const DAY_MS = 24 * 60 * 60 * 1000;

export interface PipelineWorkflow {
  /** The tenant (its namespace). */
  tenant: string;
  name: string;
  /** Argo's status.phase; absent until the controller has seen it. */
  phase?: string;
  /** status.finishedAt (ISO 8601), null while running. */
  finishedAt?: string | null;
  labels: Readonly<Record<string, string>>;
}

export interface PipelineWithoutRunInput {
  workflows: readonly PipelineWorkflow[];
  /**
   * Per tenant, the `mlp.pipeline_run` tag values of its MLflow runs (finished or not) over at least
   * the window. A tenant absent here could not be searched: its workflows are not judged.
   */
  pipelineRunTags: ReadonlyMap<string, ReadonlySet<string>>;
  now: Date;
  /** How far back a success is judged, in days. */
  windowDays?: number;
}

export function checkPipelineWithoutRun(input: PipelineWithoutRunInput): Finding[] {
  const windowDays = input.windowDays ?? DEFAULT_PIPELINE_WINDOW_DAYS;
  const since = input.now.getTime() - windowDays * DAY_MS;
  return input.workflows.flatMap((workflow): Finding[] => {
    if (workflow.labels[LOGS_MLFLOW_RUN_LABEL] !== 'true' || workflow.phase !== 'Succeeded') return [];
    const finished = workflow.finishedAt ? Date.parse(workflow.finishedAt) : NaN;
    if (!Number.isFinite(finished) || finished < since) return [];
    const tags = input.pipelineRunTags.get(workflow.tenant);
    if (!tags || tags.has(workflow.name)) return [];
    return [
      {
        checkId: 'pipeline-without-run',
        severity: 'warning',
        tenant: workflow.tenant,
        subject: { kind: 'workflow', name: workflow.name },
        title: `Workflow ${workflow.name} succeeded at ${formatTime(workflow.finishedAt!)} but logged no MLflow run tagged ${PIPELINE_RUN_TAG}=${workflow.name}`,
        evidence: [
          { label: 'Workflow', value: `${workflow.tenant}/${workflow.name}`, href: `/t/${workflow.tenant}/pipelines` },
          { label: 'Finished', value: workflow.finishedAt! },
          { label: 'Declares', value: `${LOGS_MLFLOW_RUN_LABEL}=true` },
          { label: 'MLflow runs tagged with it', value: `none in ${workflow.tenant}'s workspace` },
        ],
        remedy: `Check the training step's log for MLflow errors (tracking URI, credentials, network) and that it sets the tag ${PIPELINE_RUN_TAG}={{workflow.name}}; then rerun the workflow. Its model cannot be promoted without a run.`,
      },
    ];
  });
}
