/**
 * The Kubernetes adapter against the running local platform (`npm run stack -- up`, then `seed`):
 * the real API server, its RBAC for the portal impersonating a user, the KServe CRD and the
 * simulator's status. It fails (never skips) when the API server cannot be reached.
 *
 * It changes only a harmless annotation of fraud/fraud-detector (removed afterwards; metadata
 * changes make no new revision) and creates an InferenceService in a namespace of its own.
 */
import { readFileSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isUpstreamError } from '../upstream';
import { PORTAL_ACTOR, userActor, type KubeActor, type KubeConnection } from './client';
import { inferenceServices, type InferenceService } from './inference-services';
import { pods } from './pods';
import { MAX_UPDATE_ATTEMPTS } from './resource';
import { servingState } from './serving-state';
import { closedPort, loadStackEnv, requireSetting, silentServer } from '../../../test/stack';

loadStackEnv();

const runId = Date.now().toString(36);
const ANNOTATION = `test.mlp.example.com/k8s-adapter-${runId}`;
const scratchNamespace = `k8s-adapter-${runId}`;
let alice: KubeActor;
let admin: CoreV1Api;

/** A connection as the portal that runs `beforeWrite` before each PUT, i.e. between an update's read and its write. */
function connectionWithHook(beforeWrite: () => Promise<void>): KubeConnection {
  class HookedKubeConfig extends KubeConfig {
    override async applyToHTTPSOptions(options: RequestOptions): Promise<void> {
      if (options.method === 'PUT') await beforeWrite();
      return super.applyToHTTPSOptions(options);
    }
  }
  const kubeConfig = new HookedKubeConfig();
  kubeConfig.loadFromFile(requireSetting('KUBERNETES_PORTAL_KUBECONFIG', 'kubernetes'));
  return { kubeConfig, timeoutMs: 5000 };
}

function connectionTo(server: string, timeoutMs: number): KubeConnection {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'test', server, skipTLSVerify: true }],
    users: [{ name: 'test', token: 'test-token' }],
    contexts: [{ name: 'test', cluster: 'test', user: 'test' }],
    currentContext: 'test',
  });
  return { kubeConfig, timeoutMs };
}

const withoutTestAnnotations = (isvc: InferenceService): InferenceService | null => {
  const keys = Object.keys(isvc.metadata.annotations).filter((key) => key.startsWith(ANNOTATION));
  keys.forEach((key) => delete isvc.metadata.annotations[key]);
  return keys.length ? isvc : null;
};

beforeAll(async () => {
  const server = requireSetting('KUBERNETES_API_URL', 'kubernetes');
  requireSetting('KUBERNETES_PORTAL_KUBECONFIG', 'kubernetes');
  try {
    await inferenceServices('fraud', PORTAL_ACTOR).list();
  } catch (error) {
    throw new Error(
      `kubernetes: the API server at ${server} cannot be used (${(error as Error).message}) — start the local platform (npm run stack -- up, then seed)`,
    );
  }
  const users = JSON.parse(readFileSync(requireSetting('KUBERNETES_USERS_FILE', 'kubernetes'), 'utf8')) as {
    users: Record<string, { username: string; groups: string[] }>;
  };
  const entry = users.users.alice;
  if (!entry)
    throw new Error('kubernetes: the demo user alice is missing from KUBERNETES_USERS_FILE — run npm run stack -- up');
  alice = userActor(entry.username, entry.groups);
  const adminConfig = new KubeConfig();
  adminConfig.loadFromFile(requireSetting('KUBECONFIG', 'kubernetes (admin kubeconfig)'));
  admin = adminConfig.makeApiClient(CoreV1Api);
});

afterAll(async () => {
  await inferenceServices('fraud', PORTAL_ACTOR)
    .update('fraud-detector', withoutTestAnnotations)
    .catch(() => undefined);
  await admin?.deleteNamespace({ name: scratchNamespace }).catch(() => undefined);
});

describe('InferenceServices', () => {
  it("lists and gets fraud's InferenceService as the portal, with KServe's status", async () => {
    const api = inferenceServices('fraud', PORTAL_ACTOR);
    expect(api.namespace).toBe('fraud');
    const all = await api.list();
    const listed = all.find((isvc) => isvc.metadata.name === 'fraud-detector');
    expect(listed, 'the seeded fraud/fraud-detector (run npm run stack -- seed)').toBeDefined();
    expect(all.every((isvc) => isvc.metadata.namespace === 'fraud')).toBe(true);

    const isvc = await api.get('fraud-detector');
    expect(isvc?.metadata).toMatchObject({
      name: 'fraud-detector',
      namespace: 'fraud',
      uid: listed!.metadata.uid,
      labels: { 'mlp.example.com/model': 'fraud-detector' },
    });
    expect(isvc?.spec.predictor.model?.storageUri).toMatch(/^s3:\/\/.+\/model$/);
    // Other work may have moved fraud's traffic since the seed; whatever the split, it adds up.
    const traffic = isvc?.status?.components?.predictor?.traffic ?? [];
    expect(traffic.reduce((sum, t) => sum + (t.percent ?? 0), 0)).toBe(100);
    // Fields the schema does not name pass through (and so survive an update).
    expect(isvc?.status?.deploymentMode).toBe('Serverless');
    expect(traffic[0]?.configurationName).toBe('fraud-detector-predictor');
    expect(servingState(isvc!).stableRevision).toMatch(/^fraud-detector-predictor-\d{5}$/);

    expect(await api.get('no-such-model')).toBeNull();
  });

  it.each([
    ['pricing', 'price-elasticity'],
    ['forecast', 'demand-forecast'],
  ])('reads the split of the seeded canary %s/%s', async (tenant, name) => {
    const isvc = await inferenceServices(tenant, PORTAL_ACTOR).get(name);
    const predictor = isvc?.status?.components?.predictor;
    expect(predictor?.traffic, `the seeded canary ${tenant}/${name} (run npm run stack -- seed)`).toHaveLength(2);
    expect(servingState(isvc!)).toMatchObject({
      canaryRevision: predictor!.latestCreatedRevision,
      stableRevision: predictor!.latestRolledoutRevision,
      canaryPercent: isvc!.spec.predictor.canaryTrafficPercent,
      storageUri: isvc!.spec.predictor.model!.storageUri,
    });
  });

  it('acts as alice: she reads fraud, and pricing refuses her with a message that says so', async () => {
    expect((await inferenceServices('fraud', alice).list()).map((isvc) => isvc.metadata.name)).toContain(
      'fraud-detector',
    );
    const pricing = inferenceServices('pricing', alice);
    await expect(pricing.list()).rejects.toMatchObject({
      name: 'UpstreamError',
      kind: 'forbidden',
      status: 403,
      message: 'The cluster does not allow alice to list InferenceServices in pricing',
    });
    await expect(pricing.get('price-elasticity')).rejects.toThrow(
      'The cluster does not allow alice to get InferenceService pricing/price-elasticity',
    );
    await expect(pricing.update('price-elasticity', (isvc) => isvc)).rejects.toMatchObject({ kind: 'forbidden' });
  });

  it('update re-reads on 409 Conflict and applies the change again, so both concurrent changes survive', async () => {
    const before = (await inferenceServices('fraud', PORTAL_ACTOR).get('fraud-detector'))!;
    let concurrentWrites = 0;
    // Between the portal's read and its write, alice changes the object (as another replica would).
    const api = inferenceServices(
      'fraud',
      PORTAL_ACTOR,
      connectionWithHook(async () => {
        if (concurrentWrites++ > 0) return;
        await inferenceServices('fraud', alice).update('fraud-detector', (isvc) => {
          isvc.metadata.annotations[`${ANNOTATION}-alice`] = 'concurrent';
          return isvc;
        });
      }),
    );
    const seen: string[] = [];
    const updated = await api.update('fraud-detector', (isvc) => {
      seen.push(isvc.metadata.resourceVersion);
      isvc.metadata.annotations[`${ANNOTATION}-portal`] = 'mine';
      return isvc;
    });

    expect(seen).toHaveLength(2);
    expect(seen[1]).not.toBe(seen[0]);
    expect(updated.metadata.annotations).toMatchObject({
      [`${ANNOTATION}-alice`]: 'concurrent',
      [`${ANNOTATION}-portal`]: 'mine',
    });
    const stored = (await inferenceServices('fraud', PORTAL_ACTOR).get('fraud-detector'))!;
    expect(stored.metadata.annotations).toMatchObject({
      [`${ANNOTATION}-alice`]: 'concurrent',
      [`${ANNOTATION}-portal`]: 'mine',
    });
    // Only metadata changed: same spec, same generation, so no new revision and no traffic change.
    expect(stored.spec).toEqual(before.spec);
    expect(stored.metadata.generation).toBe(before.metadata.generation);
  });

  it(`gives up after ${MAX_UPDATE_ATTEMPTS} conflicting attempts with a message that says so`, async () => {
    let round = 0;
    const api = inferenceServices(
      'fraud',
      PORTAL_ACTOR,
      connectionWithHook(() =>
        inferenceServices('fraud', alice)
          .update('fraud-detector', (isvc) => {
            isvc.metadata.annotations[`${ANNOTATION}-alice`] = `round-${++round}`;
            return isvc;
          })
          .then(() => undefined),
      ),
    );
    let calls = 0;
    const attempt = api.update('fraud-detector', (isvc) => {
      calls++;
      isvc.metadata.annotations[`${ANNOTATION}-portal`] = 'never';
      return isvc;
    });
    await expect(attempt).rejects.toMatchObject({
      kind: 'conflict',
      status: 409,
      message: `InferenceService fraud/fraud-detector kept changing while the portal updated it (${MAX_UPDATE_ATTEMPTS} attempts); try again`,
    });
    expect(calls).toBe(MAX_UPDATE_ATTEMPTS);
  });

  it('does nothing when the change returns null', async () => {
    const api = inferenceServices('fraud', PORTAL_ACTOR);
    const before = (await api.get('fraud-detector'))!;
    const result = await api.update('fraud-detector', () => null);
    expect(result.metadata.resourceVersion).toBe(before.metadata.resourceVersion);
  });

  it('creates an InferenceService, and says so when it already exists', async () => {
    await admin.createNamespace({
      body: { metadata: { name: scratchNamespace, labels: { 'app.kubernetes.io/managed-by': 'k8s-adapter-test' } } },
    });
    const api = inferenceServices(scratchNamespace, PORTAL_ACTOR);
    const input = {
      name: 'scratch-model',
      labels: { 'mlp.example.com/model': 'scratch' },
      annotations: { 'mlp.example.com/run-id': '0123456789abcdef0123456789abcdef' },
      predictor: {
        minReplicas: 1,
        canaryTrafficPercent: 10,
        model: {
          modelFormat: { name: 'sklearn' },
          storageUri: 's3://mlflow-artifacts/test/model',
          resources: { requests: { cpu: '10m', memory: '16Mi' } },
        },
      },
    };
    const created = await api.create(input);
    expect(created.metadata).toMatchObject({
      name: 'scratch-model',
      namespace: scratchNamespace,
      labels: input.labels,
      annotations: input.annotations,
    });
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.spec.predictor).toMatchObject(input.predictor);
    await expect(api.create(input)).rejects.toMatchObject({
      kind: 'conflict',
      message: `InferenceService ${scratchNamespace}/scratch-model already exists`,
    });
  });
});

describe('pods', () => {
  it("lists the predictor pods of fraud's InferenceService by label, as alice", async () => {
    const predictorPods = await pods('fraud', alice).list('serving.kserve.io/inferenceservice=fraud-detector');
    expect(predictorPods.length).toBeGreaterThan(0);
    for (const pod of predictorPods) {
      expect(pod.metadata.labels['serving.kserve.io/inferenceservice']).toBe('fraud-detector');
      expect(pod.status?.phase).toBe('Running');
      expect(pod.spec.containers[0]?.resources?.requests?.cpu).toBeDefined();
    }
    await expect(pods('pricing', alice).list()).rejects.toThrow(
      'The cluster does not allow alice to list Pods in pricing',
    );
  });
});

describe('when the API server misbehaves', () => {
  it('says it did not answer in time, once the time budget is spent, and never repeats a write', async () => {
    const server = await silentServer();
    try {
      const api = inferenceServices('fraud', PORTAL_ACTOR, connectionTo(`https://127.0.0.1:${server.port}`, 300));
      const started = Date.now();
      await expect(api.list()).rejects.toMatchObject({
        kind: 'timeout',
        message: 'Kubernetes did not answer within 300 ms',
      });
      expect(server.connections()).toBe(1);
      expect(Date.now() - started).toBeLessThan(1000);

      await expect(api.create({ name: 'never', predictor: {} })).rejects.toThrow(
        'Kubernetes did not answer within 300 ms',
      );
      expect(server.connections()).toBe(2);
    } finally {
      await server.close();
    }
  });

  it('says where it cannot be reached', async () => {
    const port = await closedPort();
    const error = await inferenceServices('fraud', PORTAL_ACTOR, connectionTo(`https://127.0.0.1:${port}`, 1000))
      .get('fraud-detector')
      .catch((e: unknown) => e);
    expect(isUpstreamError(error, 'unreachable')).toBe(true);
    expect((error as Error).message).toBe(`Kubernetes cannot be reached at 127.0.0.1:${port} (ECONNREFUSED)`);
  });
});
