/**
 * A real Kubernetes control plane on 127.0.0.1, built from the official Go modules: etcd,
 * kube-apiserver (RBAC, NamespaceLifecycle/ServiceAccount/ResourceQuota admission, client
 * certificates and a static token file), kube-controller-manager, kube-scheduler, and kwok
 * playing six fake nodes (four with 8 `nvidia.com/gpu` each). On start it also applies the KServe
 * InferenceService and Argo Workflow CRDs, the platform's cluster RBAC, the admission guard's
 * ValidatingAdmissionPolicies (deploy/admission/) and the nodes.
 *
 * Files (under `<stateDir>/kubernetes/`): `pki/` (certificates), `tokens.csv`, `users.json`
 * (every identity's username, groups, token and kubeconfig — see stack/kubernetes/identities.ts),
 * `kubeconfigs/<name>.kubeconfig`; the admin kubeconfig is `ctx.kubeconfig`.
 * Logs: ctx.logFile('etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler' | 'kwok').
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Component } from '../lib/component';
import { HOST, type StackContext } from '../lib/context';
import { httpOk, processRunning, startProcess, stopProcess, waitFor } from '../lib/processes';
import { progress } from '../lib/progress';
import { adminKubeConfig, applyObjects, loadManifests } from '../kubernetes/apply';
import { admissionObjects } from '../kubernetes/admission';
import { kubernetesBinaries } from '../kubernetes/binaries';
import { ADMIN, apiServerReady, httpsRequest, kubeRequest } from '../kubernetes/http';
import {
  apiServerUrl,
  ensureIdentities,
  kubeconfigPath,
  kubernetesStateDir,
  portalKubeconfig,
  tokenFile,
  usersFile,
} from '../kubernetes/identities';
import { KWOK_NODE_ANNOTATION, NODE_SPECS, nodeObject } from '../kubernetes/nodes';
import { SERVICE_CIDR, ensurePki, pkiFile } from '../kubernetes/pki';

/** Processes in start order; stopped in reverse. */
const PROCESSES = ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kwok'] as const;

/** Health ports of the controller manager and the scheduler: the two after the API server's. */
const controllerManagerPort = (ctx: StackContext) => ctx.ports.kubernetes + 1;
const schedulerPort = (ctx: StackContext) => ctx.ports.kubernetes + 2;

const CRD_FILES = ['serving.kserve.io_inferenceservices.yaml', 'argoproj.io_workflows.yaml'];
const CRD_NAMES = ['inferenceservices.serving.kserve.io', 'workflows.argoproj.io'];

function sourceDir(ctx: StackContext, ...parts: string[]): string {
  return path.join(ctx.root, 'stack', 'kubernetes', ...parts);
}

async function healthz(ctx: StackContext, port: number): Promise<boolean> {
  try {
    const response = await httpsRequest(ctx, `https://${HOST}:${port}/healthz`, ADMIN, { timeoutMs: 2_000 });
    return response.status === 200;
  } catch {
    return false;
  }
}

async function etcdHealthy(ctx: StackContext): Promise<boolean> {
  try {
    const response = await httpsRequest(
      ctx,
      `https://${HOST}:${ctx.ports.etcd}/health`,
      { certName: 'apiserver-etcd-client' },
      { timeoutMs: 2_000 },
    );
    return (response.json as { health?: string } | null)?.health === 'true';
  } catch {
    return false;
  }
}

async function crdsEstablished(ctx: StackContext): Promise<boolean> {
  for (const name of CRD_NAMES) {
    const response = await kubeRequest(ctx, ADMIN, `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
    const conditions =
      (response.json as { status?: { conditions?: { type: string; status: string }[] } } | null)?.status?.conditions ??
      [];
    if (!conditions.some((c) => c.type === 'Established' && c.status === 'True')) return false;
  }
  return true;
}

async function nodesReady(ctx: StackContext): Promise<boolean> {
  const response = await kubeRequest(ctx, ADMIN, '/api/v1/nodes');
  type NodeList = {
    items?: { metadata: { name: string }; status?: { conditions?: { type: string; status: string }[] } }[];
  };
  const items = (response.json as NodeList | null)?.items ?? [];
  return NODE_SPECS.every((spec) =>
    items.some(
      (n) =>
        n.metadata.name === spec.name && n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    ),
  );
}

/** The nodes' capacity, addresses and node info live in status, which apply does not set. */
async function applyNodes(ctx: StackContext): Promise<void> {
  const nodes = NODE_SPECS.map(nodeObject);
  await applyObjects(
    adminKubeConfig(ctx),
    nodes.map(({ status: _status, ...node }) => node),
  );
  for (const node of nodes) {
    const { addresses, allocatable, capacity, nodeInfo } = node.status ?? {};
    const response = await kubeRequest(ctx, ADMIN, `/api/v1/nodes/${node.metadata!.name}/status`, {
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      body: { status: { addresses, allocatable, capacity, nodeInfo } },
    });
    if (response.status !== 200)
      throw new Error(
        `setting the status of node ${node.metadata!.name} failed (${response.status}): ${response.text.slice(0, 300)}`,
      );
  }
}

async function start(ctx: StackContext): Promise<void> {
  const bin = await kubernetesBinaries(ctx);
  await ensurePki(ctx);
  await ensureIdentities(ctx);
  const pki = (file: string) => pkiFile(ctx, file);
  const stateDir = kubernetesStateDir(ctx);

  const etcdData = ctx.dataDir('etcd');
  await mkdir(etcdData, { recursive: true, mode: 0o700 });
  const etcdUrl = `https://${HOST}:${ctx.ports.etcd}`;
  const peerUrl = `http://${HOST}:${ctx.ports.etcdPeer}`;
  await startProcess(ctx, {
    name: 'etcd',
    command: bin.etcd,
    args: [
      '--name=stack',
      `--data-dir=${etcdData}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=${peerUrl}`,
      `--initial-advertise-peer-urls=${peerUrl}`,
      `--initial-cluster=stack=${peerUrl}`,
      `--cert-file=${pki('etcd.crt')}`,
      `--key-file=${pki('etcd.key')}`,
      `--trusted-ca-file=${pki('ca.crt')}`,
      '--client-cert-auth=true',
      // Lean: a 512 MiB backend is plenty for a demo cluster; compact hourly.
      '--quota-backend-bytes=536870912',
      '--auto-compaction-mode=periodic',
      '--auto-compaction-retention=1h',
      '--snapshot-count=5000',
      '--log-level=warn',
    ],
    ready: () => etcdHealthy(ctx),
    timeoutMs: 60_000,
  });

  await startProcess(ctx, {
    name: 'kube-apiserver',
    command: bin.kubeApiserver,
    args: [
      `--bind-address=${HOST}`,
      `--advertise-address=${HOST}`,
      `--secure-port=${ctx.ports.kubernetes}`,
      `--etcd-servers=${etcdUrl}`,
      `--etcd-cafile=${pki('ca.crt')}`,
      `--etcd-certfile=${pki('apiserver-etcd-client.crt')}`,
      `--etcd-keyfile=${pki('apiserver-etcd-client.key')}`,
      `--tls-cert-file=${pki('apiserver.crt')}`,
      `--tls-private-key-file=${pki('apiserver.key')}`,
      `--client-ca-file=${pki('ca.crt')}`,
      `--token-auth-file=${tokenFile(ctx)}`,
      // Request-header authentication (for aggregated API servers) trusts the stack CA, but only
      // a front proxy named front-proxy-client, which the stack does not issue. Without it the
      // controller manager and the scheduler complain every ten seconds.
      `--requestheader-client-ca-file=${pki('ca.crt')}`,
      '--requestheader-allowed-names=front-proxy-client',
      '--requestheader-username-headers=X-Remote-User',
      '--requestheader-group-headers=X-Remote-Group',
      '--requestheader-extra-headers-prefix=X-Remote-Extra-',
      `--kubelet-client-certificate=${pki('apiserver-kubelet-client.crt')}`,
      `--kubelet-client-key=${pki('apiserver-kubelet-client.key')}`,
      '--authorization-mode=Node,RBAC',
      '--enable-admission-plugins=NamespaceLifecycle,LimitRanger,ServiceAccount,NodeRestriction,Priority,DefaultTolerationSeconds,ResourceQuota',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${pki('sa.pub')}`,
      `--service-account-signing-key-file=${pki('sa.key')}`,
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
      '--allow-privileged=true',
      // 127.0.0.1 may not be an endpoint of the `kubernetes` Service; no pod here needs it.
      '--endpoint-reconciler-type=none',
      // Events (FailedScheduling, quota FailedCreate) outlive a working day of the demo.
      '--event-ttl=24h',
      '--profiling=false',
    ],
    // Lean: collect garbage sooner (idle: ~360 MiB RSS instead of ~460; much of the heap is the
    // KServe CRD's schema, validators and OpenAPI). The soft limit is well above that: at 320 MiB a
    // large platform (the dashboards benchmark: 5,600 pods, 2,000 workflows) left a heap that could
    // not get back under it, and the API server collected garbage five times a second for good.
    env: { GOGC: '50', GOMEMLIMIT: '1GiB' },
    ready: () => apiServerReady(ctx),
    timeoutMs: 120_000,
  });

  const kc = adminKubeConfig(ctx);
  for (const file of CRD_FILES) await applyObjects(kc, await loadManifests(sourceDir(ctx, 'crds', file)));
  await applyObjects(kc, await loadManifests(sourceDir(ctx, 'manifests', 'platform-rbac.yaml')));
  await applyObjects(kc, await loadManifests(sourceDir(ctx, 'manifests', 'kwok-rbac.yaml')));
  // The admission guard (deploy/admission/): needs the KServe CRD above, and is in force before anything is seeded.
  await applyObjects(kc, await admissionObjects(ctx));

  const serving = (name: string, port: number) => [
    `--kubeconfig=${kubeconfigPath(ctx, name)}`,
    `--authentication-kubeconfig=${kubeconfigPath(ctx, name)}`,
    `--authorization-kubeconfig=${kubeconfigPath(ctx, name)}`,
    `--bind-address=${HOST}`,
    `--secure-port=${port}`,
    `--tls-cert-file=${pki('controlplane-serving.crt')}`,
    `--tls-private-key-file=${pki('controlplane-serving.key')}`,
    // One instance each: no leader election, so an API server restart does not make them exit
    // (a scheduler that loses its lease exits).
    '--leader-elect=false',
    '--profiling=false',
  ];
  await startProcess(ctx, {
    name: 'kube-controller-manager',
    command: bin.kubeControllerManager,
    args: [
      ...serving('kube-controller-manager', controllerManagerPort(ctx)),
      '--controllers=*',
      '--use-service-account-credentials=true',
      `--service-account-private-key-file=${pki('sa.key')}`,
      `--root-ca-file=${pki('ca.crt')}`,
      `--cluster-signing-cert-file=${pki('ca.crt')}`,
      `--cluster-signing-key-file=${pki('ca.key')}`,
      `--service-cluster-ip-range=${SERVICE_CIDR}`,
    ],
    ready: () => healthz(ctx, controllerManagerPort(ctx)),
    timeoutMs: 60_000,
  });
  await startProcess(ctx, {
    name: 'kube-scheduler',
    command: bin.kubeScheduler,
    args: serving('kube-scheduler', schedulerPort(ctx)),
    ready: () => healthz(ctx, schedulerPort(ctx)),
    timeoutMs: 60_000,
  });

  await startProcess(ctx, {
    name: 'kwok',
    command: bin.kwok,
    args: [
      `--kubeconfig=${kubeconfigPath(ctx, 'kwok')}`,
      `--config=${sourceDir(ctx, 'kwok', 'stages.yaml')}`,
      '--manage-all-nodes=false',
      `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION}=fake`,
      `--server-address=${HOST}:${ctx.ports.kwok}`,
      '--node-lease-duration-seconds=40',
      '--cidr=10.244.0.0/16',
      // At INFO kwok logs every node lease renewal.
      '--v=WARN',
    ],
    cwd: stateDir,
    ready: () => httpOk(`http://${HOST}:${ctx.ports.kwok}/healthz`),
    timeoutMs: 60_000,
  });

  await applyNodes(ctx);
  await waitFor('the CRDs to be established', () => crdsEstablished(ctx), 60_000);
  await waitFor('the kwok nodes to be Ready', () => nodesReady(ctx), 90_000);
  progress('kubernetes', `${NODE_SPECS.length} kwok nodes Ready; users and tokens in ${usersFile(ctx)}`);
}

export const kubernetes: Component = {
  name: 'kubernetes',
  dependsOn: [],
  url: (ctx) => apiServerUrl(ctx),
  async install(ctx) {
    await kubernetesBinaries(ctx);
  },
  start,
  async isUp(ctx) {
    return PROCESSES.every((name) => processRunning(ctx, name)) && (await apiServerReady(ctx));
  },
  async stop(ctx) {
    for (const name of [...PROCESSES].reverse()) await stopProcess(ctx, name, name === 'etcd' ? 30_000 : 15_000);
  },
  env: (ctx) => ({
    KUBECONFIG: ctx.kubeconfig,
    KUBERNETES_PORTAL_KUBECONFIG: portalKubeconfig(ctx),
    KUBERNETES_API_URL: apiServerUrl(ctx),
    KUBERNETES_USERS_FILE: usersFile(ctx),
  }),
};
