/**
 * A real Helm release of the chart on the local API server (kwok plays the nodes, so the pods
 * "run" without the image): `helm install --wait` until both Deployments are available, an upgrade
 * to a new image tag and more replicas, a rollback to the first revision — the release mechanics
 * README "Install into a cluster" describes — and an uninstall that leaves nothing behind.
 */
import { AppsV1Api, CoreV1Api, RbacAuthorizationV1Api, type KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackContext } from '../../stack/lib/context';
import { CHART, REQUIRED_VALUES, adminConfig, runHelm } from './helm';
import path from 'node:path';

const RELEASE = 'release-test';
const NAMESPACE = 'mlp-helm-release';
const RELEASE_VALUES = path.join(import.meta.dirname, 'values/release.yaml');
const FULLNAME = `${RELEASE}-ml-platform-portal`;

let kc: KubeConfig;

async function helmOk(args: string[]): Promise<string> {
  const result = await runHelm([...args, '--kubeconfig', stackContext().kubeconfig]);
  if (result.code !== 0) throw new Error(`helm ${args.slice(0, 2).join(' ')} failed: ${result.stderr}`);
  return result.stdout;
}

async function deployments(): Promise<Record<string, { image: string; replicas: number; ready: number }>> {
  const list = await kc.makeApiClient(AppsV1Api).listNamespacedDeployment({ namespace: NAMESPACE });
  return Object.fromEntries(
    list.items.map((d) => [
      d.metadata!.name!.replace(`${FULLNAME}-`, ''),
      {
        image: d.spec!.template.spec!.containers[0]!.image!,
        replicas: d.spec!.replicas!,
        ready: d.status?.readyReplicas ?? 0,
      },
    ]),
  );
}

const values = ['-f', REQUIRED_VALUES, '-f', RELEASE_VALUES];

beforeAll(async () => {
  kc = adminConfig();
  // A release left by an interrupted run.
  await runHelm(['uninstall', RELEASE, '-n', NAMESPACE, '--wait', '--kubeconfig', stackContext().kubeconfig]);
});

afterAll(async () => {
  await runHelm(['uninstall', RELEASE, '-n', NAMESPACE, '--wait', '--kubeconfig', stackContext().kubeconfig]);
});

describe('a Helm release of the chart on the local API server', () => {
  it('installs, upgrades, rolls back and uninstalls', async () => {
    await helmOk([
      'install',
      RELEASE,
      CHART,
      '-n',
      NAMESPACE,
      '--create-namespace',
      ...values,
      '--wait',
      '--timeout',
      '90s',
    ]);
    expect(await deployments()).toEqual({
      web: { image: 'ml-platform-portal:0.1.0', replicas: 2, ready: 2 },
      worker: { image: 'ml-platform-portal:0.1.0', replicas: 2, ready: 2 },
    });
    const pods = await kc.makeApiClient(CoreV1Api).listNamespacedPod({ namespace: NAMESPACE });
    // Spread over both CPU nodes.
    expect(new Set(pods.items.filter((p) => p.metadata!.name!.includes('-web-')).map((p) => p.spec!.nodeName))).toEqual(
      new Set(['cpu-1', 'cpu-2']),
    );

    await helmOk([
      'upgrade',
      RELEASE,
      CHART,
      '-n',
      NAMESPACE,
      ...values,
      '--set',
      'image.tag=0.2.0',
      '--set',
      'web.replicas=3',
      '--wait',
      '--timeout',
      '90s',
    ]);
    expect(await deployments()).toEqual({
      web: { image: 'ml-platform-portal:0.2.0', replicas: 3, ready: 3 },
      worker: { image: 'ml-platform-portal:0.2.0', replicas: 2, ready: 2 },
    });

    await helmOk(['rollback', RELEASE, '1', '-n', NAMESPACE, '--wait', '--timeout', '90s']);
    const after = await deployments();
    expect(after.web).toMatchObject({ image: 'ml-platform-portal:0.1.0', replicas: 2 });
    expect(after.worker).toMatchObject({ image: 'ml-platform-portal:0.1.0', replicas: 2 });
    const history = JSON.parse(await helmOk(['history', RELEASE, '-n', NAMESPACE, '-o', 'json'])) as {
      revision: number;
      status: string;
    }[];
    expect(history.map((h) => [h.revision, h.status])).toEqual([
      [1, 'superseded'],
      [2, 'superseded'],
      [3, 'deployed'],
    ]);

    await helmOk(['uninstall', RELEASE, '-n', NAMESPACE, '--wait']);
    expect(await deployments()).toEqual({});
    const roles = await kc.makeApiClient(RbacAuthorizationV1Api).listClusterRole({
      labelSelector: `app.kubernetes.io/instance=${RELEASE}`,
    });
    expect(roles.items).toEqual([]);
  });
});
