/**
 * The KServe simulator against the real API server: revisions per predictor spec change,
 * traffic following canaryTrafficPercent within seconds, predictor pods placed by the real
 * scheduler, and the status fields the portal reads. Also the stack CLI's status report.
 */
import { execFileSync } from 'node:child_process';
import { CoreV1Api, CustomObjectsApi, KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackContext } from '../lib/context';
import { waitFor } from '../lib/processes';

const ctx = stackContext();
const API = { group: 'serving.kserve.io', version: 'v1beta1', plural: 'inferenceservices' } as const;
const namespace = `sim-test-${Date.now().toString(36)}`;
const name = 'scorer';

interface Predictor {
  latestCreatedRevision?: string;
  latestReadyRevision?: string;
  latestRolledoutRevision?: string;
  previousRolledoutRevision?: string;
  traffic?: { revisionName: string; percent: number; tag?: string; latestRevision?: boolean }[];
}
interface Isvc {
  status?: { url?: string; conditions?: { type: string; status: string }[]; components?: { predictor?: Predictor } };
}

let core: CoreV1Api;
let custom: CustomObjectsApi;

beforeAll(async () => {
  const kubeconfig = new KubeConfig();
  try {
    kubeconfig.loadFromFile(ctx.kubeconfig);
    core = kubeconfig.makeApiClient(CoreV1Api);
    custom = kubeconfig.makeApiClient(CustomObjectsApi);
    await core.listNamespace({ limit: 1 });
  } catch (error) {
    throw new Error(
      `kubernetes is not reachable with ${ctx.kubeconfig} (run \`npm run stack -- up\`): ${String(error)}`,
    );
  }
  const health = await fetch(`http://127.0.0.1:${ctx.ports.simulator}/healthz`).catch(() => null);
  if (!health?.ok)
    throw new Error(`simulator is not answering on port ${ctx.ports.simulator} (run \`npm run stack -- up\`)`);
  await core.createNamespace({ body: { metadata: { name: namespace } } });
});

afterAll(async () => {
  await core?.deleteNamespace({ name: namespace }).catch(() => {});
});

const read = async () => (await custom.getNamespacedCustomObject({ ...API, namespace, name })) as Isvc;
const predictorStatus = async () => (await read()).status?.components?.predictor;

function predictor(storageUri: string, extra: Record<string, unknown> = {}) {
  return {
    minReplicas: 1,
    model: {
      modelFormat: { name: 'mlflow' },
      storageUri,
      resources: { requests: { cpu: '500m', memory: '1Gi', 'nvidia.com/gpu': '1' }, limits: { 'nvidia.com/gpu': '1' } },
    },
    ...extra,
  };
}

async function patchPredictor(value: Record<string, unknown>) {
  await custom.patchNamespacedCustomObject({
    ...API,
    namespace,
    name,
    body: [{ op: 'replace', path: '/spec/predictor', value }],
  });
}

async function podsOf(revision: string): Promise<V1Pod[]> {
  const list = await core.listNamespacedPod({ namespace, labelSelector: `serving.knative.dev/revision=${revision}` });
  return list.items.filter((p) => !p.metadata?.deletionTimestamp);
}

describe('KServe simulator', () => {
  it('rolls out a first revision with a running GPU pod placed by the scheduler', async () => {
    await custom.createNamespacedCustomObject({
      ...API,
      namespace,
      body: {
        apiVersion: 'serving.kserve.io/v1beta1',
        kind: 'InferenceService',
        metadata: { name },
        spec: { predictor: predictor('s3://mlflow-artifacts/1/a/artifacts/model') },
      },
    });
    await waitFor(
      'first revision ready',
      async () => (await read()).status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True',
      30_000,
    );
    const status = (await read()).status!;
    expect(status.url).toBe(`http://${name}.${namespace}.example.com`);
    expect(status.components?.predictor).toMatchObject({
      latestCreatedRevision: 'scorer-predictor-00001',
      latestReadyRevision: 'scorer-predictor-00001',
      latestRolledoutRevision: 'scorer-predictor-00001',
      traffic: [{ revisionName: 'scorer-predictor-00001', percent: 100, latestRevision: true }],
    });
    const [pod] = await podsOf('scorer-predictor-00001');
    expect(pod?.status?.phase).toBe('Running');
    const node = await core.readNode({ name: pod!.spec!.nodeName! });
    expect(Number(node.status?.allocatable?.['nvidia.com/gpu'] ?? 0)).toBeGreaterThan(0);
  });

  it('creates a new revision for a new storageUri and splits traffic by canaryTrafficPercent within seconds', async () => {
    await patchPredictor(predictor('s3://mlflow-artifacts/1/b/artifacts/model', { canaryTrafficPercent: 10 }));
    await waitFor('canary at 10 %', async () => (await predictorStatus())?.traffic?.length === 2, 10_000);
    expect((await predictorStatus())?.traffic).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          revisionName: 'scorer-predictor-00002',
          percent: 10,
          tag: 'latest',
          latestRevision: true,
        }),
        expect.objectContaining({
          revisionName: 'scorer-predictor-00001',
          percent: 90,
          tag: 'prev',
          latestRevision: false,
        }),
      ]),
    );
    await waitFor(
      'canary pod running',
      async () => (await podsOf('scorer-predictor-00002')).some((p) => p.status?.phase === 'Running'),
      30_000,
    );

    const patchedAt = Date.now();
    await patchPredictor(predictor('s3://mlflow-artifacts/1/b/artifacts/model', { canaryTrafficPercent: 50 }));
    await waitFor(
      'canary at 50 %',
      async () => (await predictorStatus())?.traffic?.some((t) => t.percent === 50) ?? false,
      5_000,
    );
    expect(Date.now() - patchedAt).toBeLessThan(5_000);
    expect((await predictorStatus())?.latestCreatedRevision).toBe('scorer-predictor-00002');
  });

  it('rolls back with canaryTrafficPercent 0 and scales the canary to zero', async () => {
    await patchPredictor(predictor('s3://mlflow-artifacts/1/b/artifacts/model', { canaryTrafficPercent: 0 }));
    await waitFor(
      'all traffic back on the stable revision',
      async () =>
        (await predictorStatus())?.traffic?.find((t) => t.percent === 100)?.revisionName === 'scorer-predictor-00001',
      5_000,
    );
    await waitFor('canary pods gone', async () => (await podsOf('scorer-predictor-00002')).length === 0, 15_000);
  });

  it('promotes: without canaryTrafficPercent the latest revision takes all traffic', async () => {
    await patchPredictor(predictor('s3://mlflow-artifacts/1/b/artifacts/model'));
    await waitFor(
      'promoted',
      async () => (await predictorStatus())?.latestRolledoutRevision === 'scorer-predictor-00002',
      30_000,
    );
    expect(await predictorStatus()).toMatchObject({
      previousRolledoutRevision: 'scorer-predictor-00001',
      traffic: [{ revisionName: 'scorer-predictor-00002', percent: 100 }],
    });
    await waitFor(
      'old revision scaled to zero',
      async () => (await podsOf('scorer-predictor-00001')).length === 0,
      15_000,
    );
  });

  it('reports its view of traffic for the metrics exporter', async () => {
    const state = (await (await fetch(`http://127.0.0.1:${ctx.ports.simulator}/state`)).json()) as {
      traffic: { namespace: string; service: string; revision: string; percent: number; role: string }[];
    };
    expect(state.traffic.filter((t) => t.namespace === namespace)).toEqual([
      { namespace, service: name, revision: 'scorer-predictor-00002', percent: 100, role: 'stable' },
    ]);
  });
});

describe('stack CLI', () => {
  it('reports every component up, with URLs and the kubeconfig, as one JSON object', () => {
    const output = execFileSync(process.execPath, ['--import', 'tsx', 'stack/cli.ts', 'status', '--json'], {
      cwd: ctx.root,
      encoding: 'utf8',
    });
    const report = JSON.parse(output) as {
      components: Record<string, { state: string; url: string }>;
      kubeconfig: string;
    };
    expect(Object.keys(report.components).sort()).toEqual([
      'kubernetes',
      'minio',
      'mlflow',
      'oidc',
      'postgres',
      'prometheus',
      'simulator',
    ]);
    for (const [component, entry] of Object.entries(report.components)) {
      expect(entry.state, `${component} is ${entry.state}`).toBe('up');
      expect(entry.url).toMatch(/^(https?|postgresql):\/\/.*127\.0\.0\.1:\d+/);
    }
    expect(report.kubeconfig).toBe(ctx.kubeconfig);
  });
});
