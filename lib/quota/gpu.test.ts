import { describe, expect, it } from 'vitest';
import { nodeSchema } from '../integrations/kubernetes/nodes';
import { podSchema } from '../integrations/kubernetes/pods';
import { resourceQuotaSchema } from '../integrations/kubernetes/resource-quotas';
import {
  capacityByProduct,
  gpuIdle,
  gpuLimitsByNamespace,
  gpuNodes,
  gpuQuotaOf,
  gpusByNamespace,
  overcommitment,
  podGpus,
  podHoldsGpus,
  usedShare,
} from './gpu';
import { parseQuantity, quantityOrZero } from './quantity';

let uid = 0;
const meta = (name: string, namespace = 'fraud') => ({
  name,
  namespace,
  uid: `uid-${++uid}`,
  resourceVersion: String(uid),
});

function pod(
  name: string,
  options: {
    gpus?: number | string;
    limitOnly?: boolean;
    init?: number;
    node?: string;
    phase?: string;
    namespace?: string;
  } = {},
) {
  const gpu = options.gpus === undefined ? {} : { 'nvidia.com/gpu': String(options.gpus) };
  const resources = options.limitOnly ? { limits: gpu } : { requests: { cpu: '1', ...gpu }, limits: gpu };
  return podSchema.parse({
    metadata: meta(name, options.namespace),
    spec: {
      nodeName: options.node,
      containers: [{ name: 'main', resources }],
      initContainers: options.init
        ? [{ name: 'init', resources: { limits: { 'nvidia.com/gpu': String(options.init) } } }]
        : undefined,
    },
    status: { phase: options.phase ?? (options.node ? 'Running' : 'Pending') },
  });
}

function quota(name: string, hard: string | undefined, used?: string, namespace = 'fraud') {
  return resourceQuotaSchema.parse({
    metadata: meta(name, namespace),
    spec: { hard: { 'requests.cpu': '64', ...(hard === undefined ? {} : { 'requests.nvidia.com/gpu': hard }) } },
    status: used === undefined ? undefined : { hard: {}, used: { 'requests.nvidia.com/gpu': used } },
  });
}

function node(
  name: string,
  gpus: number,
  product?: string,
  options: { ready?: boolean; unschedulable?: boolean } = {},
) {
  return nodeSchema.parse({
    metadata: { name, uid: name, resourceVersion: '1', labels: product ? { 'nvidia.com/gpu.product': product } : {} },
    spec: { unschedulable: options.unschedulable },
    status: {
      allocatable: { cpu: '96', ...(gpus ? { 'nvidia.com/gpu': String(gpus) } : {}) },
      conditions: [{ type: 'Ready', status: options.ready === false ? 'False' : 'True' }],
    },
  });
}

describe('quantities', () => {
  it('reads Kubernetes quantities', () => {
    expect(parseQuantity('8')).toBe(8);
    expect(parseQuantity('500m')).toBe(0.5);
    expect(parseQuantity('64Gi')).toBe(64 * 2 ** 30);
    expect(parseQuantity('2k')).toBe(2000);
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity('.5')).toBe(0.5);
    expect(parseQuantity(4)).toBe(4);
    expect(() => parseQuantity('eight')).toThrow('"eight" is not a Kubernetes quantity');
    expect(quantityOrZero(undefined)).toBe(0);
    expect(quantityOrZero('x')).toBeUndefined();
  });
});

describe('GPUs of a pod', () => {
  it('counts requests, falls back to limits, and takes the larger of containers and init containers', () => {
    expect(podGpus(pod('a', { gpus: 2 }))).toBe(2);
    expect(podGpus(pod('b', { gpus: 4, limitOnly: true }))).toBe(4);
    expect(podGpus(pod('c'))).toBe(0);
    expect(podGpus(pod('d', { gpus: 1, init: 3 }))).toBe(3);
    expect(podGpus(pod('e', { gpus: 'lots' }))).toBe(0);
  });

  it('holds GPUs until it finishes', () => {
    expect(podHoldsGpus(pod('a', { gpus: 1, node: 'n1' }))).toBe(true);
    expect(podHoldsGpus(pod('b', { gpus: 1 }))).toBe(true);
    expect(podHoldsGpus(pod('c', { gpus: 1, node: 'n1', phase: 'Failed' }))).toBe(false);
    expect(podHoldsGpus(pod('d', { gpus: 1, node: 'n1', phase: 'Succeeded' }))).toBe(false);
    expect(podHoldsGpus(pod('e', { node: 'n1' }))).toBe(false);
  });
});

describe('GPU quota of a namespace', () => {
  it('takes the lowest limit among the quotas that name GPUs, and the controller’s count of use', () => {
    const result = gpuQuotaOf([
      quota('gpu-quota', '8', '6'),
      quota('team-cap', '10', '6'),
      quota('compute', undefined),
    ]);
    expect(result).toMatchObject({ name: 'gpu-quota', hard: 8, used: 6 });
    expect(result.quotas.map((q) => q.name)).toEqual(['gpu-quota', 'team-cap']);
  });

  it('uses the pods’ requests until the quota controller has counted, and says when there is no limit', () => {
    expect(gpuQuotaOf([quota('gpu-quota', '4')], 3)).toMatchObject({ hard: 4, used: 3 });
    expect(gpuQuotaOf([quota('compute', undefined)], 2)).toEqual({ name: null, hard: null, used: 2, quotas: [] });
    expect(gpuQuotaOf([], 0)).toMatchObject({ hard: null, used: 0 });
  });

  it('says how much of the limit is used', () => {
    expect(usedShare(6, 8)).toBe(0.75);
    expect(usedShare(10, 8)).toBe(1.25);
    expect(usedShare(3, null)).toBeNull();
    expect(usedShare(0, 0)).toBe(0);
    expect(usedShare(2, 0)).toBe(1);
  });

  it('gives each namespace’s binding limit', () => {
    const limits = gpuLimitsByNamespace([
      quota('a', '8', undefined, 'fraud'),
      quota('b', '6', undefined, 'fraud'),
      quota('c', '4', undefined, 'pricing'),
      quota('d', undefined, undefined, 'forecast'),
    ]);
    expect(Object.fromEntries(limits)).toEqual({ fraud: 6, pricing: 4 });
  });
});

describe('capacity', () => {
  const nodes = [
    node('gpu-a100-1', 8, 'A100'),
    node('gpu-a100-2', 8, 'A100'),
    node('gpu-h100-1', 8, 'H100', { unschedulable: true }),
    node('cpu-1', 0),
    node('odd', 2),
  ];
  const pods = [
    pod('train', { gpus: 2, node: 'gpu-a100-1' }),
    pod('serve', { gpus: 1, node: 'gpu-a100-1', namespace: 'pricing' }),
    pod('big', { gpus: 6, node: 'gpu-h100-1', namespace: 'mlp-shared' }),
    pod('done', { gpus: 4, node: 'gpu-a100-2', phase: 'Succeeded' }),
    pod('waiting', { gpus: 4 }),
  ];

  it('lists GPU nodes with what pods requested on each', () => {
    expect(
      gpuNodes(nodes, pods).map(({ name, product, allocatable, requested, schedulable }) => ({
        name,
        product,
        allocatable,
        requested,
        schedulable,
      })),
    ).toEqual([
      { name: 'gpu-a100-1', product: 'A100', allocatable: 8, requested: 3, schedulable: true },
      { name: 'gpu-a100-2', product: 'A100', allocatable: 8, requested: 0, schedulable: true },
      { name: 'gpu-h100-1', product: 'H100', allocatable: 8, requested: 6, schedulable: false },
      { name: 'odd', product: null, allocatable: 2, requested: 0, schedulable: true },
    ]);
  });

  it('sums capacity per GPU product', () => {
    expect(capacityByProduct(gpuNodes(nodes, pods))).toEqual([
      { product: 'A100', nodes: 2, allocatable: 16, requested: 3, free: 13, unavailable: 0 },
      { product: 'H100', nodes: 1, allocatable: 8, requested: 6, free: 2, unavailable: 8 },
      { product: null, nodes: 1, allocatable: 2, requested: 0, free: 0 + 2, unavailable: 0 },
    ]);
  });

  it('sums GPUs requested per namespace, pending pods included and finished ones not', () => {
    expect(Object.fromEntries(gpusByNamespace(pods))).toEqual({ fraud: 6, pricing: 1, 'mlp-shared': 6 });
  });
});

describe('over-commitment', () => {
  it('compares the sum of quotas with allocatable GPUs', () => {
    expect(overcommitment(14, 32)).toEqual({
      quotaTotal: 14,
      allocatable: 32,
      ratio: 14 / 32,
      overcommitted: false,
      excess: 0,
    });
    expect(overcommitment(40, 32)).toEqual({
      quotaTotal: 40,
      allocatable: 32,
      ratio: 1.25,
      overcommitted: true,
      excess: 8,
    });
    expect(overcommitment(32, 32).overcommitted).toBe(false);
    expect(overcommitment(2, 0)).toMatchObject({ ratio: null, overcommitted: true, excess: 2 });
  });
});

describe('idle GPUs', () => {
  it('are allocated to a pod and stayed below 5 % over the window', () => {
    expect(gpuIdle({ pod: 'p', peakUtilPercent: 3 })).toBe(true);
    expect(gpuIdle({ pod: 'p', peakUtilPercent: 5 })).toBe(false);
    expect(gpuIdle({ pod: null, peakUtilPercent: 0 })).toBe(false);
    expect(gpuIdle({ pod: 'p', peakUtilPercent: null })).toBe(false);
  });
});
