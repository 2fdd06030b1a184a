/**
 * The checks' inputs from the objects the adapters already read (the shared watch caches' Workflows
 * and pods, a CustomResourceDefinition's labels). Pure; gather.ts does the reading.
 */
import { servingState, type InferenceService, type Pod, type Workflow } from '@/lib/integrations/kubernetes';
import { DEFAULT_PIPELINE_WINDOW_DAYS, LOGS_MLFLOW_RUN_LABEL, type PipelineWorkflow } from './pipeline-without-run';
import { canaryEndpointOf, type CanaryEndpoint, type RevisionReplicas } from './rollback-target-cold';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Each training workflow is one MLflow search; a tenant's newest this many are judged, the rest wait. */
export const MAX_PIPELINES_SEARCHED_PER_TENANT = 100;

/**
 * The Workflows pipeline-without-run judges, by tenant: declared to log an MLflow run, Succeeded
 * within the window, newest first and at most `maxPerTenant` per tenant (each costs one MLflow
 * search). Workflows outside `tenants` (namespaces that are no tenant's) are not judged.
 */
export function pipelineCandidates(
  workflows: readonly Workflow[],
  tenants: ReadonlySet<string>,
  now: Date,
  windowDays = DEFAULT_PIPELINE_WINDOW_DAYS,
  maxPerTenant = MAX_PIPELINES_SEARCHED_PER_TENANT,
): Map<string, PipelineWorkflow[]> {
  const since = now.getTime() - windowDays * DAY_MS;
  const byTenant = new Map<string, { workflow: PipelineWorkflow; finished: number }[]>();
  for (const w of workflows) {
    const tenant = w.metadata.namespace ?? '';
    if (!tenants.has(tenant) || w.metadata.labels[LOGS_MLFLOW_RUN_LABEL] !== 'true') continue;
    if (w.status.phase !== 'Succeeded' || !w.status.finishedAt) continue;
    const finished = Date.parse(w.status.finishedAt);
    if (!Number.isFinite(finished) || finished < since) continue;
    const list = byTenant.get(tenant) ?? [];
    list.push({
      workflow: {
        tenant,
        name: w.metadata.name,
        phase: w.status.phase,
        finishedAt: w.status.finishedAt,
        labels: w.metadata.labels,
      },
      finished,
    });
    byTenant.set(tenant, list);
  }
  return new Map(
    [...byTenant].map(([tenant, list]) => [
      tenant,
      list
        .sort((a, b) => b.finished - a.finished)
        .slice(0, maxPerTenant)
        .map((c) => c.workflow),
    ]),
  );
}

/** The label Knative (and the local simulator) puts on each pod of a revision. */
export const REVISION_LABEL = 'serving.knative.dev/revision';
/** Knative copies a revision's minimum scale (KServe's minReplicas) onto its pods' annotations. */
export const MIN_SCALE_ANNOTATION = 'autoscaling.knative.dev/min-scale';

function podReady(pod: Pod): boolean {
  if (pod.metadata.deletionTimestamp) return false;
  return pod.status?.conditions.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

/**
 * Each namespace's revisions with pods: their Ready pods, and the minimum scale their pods carry
 * (undefined when none says).
 */
export function revisionReplicas(pods: readonly Pod[]): Map<string, Map<string, RevisionReplicas>> {
  const byNamespace = new Map<string, Map<string, RevisionReplicas>>();
  for (const pod of pods) {
    const revision = pod.metadata.labels[REVISION_LABEL];
    if (!revision) continue;
    const namespace = pod.metadata.namespace ?? '';
    const revisions = byNamespace.get(namespace) ?? new Map<string, RevisionReplicas>();
    const known = revisions.get(revision);
    const minScale = pod.metadata.annotations[MIN_SCALE_ANNOTATION];
    revisions.set(revision, {
      readyReplicas: (known?.readyReplicas ?? 0) + (podReady(pod) ? 1 : 0),
      minReplicas:
        known?.minReplicas ?? (minScale !== undefined && /^\d+$/.test(minScale.trim()) ? Number(minScale) : undefined),
    });
    byNamespace.set(namespace, revisions);
  }
  return byNamespace;
}

/**
 * Every InferenceService as rollback-target-cold reads it, from the pods of all namespaces: a
 * revision without pods has none ready (it scaled to zero, or its pods are gone).
 */
export function canaryEndpointsOf(services: readonly InferenceService[], pods: readonly Pod[]): CanaryEndpoint[] {
  const replicas = revisionReplicas(pods);
  return services.map((isvc) => {
    const stable = servingState(isvc).stableRevision;
    const known = stable ? (replicas.get(isvc.metadata.namespace)?.get(stable) ?? { readyReplicas: 0 }) : undefined;
    return canaryEndpointOf(isvc, new Map(stable && known ? [[stable, known]] : []));
  });
}

/**
 * The release a CustomResourceDefinition's installer stamped on it: the `app.kubernetes.io/version`
 * label, else the version in Helm's `helm.sh/chart` label ("kserve-crd-v0.15.2"); null when it
 * carries neither (the local stack's KServe CRD carries none: its version is then not judged).
 */
export function crdReleaseVersion(metadata: { labels: Readonly<Record<string, string>> }): string | null {
  const label = metadata.labels['app.kubernetes.io/version']?.trim();
  if (label) return label;
  const chart = /-v?(\d+\.\d+(?:\.\d+)?(?:[-+][0-9A-Za-z.-]+)?)$/.exec(metadata.labels['helm.sh/chart'] ?? '');
  return chart ? chart[1]! : null;
}
