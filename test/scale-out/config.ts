/**
 * The environment of the web and worker containers exactly as the Helm chart renders it (never
 * imported by the product): `helm template deploy/helm/ml-platform-portal` with the local
 * platform's values (./values-local-stack.yaml, its URLs from the running platform's
 * .data/stack/stack.env), each container's `env` resolved the way the kubelet would — values as
 * they are, `secretKeyRef`s from the Secrets this test supplies, paths into mounted Secrets and
 * ConfigMaps pointed at local copies of those files.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import type { KubernetesObject, V1ConfigMap, V1Container, V1Deployment, V1EnvVar } from '@kubernetes/client-node';
import { CHART, render } from '../helm/helm';

export interface ContainerEnvs {
  /** Where the variables came from, for the test log. */
  source: string;
  web: Record<string, string>;
  worker: Record<string, string>;
}

const STACK_ENV = path.resolve(import.meta.dirname, '../../.data/stack/stack.env');
export const LOCAL_STACK_VALUES = path.join(import.meta.dirname, 'values-local-stack.yaml');
const RELEASE = 'ml-platform-portal';

/** The local platform's env file, as written by `npm run stack -- up`. */
export function stackEnv(): Record<string, string> {
  try {
    return parseEnv(readFileSync(STACK_ENV, 'utf8')) as Record<string, string>;
  } catch {
    throw new Error(`${STACK_ENV} is missing: start the local platform (npm run stack -- up)`);
  }
}

function required(env: Record<string, string>, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${STACK_ENV} has no ${name}: start the local platform (npm run stack -- up)`);
  return value;
}

/** Only what a container has besides its env: where programs are, a home. */
function base(): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };
}

function deploymentOf(objects: KubernetesObject[], component: 'web' | 'worker'): V1Deployment {
  const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata?.name === `${RELEASE}-${component}`);
  if (!deployment) throw new Error(`the chart rendered no Deployment ${RELEASE}-${component}`);
  return deployment as V1Deployment;
}

function containerOf(deployment: V1Deployment, component: 'web' | 'worker'): V1Container {
  const found = deployment.spec?.template.spec?.containers.find((c) => c.name === component);
  if (!found) throw new Error(`the chart's Deployment ${deployment.metadata?.name} has no ${component} container`);
  return found;
}

/**
 * The containers' environments. `databaseUrl` and `nextauthSecret` are the data of the Secret
 * the values name (the test's own database; one session secret for every replica).
 */
export async function containerEnvs(options: {
  databaseUrl: string;
  nextauthSecret: string;
  checkIntervalSeconds: number;
  mountsDir: string;
}): Promise<ContainerEnvs> {
  const stack = stackEnv();
  const { objects } = await render({
    release: RELEASE,
    namespace: 'mlp-system',
    valuesFiles: [LOCAL_STACK_VALUES],
    set: [
      `oidc.issuer=${required(stack, 'OIDC_ISSUER')}`,
      `mlflow.trackingUri=${required(stack, 'MLFLOW_TRACKING_URI')}`,
      `s3.endpoint=${required(stack, 'S3_ENDPOINT')}`,
      `prometheus.url=${required(stack, 'PROMETHEUS_URL')}`,
      `rollout.checkIntervalSeconds=${options.checkIntervalSeconds}`,
    ],
  });

  // What `kubectl create secret` would hold for the names the values give.
  const secrets: Record<string, Record<string, string>> = {
    'ml-portal-local': {
      DATABASE_URL: options.databaseUrl,
      NEXTAUTH_SECRET: options.nextauthSecret,
      OIDC_CLIENT_SECRET: required(stack, 'OIDC_CLIENT_SECRET'),
      S3_ACCESS_KEY_ID: required(stack, 'S3_ACCESS_KEY_ID'),
      S3_SECRET_ACCESS_KEY: required(stack, 'S3_SECRET_ACCESS_KEY'),
    },
    'ml-portal-local-kubeconfig': {
      kubeconfig: readFileSync(required(stack, 'KUBERNETES_PORTAL_KUBECONFIG'), 'utf8'),
    },
  };
  const configMaps = Object.fromEntries(
    (objects.filter((o) => o.kind === 'ConfigMap') as V1ConfigMap[]).map((c) => [c.metadata!.name!, c.data ?? {}]),
  );

  const resolve = (component: 'web' | 'worker'): Record<string, string> => {
    const deployment = deploymentOf(objects, component);
    const spec = containerOf(deployment, component);
    const volumes = deployment.spec!.template.spec!.volumes ?? [];
    // Each mounted Secret or ConfigMap as files in a local folder, as the kubelet projects them.
    const mounts: [string, string][] = [];
    for (const mount of spec.volumeMounts ?? []) {
      const volume = volumes.find((v) => v.name === mount.name);
      const data = volume?.secret
        ? secrets[volume.secret.secretName!]
        : volume?.configMap
          ? configMaps[volume.configMap.name!]
          : undefined;
      if (!data) continue;
      const local = path.join(options.mountsDir, component, mount.name);
      mkdirSync(local, { recursive: true });
      for (const [key, value] of Object.entries(data)) writeFileSync(path.join(local, key), value, { mode: 0o600 });
      mounts.push([mount.mountPath, local]);
    }
    const value = (entry: V1EnvVar): string => {
      if (entry.value !== undefined) {
        const mount = mounts.find(([at]) => entry.value!.startsWith(`${at}/`));
        return mount ? entry.value.replace(mount[0], mount[1]) : entry.value;
      }
      const ref = entry.valueFrom?.secretKeyRef;
      const found = ref ? secrets[ref.name!]?.[ref.key] : undefined;
      if (found === undefined)
        throw new Error(`${component}: cannot resolve ${entry.name} (${JSON.stringify(entry.valueFrom)})`);
      return found;
    };
    return { ...base(), ...Object.fromEntries((spec.env ?? []).map((entry) => [entry.name, value(entry)])) };
  };

  return {
    source: `helm template ${path.relative(process.cwd(), CHART)} -f ${path.relative(process.cwd(), LOCAL_STACK_VALUES)}`,
    web: resolve('web'),
    worker: resolve('worker'),
  };
}
