/**
 * Platform health, gathered: every check's input read from what the portal already reads — the
 * shared watch caches (Workflows, InferenceServices, pods), each tenant's MLflow workspace, object
 * storage, the API server, the admission guard's objects, Prometheus' input drift scores and the
 * tenants' policies — and the findings computed once for
 * everyone (`platformHealth`, shared across viewers like the operations dashboard's rows), never
 * per view.
 *
 * Each upstream is read on its own: one that fails leaves the checks it feeds unjudged where it
 * was needed, and says so (`unread`), while the others still report.
 */
import { admissionGuardStatuses } from '../admission/service';
import { answerCache, type SharedAnswer } from '../cache/answer-cache';
import type { Freshness } from '../freshness';
import {
  apiServerVersion,
  customResourceDefinition,
  tenantNamespace,
  watchedInferenceServices,
  watchedPods,
  watchedWorkflows,
  type CacheSnapshot,
  type InferenceService,
  type Pod,
  type Workflow,
} from '../integrations/kubernetes';
import { mlflowFor, mlflowServerVersion, type MlflowClient } from '../integrations/mlflow';
import { storageFor } from '../integrations/s3';
import { mapWithConcurrency } from '../models/concurrency';
import { checkArtifact } from '../models/service';
import type { ArtifactCheck } from '../models/versions';
import { processSingleton } from '../process-singleton';
import { kubernetesPanel, outdatedOf, readPanel, type Panel } from '../read-model/panel';
import { listTenants } from '../tenancy/service';
import { runChecks, type CheckId, type Finding } from '.';
import type { TenantGuard } from './admission-guard-missing';
import { DRIFT_POLICIES_SOURCE, DRIFT_SCORES_SOURCE, readDriftInputs } from './drift-inputs';
import { canaryEndpointsOf, crdReleaseVersion, pipelineCandidates } from './inputs';
import { DEFAULT_PIPELINE_WINDOW_DAYS, PIPELINE_RUN_TAG, type PipelineWorkflow } from './pipeline-without-run';
import { servedRevisions, type ServedRevision } from './served-revisions';
import { storageUriProblem } from './storage-uri-shape';
import { parseVersion } from './semver';
import type { LiveVersion, VersionMatrix } from './version-matrix';
import { loadVersionMatrix } from './version-matrix-file';

/** An input that could not be read: which checks it leaves unjudged, where, and why. */
export interface UnreadInput {
  /** The tenant it concerns, or null for every tenant. */
  tenant: string | null;
  /** What could not be read, e.g. "the MLflow runs of fraud". */
  source: string;
  checks: CheckId[];
  message: string;
}

export interface PlatformHealth {
  /** When the inputs were read. */
  at: string;
  /** Worst first. */
  findings: Finding[];
  unread: UnreadInput[];
  /** The Kubernetes objects' freshness while a watch could not keep them current; null when current. */
  outdated: (Freshness & { error: string }) | null;
}

/** The KServe CustomResourceDefinition whose labels may say KServe's release. */
export const KSERVE_CRD = 'inferenceservices.serving.kserve.io';
/** The MLflow version of the platform's serving runtime (signature-missing-under-enforcement), where the installation says. */
export const SERVING_MLFLOW_VERSION_ENV = 'PLATFORM_SERVING_MLFLOW_VERSION';

const MLFLOW_CONCURRENCY = 4;
const STORAGE_CONCURRENCY = 8;
const EXPERIMENTS_PAGE_SIZE = 1000;
const EXPERIMENTS_MAX_PAGES = 10;

const KUBERNETES_CHECKS: CheckId[] = [
  'pipeline-without-run',
  'storage-uri-shape',
  'artifact-missing',
  'signature-missing-under-enforcement',
  'rollback-target-cold',
];

interface KubernetesInputs {
  workflows: Workflow[];
  services: InferenceService[];
  pods: Pod[];
}

function readKubernetes(): Promise<Panel<KubernetesInputs>> {
  return kubernetesPanel('the Workflows, InferenceServices and pods', async () => {
    const [workflows, services, pods] = await Promise.all([
      watchedWorkflows().read(),
      watchedInferenceServices().read(),
      watchedPods().read(),
    ]);
    const snapshots: CacheSnapshot<unknown>[] = [workflows, services, pods];
    return { data: { workflows: workflows.items, services: services.items, pods: pods.items }, snapshots };
  });
}

/** Every experiment of the tenant's workspace: MLflow searches runs only within named experiments. */
async function experimentIds(mlflow: MlflowClient): Promise<string[]> {
  const ids: string[] = [];
  let pageToken: string | undefined;
  for (let page = 0; page < EXPERIMENTS_MAX_PAGES; page++) {
    const answer = await mlflow.searchExperiments({ maxResults: EXPERIMENTS_PAGE_SIZE, pageToken });
    ids.push(...answer.experiments.map((e) => e.experimentId));
    pageToken = answer.nextPageToken;
    if (!pageToken) break;
  }
  return ids;
}

/**
 * Of `workflows` (one tenant's), the names an MLflow run in the tenant's workspace is tagged with
 * (`mlp.pipeline_run`): one search per workflow, exact, asking for one run. Workflow names are DNS
 * names, so they need no quoting beyond the filter's quotes.
 */
export async function pipelineRunTagsOf(
  tenant: string,
  workflows: readonly Pick<PipelineWorkflow, 'name'>[],
  mlflow: MlflowClient = mlflowFor(tenant),
): Promise<Set<string>> {
  const found = new Set<string>();
  if (workflows.length === 0) return found;
  const experiments = await experimentIds(mlflow);
  if (experiments.length === 0) return found;
  await mapWithConcurrency(workflows, MLFLOW_CONCURRENCY, async ({ name }) => {
    const { runs } = await mlflow.searchRuns({
      experimentIds: experiments,
      filter: `tags.\`${PIPELINE_RUN_TAG}\` = '${name}'`,
      maxResults: 1,
    });
    if (runs.length > 0) found.add(name);
  });
  return found;
}

/** What `<storageUri>/MLmodel` says for each well-formed storageUri served, read through its tenant's storage. */
async function readArtifacts(revisions: readonly ServedRevision[]): Promise<Map<string, ArtifactCheck>> {
  const wanted = new Map<string, string>();
  for (const r of revisions) if (!storageUriProblem(r.storageUri)) wanted.set(r.storageUri, r.tenant);
  const entries = [...wanted];
  const answers = await mapWithConcurrency(entries, STORAGE_CONCURRENCY, ([uri, tenant]) =>
    checkArtifact(() => storageFor(tenant), uri),
  );
  return new Map(entries.map(([uri], i) => [uri, answers[i]!]));
}

async function liveVersions(): Promise<LiveVersion[]> {
  const [kubernetes, kserve, mlflow] = await Promise.all([
    readPanel('the API server’s version', () => apiServerVersion()),
    readPanel('the KServe CustomResourceDefinition', async () => {
      const crd = await customResourceDefinition(KSERVE_CRD);
      return crd ? crdReleaseVersion(crd.metadata) : null;
    }),
    readPanel('MLflow’s version', () => mlflowServerVersion()),
  ]);
  const live = (component: LiveVersion['component'], source: string, panel: Panel<string | null>): LiveVersion =>
    panel.ok
      ? { component, version: panel.data, source }
      : { component, version: null, source, problem: panel.message };
  return [
    live('kubernetes', 'API server /version', kubernetes),
    live('kserve', `CustomResourceDefinition ${KSERVE_CRD}`, kserve),
    live('mlflow', 'MLflow server /version', mlflow),
  ];
}

/** Reads every input and runs every check, once. Exported for the tests; pages use `platformHealth`. */
export async function gatherPlatformHealth(now = new Date()): Promise<PlatformHealth> {
  const unread: UnreadInput[] = [];
  const tenantNames = (await listTenants()).filter((t) => t.status !== 'provisioning').map((t) => t.name);
  const tenants = new Set(tenantNames);
  const inTenant = (namespace: string | undefined) => namespace !== undefined && tenants.has(namespace);

  const [kubernetes, guards, versions, matrix, drift] = await Promise.all([
    readKubernetes(),
    readPanel('the admission guard', () => admissionGuardStatuses(tenantNames)),
    liveVersions(),
    readPanel('the version matrix', async (): Promise<VersionMatrix> => loadVersionMatrix()),
    readDriftInputs(tenantNames),
  ]);

  let services: InferenceService[] = [];
  let candidates = new Map<string, PipelineWorkflow[]>();
  let pods: Pod[] = [];
  if (kubernetes.ok) {
    services = kubernetes.data.services.filter((s) => inTenant(s.metadata.namespace));
    candidates = pipelineCandidates(kubernetes.data.workflows, tenants, now, DEFAULT_PIPELINE_WINDOW_DAYS);
    pods = kubernetes.data.pods;
  } else {
    unread.push({ tenant: null, source: 'Kubernetes', checks: KUBERNETES_CHECKS, message: kubernetes.message });
  }
  const revisions = services.flatMap(servedRevisions);

  const [artifacts, runTags] = await Promise.all([
    readArtifacts(revisions),
    mapWithConcurrency([...candidates.keys()], MLFLOW_CONCURRENCY, (tenant) =>
      readPanel(`the MLflow runs of ${tenant}`, () => pipelineRunTagsOf(tenant, candidates.get(tenant)!)),
    ),
  ]);
  const pipelineRunTags = new Map<string, Set<string>>();
  [...candidates.keys()].forEach((tenant, i) => {
    const panel = runTags[i]!;
    if (panel.ok) pipelineRunTags.set(tenant, panel.data);
    else
      unread.push({
        tenant,
        source: `The MLflow runs of ${tenant}`,
        checks: ['pipeline-without-run'],
        message: panel.message,
      });
  });

  if (!guards.ok)
    unread.push({
      tenant: null,
      source: 'The admission guard',
      checks: ['admission-guard-missing'],
      message: guards.message,
    });
  if (!matrix.ok)
    unread.push({ tenant: null, source: 'The version matrix', checks: ['version-matrix'], message: matrix.message });
  for (const [panel, source] of [
    [drift.scores, DRIFT_SCORES_SOURCE],
    [drift.policies, DRIFT_POLICIES_SOURCE],
  ] as const)
    if (!panel.ok)
      unread.push({
        tenant: null,
        source: `${source[0]!.toUpperCase()}${source.slice(1)}`,
        checks: ['input-drift'],
        message: panel.message,
      });

  const servingMlflow = process.env[SERVING_MLFLOW_VERSION_ENV]?.trim() || null;
  if (servingMlflow !== null && parseVersion(servingMlflow) === null)
    unread.push({
      tenant: null,
      source: SERVING_MLFLOW_VERSION_ENV,
      checks: ['signature-missing-under-enforcement'],
      message: `${SERVING_MLFLOW_VERSION_ENV} is "${servingMlflow.slice(0, 40)}", not a version number such as 2.16.1`,
    });

  const findings = runChecks({
    now,
    workflows: [...candidates.values()].flat(),
    pipelineRunTags,
    revisions,
    artifacts,
    platformServingMlflowVersion: servingMlflow !== null && parseVersion(servingMlflow) ? servingMlflow : null,
    canaryEndpoints: kubernetes.ok ? canaryEndpointsOf(services, pods) : [],
    guards: guards.ok
      ? tenantNames.map((tenant, i): TenantGuard => ({ tenant: tenantNamespace(tenant), status: guards.data[i]! }))
      : [],
    liveVersions: matrix.ok ? versions : [],
    versionMatrix: matrix.ok ? matrix.data : { combinations: [] },
    driftScores: drift.scores.ok ? drift.scores.data : [],
    driftPolicies: drift.policies.ok ? drift.policies.data : new Map(),
  });
  return { at: now.toISOString(), findings, unread, outdated: outdatedOf(kubernetes) };
}

/**
 * Checked again this often for everyone; between refreshes every viewer gets the same answer (a
 * refresh happens in the background while the previous answer is served, see answerCache).
 */
export const HEALTH_REFRESH_MS = 30_000;
const shared = () =>
  processSingleton('platform-health.findings', () => answerCache({ ttlMs: HEALTH_REFRESH_MS, maxEntries: 1 }));

/** The platform's findings, computed at most once per HEALTH_REFRESH_MS for all viewers, with their freshness. */
export function platformHealth(): Promise<SharedAnswer<PlatformHealth>> {
  return shared()('all', () => gatherPlatformHealth());
}
