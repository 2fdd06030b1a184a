/**
 * GPU metrics against the running local platform: the simulator's dcgm-exporter series, scraped
 * by the stack's Prometheus. Two GPU pods are started in a namespace of the test's own — one
 * marked idle for the simulator (`simulator.mlp.example.com/gpu-idle`) — and deleted afterwards.
 */
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, loadStackEnv, requireHealthy, requireSetting } from '../../../test/stack';
import { clusterGpuMetrics, gpuMetrics, type GpuDeviceMetrics } from './gpu-metrics';

loadStackEnv();

const scratch = `gpu-metrics-${Date.now().toString(36)}`;
let core: CoreV1Api;

function gpuPod(name: string, idle: boolean) {
  const gpus = { 'nvidia.com/gpu': '1', cpu: '1', memory: '1Gi' };
  const annotations: Record<string, string> = idle ? { 'simulator.mlp.example.com/gpu-idle': 'true' } : {};
  return {
    metadata: { name, annotations },
    spec: {
      automountServiceAccountToken: false,
      containers: [{ name: 'main', image: 'registry.example.com/test:1', resources: { requests: gpus, limits: gpus } }],
    },
  };
}

beforeAll(async () => {
  await requireHealthy('prometheus', `${requireSetting('PROMETHEUS_URL', 'prometheus')}/-/ready`);
  const admin = new KubeConfig();
  admin.loadFromFile(requireSetting('KUBECONFIG', 'kubernetes (admin kubeconfig)'));
  core = admin.makeApiClient(CoreV1Api);
  await core.createNamespace({
    body: { metadata: { name: scratch, labels: { 'app.kubernetes.io/managed-by': 'gpu-metrics-test' } } },
  });
  await eventually('the default ServiceAccount', 30_000, async () => ({
    done: await core.readNamespacedServiceAccount({ namespace: scratch, name: 'default' }).then(
      () => true,
      () => false,
    ),
    value: null,
  }));
  for (const [name, idle] of [
    ['idle-gpu', true],
    ['busy-gpu', false],
  ] as const)
    await core.createNamespacedPod({ namespace: scratch, body: gpuPod(name, idle) });
}, 60_000);

afterAll(async () => {
  await core?.deleteNamespace({ name: scratch }).catch(() => undefined);
});

describe('GPU metrics', () => {
  it("reports utilisation and memory per GPU of a tenant's pods, and tells idle GPUs", async () => {
    const devices = await eventually<GpuDeviceMetrics[]>('both pods’ GPUs in Prometheus', 90_000, async () => {
      const { devices: value } = await gpuMetrics(scratch).devices(600);
      return {
        done: value.length === 2 && value.every((d) => d.utilPercent !== null && d.memoryTotalMiB !== null),
        value,
      };
    });
    const idle = devices.find((d) => d.pod === 'idle-gpu')!;
    const busy = devices.find((d) => d.pod === 'busy-gpu')!;
    expect(idle).toMatchObject({ namespace: scratch, uuid: expect.stringMatching(/^GPU-/), memoryTotalMiB: 40960 });
    expect(idle.node).toMatch(/^gpu-/);
    expect(idle.peakUtilPercent!).toBeLessThan(5);
    expect(busy.utilPercent!).toBeGreaterThan(30);

    const { devices: cluster } = await clusterGpuMetrics().devices(600);
    expect(
      cluster
        .filter((d) => d.namespace === scratch)
        .map((d) => d.pod)
        .sort(),
    ).toEqual(['busy-gpu', 'idle-gpu']);
    expect(cluster.some((d) => d.namespace === 'mlp-shared')).toBe(true);
  }, 120_000);

  it("keeps a tenant to its own namespace's GPUs", async () => {
    const { devices: pricing } = await gpuMetrics('pricing').devices(600);
    expect(pricing.length).toBeGreaterThan(0);
    expect(pricing.every((d) => d.namespace === 'pricing')).toBe(true);
  });

  it('charts utilisation per pod over time', async () => {
    const end = new Date();
    const { series } = await gpuMetrics('fraud').utilisationHistory({
      start: new Date(end.getTime() - 3600_000),
      end,
      stepSeconds: 60,
    });
    expect(series.length).toBeGreaterThan(0);
    for (const s of series) {
      expect(s.points.length).toBeGreaterThan(30);
      expect(s.points.every((p) => p.value >= 0 && p.value <= 100)).toBe(true);
    }
  });
});
