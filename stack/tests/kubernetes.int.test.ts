/**
 * The local Kubernetes control plane, against the running stack (`npm run stack -- up`, then
 * `seed`): the real API server's version, kwok's GPU nodes, the CRDs, RBAC for IdP groups and
 * for the portal impersonating a user, quota admission, the real scheduler placing a GPU pod,
 * and the seeded tenants. It fails (never skips) when the API server cannot be reached.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackContext } from '../lib/context';
import { waitFor } from '../lib/processes';
import { ADMIN, apiServerReady, kubeRequest, type Identity, type KubeResponse } from '../kubernetes/http';
import { apiServerUrl, readUsers, type UsersFile } from '../kubernetes/identities';
import { GPU_NODE_NAMES, NODE_SPECS } from '../kubernetes/nodes';
import { LABELS, OOM_KILLED_LABEL, QUOTA_NAME, SHARED_NAMESPACE, TENANTS, workflowPlan } from '../seed/kubernetes';
import { VERSIONS } from '../versions';

const ctx = stackContext();
const testNamespace = `k8s-test-${Date.now().toString(36)}`;
let users: UsersFile;

interface Condition {
  type: string;
  status: string;
}
interface Node {
  metadata: { name: string; labels?: Record<string, string> };
  status?: { allocatable?: Record<string, string>; conditions?: Condition[] };
}
interface Pod {
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: { nodeName?: string };
  status?: {
    phase?: string;
    containerStatuses?: { state?: { terminated?: { reason?: string; exitCode?: number } } }[];
  };
}
interface List<T> {
  items: T[];
}

const as = (name: string): Identity => ({ token: users.users[name]!.token });
const PORTAL: Identity = { certName: 'portal' };

function impersonating(username: string): Record<string, string | string[]> {
  const user = users.users[username]!;
  return { 'Impersonate-User': user.username, 'Impersonate-Group': user.groups };
}

async function get<T>(path: string, identity: Identity = ADMIN): Promise<T> {
  const response = await kubeRequest(ctx, identity, path);
  if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${response.text.slice(0, 300)}`);
  return response.json as T;
}

function gpuPod(name: string, gpus: number): object {
  const r = { cpu: '100m', memory: '128Mi', 'nvidia.com/gpu': String(gpus) };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name },
    spec: {
      automountServiceAccountToken: false,
      restartPolicy: 'Never',
      containers: [{ name: 'main', image: 'registry.example.com/test/gpu:1', resources: { requests: r, limits: r } }],
    },
  };
}

beforeAll(async () => {
  if (!(await apiServerReady(ctx))) {
    throw new Error(
      `kubernetes: the API server at ${apiServerUrl(ctx)} is not reachable (run \`npm run stack -- up\`; logs in ${ctx.logFile('kube-apiserver')})`,
    );
  }
  users = await readUsers(ctx);
});

afterAll(async () => {
  if (users)
    await kubeRequest(ctx, ADMIN, `/api/v1/namespaces/${testNamespace}`, { method: 'DELETE' }).catch(() => undefined);
});

describe('kubernetes control plane', () => {
  it('is ready and reports the pinned version', async () => {
    const readyz = await kubeRequest(ctx, ADMIN, '/readyz');
    expect(readyz.status).toBe(200);
    expect(readyz.text.trim()).toBe('ok');
    const version = await get<{ gitVersion: string }>('/version');
    expect(version.gitVersion).toBe(VERSIONS.kubernetes);
  });

  it('has six Ready kwok nodes, four with 8 allocatable GPUs', async () => {
    const nodes = (await get<List<Node>>('/api/v1/nodes')).items.filter((n) =>
      NODE_SPECS.some((s) => s.name === n.metadata.name),
    );
    expect(nodes).toHaveLength(6);
    for (const node of nodes)
      expect(node.status?.conditions?.find((c) => c.type === 'Ready')?.status, node.metadata.name).toBe('True');
    const gpuNodes = nodes.filter((n) => n.status?.allocatable?.['nvidia.com/gpu'] === '8');
    expect(gpuNodes.map((n) => n.metadata.name).sort()).toEqual([...GPU_NODE_NAMES].sort());
    for (const node of gpuNodes) {
      expect(node.metadata.labels?.['nvidia.com/gpu.product']).toMatch(/^NVIDIA-/);
      expect(node.metadata.labels?.['nvidia.com/gpu.count']).toBe('8');
    }
  });

  it('serves the InferenceService and Workflow CRDs', async () => {
    for (const name of ['inferenceservices.serving.kserve.io', 'workflows.argoproj.io']) {
      const crd = await get<{ status?: { conditions?: Condition[] } }>(
        `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`,
      );
      expect(crd.status?.conditions?.find((c) => c.type === 'Established')?.status, name).toBe('True');
    }
  });
});

describe('kubernetes RBAC', () => {
  it("lets alice (mlp:fraud:member) list fraud's pods but not pricing's", async () => {
    expect((await kubeRequest(ctx, as('alice'), '/api/v1/namespaces/fraud/pods')).status).toBe(200);
    const denied = await kubeRequest(ctx, as('alice'), '/api/v1/namespaces/pricing/pods');
    expect(denied.status).toBe(403);
    expect((denied.json as { message?: string }).message).toContain('User "alice" cannot list resource "pods"');
  });

  it('gives the portal impersonating alice exactly her rights', async () => {
    const headers = impersonating('alice');
    expect((await kubeRequest(ctx, PORTAL, '/api/v1/namespaces/fraud/pods', { headers })).status).toBe(200);
    const denied = await kubeRequest(ctx, PORTAL, '/api/v1/namespaces/pricing/pods', { headers });
    expect(denied.status).toBe(403);
    expect((denied.json as { message?: string }).message).toContain('User "alice" cannot list resource "pods"');
    // As itself the portal reads every tenant.
    expect((await kubeRequest(ctx, PORTAL, '/api/v1/namespaces/pricing/pods')).status).toBe(200);
  });

  it('maps the other tenant and platform groups', async () => {
    const status = async (user: string, path: string) => (await kubeRequest(ctx, as(user), path)).status;
    expect(await status('carol', '/api/v1/namespaces/pricing/pods')).toBe(200);
    expect(await status('carol', '/api/v1/namespaces/fraud/pods')).toBe(403);
    // The KServe and Argo resources join view/edit through aggregation.
    expect(await status('bob', '/apis/argoproj.io/v1alpha1/namespaces/fraud/workflows')).toBe(200);
    expect(await status('alice', '/apis/serving.kserve.io/v1beta1/namespaces/fraud/inferenceservices')).toBe(200);
    for (const user of ['dave', 'erin', 'frank']) {
      expect(await status(user, '/api/v1/namespaces/pricing/pods'), user).toBe(200);
      expect(await status(user, '/api/v1/nodes'), user).toBe(200);
    }
    expect(await status('alice', '/api/v1/nodes')).toBe(403);
  });

  it('does not let a demo user impersonate', async () => {
    const response = await kubeRequest(ctx, as('alice'), '/api/v1/namespaces/pricing/pods', {
      headers: impersonating('carol'),
    });
    expect(response.status).toBe(403);
  });
});

describe('kubernetes admission and scheduling', () => {
  it("rejects a GPU pod over fraud's quota", async () => {
    const response = await kubeRequest(ctx, as('alice'), '/api/v1/namespaces/fraud/pods', {
      method: 'POST',
      body: gpuPod('k8s-test-over-quota', 9),
    });
    if (response.status === 201)
      await kubeRequest(ctx, ADMIN, '/api/v1/namespaces/fraud/pods/k8s-test-over-quota', { method: 'DELETE' });
    expect(response.status).toBe(403);
    expect(response.text).toContain('exceeded quota');
    expect(response.text).toContain(QUOTA_NAME);
  });

  it('schedules a 1-GPU pod onto a GPU node, where it runs', async () => {
    const created = await kubeRequest(ctx, ADMIN, '/api/v1/namespaces', {
      method: 'POST',
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: testNamespace } },
    });
    expect(created.status).toBe(201);
    // ServiceAccount admission needs the namespace's `default` ServiceAccount (made by its controller).
    await waitFor(
      'the default ServiceAccount',
      async () =>
        (await kubeRequest(ctx, ADMIN, `/api/v1/namespaces/${testNamespace}/serviceaccounts/default`)).status === 200,
      30_000,
    );
    let pod: KubeResponse = await kubeRequest(ctx, ADMIN, `/api/v1/namespaces/${testNamespace}/pods`, {
      method: 'POST',
      body: gpuPod('one-gpu', 1),
    });
    expect(pod.status, pod.text).toBe(201);
    await waitFor(
      'the 1-GPU pod to run',
      async () => {
        pod = await kubeRequest(ctx, ADMIN, `/api/v1/namespaces/${testNamespace}/pods/one-gpu`);
        return (pod.json as Pod).status?.phase === 'Running';
      },
      50_000,
    );
    expect(GPU_NODE_NAMES).toContain((pod.json as Pod).spec?.nodeName);
  }, 60_000);
});

describe('kubernetes seed', () => {
  it('has the tenant namespaces, labelled, with their GPU quotas', async () => {
    for (const tenant of TENANTS) {
      const ns = await get<{ metadata: { labels?: Record<string, string> } }>(`/api/v1/namespaces/${tenant.name}`);
      expect(ns.metadata.labels?.[LABELS.tenant]).toBe(tenant.name);
      expect(ns.metadata.labels?.[LABELS.managedBy]).toBe('ml-platform-portal');
      const quota = await get<{ spec: { hard: Record<string, string> } }>(
        `/api/v1/namespaces/${tenant.name}/resourcequotas/${QUOTA_NAME}`,
      );
      expect(quota.spec.hard['requests.nvidia.com/gpu']).toBe(String(tenant.gpus));
    }
    expect(TENANTS.map((t) => t.gpus)).toEqual([8, 4, 2]);
  });

  it('has pipeline runs of the last 14 days in every phase', async () => {
    const plan = workflowPlan();
    for (const tenant of TENANTS) {
      const runs = (
        await get<List<{ metadata: { name: string }; status?: { phase?: string; startedAt?: string } }>>(
          `/apis/argoproj.io/v1alpha1/namespaces/${tenant.name}/workflows`,
        )
      ).items;
      const names = new Set(runs.map((r) => r.metadata.name));
      const planned = plan.filter((r) => r.tenant === tenant.name);
      expect(planned.length).toBeGreaterThanOrEqual(10);
      for (const run of planned) expect(names.has(run.name), `${tenant.name}/${run.name}`).toBe(true);
      const phases = new Set(runs.map((r) => r.status?.phase));
      for (const phase of ['Succeeded', 'Failed', 'Error', 'Running'])
        expect(phases, `${tenant.name} ${phase}`).toContain(phase);
      const oldest = Math.min(...runs.map((r) => Date.parse(r.status?.startedAt ?? '')));
      expect(Date.now() - oldest).toBeGreaterThan(10 * 24 * 3600_000);
    }
  });

  it('has GPU pods running, OOMKilled, pending on capacity and pending on quota', async () => {
    const fraud = (await get<List<Pod>>('/api/v1/namespaces/fraud/pods')).items;
    const oom = fraud.filter((p) => p.metadata.labels?.[OOM_KILLED_LABEL] === 'true');
    expect(oom.length).toBeGreaterThan(0);
    expect(oom[0]!.status?.containerStatuses?.[0]?.state?.terminated).toMatchObject({
      reason: 'OOMKilled',
      exitCode: 137,
    });
    expect(fraud.some((p) => p.status?.phase === 'Running' && GPU_NODE_NAMES.includes(p.spec?.nodeName ?? ''))).toBe(
      true,
    );

    const pending = fraud.filter((p) => p.status?.phase === 'Pending' && !p.spec?.nodeName);
    expect(pending.length).toBeGreaterThan(0);
    const events = (
      await get<List<{ reason?: string; message?: string; involvedObject: { name?: string } }>>(
        '/api/v1/namespaces/fraud/events',
      )
    ).items;
    expect(
      events.some(
        (e) =>
          e.reason === 'FailedScheduling' &&
          e.message?.includes('Insufficient nvidia.com/gpu') &&
          pending.some((p) => p.metadata.name === e.involvedObject.name),
      ),
    ).toBe(true);
    expect(events.some((e) => e.reason === 'FailedCreate' && e.message?.includes('exceeded quota: gpu-quota'))).toBe(
      true,
    );

    const shared = (await get<List<Pod>>(`/api/v1/namespaces/${SHARED_NAMESPACE}/pods`)).items;
    expect(shared.filter((p) => p.status?.phase === 'Running')).toHaveLength(2);
  });
});
