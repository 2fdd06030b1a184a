/**
 * GPU arithmetic over what Kubernetes says, with no I/O: what a pod requests, what a namespace's
 * quota allows and has used, what the nodes offer per GPU product, and how far the quotas
 * together over-commit the cluster. Pure; the service feeds it from the watch caches.
 */
import type { Node, Pod, ResourceQuota } from '../integrations/kubernetes';
import { quantityOrZero } from './quantity';

/** The extended resource NVIDIA's device plugin advertises. */
export const GPU_RESOURCE = 'nvidia.com/gpu';
/** The quota key for it: extended resources are quota'd by requests only. */
export const GPU_QUOTA_KEY = `requests.${GPU_RESOURCE}`;
/** NVIDIA GPU feature discovery's node label naming the GPU product. */
export const GPU_PRODUCT_LABEL = 'nvidia.com/gpu.product';
/** The name the portal gives a GPU quota it creates. */
export const DEFAULT_GPU_QUOTA_NAME = 'gpu-quota';

type Resources = { requests?: Record<string, string | number>; limits?: Record<string, string | number> } | undefined;

/** GPUs one container asks for: its request, or its limit (an extended resource's request defaults to it). */
function containerGpus(resources: Resources): number {
  const value = resources?.requests?.[GPU_RESOURCE] ?? resources?.limits?.[GPU_RESOURCE];
  return Math.max(0, quantityOrZero(value) ?? 0);
}

/**
 * GPUs a pod holds (and its quota is charged): the sum over its containers, or the largest init
 * container's if that is more — init containers run one at a time, before the others.
 */
export function podGpus(pod: Pod): number {
  const main = pod.spec.containers.reduce((sum, c) => sum + containerGpus(c.resources), 0);
  const init = Math.max(0, ...(pod.spec.initContainers ?? []).map((c) => containerGpus(c.resources)));
  return Math.max(main, init);
}

/** Succeeded or Failed: the pod holds nothing any more and its quota is not charged. */
export function podTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** A pod that holds (or waits for) its GPUs: not finished. */
export function podHoldsGpus(pod: Pod): boolean {
  return !podTerminal(pod) && podGpus(pod) > 0;
}

// ---------------------------------------------------------------------------------------------
// Quotas

export interface QuotaLine {
  name: string;
  /** null when the quota does not limit GPUs. */
  hard: number | null;
  /** What the quota controller last counted; null before it has. */
  used: number | null;
  resourceVersion: string;
}

export interface GpuQuota {
  /** The quota that binds (the lowest GPU limit); null when no quota limits GPUs. */
  name: string | null;
  hard: number | null;
  /** GPUs requested by the namespace's pods, as the quota controller counts them. */
  used: number;
  /** Every quota of the namespace that names GPUs. */
  quotas: QuotaLine[];
}

/** A quantity that may be absent or unreadable, as null then. */
const quantityOrNull = (quantity: string | undefined): number | null =>
  quantity === undefined ? null : (quantityOrZero(quantity) ?? null);

/** The GPU limit one ResourceQuota sets; null when it does not limit GPUs. */
export function gpuLimitOf(quota: ResourceQuota): number | null {
  return quantityOrNull(quota.spec.hard[GPU_QUOTA_KEY]);
}

function quotaLine(quota: ResourceQuota): QuotaLine {
  return {
    name: quota.metadata.name,
    hard: gpuLimitOf(quota),
    used: quantityOrNull(quota.status?.used[GPU_QUOTA_KEY]),
    resourceVersion: quota.metadata.resourceVersion,
  };
}

/**
 * A namespace's GPU quota from its ResourceQuotas. Several may limit GPUs; every one must admit a
 * pod, so the lowest limit binds. `used` is the quota controller's count (all quotas count the
 * same pods); `podsUsed` (the GPUs of unfinished pods) stands in until the controller has counted.
 */
export function gpuQuotaOf(quotas: readonly ResourceQuota[], podsUsed = 0): GpuQuota {
  const lines = quotas.map(quotaLine).filter((line) => line.hard !== null);
  const binding = lines.reduce<QuotaLine | null>(
    (lowest, line) => (lowest === null || line.hard! < lowest.hard! ? line : lowest),
    null,
  );
  const counted = lines.map((line) => line.used).filter((used): used is number => used !== null);
  return {
    name: binding?.name ?? null,
    hard: binding?.hard ?? null,
    used: counted.length ? Math.max(...counted) : podsUsed,
    quotas: lines.sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/** Used as a share of hard, 0–1 (more than 1 when over); null without a limit; 1 for a zero limit in use. */
export function usedShare(used: number, hard: number | null): number | null {
  if (hard === null) return null;
  if (hard === 0) return used > 0 ? 1 : 0;
  return used / hard;
}

// ---------------------------------------------------------------------------------------------
// Nodes and capacity

export interface NodeGpus {
  name: string;
  /** The GPU product label, or null for a node that has GPUs but no such label. */
  product: string | null;
  allocatable: number;
  /** GPUs requested by unfinished pods bound to the node. */
  requested: number;
  ready: boolean;
  schedulable: boolean;
}

export function nodeAllocatableGpus(node: Node): number {
  return Math.max(0, quantityOrZero(node.status.allocatable[GPU_RESOURCE]) ?? 0);
}

/** The GPU nodes (allocatable GPUs > 0), with what pods have requested on each. */
export function gpuNodes(nodes: readonly Node[], pods: readonly Pod[]): NodeGpus[] {
  const requested = new Map<string, number>();
  for (const pod of pods) {
    const node = pod.spec.nodeName;
    if (!node || !podHoldsGpus(pod)) continue;
    requested.set(node, (requested.get(node) ?? 0) + podGpus(pod));
  }
  return nodes
    .filter((node) => nodeAllocatableGpus(node) > 0)
    .map((node) => ({
      name: node.metadata.name,
      product: node.metadata.labels[GPU_PRODUCT_LABEL] ?? null,
      allocatable: nodeAllocatableGpus(node),
      requested: requested.get(node.metadata.name) ?? 0,
      ready: node.status.conditions.find((c) => c.type === 'Ready')?.status === 'True',
      schedulable: node.spec.unschedulable !== true,
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export interface ProductCapacity {
  /** null: nodes without a product label. */
  product: string | null;
  nodes: number;
  allocatable: number;
  requested: number;
  /** Allocatable minus requested, never below 0. */
  free: number;
  /** Allocatable GPUs on nodes that are not ready or take no new pods. */
  unavailable: number;
}

/** Capacity per GPU product, largest first. */
export function capacityByProduct(nodes: readonly NodeGpus[]): ProductCapacity[] {
  const byProduct = new Map<string | null, ProductCapacity>();
  for (const node of nodes) {
    const entry = byProduct.get(node.product) ?? {
      product: node.product,
      nodes: 0,
      allocatable: 0,
      requested: 0,
      free: 0,
      unavailable: 0,
    };
    entry.nodes++;
    entry.allocatable += node.allocatable;
    entry.requested += node.requested;
    entry.free += Math.max(0, node.allocatable - node.requested);
    if (!node.ready || !node.schedulable) entry.unavailable += node.allocatable;
    byProduct.set(node.product, entry);
  }
  return [...byProduct.values()].sort(
    (a, b) => b.allocatable - a.allocatable || (a.product ?? '').localeCompare(b.product ?? ''),
  );
}

/** GPUs requested by unfinished pods, per namespace. */
export function gpusByNamespace(pods: readonly Pod[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const pod of pods) {
    if (!podHoldsGpus(pod)) continue;
    totals.set(pod.metadata.namespace, (totals.get(pod.metadata.namespace) ?? 0) + podGpus(pod));
  }
  return totals;
}

// ---------------------------------------------------------------------------------------------
// Over-commitment

export interface Overcommitment {
  /** Sum of every namespace's GPU quota. */
  quotaTotal: number;
  /** Allocatable GPUs of all nodes. */
  allocatable: number;
  /** quotaTotal / allocatable; null when the cluster has no GPUs. */
  ratio: number | null;
  /** The quotas promise more GPUs than the cluster has. */
  overcommitted: boolean;
  /** GPUs promised beyond what the cluster has (0 when not over-committed). */
  excess: number;
}

export function overcommitment(quotaTotal: number, allocatable: number): Overcommitment {
  return {
    quotaTotal,
    allocatable,
    ratio: allocatable > 0 ? quotaTotal / allocatable : null,
    overcommitted: quotaTotal > allocatable,
    excess: Math.max(0, quotaTotal - allocatable),
  };
}

/** Each namespace's binding GPU limit, from all the cluster's quotas (namespaces without one are absent). */
export function gpuLimitsByNamespace(quotas: readonly ResourceQuota[]): Map<string, number> {
  const byNamespace = new Map<string, ResourceQuota[]>();
  for (const quota of quotas)
    byNamespace.set(quota.metadata.namespace, [...(byNamespace.get(quota.metadata.namespace) ?? []), quota]);
  const limits = new Map<string, number>();
  for (const [namespace, list] of byNamespace) {
    const { hard } = gpuQuotaOf(list);
    if (hard !== null) limits.set(namespace, hard);
  }
  return limits;
}

/** Every other namespace's GPU limit summed, and the cluster's allocatable GPUs: what a quota change is weighed against. */
export function capacityBeyond(
  namespace: string,
  quotas: readonly ResourceQuota[],
  nodes: readonly Node[],
): { otherQuotasTotal: number; allocatable: number } {
  const limits = gpuLimitsByNamespace(quotas);
  limits.delete(namespace);
  return {
    otherQuotasTotal: [...limits.values()].reduce((a, b) => a + b, 0),
    allocatable: gpuNodes(nodes, []).reduce((sum, n) => sum + n.allocatable, 0),
  };
}

// ---------------------------------------------------------------------------------------------
// Idle GPUs (DCGM)

/** A GPU is idle when its utilisation stayed below this for the whole window. */
export const IDLE_UTIL_PERCENT = 5;
/** The window over which idleness and average utilisation are judged. */
export const GPU_METRICS_WINDOW_SECONDS = 600;
/** The utilisation chart's period. */
export const GPU_HISTORY_HOURS = 6;

/** Allocated to a pod, and never busier than IDLE_UTIL_PERCENT over the window. */
export function gpuIdle(device: { pod: string | null; peakUtilPercent: number | null }): boolean {
  return device.pod !== null && device.peakUtilPercent !== null && device.peakUtilPercent < IDLE_UTIL_PERCENT;
}
