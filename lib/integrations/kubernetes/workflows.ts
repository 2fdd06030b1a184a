/**
 * Argo Workflows (`argoproj.io/v1alpha1`): the tenants' pipeline runs, from the process's shared
 * watch cache. The portal only reads what the operations dashboard needs: the cache drops the
 * templates of `spec` and `status.nodes` (one entry per step, most of a Workflow's size) before
 * it keeps an object, and the schema reads only the rest.
 */
import type { KubernetesObject } from '@kubernetes/client-node';
import { z } from 'zod';
import { objectMetaSchema, type ResourceKind } from './resource';
import { sharedWatchCache, type WatchCache, type WatchedKind } from './watch-cache';

/** The label Argo puts on a Workflow submitted from a WorkflowTemplate. */
export const WORKFLOW_TEMPLATE_LABEL = 'workflows.argoproj.io/workflow-template';

export const workflowSchema = z.looseObject({
  metadata: objectMetaSchema,
  spec: z.object({ workflowTemplateRef: z.object({ name: z.string() }).optional() }).optional(),
  status: z
    .object({
      /** Pending, Running, Succeeded, Failed or Error; absent until the controller has seen the Workflow. */
      phase: z.string().optional(),
      // Argo writes an unset time as null.
      startedAt: z.string().nullish(),
      finishedAt: z.string().nullish(),
      message: z.string().optional(),
    })
    .prefault({}),
});

export type Workflow = z.output<typeof workflowSchema>;

/** The WorkflowTemplate a run was made from (its label, else its spec), or null for an ad-hoc Workflow. */
export function workflowTemplate(workflow: Workflow): string | null {
  return workflow.metadata.labels[WORKFLOW_TEMPLATE_LABEL] ?? workflow.spec?.workflowTemplateRef?.name ?? null;
}

/** Keeps of a Workflow only what the schema reads. */
function trimWorkflow(object: KubernetesObject): void {
  const workflow = object as { spec?: Record<string, unknown>; status?: Record<string, unknown> };
  if (workflow.spec)
    workflow.spec = workflow.spec.workflowTemplateRef ? { workflowTemplateRef: workflow.spec.workflowTemplateRef } : {};
  if (workflow.status) delete workflow.status.nodes;
}

const WORKFLOW: ResourceKind<Workflow> = {
  group: 'argoproj.io',
  version: 'v1alpha1',
  plural: 'workflows',
  kind: 'Workflow',
  kindPlural: 'Workflows',
  schema: workflowSchema,
};

export const WORKFLOWS_WATCHED: WatchedKind<Workflow> = { ...WORKFLOW, trim: trimWorkflow };

/** Every namespace's Workflows, from the process's shared watch cache (read as the portal). */
export function watchedWorkflows(): WatchCache<Workflow> {
  return sharedWatchCache(WORKFLOWS_WATCHED);
}
