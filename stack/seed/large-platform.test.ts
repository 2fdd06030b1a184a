import { describe, expect, it } from 'vitest';
import { BENCH_LABEL, benchTenantName, LARGE_PLATFORM, largePlatformPlan } from './large-platform';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const plan = largePlatformPlan(LARGE_PLATFORM, NOW);
const all = <T>(pick: (t: (typeof plan.tenants)[number]) => T[]) => plan.tenants.flatMap(pick);

type PodSpec = { nodeName?: string; containers: { resources: { requests: Record<string, string> } }[] };
type WorkflowStatus = { phase: string; startedAt: string; finishedAt: string };

describe('the large platform', () => {
  it('has the sizes the benchmark promises: 50 tenants, 500 InferenceServices, 5,000 pods, 2,000 workflows', () => {
    expect(plan.tenants.map((t) => t.name)).toEqual(Array.from({ length: 50 }, (_, i) => benchTenantName(i)));
    expect(plan.tenants[0]!.name).toBe('bench-00');
    expect(plan.tenants.at(-1)!.name).toBe('bench-49');
    expect(all((t) => t.services)).toHaveLength(500);
    expect(all((t) => t.pods)).toHaveLength(5000);
    expect(all((t) => t.workflows)).toHaveLength(2000);
  });

  it('has every fourth service in a 10 % canary, and a few of those failing', () => {
    const canaries = all((t) => t.services).filter((s) => s.canaryPredictor);
    expect(canaries).toHaveLength(125);
    expect(canaries.every((s) => s.canaryPredictor!.canaryTrafficPercent === 10)).toBe(true);
    // The canary is a second revision: another model than the stable one.
    expect(
      canaries.every(
        (s) =>
          JSON.stringify(s.canaryPredictor!.model) !==
          JSON.stringify((s.stable.spec as { predictor: { model: unknown } }).predictor.model),
      ),
    ).toBe(true);
    expect(canaries.filter((s) => s.canaryErrorRate !== undefined)).toHaveLength(5);
  });

  it('mixes running, OOM-killed and pending pods, and never asks a tenant for more GPUs than its quota', () => {
    const pods = all((t) => t.pods);
    const count = (role: string) => pods.filter((p) => p.role === role).length;
    expect({
      oom: count('oom-killed'),
      gpu: count('pending-gpu'),
      cpu: count('pending-cpu'),
      running: count('running'),
    }).toEqual({ oom: 25, gpu: 100, cpu: 400, running: 4475 });
    for (const tenant of plan.tenants) {
      const gpus = tenant.pods.reduce(
        (n, p) => n + Number((p.body.spec as PodSpec).containers[0]!.resources.requests['nvidia.com/gpu'] ?? 0),
        0,
      );
      const hard = Number((tenant.quota.spec as { hard: Record<string, string> }).hard['requests.nvidia.com/gpu']);
      expect(gpus).toBeLessThanOrEqual(hard);
      expect(new Set(tenant.pods.map((p) => p.body.metadata!.name)).size).toBe(tenant.pods.length);
    }
  });

  it('binds running pods to bench nodes within their capacity, leaving room for every predictor pod', () => {
    const perNode = new Map<string, number>();
    for (const pod of all((t) => t.pods)) {
      const node = (pod.body.spec as PodSpec).nodeName;
      expect(
        Boolean(node),
        `${pod.role} pods are ${pod.role === 'running' || pod.role === 'oom-killed' ? 'bound' : 'left to the scheduler'}`,
      ).toBe(pod.role === 'running' || pod.role === 'oom-killed');
      if (node) perNode.set(node, (perNode.get(node) ?? 0) + 1);
    }
    const capacity = plan.nodes.map((n) => Number((n.status as { allocatable: { pods: string } }).allocatable.pods));
    const bound = [...perNode.values()].reduce((a, b) => a + b, 0);
    expect([...perNode.keys()].every((name) => plan.nodes.some((n) => n.metadata!.name === name))).toBe(true);
    expect(plan.nodes.every((n, i) => (perNode.get(n.metadata!.name!) ?? 0) <= capacity[i]!)).toBe(true);
    expect(capacity.reduce((a, b) => a + b, 0) - bound).toBeGreaterThanOrEqual(500 + 125);
    expect(
      plan.nodes.every(
        (n) => (n.metadata!.labels ?? {})[BENCH_LABEL] && (n.spec as { taints: unknown[] }).taints.length === 1,
      ),
    ).toBe(true);
  });

  it('has finished workflows within the last 7 days, with some tenants below a 95 % success rate', () => {
    const week = 7 * 24 * 60 * 60_000;
    for (const workflow of all((t) => t.workflows)) {
      const status = workflow.status as WorkflowStatus;
      expect(['Succeeded', 'Failed', 'Error']).toContain(status.phase);
      expect(Date.parse(status.startedAt)).toBeGreaterThanOrEqual(NOW - week);
      expect(Date.parse(status.finishedAt)).toBeGreaterThan(Date.parse(status.startedAt));
      expect(Date.parse(status.finishedAt)).toBeLessThanOrEqual(NOW);
    }
    const successRates = plan.tenants.map(
      (t) => t.workflows.filter((w) => (w.status as WorkflowStatus).phase === 'Succeeded').length / t.workflows.length,
    );
    expect(successRates.filter((r) => r < 0.95).length).toBeGreaterThan(0);
    expect(successRates.filter((r) => r >= 0.95).length).toBeGreaterThan(successRates.length / 2);
  });

  it('is the same plan every time, so a second run only fills in what is missing', () => {
    expect(JSON.stringify(largePlatformPlan(LARGE_PLATFORM, NOW))).toBe(JSON.stringify(plan));
  });

  it('scales down for quick runs', () => {
    const small = largePlatformPlan({ ...LARGE_PLATFORM, tenants: 2 }, NOW);
    expect(small.tenants.map((t) => t.name)).toEqual(['bench-00', 'bench-01']);
    expect(small.nodes).toHaveLength(1);
  });
});
