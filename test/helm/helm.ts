/**
 * For the chart's tests (never imported by the product): Helm built from its Go module
 * (stack/lib/helm.ts), the chart's renders, and the portal's service account of a real install —
 * its objects applied to the local API server and a kubeconfig holding only that service
 * account's token (TokenRequest API), the portal's identity in a pod.
 */
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import {
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  loadAllYaml,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { stackContext } from '../../stack/lib/context';
import { helmBinary } from '../../stack/lib/helm';
import { adminKubeConfig, applyObjects, describeError } from '../../stack/kubernetes/apply';
import { readUsers } from '../../stack/kubernetes/identities';

const exec = promisify(execFile);

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const CHART = path.join(ROOT, 'deploy/helm/ml-platform-portal');
export const TRIAL_VALUES = path.join(CHART, 'values-trial.yaml');
export const PRODUCTION_VALUES = path.join(ROOT, 'deploy/helm/examples/production.yaml');
/** Only what the chart requires (the IdP, the public URL, the secrets, where the API server is). */
export const REQUIRED_VALUES = path.join(import.meta.dirname, 'values/required.yaml');

/** Where the SA pass's kubeconfig is written (scripts/test.sh hands it to the second Vitest run). */
export const SA_KUBECONFIG = path.join(ROOT, '.data/helm/portal-sa.kubeconfig');
/** The namespace and release of the service-account install. */
export const SA_NAMESPACE = 'mlp-portal-sa';
export const SA_RELEASE = 'ml-platform-portal';

export async function helm(): Promise<string> {
  return helmBinary(stackContext());
}

export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs helm with `args`; never throws for a non-zero exit (the tests look at it). */
export async function runHelm(args: string[]): Promise<HelmResult> {
  const bin = await helm();
  const started = performance.now();
  try {
    const { stdout, stderr } = await exec(bin, args, {
      cwd: ROOT,
      maxBuffer: 64 * 1024 * 1024,
      // No kubeconfig: lint and template never touch a cluster.
      env: {
        ...process.env,
        KUBECONFIG: '/dev/null',
        HELM_CACHE_HOME: path.join(ROOT, '.data/helm/cache'),
        HELM_CONFIG_HOME: path.join(ROOT, '.data/helm/config'),
        HELM_DATA_HOME: path.join(ROOT, '.data/helm/data'),
      },
    });
    return { code: 0, stdout, stderr, ms: performance.now() - started };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof e.code === 'number' ? e.code : 1,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? String(error),
      ms: performance.now() - started,
    };
  }
}

export interface RenderOptions {
  release?: string;
  namespace?: string;
  valuesFiles?: string[];
  set?: string[];
}

function templateArgs(options: RenderOptions): string[] {
  return [
    'template',
    options.release ?? 'ml-platform-portal',
    CHART,
    '--namespace',
    options.namespace ?? 'mlp-system',
    ...(options.valuesFiles ?? []).flatMap((file) => ['-f', file]),
    ...(options.set ?? []).flatMap((s) => ['--set', s]),
  ];
}

/** `helm template`: the rendered objects, or throws with helm's message. */
export async function render(options: RenderOptions): Promise<{ objects: KubernetesObject[]; ms: number }> {
  const result = await runHelm(templateArgs(options));
  if (result.code !== 0) throw new Error(`helm template failed (exit ${result.code}): ${result.stderr}`);
  const objects = (loadAllYaml(result.stdout) as (KubernetesObject | null)[]).filter((o): o is KubernetesObject =>
    Boolean(o?.kind),
  );
  return { objects, ms: result.ms };
}

/** `helm template` expected to fail: helm's message. */
export async function renderError(options: RenderOptions): Promise<string> {
  const result = await runHelm(templateArgs(options));
  if (result.code === 0) throw new Error('helm template succeeded, but it should have refused these values');
  return result.stderr;
}

export function find(objects: KubernetesObject[], kind: string, name: string): KubernetesObject {
  const found = objects.find((o) => o.kind === kind && o.metadata?.name === name);
  if (!found)
    throw new Error(
      `no ${kind} ${name} in the render (has: ${objects.map((o) => `${o.kind}/${o.metadata?.name}`).join(', ')})`,
    );
  return found;
}

/** The local platform's admin (arranges things: namespaces, the chart's objects). */
export function adminConfig(): KubeConfig {
  try {
    return adminKubeConfig(stackContext());
  } catch (error) {
    throw new Error(
      `Kubernetes: the local platform's admin kubeconfig cannot be read (${(error as Error).message}) — start it (npm run stack -- up)`,
      { cause: error },
    );
  }
}

/** Server-side dry run of each object (kubectl apply --server-side --dry-run=server); the refusals, in words. */
export async function serverDryRun(kc: KubeConfig, objects: KubernetesObject[]): Promise<string[]> {
  const client = KubernetesObjectApi.makeApiClient(kc);
  const refusals: string[] = [];
  for (const object of objects) {
    try {
      await client.patch(object, undefined, 'All', 'ml-portal-chart-test', true, PatchStrategy.ServerSideApply);
    } catch (error) {
      refusals.push(
        `${object.kind} ${object.metadata?.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata?.name}: ${describeError(error)}`,
      );
    }
  }
  return refusals;
}

/** Creates the namespace unless it exists. */
export async function ensureNamespace(kc: KubeConfig, name: string): Promise<void> {
  await applyObjects(kc, [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { 'app.kubernetes.io/part-of': 'ml-platform-portal-tests' } },
    },
  ]);
}

/** The chart's identity objects: its ServiceAccount, ClusterRoles and ClusterRoleBindings. */
export function identityObjects(objects: KubernetesObject[]): KubernetesObject[] {
  return objects.filter(
    (o) =>
      o.kind === 'ServiceAccount' ||
      ((o.kind === 'ClusterRole' || o.kind === 'ClusterRoleBinding') &&
        o.metadata?.labels?.['app.kubernetes.io/instance'] === SA_RELEASE),
  );
}

export interface PortalServiceAccount {
  username: string;
  token: string;
  kubeconfig: string;
  objects: KubernetesObject[];
}

/**
 * Installs the chart's ServiceAccount and RBAC for real in SA_NAMESPACE (rendered from the
 * required values, applied with the admin's kubeconfig), asks the TokenRequest API for a token
 * of that service account, and writes a kubeconfig with that token only (SA_KUBECONFIG).
 */
export async function installPortalServiceAccount(kc: KubeConfig = adminConfig()): Promise<PortalServiceAccount> {
  const { objects } = await render({ release: SA_RELEASE, namespace: SA_NAMESPACE, valuesFiles: [REQUIRED_VALUES] });
  const identity = identityObjects(objects);
  await ensureNamespace(kc, SA_NAMESPACE);
  await applyObjects(kc, identity);
  const account = identity.find((o) => o.kind === 'ServiceAccount')!.metadata!.name!;
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('Kubernetes: the admin kubeconfig has no current cluster');
  // TokenRequest: POST …/serviceaccounts/<name>/token, as a pod's projected token is made.
  const tokenRequest = await kc.makeApiClient(CoreV1Api).createNamespacedServiceAccountToken({
    name: account,
    namespace: SA_NAMESPACE,
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 24 * 3600 } },
  });
  const token = tokenRequest.status?.token;
  if (!token) throw new Error(`Kubernetes: the TokenRequest for ${SA_NAMESPACE}/${account} returned no token`);
  const users = await readUsers(stackContext());
  const ca = (await readFile(users.caFile)).toString('base64');
  const kubeconfig = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `  - name: local`,
    `    cluster: { server: '${cluster.server}', certificate-authority-data: ${ca} }`,
    'users:',
    `  - name: ${account}`,
    `    user: { token: ${token} }`,
    'contexts:',
    `  - name: portal-sa`,
    `    context: { cluster: local, user: ${account} }`,
    'current-context: portal-sa',
    '',
  ].join('\n');
  await mkdir(path.dirname(SA_KUBECONFIG), { recursive: true });
  await writeFile(SA_KUBECONFIG, kubeconfig, { mode: 0o600 });
  return { username: `system:serviceaccount:${SA_NAMESPACE}:${account}`, token, kubeconfig: SA_KUBECONFIG, objects };
}
