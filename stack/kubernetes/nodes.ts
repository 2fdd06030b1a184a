/**
 * The fake nodes kwok plays: four GPU nodes (8 GPUs each, labelled like NVIDIA's GPU feature
 * discovery labels them) and two CPU-only nodes. kwok manages nodes annotated
 * `kwok.x-k8s.io/node: fake`; it keeps the capacity and allocatable given here.
 */
import type { V1Node } from '@kubernetes/client-node';
import { VERSIONS } from '../versions';

export const KWOK_NODE_ANNOTATION = 'kwok.x-k8s.io/node';

interface NodeSpec {
  name: string;
  ip: string;
  pool: string;
  instanceType: string;
  zone: string;
  cpu: string;
  memory: string;
  gpu?: { product: string; memoryMiB: number; count: number };
}

const A100 = { product: 'NVIDIA-A100-SXM4-80GB', memoryMiB: 81920, count: 8 };
const H100 = { product: 'NVIDIA-H100-80GB-HBM3', memoryMiB: 81559, count: 8 };

export const NODE_SPECS: readonly NodeSpec[] = [
  {
    name: 'gpu-a100-1',
    ip: '10.0.1.11',
    pool: 'gpu-a100',
    instanceType: 'p4de.24xlarge',
    zone: 'local-a',
    cpu: '96',
    memory: '1152Gi',
    gpu: A100,
  },
  {
    name: 'gpu-a100-2',
    ip: '10.0.1.12',
    pool: 'gpu-a100',
    instanceType: 'p4de.24xlarge',
    zone: 'local-b',
    cpu: '96',
    memory: '1152Gi',
    gpu: A100,
  },
  {
    name: 'gpu-h100-1',
    ip: '10.0.1.21',
    pool: 'gpu-h100',
    instanceType: 'p5.48xlarge',
    zone: 'local-a',
    cpu: '192',
    memory: '2048Gi',
    gpu: H100,
  },
  {
    name: 'gpu-h100-2',
    ip: '10.0.1.22',
    pool: 'gpu-h100',
    instanceType: 'p5.48xlarge',
    zone: 'local-b',
    cpu: '192',
    memory: '2048Gi',
    gpu: H100,
  },
  {
    name: 'cpu-1',
    ip: '10.0.2.11',
    pool: 'cpu',
    instanceType: 'm6i.8xlarge',
    zone: 'local-a',
    cpu: '32',
    memory: '128Gi',
  },
  {
    name: 'cpu-2',
    ip: '10.0.2.12',
    pool: 'cpu',
    instanceType: 'm6i.8xlarge',
    zone: 'local-b',
    cpu: '32',
    memory: '128Gi',
  },
];

export const GPU_NODE_NAMES = NODE_SPECS.filter((n) => n.gpu).map((n) => n.name);

export function nodeResources(spec: NodeSpec): Record<string, string> {
  return {
    cpu: spec.cpu,
    memory: spec.memory,
    pods: '110',
    'ephemeral-storage': '1Ti',
    ...(spec.gpu ? { 'nvidia.com/gpu': String(spec.gpu.count) } : {}),
  };
}

export function nodeObject(spec: NodeSpec): V1Node {
  const gpuLabels: Record<string, string> = spec.gpu
    ? {
        'nvidia.com/gpu.present': 'true',
        'nvidia.com/gpu.product': spec.gpu.product,
        'nvidia.com/gpu.count': String(spec.gpu.count),
        'nvidia.com/gpu.memory': String(spec.gpu.memoryMiB),
      }
    : {};
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: spec.name,
      annotations: { [KWOK_NODE_ANNOTATION]: 'fake', 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/os': 'linux',
        'kubernetes.io/hostname': spec.name,
        'kubernetes.io/role': 'agent',
        'node-role.kubernetes.io/agent': '',
        'node.kubernetes.io/instance-type': spec.instanceType,
        'topology.kubernetes.io/zone': spec.zone,
        'mlp.example.com/pool': spec.pool,
        type: 'kwok',
        ...gpuLabels,
      },
    },
    spec: {},
    status: {
      addresses: [
        { type: 'InternalIP', address: spec.ip },
        { type: 'Hostname', address: spec.name },
      ],
      allocatable: nodeResources(spec),
      capacity: nodeResources(spec),
      nodeInfo: {
        architecture: 'amd64',
        operatingSystem: 'linux',
        kubeletVersion: VERSIONS.kubernetes,
        kubeProxyVersion: '',
        containerRuntimeVersion: `kwok://${VERSIONS.kwok}`,
        kernelVersion: `kwok-${VERSIONS.kwok}`,
        osImage: 'kwok fake node',
        bootID: '',
        machineID: '',
        systemUUID: '',
      },
    },
  };
}
