/**
 * Seeds the local cluster with the platform's tenants and their workloads (idempotent: applied
 * objects are server-side applied, runs and pods are created when missing):
 *
 * - namespaces `fraud`, `pricing`, `forecast` (labelled as tenants), each with a `gpu-quota`
 *   ResourceQuota (8, 4 and 2 GPUs, plus cpu/memory), a LimitRange giving containers default
 *   requests (so quota admission never refuses a pod for lacking them), and RoleBindings of the
 *   IdP groups `mlp:<tenant>:viewer|member|approver|admin` to view/edit/edit/admin;
 * - Argo Workflows over the last 14 days (Succeeded, Failed, Error, Running) with their status
 *   (the minimal Argo CRD has no status subresource, so status is written on create; creation
 *   timestamps cannot be backdated, so times are in status.startedAt/finishedAt);
 * - GPU pods placed by the real scheduler and played by kwok:
 *   - Running: fraud's training step (2 GPUs, A100), forecast's training step (1 GPU);
 *   - Failed with OOMKilled: a fraud training step (kwok's pod-container-running-failed stage);
 *   - Pending on capacity: a fraud step wanting 4 H100 GPUs while the shared LLM gateway in
 *     `mlp-shared` (a platform namespace, no quota) holds 6 of the 8 GPUs of each H100 node —
 *     the scheduler records FailedScheduling "Insufficient nvidia.com/gpu";
 *   - Pending on quota: a fraud Job wanting 8 GPUs while 6 of fraud's 8 are requested; the Job
 *     controller records FailedCreate "exceeded quota: gpu-quota".
 *   pricing's GPUs are left to its InferenceService predictors (the simulator's pods).
 */
import {
  BatchV1Api,
  CoreV1Api,
  CustomObjectsApi,
  type KubeConfig,
  type KubernetesObject,
  type V1Job,
  type V1Pod,
} from '@kubernetes/client-node';
import type { StackContext } from '../lib/context';
import { waitFor } from '../lib/processes';
import { progress } from '../lib/progress';
import { adminKubeConfig, applyObjects, describeError, errorCode } from '../kubernetes/apply';
import { ADMIN, kubeRequest } from '../kubernetes/http';
import { randomFor } from '../lib/random';
import { LOGS_MLFLOW_RUN_LABEL } from '../../lib/platform-health/pipeline-without-run';

export interface Tenant {
  name: string;
  displayName: string;
  gpus: number;
  cpu: string;
  memory: string;
}

export const TENANTS: readonly Tenant[] = [
  { name: 'fraud', displayName: 'Fraud detection', gpus: 8, cpu: '64', memory: '512Gi' },
  { name: 'pricing', displayName: 'Pricing', gpus: 4, cpu: '32', memory: '128Gi' },
  { name: 'forecast', displayName: 'Demand forecasting', gpus: 2, cpu: '16', memory: '64Gi' },
];

/** A platform namespace (not a tenant) for shared services; it has no GPU quota. */
export const SHARED_NAMESPACE = 'mlp-shared';

export const LABELS = {
  tenant: 'mlp.example.com/tenant',
  managedBy: 'mlp.example.com/managed-by',
  seeded: 'mlp.example.com/seeded',
} as const;
const MANAGED_BY = 'ml-platform-portal';

/** Group suffix → the ClusterRole it is bound to in its tenant's namespace. */
export const TENANT_ROLES = { viewer: 'view', member: 'edit', approver: 'edit', admin: 'admin' } as const;

export const QUOTA_NAME = 'gpu-quota';
export const OOM_KILLED_LABEL = 'pod-container-running-failed.stage.kwok.x-k8s.io';

// ---------------------------------------------------------------------------------------------
// Pipeline runs

interface Pipeline {
  name: string;
  steps: string[];
  /** Typical duration in minutes. */
  minutes: number;
  image: string;
  /**
   * A training pipeline: its Workflows carry LOGS_MLFLOW_RUN_LABEL and its training step tags the
   * MLflow run it logs with the Workflow's name (the convention of platform health's
   * pipeline-without-run; stack/seed/health-cases.ts tags the seeded runs).
   */
  logsMlflowRun?: boolean;
}

const PIPELINES: Record<string, Pipeline[]> = {
  fraud: [
    {
      name: 'fraud-train',
      steps: ['prepare-data', 'train', 'evaluate', 'register-model'],
      minutes: 48,
      image: 'registry.example.com/fraud/trainer:2.4.1',
      logsMlflowRun: true,
    },
    {
      name: 'fraud-feature-backfill',
      steps: ['extract', 'compute-features', 'publish'],
      minutes: 22,
      image: 'registry.example.com/fraud/features:1.9.0',
    },
    {
      name: 'fraud-batch-score',
      steps: ['load-model', 'score', 'write-results'],
      minutes: 14,
      image: 'registry.example.com/fraud/scorer:2.4.1',
    },
  ],
  pricing: [
    {
      name: 'pricing-elasticity-train',
      steps: ['prepare-data', 'train', 'evaluate', 'register-model'],
      minutes: 36,
      image: 'registry.example.com/pricing/trainer:0.12.3',
      logsMlflowRun: true,
    },
    {
      name: 'pricing-data-refresh',
      steps: ['extract', 'validate', 'publish'],
      minutes: 11,
      image: 'registry.example.com/pricing/etl:0.8.0',
    },
  ],
  forecast: [
    {
      name: 'forecast-tft-train',
      steps: ['prepare-data', 'train', 'backtest', 'register-model'],
      minutes: 64,
      image: 'registry.example.com/forecast/tft:1.3.0',
      logsMlflowRun: true,
    },
    {
      name: 'forecast-backtest',
      steps: ['load-history', 'backtest', 'report'],
      minutes: 26,
      image: 'registry.example.com/forecast/tft:1.3.0',
    },
  ],
};

type Phase = 'Succeeded' | 'Failed' | 'Error' | 'Running';

/** What a run is for, beyond history: the GPU pod scenarios hang off these. */
type RunRole =
  | 'history'
  | 'oom-killed'
  | 'gpu-running'
  | 'gpu-pending-capacity'
  | 'cpu-running'
  /** A training run that succeeded but whose step could not reach MLflow: no run is tagged with it. */
  | 'without-mlflow-run';

export interface PlannedRun {
  tenant: string;
  name: string;
  pipeline: Pipeline;
  phase: Phase;
  role: RunRole;
  /** Minutes before the seed that the run started. */
  startedMinutesAgo: number;
  /** Minutes it ran (finished runs only). */
  durationMinutes?: number;
  /** The step that failed (Failed/Error) or runs (Running). */
  stepIndex: number;
  message?: string;
}

function suffix(random: () => number): string {
  const alphabet = 'bcdfghjklmnpqrstvwxz2456789';
  return Array.from({ length: 5 }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
}

const FAILURES = [
  'child step "evaluate" failed: validation gate failed: AUC-PR 0.712 below the 0.74 floor',
  'Error (exit code 1): feature table snapshot 2 days stale',
  'Error (exit code 2): schema check failed: column txn_amount has 3.1% nulls (max 1%)',
];
const ERRORS = ['pod deleted', 'failed to save outputs: timed out waiting for the artifact repository'];

const HISTORY_RUNS: Record<string, number> = { fraud: 18, pricing: 13, forecast: 11 };
const DAY_MINUTES = 24 * 60;

/** Every run the seeder creates, deterministically (names included); times are relative. */
export function workflowPlan(): PlannedRun[] {
  const runs: PlannedRun[] = [];
  for (const tenant of TENANTS) {
    const random = randomFor(`workflows/${tenant.name}`);
    const pipelines = PIPELINES[tenant.name]!;
    const count = HISTORY_RUNS[tenant.name]!;
    for (let i = 0; i < count; i++) {
      const pipeline = pipelines[i % pipelines.length]!;
      // Spread from 14 days ago to ~5 hours ago, a little jitter.
      const startedMinutesAgo = Math.round(((count - i) / count) * (14 * DAY_MINUTES - 300) + 300 - random() * 120);
      const roll = random();
      const phase: Phase =
        i === 3 ? 'Failed' : i === 7 ? 'Error' : roll < 0.14 ? 'Failed' : roll < 0.19 ? 'Error' : 'Succeeded';
      const jitter = 0.65 + random() * 0.7;
      const stepIndex =
        phase === 'Succeeded' ? pipeline.steps.length - 1 : 1 + Math.floor(random() * (pipeline.steps.length - 1));
      const full = pipeline.minutes * jitter;
      const durationMinutes = Math.max(
        2,
        Math.round(phase === 'Succeeded' ? full : (full * (stepIndex + 0.5)) / pipeline.steps.length),
      );
      const message =
        phase === 'Failed'
          ? FAILURES[Math.floor(random() * FAILURES.length)]
          : phase === 'Error'
            ? ERRORS[Math.floor(random() * ERRORS.length)]
            : undefined;
      runs.push({
        tenant: tenant.name,
        name: `${pipeline.name}-${suffix(random)}`,
        pipeline,
        phase,
        role: 'history',
        startedMinutesAgo,
        durationMinutes,
        stepIndex,
        message,
      });
    }
    const recent = (
      pipeline: Pipeline,
      phase: Phase,
      role: RunRole,
      startedMinutesAgo: number,
      stepIndex: number,
      extra: Partial<PlannedRun> = {},
    ) =>
      runs.push({
        tenant: tenant.name,
        name: `${pipeline.name}-${suffix(random)}`,
        pipeline,
        phase,
        role,
        startedMinutesAgo,
        stepIndex,
        ...extra,
      });
    if (tenant.name === 'fraud') {
      const [train, backfill] = [pipelines[0]!, pipelines[1]!];
      recent(train, 'Failed', 'oom-killed', 130, 1, { durationMinutes: 19, message: 'OOMKilled (exit code 137)' });
      recent(train, 'Running', 'gpu-running', 41, 1);
      recent(
        { ...backfill, name: 'fraud-gnn-embeddings', steps: ['build-graph', 'train-gnn', 'export'], minutes: 95 },
        'Running',
        'gpu-pending-capacity',
        16,
        1,
      );
    } else if (tenant.name === 'pricing') {
      recent(pipelines[1]!, 'Running', 'cpu-running', 7, 0);
    } else {
      recent(pipelines[0]!, 'Running', 'gpu-running', 26, 1);
      recent(pipelines[0]!, 'Succeeded', 'without-mlflow-run', 190, 3, { durationMinutes: 58 });
    }
  }
  return runs;
}

function iso(minutesAgo: number, now: number): string {
  return new Date(now - minutesAgo * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function workflowObject(run: PlannedRun, now: number): KubernetesObject & { spec: unknown; status: unknown } {
  const startedAt = iso(run.startedMinutesAgo, now);
  const finished = run.phase !== 'Running';
  const finishedAt = finished ? iso(run.startedMinutesAgo - (run.durationMinutes ?? 0), now) : null;
  const steps = run.pipeline.steps;
  const lastStep = run.phase === 'Succeeded' ? steps.length - 1 : run.stepIndex;
  const span = (run.durationMinutes ?? run.startedMinutesAgo) / (lastStep + 1);
  const nodes: Record<string, unknown> = {
    [run.name]: {
      id: run.name,
      name: run.name,
      displayName: run.name,
      type: 'Steps',
      templateName: 'main',
      phase: run.phase,
      startedAt,
      finishedAt,
      ...(run.message ? { message: run.message } : {}),
      children: steps.slice(0, lastStep + 1).map((_, i) => `${run.name}-${i}`),
    },
  };
  steps.slice(0, lastStep + 1).forEach((step, i) => {
    const isLast = i === lastStep;
    const phase: Phase = isLast ? run.phase : 'Succeeded';
    nodes[`${run.name}-${i}`] = {
      id: `${run.name}-${i}`,
      name: `${run.name}[${i}].${step}`,
      displayName: step,
      type: 'Pod',
      templateName: step,
      phase,
      boundaryID: run.name,
      startedAt: iso(run.startedMinutesAgo - i * span, now),
      finishedAt: isLast && !finished ? null : iso(run.startedMinutesAgo - (i + 1) * span, now),
      ...(isLast && run.message ? { message: run.message } : {}),
    };
  });
  const done = run.phase === 'Succeeded' ? steps.length : lastStep;
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: {
      name: run.name,
      namespace: run.tenant,
      labels: {
        'workflows.argoproj.io/phase': run.phase,
        'workflows.argoproj.io/completed': String(finished),
        'workflows.argoproj.io/workflow-template': run.pipeline.name,
        [LABELS.tenant]: run.tenant,
        'mlp.example.com/pipeline': run.pipeline.name,
        [LABELS.seeded]: 'true',
        ...(run.pipeline.logsMlflowRun ? { [LOGS_MLFLOW_RUN_LABEL]: 'true' } : {}),
      },
    },
    spec: {
      entrypoint: 'main',
      workflowTemplateRef: { name: run.pipeline.name },
      arguments: { parameters: [{ name: 'tenant', value: run.tenant }] },
      templates: [
        { name: 'main', steps: steps.map((step) => [{ name: step, template: step }]) },
        ...steps.map((step) => ({
          name: step,
          container: { image: run.pipeline.image, command: ['python', '-m', `pipeline.${step.replaceAll('-', '_')}`] },
        })),
      ],
    },
    status: {
      phase: run.phase,
      startedAt,
      finishedAt,
      progress: `${done}/${steps.length}`,
      estimatedDuration: run.pipeline.minutes * 60,
      ...(run.message ? { message: run.message } : {}),
      ...(finished
        ? {
            resourcesDuration: {
              cpu: Math.round((run.durationMinutes ?? 1) * 60 * 4),
              memory: Math.round((run.durationMinutes ?? 1) * 60 * 16),
            },
          }
        : {}),
      nodes,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Objects

function namespaceObjects(): KubernetesObject[] {
  const objects: KubernetesObject[] = [];
  for (const tenant of TENANTS) {
    objects.push({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: tenant.name,
        labels: { [LABELS.tenant]: tenant.name, [LABELS.managedBy]: MANAGED_BY },
        annotations: { 'mlp.example.com/display-name': tenant.displayName },
      },
    });
  }
  objects.push({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: SHARED_NAMESPACE,
      labels: { [LABELS.managedBy]: MANAGED_BY, 'mlp.example.com/platform': 'true' },
    },
  });
  return objects;
}

function tenantObjects(tenant: Tenant): KubernetesObject[] {
  const ns = tenant.name;
  const objects: KubernetesObject[] = [
    {
      apiVersion: 'v1',
      kind: 'ResourceQuota',
      metadata: { name: QUOTA_NAME, namespace: ns, labels: { [LABELS.managedBy]: MANAGED_BY } },
      spec: {
        hard: {
          'requests.nvidia.com/gpu': String(tenant.gpus),
          'requests.cpu': tenant.cpu,
          'requests.memory': tenant.memory,
        },
      },
    } as KubernetesObject,
    {
      apiVersion: 'v1',
      kind: 'LimitRange',
      metadata: { name: 'defaults', namespace: ns, labels: { [LABELS.managedBy]: MANAGED_BY } },
      spec: {
        limits: [
          { type: 'Container', defaultRequest: { cpu: '100m', memory: '128Mi' }, default: { cpu: '1', memory: '1Gi' } },
        ],
      },
    } as KubernetesObject,
  ];
  for (const [role, clusterRole] of Object.entries(TENANT_ROLES)) {
    objects.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: `mlp-${role}`, namespace: ns, labels: { [LABELS.managedBy]: MANAGED_BY } },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterRole },
      subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: `mlp:${ns}:${role}` }],
    } as KubernetesObject);
  }
  return objects;
}

const H100 = 'NVIDIA-H100-80GB-HBM3';
const A100 = 'NVIDIA-A100-SXM4-80GB';

function resources(gpus: number, cpu: string, memory: string) {
  const r: Record<string, string> = { cpu, memory, ...(gpus ? { 'nvidia.com/gpu': String(gpus) } : {}) };
  return { requests: r, limits: r };
}

/** The shared LLM gateway: 2 replicas, one per H100 node, 6 GPUs each. */
function sharedObjects(): KubernetesObject[] {
  const labels = { app: 'llm-gateway', [LABELS.seeded]: 'true' };
  return [
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'llm-gateway', namespace: SHARED_NAMESPACE },
      spec: { clusterIP: 'None', selector: { app: 'llm-gateway' }, ports: [{ name: 'http', port: 8080 }] },
    } as KubernetesObject,
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'llm-gateway', namespace: SHARED_NAMESPACE, labels },
      spec: {
        serviceName: 'llm-gateway',
        replicas: 2,
        selector: { matchLabels: { app: 'llm-gateway' } },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            nodeSelector: { 'nvidia.com/gpu.product': H100 },
            affinity: {
              podAntiAffinity: {
                requiredDuringSchedulingIgnoredDuringExecution: [
                  { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'llm-gateway' } } },
                ],
              },
            },
            containers: [
              {
                name: 'server',
                image: 'registry.example.com/platform/llm-gateway:0.9.2',
                resources: resources(6, '24', '320Gi'),
              },
            ],
          },
        },
      },
    } as KubernetesObject,
  ];
}

interface StepPod {
  run: PlannedRun;
  gpus: number;
  product?: string;
  cpu: string;
  memory: string;
  oomKilled?: boolean;
}

function stepPod(step: StepPod, workflowUid: string): V1Pod {
  const { run } = step;
  const stepName = run.pipeline.steps[run.stepIndex]!;
  const annotations: Record<string, string> = {
    'workflows.argoproj.io/node-name': `${run.name}[${run.stepIndex}].${stepName}`,
    'workflows.argoproj.io/node-id': `${run.name}-${run.stepIndex}`,
  };
  const labels: Record<string, string> = {
    'workflows.argoproj.io/workflow': run.name,
    'workflows.argoproj.io/completed': 'false',
    [LABELS.tenant]: run.tenant,
    'mlp.example.com/pipeline': run.pipeline.name,
    [LABELS.seeded]: 'true',
  };
  if (step.oomKilled) {
    // kwok's pod-container-running-failed stage: Running, then Failed with this reason and code.
    labels[OOM_KILLED_LABEL] = 'true';
    annotations[`${OOM_KILLED_LABEL}/reason`] = 'OOMKilled';
    annotations[`${OOM_KILLED_LABEL}/exit-code`] = '137';
    annotations[`${OOM_KILLED_LABEL}/delay`] = '2000';
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${run.name}-${stepName}-${run.stepIndex + 1}`,
      namespace: run.tenant,
      labels,
      annotations,
      ownerReferences: [
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Workflow',
          name: run.name,
          uid: workflowUid,
          blockOwnerDeletion: true,
          controller: true,
        },
      ],
    },
    spec: {
      restartPolicy: 'Never',
      automountServiceAccountToken: false,
      ...(step.product ? { nodeSelector: { 'nvidia.com/gpu.product': step.product } } : {}),
      containers: [
        {
          name: 'main',
          image: run.pipeline.image,
          command: ['python', '-m', `pipeline.${stepName.replaceAll('-', '_')}`],
          resources: resources(step.gpus, step.cpu, step.memory),
        },
      ],
    },
  };
}

/** A training Job that cannot start: fraud's quota lacks the GPUs it asks for. */
function quotaBlockedJob(): V1Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: 'fraud-retrain-full-history',
      namespace: 'fraud',
      labels: { [LABELS.tenant]: 'fraud', [LABELS.seeded]: 'true' },
    },
    spec: {
      backoffLimit: 2,
      template: {
        metadata: { labels: { [LABELS.tenant]: 'fraud', 'mlp.example.com/pipeline': 'fraud-retrain-full-history' } },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          containers: [
            {
              name: 'train',
              image: 'registry.example.com/fraud/trainer:2.4.1',
              resources: resources(8, '32', '256Gi'),
            },
          ],
        },
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Seeding

/**
 * Creates unless it exists. Reads first: a create of an existing pod would still pass quota
 * admission, which charges the quota's usage until the quota controller's next resync.
 */
async function createIfMissing(exists: () => Promise<unknown>, create: () => Promise<unknown>): Promise<boolean> {
  try {
    await exists();
    return false;
  } catch (error) {
    if (errorCode(error) !== 404) throw error;
  }
  try {
    await create();
    return true;
  } catch (error) {
    if (errorCode(error) === 409) return false;
    throw error;
  }
}

async function podState(core: CoreV1Api, namespace: string, name: string): Promise<V1Pod | null> {
  try {
    return await core.readNamespacedPod({ namespace, name });
  } catch {
    return null;
  }
}

async function hasEvent(
  ctx: StackContext,
  namespace: string,
  involvedName: string,
  reason: string,
  text: string,
): Promise<boolean> {
  const selector = encodeURIComponent(`involvedObject.name=${involvedName},reason=${reason}`);
  const response = await kubeRequest(ctx, ADMIN, `/api/v1/namespaces/${namespace}/events?fieldSelector=${selector}`);
  const items = (response.json as { items?: { message?: string }[] } | null)?.items ?? [];
  return items.some((e) => e.message?.includes(text));
}

async function defaultServiceAccounts(core: CoreV1Api, namespaces: string[]): Promise<boolean> {
  for (const namespace of namespaces) {
    try {
      await core.readNamespacedServiceAccount({ namespace, name: 'default' });
    } catch {
      return false;
    }
  }
  return true;
}

export async function seedKubernetes(ctx: StackContext): Promise<void> {
  const kc: KubeConfig = adminKubeConfig(ctx);
  const core = kc.makeApiClient(CoreV1Api);
  const batch = kc.makeApiClient(BatchV1Api);
  const custom = kc.makeApiClient(CustomObjectsApi);

  await applyObjects(kc, namespaceObjects());
  for (const tenant of TENANTS) await applyObjects(kc, tenantObjects(tenant));
  // Pods are admitted only once the ServiceAccount controller made each namespace's `default`.
  await waitFor(
    'the default ServiceAccounts',
    () => defaultServiceAccounts(core, [...TENANTS.map((t) => t.name), SHARED_NAMESPACE]),
    60_000,
  );
  await applyObjects(kc, sharedObjects());

  const now = Date.now();
  const plan = workflowPlan();
  let created = 0;
  for (const run of plan) {
    const body = workflowObject(run, now);
    const ref = { group: 'argoproj.io', version: 'v1alpha1', namespace: run.tenant, plural: 'workflows' };
    let existing: KubernetesObject | undefined;
    const exists = async () =>
      (existing = (await custom.getNamespacedCustomObject({ ...ref, name: run.name })) as KubernetesObject);
    if (await createIfMissing(exists, () => custom.createNamespacedCustomObject({ ...ref, body }))) created++;
    else if (run.pipeline.logsMlflowRun && existing?.metadata?.labels?.[LOGS_MLFLOW_RUN_LABEL] !== 'true')
      // Seeded before training pipelines declared their MLflow run: label them now.
      await custom.patchNamespacedCustomObject({
        ...ref,
        name: run.name,
        body: [{ op: 'add', path: `/metadata/labels/${LOGS_MLFLOW_RUN_LABEL.replace('/', '~1')}`, value: 'true' }],
      });
  }
  progress('seed', `Kubernetes: ${plan.length} pipeline runs (${created} new)`);

  // The shared gateway must hold its H100 GPUs before fraud's 4-GPU step asks for them.
  await waitFor(
    'the shared LLM gateway to run on both H100 nodes',
    async () => {
      const pods = await core.listNamespacedPod({ namespace: SHARED_NAMESPACE, labelSelector: 'app=llm-gateway' });
      return pods.items.filter((p) => p.status?.phase === 'Running').length === 2;
    },
    90_000,
  );

  const byRole = (tenant: string, role: RunRole) => plan.find((r) => r.tenant === tenant && r.role === role)!;
  const steps: StepPod[] = [
    { run: byRole('fraud', 'gpu-running'), gpus: 2, product: A100, cpu: '8', memory: '64Gi' },
    { run: byRole('fraud', 'oom-killed'), gpus: 1, product: A100, cpu: '8', memory: '48Gi', oomKilled: true },
    { run: byRole('fraud', 'gpu-pending-capacity'), gpus: 4, product: H100, cpu: '16', memory: '128Gi' },
    { run: byRole('pricing', 'cpu-running'), gpus: 0, cpu: '2', memory: '4Gi' },
    { run: byRole('forecast', 'gpu-running'), gpus: 1, cpu: '4', memory: '32Gi' },
  ];
  const pods: V1Pod[] = [];
  for (const step of steps) {
    const workflow = (await custom.getNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace: step.run.tenant,
      plural: 'workflows',
      name: step.run.name,
    })) as KubernetesObject;
    const pod = stepPod(step, workflow.metadata!.uid!);
    pods.push(pod);
    try {
      const { name, namespace } = { name: pod.metadata!.name!, namespace: step.run.tenant };
      await createIfMissing(
        () => core.readNamespacedPod({ namespace, name }),
        () => core.createNamespacedPod({ namespace, body: pod }),
      );
    } catch (error) {
      throw new Error(`creating pod ${step.run.tenant}/${pod.metadata!.name} failed: ${describeError(error)}`);
    }
  }
  // Last: it must meet fraud's quota with the pods above already counted.
  const job = quotaBlockedJob();
  await createIfMissing(
    () => batch.readNamespacedJob({ namespace: 'fraud', name: job.metadata!.name! }),
    () => batch.createNamespacedJob({ namespace: 'fraud', body: job }),
  );

  const [fraudRunning, oom, pendingCapacity, pricingRunning, forecastRunning] = pods.map((p) => ({
    namespace: p.metadata!.namespace!,
    name: p.metadata!.name!,
  }));
  for (const pod of [fraudRunning!, pricingRunning!, forecastRunning!]) {
    await waitFor(
      `pod ${pod.namespace}/${pod.name} to run`,
      async () => (await podState(core, pod.namespace, pod.name))?.status?.phase === 'Running',
      60_000,
    );
  }
  await waitFor(
    `pod ${oom!.namespace}/${oom!.name} to be OOMKilled`,
    async () =>
      (await podState(core, oom!.namespace, oom!.name))?.status?.containerStatuses?.some(
        (c) => c.state?.terminated?.reason === 'OOMKilled',
      ) ?? false,
    60_000,
  );
  await waitFor(
    `the scheduler to report ${pendingCapacity!.namespace}/${pendingCapacity!.name} unschedulable`,
    () =>
      hasEvent(
        ctx,
        pendingCapacity!.namespace,
        pendingCapacity!.name,
        'FailedScheduling',
        'Insufficient nvidia.com/gpu',
      ),
    60_000,
  );
  await waitFor(
    'the quota to refuse fraud-retrain-full-history',
    () => hasEvent(ctx, 'fraud', 'fraud-retrain-full-history', 'FailedCreate', 'exceeded quota'),
    60_000,
  );
  progress('seed', 'Kubernetes: GPU pods running, OOMKilled, pending on capacity and on quota');
}
