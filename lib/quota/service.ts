/**
 * The GPU pages' read models: a tenant's quota, GPU pods, what waits and why, OOM kills and GPU
 * utilisation; the cluster's capacity per GPU product, every tenant's use against its quota,
 * over-commitment and idle GPUs.
 *
 * Kubernetes is read from the process's shared watch caches (pods, nodes, ResourceQuotas, Warning
 * events), never with a LIST per view; Prometheus once per view, shared across viewers for a few
 * seconds. Each upstream is read on its own and a failure becomes a message on the panels that
 * need it; data a watch could not keep current, or a Prometheus answer kept because its refresh
 * failed, carries the time it was last known current and why.
 * Callers authorize first (`gpu.read` on the tenant, `cluster.gpu.read` on the platform).
 * Everything returned is plain JSON, so the pages and their live routes send the same shapes.
 */
import {
  tenantNamespace,
  watchedJobs,
  watchedNodes,
  watchedPods,
  watchedResourceQuotas,
  watchedWarningEvents,
  type CacheSnapshot,
  type Job,
  type KubeEvent,
  type Node,
  type Pod,
  type ResourceQuota,
} from '../integrations/kubernetes';
import {
  clusterGpuMetrics,
  gpuMetrics,
  type GpuDeviceMetrics,
  type UtilisationSeries,
} from '../integrations/prometheus';
import { log } from '../observability/logger';
import {
  capacityBeyond,
  capacityByProduct,
  GPU_METRICS_WINDOW_SECONDS,
  GPU_HISTORY_HOURS,
  gpuIdle,
  gpuLimitsByNamespace,
  gpuNodes,
  gpuQuotaOf,
  gpusByNamespace,
  overcommitment,
  usedShare,
  type NodeGpus,
  type Overcommitment,
  type ProductCapacity,
  type QuotaLine,
} from './gpu';
import { answerPanel, kubernetesPanel, type Panel } from '../read-model/panel';
import {
  gpuPodRows,
  oomKills,
  pendingWorkloads,
  type GpuPodRow,
  type OomKill,
  type PendingWorkload,
} from './workloads';

// ---------------------------------------------------------------------------------------------
// Shapes

export interface TenantQuotaView {
  name: string | null;
  hard: number | null;
  used: number;
  /** used / hard; null without a limit. */
  share: number | null;
  quotas: QuotaLine[];
}

export interface TenantGpuKubernetes {
  quota: TenantQuotaView;
  pods: GpuPodRow[];
  pending: PendingWorkload[];
  oomKills: OomKill[];
}

export interface GpuDeviceView extends GpuDeviceMetrics {
  idle: boolean;
}

export interface PodGpuMetrics {
  /** GPUs of the pod that reported. */
  gpus: number;
  utilPercent: number | null;
  peakUtilPercent: number | null;
  memoryUsedMiB: number | null;
  memoryTotalMiB: number | null;
  idleGpus: number;
}

export interface TenantGpuMetrics {
  windowSeconds: number;
  devices: GpuDeviceView[];
  byPod: Record<string, PodGpuMetrics>;
  /** GPUs that reported / of those, idle. */
  reporting: number;
  idle: number;
  /** Mean utilisation over the reporting GPUs. */
  utilPercent: number | null;
}

/** What the quota form needs to warn before a change (platform admins only). */
export interface QuotaEditFacts {
  current: number | null;
  quotaName: string | null;
  used: number;
  otherQuotasTotal: number;
  /** null when the nodes cannot be read. */
  allocatable: number | null;
}

export interface TenantGpuView {
  tenant: string;
  at: string;
  kubernetes: Panel<TenantGpuKubernetes>;
  metrics: Panel<TenantGpuMetrics>;
  /** Utilisation per pod over GPU_HISTORY_HOURS; absent from the live route's answers. */
  history?: Panel<UtilisationSeries[]>;
  quotaEdit: QuotaEditFacts | null;
}

export interface TenantGpuRow {
  name: string;
  displayName: string;
  archived: boolean;
  /** The binding GPU limit; null when the namespace has none. */
  hard: number | null;
  used: number;
  share: number | null;
  /** Workloads refused by quota admission / pods the scheduler cannot place. */
  pendingQuota: number;
  pendingScheduling: number;
  /** Unfinished GPU pods. */
  pods: number;
}

export interface NamespaceGpuRow {
  namespace: string;
  requested: number;
  hard: number | null;
}

export interface ClusterGpuKubernetes {
  tenants: TenantGpuRow[];
  /** Namespaces that are not tenants but request GPUs or have a GPU quota (platform services). */
  otherNamespaces: NamespaceGpuRow[];
  products: ProductCapacity[];
  nodes: NodeGpus[];
  totals: { allocatable: number; requested: number; free: number; unavailable: number };
  overcommitment: Overcommitment;
}

export interface NamespaceUtilisation {
  namespace: string;
  gpus: number;
  utilPercent: number | null;
  idle: number;
}

export interface ClusterGpuMetrics {
  windowSeconds: number;
  reporting: number;
  utilPercent: number | null;
  idle: GpuDeviceView[];
  byNamespace: NamespaceUtilisation[];
}

export interface ClusterGpuView {
  at: string;
  kubernetes: Panel<ClusterGpuKubernetes>;
  metrics: Panel<ClusterGpuMetrics>;
}

const HISTORY_STEP_SECONDS = 300;

// ---------------------------------------------------------------------------------------------
// Reads

const mean = (values: readonly (number | null)[]): number | null => {
  const known = values.filter((v): v is number => v !== null);
  return known.length ? known.reduce((a, b) => a + b, 0) / known.length : null;
};

const sumOrNull = (values: readonly (number | null)[]): number | null =>
  values.some((v) => v === null) ? null : values.reduce<number>((a, b) => a + b!, 0);

function withIdle(devices: readonly GpuDeviceMetrics[]): GpuDeviceView[] {
  return devices.map((d) => ({ ...d, idle: gpuIdle(d) }));
}

/** Per-pod figures from its GPUs' metrics. Pure; exported for tests. */
export function podMetrics(devices: readonly GpuDeviceView[]): Record<string, PodGpuMetrics> {
  const byPod = new Map<string, GpuDeviceView[]>();
  for (const d of devices) byPod.set(d.pod, [...(byPod.get(d.pod) ?? []), d]);
  return Object.fromEntries(
    [...byPod.entries()].map(([pod, list]) => [
      pod,
      {
        gpus: list.length,
        utilPercent: mean(list.map((d) => d.utilPercent)),
        peakUtilPercent: list.some((d) => d.peakUtilPercent !== null)
          ? Math.max(...list.map((d) => d.peakUtilPercent ?? 0))
          : null,
        memoryUsedMiB: sumOrNull(list.map((d) => d.memoryUsedMiB)),
        memoryTotalMiB: sumOrNull(list.map((d) => d.memoryTotalMiB)),
        idleGpus: list.filter((d) => d.idle).length,
      },
    ]),
  );
}

interface Caches {
  pods: CacheSnapshot<Pod>;
  quotas: CacheSnapshot<ResourceQuota>;
  events: CacheSnapshot<KubeEvent>;
  nodes: CacheSnapshot<Node>;
  /** null when Jobs cannot be read: quota refusals are then shown by their events' age alone. */
  jobs: Job[] | null;
}

async function readJobs(namespace?: string): Promise<Job[] | null> {
  try {
    return (await watchedJobs().read(namespace)).items;
  } catch (error) {
    log.warn('GPU view: Jobs cannot be read; quota refusals are judged by their events alone', {
      error: error instanceof Error ? error.message : String(error),
    });
    return null;
  }
}

async function readCaches(namespace?: string): Promise<Caches> {
  const [pods, quotas, events, nodes, jobs] = await Promise.all([
    watchedPods().read(namespace),
    watchedResourceQuotas().read(namespace),
    watchedWarningEvents().read(namespace),
    watchedNodes().read(),
    readJobs(namespace),
  ]);
  return { pods, quotas, events, nodes, jobs };
}

/** Allocatable GPUs and every other namespace's GPU limit, for the quota form. */
async function quotaEditFacts(namespace: string, quota: TenantQuotaView): Promise<QuotaEditFacts> {
  const facts = { current: quota.hard, quotaName: quota.name, used: quota.used };
  try {
    const [all, nodes] = await Promise.all([watchedResourceQuotas().read(), watchedNodes().read()]);
    return { ...facts, ...capacityBeyond(namespace, all.items, nodes.items) };
  } catch {
    return { ...facts, otherQuotasTotal: 0, allocatable: null };
  }
}

/** One tenant's GPU quota use, as the worker's quota alert reads it. */
export interface TenantGpuQuotaUse {
  tenant: string;
  used: number;
  /** null when no quota limits the tenant's GPUs. */
  hard: number | null;
}

/** Every tenant's GPU quota use, from the shared watch caches (pods and ResourceQuotas only). */
export async function tenantGpuQuotaUse(tenants: readonly string[]): Promise<Panel<TenantGpuQuotaUse[]>> {
  return kubernetesPanel('the GPU quotas', async () => {
    const [pods, quotas] = await Promise.all([watchedPods().read(), watchedResourceQuotas().read()]);
    const requestedBy = gpusByNamespace(pods.items);
    const data = tenants.map((tenant) => {
      const namespace = tenantNamespace(tenant);
      const quota = gpuQuotaOf(
        quotas.items.filter((q) => q.metadata.namespace === namespace),
        requestedBy.get(namespace) ?? 0,
      );
      return { tenant, used: quota.used, hard: quota.hard };
    });
    return { data, snapshots: [pods, quotas] };
  });
}

export interface TenantGpuOptions {
  /** Include the quota form's facts (only for people who may edit quotas). */
  quotaEdit?: boolean;
  /** Include the utilisation history (the page's first render; the live route leaves it out). */
  history?: boolean;
  now?: Date;
}

/** Everything the tenant GPU page shows. */
export async function tenantGpuView(tenant: string, options: TenantGpuOptions = {}): Promise<TenantGpuView> {
  const namespace = tenantNamespace(tenant);
  const now = options.now ?? new Date();

  const kubernetes = kubernetesPanel('the GPU pods and quota', async () => {
    const { pods, quotas, events, nodes, jobs } = await readCaches(namespace);
    const podsUsed = gpusByNamespace(pods.items).get(namespace) ?? 0;
    const quota = gpuQuotaOf(quotas.items, podsUsed);
    const nodeGpus = gpuNodes(nodes.items, []);
    return {
      data: {
        quota: { ...quota, share: usedShare(quota.used, quota.hard) },
        pods: gpuPodRows(pods.items, nodeGpus),
        pending: pendingWorkloads(pods.items, events.items, now, jobs),
        oomKills: oomKills(pods.items, now),
      },
      snapshots: [pods, quotas, events, nodes],
    };
  });

  const metrics = answerPanel(
    'the GPU metrics',
    () => gpuMetrics(tenant).devices(GPU_METRICS_WINDOW_SECONDS),
    (answer): TenantGpuMetrics => {
      const devices = withIdle(answer.devices);
      return {
        windowSeconds: GPU_METRICS_WINDOW_SECONDS,
        devices,
        byPod: podMetrics(devices),
        reporting: devices.length,
        idle: devices.filter((d) => d.idle).length,
        utilPercent: mean(devices.map((d) => d.utilPercent)),
      };
    },
  );

  const history = options.history
    ? answerPanel(
        'the GPU utilisation history',
        () =>
          gpuMetrics(tenant).utilisationHistory({
            start: new Date(now.getTime() - GPU_HISTORY_HOURS * 3600_000),
            end: now,
            stepSeconds: HISTORY_STEP_SECONDS,
          }),
        (answer) => answer.series,
      )
    : undefined;

  const [kube, metricsResult, historyResult] = await Promise.all([kubernetes, metrics, history]);
  const quotaEdit = options.quotaEdit && kube.ok ? await quotaEditFacts(namespace, kube.data.quota) : null;
  return {
    tenant,
    at: now.toISOString(),
    kubernetes: kube,
    metrics: metricsResult,
    ...(historyResult ? { history: historyResult } : {}),
    quotaEdit,
  };
}

/** A tenant as the cluster page lists it. */
export interface TenantRef {
  name: string;
  displayName: string;
  /** Archived tenants are listed only while they still hold or are promised GPUs. */
  archived?: boolean;
}

/** Everything the cluster GPU page shows; `tenants` are the portal's (the rest are platform namespaces). */
export async function clusterGpuView(
  tenants: readonly TenantRef[],
  options: { now?: Date } = {},
): Promise<ClusterGpuView> {
  const now = options.now ?? new Date();

  const kubernetes = kubernetesPanel('the cluster’s GPUs', async () => {
    const { pods, quotas, events, nodes, jobs } = await readCaches();
    const nodeGpus = gpuNodes(nodes.items, pods.items);
    const requestedBy = gpusByNamespace(pods.items);
    const limits = gpuLimitsByNamespace(quotas.items);
    const tenantNames = new Set(tenants.map((t) => t.name));

    const rows: TenantGpuRow[] = tenants.flatMap((tenant) => {
      const inNamespace = <T extends { metadata: { namespace: string } }>(items: readonly T[]) =>
        items.filter((i) => i.metadata.namespace === tenant.name);
      const tenantPods = inNamespace(pods.items);
      const quota = gpuQuotaOf(inNamespace(quotas.items), requestedBy.get(tenant.name) ?? 0);
      const pending = pendingWorkloads(tenantPods, inNamespace(events.items), now, jobs && inNamespace(jobs));
      if (tenant.archived && quota.used === 0 && !quota.hard) return [];
      return {
        name: tenant.name,
        displayName: tenant.displayName,
        archived: tenant.archived ?? false,
        hard: quota.hard,
        used: quota.used,
        share: usedShare(quota.used, quota.hard),
        pendingQuota: pending.filter((p) => p.kind === 'quota').length,
        pendingScheduling: pending.filter((p) => p.kind !== 'quota').length,
        pods: gpuPodRows(tenantPods, []).length,
      };
    });

    const others = new Set([...requestedBy.keys(), ...limits.keys()].filter((ns) => !tenantNames.has(ns)));
    const otherNamespaces = [...others]
      .map((namespace) => ({
        namespace,
        requested: requestedBy.get(namespace) ?? 0,
        hard: limits.get(namespace) ?? null,
      }))
      // A namespace that neither holds nor is promised a GPU changes nothing here.
      .filter((n) => n.requested > 0 || (n.hard ?? 0) > 0)
      .sort((a, b) => b.requested - a.requested || a.namespace.localeCompare(b.namespace));

    const allocatable = nodeGpus.reduce((sum, n) => sum + n.allocatable, 0);
    const requested = nodeGpus.reduce((sum, n) => sum + n.requested, 0);
    const quotaTotal = [...limits.values()].reduce((a, b) => a + b, 0);
    return {
      data: {
        tenants: rows,
        otherNamespaces,
        products: capacityByProduct(nodeGpus),
        nodes: nodeGpus,
        totals: {
          allocatable,
          requested,
          free: nodeGpus.reduce((sum, n) => sum + Math.max(0, n.allocatable - n.requested), 0),
          unavailable: nodeGpus.filter((n) => !n.ready || !n.schedulable).reduce((sum, n) => sum + n.allocatable, 0),
        },
        overcommitment: overcommitment(quotaTotal, allocatable),
      },
      snapshots: [pods, quotas, events, nodes],
    };
  });

  const metrics = answerPanel(
    'the GPU metrics',
    () => clusterGpuMetrics().devices(GPU_METRICS_WINDOW_SECONDS),
    (answer): ClusterGpuMetrics => {
      const devices = withIdle(answer.devices);
      const byNamespace = new Map<string, GpuDeviceView[]>();
      for (const d of devices) byNamespace.set(d.namespace, [...(byNamespace.get(d.namespace) ?? []), d]);
      return {
        windowSeconds: GPU_METRICS_WINDOW_SECONDS,
        reporting: devices.length,
        utilPercent: mean(devices.map((d) => d.utilPercent)),
        idle: devices.filter((d) => d.idle),
        byNamespace: [...byNamespace.entries()]
          .map(([namespace, list]) => ({
            namespace,
            gpus: list.length,
            utilPercent: mean(list.map((d) => d.utilPercent)),
            idle: list.filter((d) => d.idle).length,
          }))
          .sort((a, b) => a.namespace.localeCompare(b.namespace)),
      };
    },
  );

  const [kube, metricsResult] = await Promise.all([kubernetes, metrics]);
  return { at: now.toISOString(), kubernetes: kube, metrics: metricsResult };
}
