/**
 * A large platform on the local stack, for benchmarks of pages that read every tenant (and for
 * anyone who wants to see the portal at scale): by default 50 tenants `bench-00`…`bench-49`, each
 *
 * - a namespace labelled as a tenant's (so MLflow's Kubernetes workspace store lists it as a
 *   workspace too) with a `gpu-quota` ResourceQuota, and a portal database row (status active;
 *   managers, on-call and admins see every tenant through their platform roles);
 * - 10 InferenceServices served by the simulator (which plays KServe: status, predictor pods and
 *   request metrics per revision); every fourth one has a second revision as a 10 % canary, and
 *   every 25th of those canaries fails (errors injected into the simulator);
 * - 100 plain pods: most Running, one OOM-killed in every other tenant, two waiting for 4 H100
 *   GPUs the cluster does not have free, eight waiting for more CPU than any node has;
 * - 40 finished Argo Workflows over the last 7 days, with a bad week in every seventh tenant;
 *
 * in all 500 InferenceServices, 5,000 plain pods and 2,000 workflows.
 *
 * The pods run on dedicated kwok nodes `bench-node-NN` (tainted, so only bench pods go there): the
 * seeded nodes' pod slots and GPUs stay free for the demo and the tests, and the cluster's GPU
 * total does not change. Running pods are bound to those nodes directly, as the scheduler would
 * have bound them (it would take minutes on a small machine); pending pods and the simulator's
 * predictor pods go through the real scheduler.
 *
 * Idempotent (re-running creates only what is missing); everything carries the label
 * `mlp.example.com/bench=large-platform`, and `removeLargePlatform` deletes it all again (bench
 * namespaces with their contents, bench nodes, bench tenant rows) without touching anything else.
 */
import { Agent, request as httpsRequest, type RequestOptions } from 'node:https';
import type { KubernetesObject } from '@kubernetes/client-node';
import { admissionParams, PARAMS_CONFIGMAP } from '../../lib/admission/guard';
import { createPrismaClient } from '../../lib/db/client';
import { ANNOTATIONS } from '../../lib/promotion/evidence';
import { DEFAULT_POLICY } from '../../lib/promotion/policy';
import { adminKubeConfig } from '../kubernetes/apply';
import { PORTAL_USER } from '../kubernetes/identities';
import { nodeObject } from '../kubernetes/nodes';
import type { StackContext } from '../lib/context';
import { LABELS, OOM_KILLED_LABEL, QUOTA_NAME } from './kubernetes';
import { randomFor } from '../lib/random';

export interface LargePlatformSize {
  tenants: number;
  servicesPerTenant: number;
  podsPerTenant: number;
  workflowsPerTenant: number;
}

/** 50 tenants, 500 InferenceServices, 5,000 pods, 2,000 workflows. */
export const LARGE_PLATFORM: LargePlatformSize = {
  tenants: 50,
  servicesPerTenant: 10,
  podsPerTenant: 100,
  workflowsPerTenant: 40,
};

export const BENCH_LABEL = 'mlp.example.com/bench';
export const BENCH_LABEL_VALUE = 'large-platform';
const BENCH_SELECTOR = `${BENCH_LABEL}=${BENCH_LABEL_VALUE}`;
/** The portal's tenant rows of the large platform say so; only rows with it are removed. */
export const BENCH_TENANT_DESCRIPTION =
  'Benchmark tenant of the large platform (stack/seed/large-platform.ts); removed when the benchmark ends.';
const MANAGED_BY = 'ml-platform-portal';
const BENCH_POOL = 'bench';
const BENCH_TAINT = { key: BENCH_LABEL, value: BENCH_LABEL_VALUE, effect: 'NoSchedule' } as const;
const BENCH_TOLERATION = {
  key: BENCH_LABEL,
  operator: 'Equal',
  value: BENCH_LABEL_VALUE,
  effect: 'NoSchedule',
} as const;
const H100 = 'NVIDIA-H100-80GB-HBM3';

/** Pods per bench node; bound pods fill it to NODE_BOUND_PODS, leaving room for predictor pods. */
const NODE_PODS = 500;
const NODE_BOUND_PODS = 400;

const PENDING_GPU_PODS = 2;
const PENDING_GPU_EACH = 4;
const PENDING_CPU_PODS = 8;
const TENANT_GPU_QUOTA = PENDING_GPU_PODS * PENDING_GPU_EACH + 4;
const CANARY_PERCENT = 10;

const SERVICE_NAMES = [
  'churn-scorer',
  'fraud-scorer',
  'demand-forecaster',
  'price-optimizer',
  'recommender',
  'search-ranker',
  'text-embedder',
  'anomaly-detector',
  'ticket-classifier',
  'image-tagger',
];
const WORKLOADS = ['feature-server', 'batch-scorer', 'notebook', 'etl-worker', 'label-sync'];
const PIPELINES = [
  { name: 'train', steps: 4, minutes: 45 },
  { name: 'feature-backfill', steps: 3, minutes: 20 },
  { name: 'batch-score', steps: 3, minutes: 12 },
];

export function benchTenantName(index: number): string {
  return `bench-${String(index).padStart(2, '0')}`;
}

const INFERENCE_SERVICES = { group: 'serving.kserve.io', version: 'v1beta1', plural: 'inferenceservices' } as const;
const WORKFLOWS = { group: 'argoproj.io', version: 'v1alpha1', plural: 'workflows' } as const;

// ---------------------------------------------------------------------------------------------
// The plan: every object, deterministically (pure, so its counts are tested without a cluster)

type Obj = KubernetesObject & Record<string, unknown>;

export type PodRole = 'running' | 'oom-killed' | 'pending-gpu' | 'pending-cpu';

export interface PlannedService {
  name: string;
  /** The body to create (stable revision). */
  stable: Obj;
  /** The predictor to patch in afterwards for a canary (second revision), if this one has one. */
  canaryPredictor?: Record<string, unknown>;
  canaryAnnotations?: Record<string, string>;
  /** An error rate the simulator injects into the canary. */
  canaryErrorRate?: number;
}

export interface PlannedTenant {
  name: string;
  displayName: string;
  namespace: Obj;
  quota: Obj;
  services: PlannedService[];
  pods: { role: PodRole; body: Obj }[];
  workflows: Obj[];
}

export interface LargePlatformPlan {
  nodes: Obj[];
  tenants: PlannedTenant[];
}

const benchLabels = (tenant: string) => ({ [LABELS.tenant]: tenant, [BENCH_LABEL]: BENCH_LABEL_VALUE });

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Pending pods last: each deletion of a bound pod sends the pending ones back to the scheduler. */
function podRoles(tenantIndex: number, count: number): PodRole[] {
  const running = count - PENDING_GPU_PODS - PENDING_CPU_PODS - (tenantIndex % 2 === 0 ? 1 : 0);
  return Array.from({ length: count }, (_, i): PodRole => {
    if (i < running) return 'running';
    if (i < count - PENDING_GPU_PODS - PENDING_CPU_PODS) return 'oom-killed';
    if (i < count - PENDING_GPU_PODS) return 'pending-cpu';
    return 'pending-gpu';
  });
}

function nodeCount(size: LargePlatformSize): number {
  const bound =
    size.tenants * podRoles(0, size.podsPerTenant).filter((r) => r === 'running' || r === 'oom-killed').length;
  const predictors = Math.ceil(size.tenants * size.servicesPerTenant * 1.25);
  return Math.max(1, Math.ceil(bound / NODE_BOUND_PODS), Math.ceil(predictors / (NODE_PODS - NODE_BOUND_PODS)));
}

function benchNode(index: number): Obj {
  const base = nodeObject({
    name: `bench-node-${String(index).padStart(2, '0')}`,
    // 200 nodes per /24 (2,000 tenants' worth would need 450 nodes).
    ip: `10.0.${9 + Math.floor(index / 200)}.${10 + (index % 200)}`,
    pool: BENCH_POOL,
    instanceType: 'm6i.16xlarge',
    zone: index % 2 === 0 ? 'local-a' : 'local-b',
    cpu: '64',
    memory: '256Gi',
  });
  const resources = { ...base.status!.capacity, pods: String(NODE_PODS) };
  return {
    ...base,
    metadata: { ...base.metadata, labels: { ...base.metadata!.labels, [BENCH_LABEL]: BENCH_LABEL_VALUE } },
    spec: { taints: [BENCH_TAINT] },
    status: { ...base.status, capacity: resources, allocatable: resources },
  } as Obj;
}

function predictor(tenant: string, service: string, version: number): Record<string, unknown> {
  const run = runId(`${tenant}/${service}/${version}`);
  return {
    minReplicas: 1,
    maxReplicas: 3,
    labels: { 'mlp.example.com/model': service },
    nodeSelector: { 'mlp.example.com/pool': BENCH_POOL },
    tolerations: [BENCH_TOLERATION],
    model: {
      modelFormat: { name: 'mlflow' },
      protocolVersion: 'v2',
      // A run's model folder, as the admission guard requires of the run named in the evidence.
      storageUri: `s3://mlflow-artifacts/workspaces/${tenant}/bench/${run}/artifacts/model`,
      resources: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
    },
  };
}

function guardParams(tenant: string): Obj {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: PARAMS_CONFIGMAP, namespace: tenant, labels: { [BENCH_LABEL]: BENCH_LABEL_VALUE } },
    data: { ...admissionParams(DEFAULT_POLICY) },
  } as Obj;
}

function runId(seed: string): string {
  const random = randomFor(seed);
  return Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join('');
}

function services(tenant: string, tenantIndex: number, count: number): PlannedService[] {
  return Array.from({ length: count }, (_, i) => {
    const name =
      SERVICE_NAMES[i % SERVICE_NAMES.length]! +
      (i >= SERVICE_NAMES.length ? `-${Math.floor(i / SERVICE_NAMES.length) + 1}` : '');
    // The evidence a promotion writes: the cluster's admission guard refuses model changes without it.
    const evidence = (version: number) => ({
      [ANNOTATIONS.request]: `bench-${tenant}-${name}-v${version}`,
      [ANNOTATIONS.modelName]: name,
      [ANNOTATIONS.modelVersion]: String(version),
      [ANNOTATIONS.runId]: runId(`${tenant}/${name}/${version}`),
      [ANNOTATIONS.holdoutMetric]: `holdout_auc=${(0.9 + version / 100).toFixed(4)}`,
      [ANNOTATIONS.modelCard]: `https://models.example.com/${tenant}/${name}/v${version}`,
      [ANNOTATIONS.approvers]: 'bench-approver',
      [ANNOTATIONS.requester]: 'bench-requester',
    });
    const stable: Obj = {
      apiVersion: `${INFERENCE_SERVICES.group}/${INFERENCE_SERVICES.version}`,
      kind: 'InferenceService',
      metadata: {
        name,
        namespace: tenant,
        labels: { ...benchLabels(tenant), 'mlp.example.com/model': name },
        annotations: evidence(1),
      },
      spec: { predictor: predictor(tenant, name, 1) },
    };
    const ordinal = tenantIndex * count + i;
    if (ordinal % 4 !== 0) return { name, stable };
    const canaryOrdinal = ordinal / 4;
    return {
      name,
      stable,
      canaryPredictor: { ...predictor(tenant, name, 2), canaryTrafficPercent: CANARY_PERCENT },
      canaryAnnotations: {
        ...evidence(2),
        [ANNOTATIONS.previousStorageUri]: (predictor(tenant, name, 1).model as { storageUri: string }).storageUri,
        [ANNOTATIONS.previousVersion]: '1',
        [ANNOTATIONS.previousEvidence]: JSON.stringify(evidence(1)),
      },
      ...(canaryOrdinal % 25 === 0 ? { canaryErrorRate: 0.08 } : {}),
    };
  });
}

function pod(tenant: string, index: number, role: PodRole, nodeName: string | undefined): Obj {
  const workload =
    role === 'pending-gpu'
      ? 'llm-finetune'
      : role === 'pending-cpu'
        ? 'spark-driver'
        : role === 'oom-killed'
          ? 'train-embeddings'
          : WORKLOADS[index % WORKLOADS.length]!;
  const labels: Record<string, string> = { ...benchLabels(tenant), app: workload };
  const annotations: Record<string, string> = {};
  if (role === 'oom-killed') {
    // kwok's pod-container-running-failed stage: Running, then Failed with this reason and code.
    labels[OOM_KILLED_LABEL] = 'true';
    annotations[`${OOM_KILLED_LABEL}/reason`] = 'OOMKilled';
    annotations[`${OOM_KILLED_LABEL}/exit-code`] = '137';
    annotations[`${OOM_KILLED_LABEL}/delay`] = '2000';
  }
  const requests: Record<string, string> =
    role === 'pending-gpu'
      ? { cpu: '16', memory: '128Gi', 'nvidia.com/gpu': String(PENDING_GPU_EACH) }
      : role === 'pending-cpu'
        ? { cpu: '96', memory: '64Gi' }
        : { cpu: '100m', memory: '256Mi' };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `${workload}-${String(index).padStart(3, '0')}`, namespace: tenant, labels, annotations },
    spec: {
      restartPolicy: role === 'running' ? 'Always' : 'Never',
      automountServiceAccountToken: false,
      ...(nodeName ? { nodeName } : {}),
      nodeSelector:
        role === 'pending-gpu' ? { 'nvidia.com/gpu.product': H100 } : { 'mlp.example.com/pool': BENCH_POOL },
      tolerations: [BENCH_TOLERATION],
      containers: [
        {
          name: 'main',
          image: `registry.example.com/${tenant}/${workload}:1.0.0`,
          resources: { requests, limits: requests },
        },
      ],
    },
  };
}

function workflows(tenant: string, tenantIndex: number, count: number, now: number): Obj[] {
  const random = randomFor(`workflows/${tenant}`);
  const failureRate = tenantIndex % 7 === 3 ? 0.2 : 0.03;
  const week = 7 * 24 * 60 * 60_000;
  return Array.from({ length: count }, (_, i) => {
    const pipeline = PIPELINES[i % PIPELINES.length]!;
    const name = `${pipeline.name}-${String(i).padStart(4, '0')}`;
    const roll = random();
    const phase = roll < failureRate * 0.7 ? 'Failed' : roll < failureRate ? 'Error' : 'Succeeded';
    const minutes = Math.max(
      2,
      Math.round(pipeline.minutes * (0.6 + random() * 0.8) * (phase === 'Succeeded' ? 1 : 0.5)),
    );
    const startedAt = now - ((count - i) / count) * (week - 4 * 60 * 60_000) - minutes * 60_000;
    const done = phase === 'Succeeded' ? pipeline.steps : 1 + Math.floor(random() * (pipeline.steps - 1));
    return {
      apiVersion: `${WORKFLOWS.group}/${WORKFLOWS.version}`,
      kind: 'Workflow',
      metadata: {
        name,
        namespace: tenant,
        labels: {
          ...benchLabels(tenant),
          'workflows.argoproj.io/phase': phase,
          'workflows.argoproj.io/completed': 'true',
          'workflows.argoproj.io/workflow-template': `${tenant}-${pipeline.name}`,
          'mlp.example.com/pipeline': `${tenant}-${pipeline.name}`,
        },
      },
      spec: {
        entrypoint: 'main',
        workflowTemplateRef: { name: `${tenant}-${pipeline.name}` },
        arguments: { parameters: [{ name: 'tenant', value: tenant }] },
      },
      status: {
        phase,
        startedAt: iso(startedAt),
        finishedAt: iso(startedAt + minutes * 60_000),
        progress: `${done}/${pipeline.steps}`,
        estimatedDuration: pipeline.minutes * 60,
        resourcesDuration: { cpu: minutes * 60 * 4, memory: minutes * 60 * 16 },
        ...(phase === 'Failed'
          ? { message: 'child step "evaluate" failed: validation gate failed' }
          : phase === 'Error'
            ? { message: 'pod deleted' }
            : {}),
      },
    };
  });
}

/** Every object of the large platform; workflow times are relative to `now`. */
export function largePlatformPlan(size: LargePlatformSize = LARGE_PLATFORM, now = Date.now()): LargePlatformPlan {
  const nodes = Array.from({ length: nodeCount(size) }, (_, i) => benchNode(i));
  let boundSlot = 0;
  const nextNode = () => nodes[Math.floor(boundSlot++ / NODE_BOUND_PODS)]!.metadata!.name!;
  const tenants = Array.from({ length: size.tenants }, (_, t): PlannedTenant => {
    const name = benchTenantName(t);
    const displayName = `Bench tenant ${String(t).padStart(2, '0')}`;
    return {
      name,
      displayName,
      namespace: {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: {
          name,
          labels: { ...benchLabels(name), [LABELS.managedBy]: MANAGED_BY },
          annotations: {
            'mlp.example.com/display-name': displayName,
            'mlflow.kubeflow.org/workspace-description': BENCH_TENANT_DESCRIPTION,
          },
        },
      },
      quota: {
        apiVersion: 'v1',
        kind: 'ResourceQuota',
        metadata: {
          name: QUOTA_NAME,
          namespace: name,
          labels: { [LABELS.managedBy]: MANAGED_BY, [BENCH_LABEL]: BENCH_LABEL_VALUE },
        },
        spec: { hard: { 'requests.nvidia.com/gpu': String(TENANT_GPU_QUOTA) } },
      },
      services: services(name, t, size.servicesPerTenant),
      pods: podRoles(t, size.podsPerTenant).map((role, i) => ({
        role,
        body: pod(name, i, role, role === 'running' || role === 'oom-killed' ? nextNode() : undefined),
      })),
      workflows: workflows(name, t, size.workflowsPerTenant, now),
    };
  });
  return { nodes, tenants };
}

// ---------------------------------------------------------------------------------------------
// A small JSON client for the API server: one keep-alive connection pool, as the stack's admin

interface KubeAnswer {
  status: number;
  body: unknown;
}

type Kube = (
  method: string,
  path: string,
  body?: unknown,
  contentType?: string,
  accept?: string,
  as?: string,
) => Promise<KubeAnswer>;

async function adminClient(ctx: StackContext, concurrency: number): Promise<{ kube: Kube; close: () => void }> {
  const kubeConfig = adminKubeConfig(ctx);
  const server = kubeConfig.getCurrentCluster()!.server;
  const tls: RequestOptions = {};
  await kubeConfig.applyToHTTPSOptions(tls);
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency, ca: tls.ca, cert: tls.cert, key: tls.key });
  // `as`: impersonated (the admin may), e.g. the portal's identity for what the admission guard lets only the portal write.
  const kube: Kube = (method, path, body, contentType = 'application/json', accept = 'application/json', as) =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = httpsRequest(
        `${server}${path}`,
        {
          method,
          agent,
          timeout: 60_000,
          headers: {
            Accept: accept,
            ...(payload ? { 'Content-Type': contentType } : {}),
            ...(as ? { 'Impersonate-User': as } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // not JSON: keep the text for the error message
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within 60 s`)));
      req.on('error', reject);
      if (payload) req.write(payload);
      req.end();
    });
  return { kube, close: () => agent.destroy() };
}

function failure(what: string, answer: KubeAnswer): Error {
  const message = (answer.body as { message?: string } | null)?.message ?? String(answer.body).slice(0, 300);
  return new Error(`${what}: HTTP ${answer.status} ${message}`);
}

/** Creates `body` at `path` (as `as`, impersonated, when given); an existing object (409) is fine. True when it was created. */
async function create(kube: Kube, path: string, body: Obj, as?: string): Promise<boolean> {
  const answer = await kube('POST', path, body, undefined, undefined, as);
  if (answer.status === 201 || answer.status === 200) return true;
  if (answer.status === 409) return false;
  throw failure(`creating ${body.kind} ${body.metadata?.namespace ?? ''}/${body.metadata?.name}`, answer);
}

interface Listed {
  metadata: { name: string; namespace?: string; deletionTimestamp?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

async function list(
  kube: Kube,
  path: string,
  query: Record<string, string> = { labelSelector: BENCH_SELECTOR },
  { metadataOnly = false } = {},
): Promise<Listed[]> {
  const accept = metadataOnly
    ? 'application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1,application/json'
    : 'application/json';
  const answer = await kube('GET', `${path}?${new URLSearchParams(query).toString()}`, undefined, undefined, accept);
  if (answer.status !== 200) throw failure(`listing ${path}`, answer);
  // A PartialObjectMetadataList without items has `items: null`.
  return (answer.body as { items: Listed[] | null }).items ?? [];
}

const key = (o: { metadata?: { namespace?: string; name?: string } }) =>
  `${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;

/** Runs `work` over `items` with at most `limit` in flight; `onDone` after each. */
async function inParallel<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
  onDone?: (done: number) => void,
): Promise<void> {
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await work(item);
      onDone?.(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Every item of each tenant in turn (round robin), so concurrent writes spread over namespaces. */
function interleave<T>(groups: T[][]): T[] {
  const result: T[] = [];
  const longest = Math.max(0, ...groups.map((g) => g.length));
  for (let i = 0; i < longest; i++) for (const group of groups) if (i < group.length) result.push(group[i]!);
  return result;
}

/**
 * Waits for `check`. A check that throws (a list the saturated API server answered late or not at
 * all, as at 500 tenants while kwok starts pods) counts as "not yet"; the last error is named if
 * the wait runs out.
 */
async function until(what: string, check: () => Promise<boolean>, timeoutMs: number, every = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      if (await check()) return;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `${what}: not within ${Math.round(timeoutMs / 1000)} s${lastError ? ` (last check failed: ${String(lastError)})` : ''}`,
      );
    await new Promise((resolve) => setTimeout(resolve, every));
  }
}

// ---------------------------------------------------------------------------------------------
// Seeding and removal

export interface PhaseResult {
  phase: string;
  ms: number;
  /** What the phase did, in words: "500 created, 0 already there". */
  detail: string;
}

export interface LargePlatformOptions {
  /** The portal database the tenant rows go into (migrated). */
  databaseUrl: string;
  size?: LargePlatformSize;
  /** Kubernetes writes in flight at once (default 16). */
  concurrency?: number;
  /** The simulator's base URL, to inject the failing canaries' errors. */
  simulatorUrl: string;
  log?: (line: string) => void;
}

async function timed(
  phases: PhaseResult[],
  phase: string,
  log: (line: string) => void,
  work: () => Promise<string>,
): Promise<void> {
  const started = Date.now();
  log(`${phase}…`);
  const detail = await work();
  const result = { phase, ms: Date.now() - started, detail };
  phases.push(result);
  log(`${phase}: ${detail} (${(result.ms / 1000).toFixed(1)} s)`);
}

function progressEvery(log: (line: string) => void, what: string, total: number): (done: number) => void {
  const step = Math.max(1, Math.round(total / 10));
  return (done) => {
    if (done % step === 0 || done === total) log(`  ${what}: ${done}/${total}`);
  };
}

interface ServiceStatus {
  components?: {
    predictor?: { latestCreatedRevision?: string; latestRolledoutRevision?: string; traffic?: { percent: number }[] };
  };
}

export async function seedLargePlatform(ctx: StackContext, options: LargePlatformOptions): Promise<PhaseResult[]> {
  const size = options.size ?? LARGE_PLATFORM;
  const concurrency = options.concurrency ?? 16;
  const log = options.log ?? ((line: string) => console.log(line));
  const plan = largePlatformPlan(size);
  const names = new Set(plan.tenants.map((t) => t.name));
  // The waits for the simulator and kwok grow with the platform (measured: minutes at 500 tenants).
  const patience = Math.max(1, size.tenants / LARGE_PLATFORM.tenants);
  const phases: PhaseResult[] = [];
  const { kube, close } = await adminClient(ctx, concurrency);
  try {
    await timed(phases, 'earlier removal finished', log, async () => {
      const terminating = async () =>
        (await list(kube, '/api/v1/namespaces')).filter((ns) => ns.metadata.deletionTimestamp).length;
      const waiting = await terminating();
      if (waiting)
        await until(
          `${waiting} bench namespaces still being deleted`,
          async () => (await terminating()) === 0,
          600_000,
        );
      return waiting ? `waited for ${waiting} namespaces being deleted` : 'nothing being deleted';
    });

    await timed(phases, 'bench nodes', log, async () => {
      const existing = new Set(
        (await list(kube, '/api/v1/nodes', { labelSelector: BENCH_SELECTOR }, { metadataOnly: true })).map(
          (n) => n.metadata.name,
        ),
      );
      let created = 0;
      for (const node of plan.nodes) {
        const name = node.metadata!.name!;
        if (existing.has(name)) continue;
        const { status, ...withoutStatus } = node;
        if (await create(kube, '/api/v1/nodes', withoutStatus as Obj)) created++;
        const { addresses, allocatable, capacity, nodeInfo } = status as Record<string, unknown>;
        const patched = await kube(
          'PATCH',
          `/api/v1/nodes/${name}/status`,
          { status: { addresses, allocatable, capacity, nodeInfo } },
          'application/merge-patch+json',
        );
        if (patched.status !== 200) throw failure(`setting the status of node ${name}`, patched);
      }
      const ready = async () =>
        (await list(kube, '/api/v1/nodes')).filter((n) =>
          ((n.status?.conditions ?? []) as { type: string; status: string }[]).some(
            (c) => c.type === 'Ready' && c.status === 'True',
          ),
        ).length >= plan.nodes.length;
      await until('the bench nodes to be Ready (kwok)', ready, 90_000, 500);
      return `${plan.nodes.length} nodes of ${NODE_PODS} pods (${created} new), Ready`;
    });

    await timed(phases, 'namespaces and GPU quotas', log, async () => {
      let created = 0;
      await inParallel(plan.tenants, concurrency, async (tenant) => {
        if (await create(kube, '/api/v1/namespaces', tenant.namespace)) created++;
        await create(kube, `/api/v1/namespaces/${tenant.name}/resourcequotas`, tenant.quota);
        // The admission guard's parameters (the default policy's), which only the portal may write.
        await create(kube, `/api/v1/namespaces/${tenant.name}/configmaps`, guardParams(tenant.name), PORTAL_USER);
      });
      // Pods are admitted only once the ServiceAccount controller has made each namespace's `default`.
      await until(
        'the default ServiceAccounts of the bench namespaces',
        async () =>
          (await list(kube, '/api/v1/serviceaccounts', { fieldSelector: 'metadata.name=default' })).filter((sa) =>
            names.has(sa.metadata.namespace ?? ''),
          ).length >= names.size,
        120_000,
        500,
      );
      return `${plan.tenants.length} tenants (${created} new), ${TENANT_GPU_QUOTA} GPUs of quota each`;
    });

    await timed(phases, 'InferenceServices', log, async () => {
      const path = (ns: string) =>
        `/apis/${INFERENCE_SERVICES.group}/${INFERENCE_SERVICES.version}/namespaces/${ns}/${INFERENCE_SERVICES.plural}`;
      const all = plan.tenants.flatMap((t) => t.services.map((s) => ({ tenant: t.name, service: s })));
      const existing = new Set(
        (
          await list(
            kube,
            `/apis/${INFERENCE_SERVICES.group}/${INFERENCE_SERVICES.version}/${INFERENCE_SERVICES.plural}`,
            { labelSelector: BENCH_SELECTOR },
            { metadataOnly: true },
          )
        ).map(key),
      );
      const missing = interleave(
        plan.tenants.map((t) =>
          t.services.filter((s) => !existing.has(`${t.name}/${s.name}`)).map((s) => ({ tenant: t.name, service: s })),
        ),
      );
      await inParallel(
        missing,
        concurrency,
        async ({ tenant, service }) => void (await create(kube, path(tenant), service.stable, PORTAL_USER)),
        progressEvery(log, 'created', missing.length),
      );

      // From the watch cache: read whole from etcd every 3 s, 5,000 services timed out at 500 tenants.
      const read = async () =>
        new Map(
          (
            await list(
              kube,
              `/apis/${INFERENCE_SERVICES.group}/${INFERENCE_SERVICES.version}/${INFERENCE_SERVICES.plural}`,
              { labelSelector: BENCH_SELECTOR, resourceVersion: '0' },
            )
          ).map((o) => [key(o), o]),
        );
      const canaries = all.filter(({ service }) => service.canaryPredictor);
      const isCanary = (o: Listed | undefined) =>
        (o?.spec?.predictor as { canaryTrafficPercent?: number } | undefined)?.canaryTrafficPercent === CANARY_PERCENT;
      const predictorStatus = (o: Listed | undefined) =>
        (o?.status as ServiceStatus | undefined)?.components?.predictor;
      // A canary starts from a rolled-out stable revision: wait until the simulator has rolled each out.
      let current = new Map<string, Listed>();
      await until(
        'reading the InferenceServices',
        async () => {
          current = await read();
          return true;
        },
        300_000,
        3_000,
      );
      const toSplit = canaries.filter(({ tenant, service }) => !isCanary(current.get(`${tenant}/${service.name}`)));
      await until(
        'the simulator to roll out the stable revisions',
        async () => {
          current = await read();
          const waiting = toSplit.filter(
            ({ tenant, service }) =>
              !predictorStatus(current.get(`${tenant}/${service.name}`))?.latestRolledoutRevision,
          ).length;
          log(`  stable revisions rolled out: ${toSplit.length - waiting}/${toSplit.length}`);
          return waiting === 0;
        },
        600_000 * patience,
        3_000,
      );
      await inParallel(toSplit, concurrency, async ({ tenant, service }) => {
        const patched = await kube(
          'PATCH',
          `${path(tenant)}/${service.name}`,
          [
            { op: 'replace', path: '/spec/predictor', value: service.canaryPredictor },
            { op: 'replace', path: '/metadata/annotations', value: service.canaryAnnotations },
          ],
          'application/json-patch+json',
          undefined,
          PORTAL_USER,
        );
        if (patched.status !== 200) throw failure(`starting the canary of ${tenant}/${service.name}`, patched);
      });
      await until(
        'the simulator to split traffic for every canary and report every service',
        async () => {
          current = await read();
          const statusless = all.filter(
            ({ tenant, service }) => !predictorStatus(current.get(`${tenant}/${service.name}`))?.latestCreatedRevision,
          ).length;
          const unsplit = canaries.filter(
            ({ tenant, service }) =>
              (predictorStatus(current.get(`${tenant}/${service.name}`))?.traffic?.length ?? 0) < 2,
          ).length;
          log(
            `  services with status: ${all.length - statusless}/${all.length}; canaries split: ${canaries.length - unsplit}/${canaries.length}`,
          );
          return statusless === 0 && unsplit === 0;
        },
        600_000 * patience,
        3_000,
      );
      const failing = canaries.filter(({ service }) => service.canaryErrorRate !== undefined);
      for (const { tenant, service } of failing) {
        const response = await fetch(`${options.simulatorUrl}/faults`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            namespace: tenant,
            service: service.name,
            target: 'canary',
            errorRate: service.canaryErrorRate,
          }),
        });
        if (!response.ok)
          throw new Error(`the simulator refused the fault for ${tenant}/${service.name}: ${await response.text()}`);
      }
      return `${all.length} services (${missing.length} new), ${canaries.length} canaries at ${CANARY_PERCENT} % (${toSplit.length} started now), ${failing.length} failing`;
    });

    await timed(phases, 'pods', log, async () => {
      const existing = new Set(
        (
          await list(
            kube,
            '/api/v1/pods',
            { labelSelector: BENCH_SELECTOR, resourceVersion: '0' },
            { metadataOnly: true },
          )
        ).map(key),
      );
      const missing = interleave(
        plan.tenants.map((t) =>
          t.pods.filter((p) => !existing.has(key(p.body))).map((p) => ({ tenant: t.name, body: p.body })),
        ),
      );
      await inParallel(
        missing,
        concurrency,
        async ({ tenant, body }) => void (await create(kube, `/api/v1/namespaces/${tenant}/pods`, body)),
        progressEvery(log, 'created', missing.length),
      );
      return `${plan.tenants.length * size.podsPerTenant} pods (${missing.length} new)`;
    });

    await timed(phases, 'workflows', log, async () => {
      const existing = new Set(
        (
          await list(
            kube,
            `/apis/${WORKFLOWS.group}/${WORKFLOWS.version}/${WORKFLOWS.plural}`,
            { labelSelector: BENCH_SELECTOR },
            { metadataOnly: true },
          )
        ).map(key),
      );
      const missing = interleave(plan.tenants.map((t) => t.workflows.filter((w) => !existing.has(key(w)))));
      await inParallel(
        missing,
        concurrency,
        async (body) =>
          void (await create(
            kube,
            `/apis/${WORKFLOWS.group}/${WORKFLOWS.version}/namespaces/${body.metadata!.namespace}/${WORKFLOWS.plural}`,
            body,
          )),
        progressEvery(log, 'created', missing.length),
      );
      return `${plan.tenants.length * size.workflowsPerTenant} workflows (${missing.length} new)`;
    });

    await timed(phases, 'portal tenants', log, async () => {
      const db = createPrismaClient(options.databaseUrl);
      try {
        const { count } = await db.tenant.createMany({
          data: plan.tenants.map((t) => ({
            name: t.name,
            displayName: t.displayName,
            description: BENCH_TENANT_DESCRIPTION,
            status: 'active' as const,
          })),
          skipDuplicates: true,
        });
        return `${plan.tenants.length} active tenant rows (${count} new)`;
      } finally {
        await db.$disconnect();
      }
    });

    await timed(phases, 'settled', log, async () => {
      const bound = plan.tenants.flatMap((t) => t.pods.filter((p) => p.role === 'running'));
      const oomKilled = plan.tenants.flatMap((t) => t.pods.filter((p) => p.role === 'oom-killed'));
      const predictors = plan.tenants.reduce(
        (n, t) => n + t.services.length + t.services.filter((s) => s.canaryPredictor).length,
        0,
      );
      await until(
        'the pods to run (kwok) and the OOM-killed ones to fail',
        async () => {
          const { pods } = await podCensus(kube);
          log(
            `  pods running ${pods.running}/${bound.length + predictors}, OOM-killed ${pods.oomKilled}/${oomKilled.length}, pending ${pods.pending}`,
          );
          return pods.running >= bound.length + predictors && pods.oomKilled >= oomKilled.length;
        },
        600_000 * patience,
        5_000,
      );
      return describeCensus(await largePlatformCensus(ctx, kube));
    });
    return phases;
  } finally {
    close();
  }
}

export interface LargePlatformCensus {
  namespaces: number;
  nodes: number;
  services: number;
  canaries: number;
  workflows: number;
  pods: { total: number; running: number; pending: number; oomKilled: number; predictors: number };
}

/** What of the large platform is in the cluster now. */
export async function largePlatformCensus(ctx: StackContext, kube?: Kube): Promise<LargePlatformCensus> {
  const own = kube ? null : await adminClient(ctx, 4);
  const k = kube ?? own!.kube;
  try {
    const services = await list(
      k,
      `/apis/${INFERENCE_SERVICES.group}/${INFERENCE_SERVICES.version}/${INFERENCE_SERVICES.plural}`,
    );
    const { namespaces, pods } = await podCensus(k);
    return {
      namespaces,
      nodes: (await list(k, '/api/v1/nodes', { labelSelector: BENCH_SELECTOR }, { metadataOnly: true })).length,
      services: services.length,
      canaries: services.filter(
        (s) => ((s.status as ServiceStatus | undefined)?.components?.predictor?.traffic?.length ?? 0) > 1,
      ).length,
      workflows: (
        await list(
          k,
          `/apis/${WORKFLOWS.group}/${WORKFLOWS.version}/${WORKFLOWS.plural}`,
          { labelSelector: BENCH_SELECTOR },
          { metadataOnly: true },
        )
      ).length,
      pods,
    };
  } finally {
    own?.close();
  }
}

/**
 * The bench namespaces' pods by phase. Read from the API server's watch cache
 * (`resourceVersion=0`), names only where names suffice: at 500 tenants (56,000 pods) reading
 * them whole from etcd took 167 s a census while kwok was still starting pods.
 */
async function podCensus(k: Kube): Promise<{ namespaces: number; pods: LargePlatformCensus['pods'] }> {
  const namespaces = new Set((await list(k, '/api/v1/namespaces')).map((n) => n.metadata.name));
  const inBench = (o: Listed) => namespaces.has(o.metadata.namespace ?? '');
  const pods = async (query: Record<string, string>, metadataOnly = true) =>
    (await list(k, '/api/v1/pods', { ...query, resourceVersion: '0' }, { metadataOnly })).filter(inBench);
  const oomKilled = (p: Listed) =>
    (
      (p.status as { containerStatuses?: { state?: { terminated?: { reason?: string } } }[] } | undefined)
        ?.containerStatuses ?? []
    ).some((c) => c.state?.terminated?.reason === 'OOMKilled');
  return {
    namespaces: namespaces.size,
    pods: {
      total: (await pods({})).length,
      running: (await pods({ fieldSelector: 'status.phase=Running' })).length,
      pending: (await pods({ fieldSelector: 'status.phase=Pending' })).length,
      oomKilled: (await pods({ fieldSelector: 'status.phase=Failed' }, false)).filter(oomKilled).length,
      predictors: (await pods({ labelSelector: 'component=predictor' })).length,
    },
  };
}

export function describeCensus(c: LargePlatformCensus): string {
  return (
    `${c.namespaces} tenant namespaces, ${c.nodes} bench nodes, ${c.services} InferenceServices (${c.canaries} split for a canary), ${c.workflows} workflows; ` +
    `${c.pods.total} pods (${c.pods.predictors} predictors): ${c.pods.running} running, ${c.pods.pending} pending, ${c.pods.oomKilled} OOM-killed`
  );
}

/** Collection and namespace deletions in flight at once. */
const DELETE_CONCURRENCY = 16;

/**
 * Deletes everything of the large platform: bench namespaces (Kubernetes deletes what is in them),
 * then the bench nodes, the simulator's injected faults and the portal's bench tenant rows.
 */
export async function removeLargePlatform(
  ctx: StackContext,
  options: Pick<LargePlatformOptions, 'databaseUrl' | 'simulatorUrl' | 'log'>,
): Promise<PhaseResult[]> {
  const log = options.log ?? ((line: string) => console.log(line));
  const phases: PhaseResult[] = [];
  const { kube, close } = await adminClient(ctx, DELETE_CONCURRENCY);
  try {
    await timed(phases, 'remove injected faults', log, async () => {
      const response = await fetch(`${options.simulatorUrl}/faults`);
      if (!response.ok) throw new Error(`the simulator did not list its faults (${response.status})`);
      const { faults } = (await response.json()) as { faults: { namespace: string; service: string }[] };
      const bench = faults.filter((f) => f.namespace.startsWith('bench-'));
      for (const f of bench)
        await fetch(
          `${options.simulatorUrl}/faults?${new URLSearchParams({ namespace: f.namespace, service: f.service }).toString()}`,
          { method: 'DELETE' },
        );
      return `${bench.length} faults cleared`;
    });

    await timed(phases, 'remove bench workloads', log, async () => {
      // Ahead of the namespaces, which would wait for kwok to play every pod's graceful deletion
      // (minutes for thousands): the InferenceServices first, so the simulator does not recreate
      // their predictor pods, then every pod at once, as `kubectl delete --force --grace-period=0`.
      const namespaces = await list(kube, '/api/v1/namespaces');
      const collections = (ns: string) => [
        `/apis/${INFERENCE_SERVICES.group}/${INFERENCE_SERVICES.version}/namespaces/${ns}/${INFERENCE_SERVICES.plural}`,
        `/api/v1/namespaces/${ns}/pods?gracePeriodSeconds=0`,
        `/apis/${WORKFLOWS.group}/${WORKFLOWS.version}/namespaces/${ns}/${WORKFLOWS.plural}`,
      ];
      const failures: string[] = [];
      // The API server deletes a collection's objects one by one (measured: about 100 a second with
      // 4 calls in flight), so many namespaces are deleted at once; the Workflows go with the
      // InferenceServices, as nothing recreates them.
      for (const steps of [[0, 2], [1]]) {
        const calls = namespaces.flatMap((ns) => steps.map((step) => collections(ns.metadata.name)[step]!));
        await inParallel(calls, DELETE_CONCURRENCY, async (path) => {
          const answer = await kube('DELETE', path).catch((error: unknown) => ({
            status: 0,
            body: { message: String(error) },
          }));
          // What is left here, the namespace's deletion removes.
          if (answer.status !== 200 && answer.status !== 404)
            failures.push(failure(`deleting ${path}`, answer).message);
        });
      }
      return `InferenceServices, pods and workflows of ${namespaces.length} namespaces deleted${failures.length ? `; ${failures.length} deletions left to the namespaces (${failures[0]})` : ''}`;
    });

    await timed(phases, 'remove bench namespaces', log, async () => {
      const namespaces = await list(kube, '/api/v1/namespaces');
      // 15 minutes for the default platform's 50 namespaces, more for more.
      const patienceMs = Math.max(900_000, namespaces.length * 6_000);
      await inParallel(namespaces, DELETE_CONCURRENCY, async (ns) => {
        const answer = await kube('DELETE', `/api/v1/namespaces/${ns.metadata.name}`);
        if (answer.status !== 200 && answer.status !== 202 && answer.status !== 404)
          throw failure(`deleting namespace ${ns.metadata.name}`, answer);
      });
      let last = 0;
      await until(
        'the bench namespaces to be gone',
        async () => {
          const left = (await list(kube, '/api/v1/namespaces')).length;
          if (left !== last) log(`  namespaces left: ${left}`);
          last = left;
          return left === 0;
        },
        patienceMs,
        3_000,
      );
      return `${namespaces.length} namespaces deleted with their contents`;
    });

    await timed(phases, 'remove bench nodes', log, async () => {
      const nodes = await list(kube, '/api/v1/nodes');
      for (const node of nodes) {
        const answer = await kube('DELETE', `/api/v1/nodes/${node.metadata.name}`);
        if (answer.status !== 200 && answer.status !== 404)
          throw failure(`deleting node ${node.metadata.name}`, answer);
      }
      return `${nodes.length} nodes deleted`;
    });

    await timed(phases, 'remove portal tenants', log, async () => {
      const db = createPrismaClient(options.databaseUrl);
      try {
        const { count } = await db.tenant.deleteMany({
          where: { name: { startsWith: 'bench-' }, description: BENCH_TENANT_DESCRIPTION },
        });
        return `${count} tenant rows deleted`;
      } finally {
        await db.$disconnect();
      }
    });
    return phases;
  } finally {
    close();
  }
}
