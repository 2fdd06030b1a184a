/**
 * The cluster's admission guard (deploy/admission/) against the real API server of the local
 * platform, on fraud's endpoint and throwaway ones:
 * - alice, with her own kubeconfig, can change neither the production model nor its evidence, nor
 *   slip a model in by another door, nor touch the guard's parameters — each refusal in the
 *   policy's own words;
 * - the portal's own paths pass: the deployment of an approved request, the worker's automatic
 *   rollback, promote and rollback as alice through the portal (impersonated, with the marker);
 * - the portal's own identity still needs valid evidence (threshold, /model, run folder, replicas);
 * - a break-glass member passes with the break-glass annotations, and the worker records the use
 *   once for the endpoint's timeline and the audit log.
 * It leaves fraud's endpoint on its seeded champion (with its evidence) and the alias back.
 * Fails, never skips, when a component is down.
 */
import { readFileSync } from 'node:fs';
import { CoreV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMembers, useTestDatabase, type TestDatabase } from '../../test/db';
import { eventually, loadStackEnv, requireSetting, seededTenant } from '../../test/stack';
import { seededEvidence } from '../../stack/seed/inference-services';
import { getDb } from '../db/client';
import { inferenceServices, PORTAL_ACTOR, userActor, type InferenceService } from '../integrations/kubernetes';
import { stopSharedWatchCaches } from '../integrations/kubernetes/watch-cache';
import { mlflowFor } from '../integrations/mlflow';
import { ANNOTATIONS, deployPromotion } from '../promotion/deploy';
import { servedEvidence } from '../promotion/evidence';
import { createPromotionRequest, decidePromotion } from '../promotion/requests';
import { deploymentDashboard } from '../rollout/dashboard';
import { promoteRollout, rollbackRollout, WORKER, type Operator } from '../rollout/service';
import { PARAMS_CONFIGMAP } from './guard';
import { admissionGuardStatus, recordBreakGlassChanges, syncAdmissionParams } from './service';

loadStackEnv();

const TENANT = 'fraud';
const ENDPOINT = 'fraud-detector';
const API = { group: 'serving.kserve.io', version: 'v1beta1', plural: 'inferenceservices' } as const;
const suffix = Date.now().toString(36);
const THROWAWAY = `admission-${suffix}`;
const SCRATCH_NAMESPACE = `admission-scratch-${suffix}`;

/** The policy's own words (deploy/admission/inference-service-guard.yaml, params-guard.yaml). */
const MESSAGES = {
  direct: (user: string) =>
    `Model changes on InferenceServices in tenant namespaces come only through the ML platform portal, from an approved promotion request with its evidence; ${user} made this one directly (members of mlp:break-glass may override with the break-glass annotations)`,
  sideDoor: (fields: string) =>
    `In tenant namespaces a model is served only through spec.predictor.model, as the ML platform portal deploys it; remove ${fields} (members of mlp:break-glass may override with the break-glass annotations)`,
  params: (user: string, verb: string) =>
    `The admission guard parameters (ConfigMap mlp-admission in ${TENANT}) are written by the ML platform portal only; ${user} cannot ${verb} them. Change the tenant promotion policy in the portal instead.`,
  breakGlassAnnotations:
    'The break-glass annotations (mlp.example.com/break-glass-by, -reason, -at) are set only by members of mlp:break-glass, naming themselves in mlp.example.com/break-glass-by, with a reason of at least 10 characters and a new RFC 3339 time in mlp.example.com/break-glass-at',
};

interface Identity {
  username: string;
  groups: string[];
  kubeconfig: string;
}

let database: TestDatabase;
let fraud: ReturnType<typeof seededTenant>;
let identities: Record<string, Identity>;
let admin: KubeConfig;
const alice = { id: '', name: 'alice' };
const bob = { id: '', name: 'bob' };
const requestEvidence = {
  modelCardUrl: 'https://wiki.example.com/fraud/model-card',
  notes: 'Retrained on November transactions; AUC up.',
};

/** Clients acting with someone's own credentials (their kubeconfig), as kubectl would. */
function clientsOf(name: string) {
  const config = new KubeConfig();
  config.loadFromFile(identities[name]!.kubeconfig);
  return { custom: config.makeApiClient(CustomObjectsApi), core: config.makeApiClient(CoreV1Api) };
}

/** The API server's message when `call` is refused; fails the test when it is not. */
async function refusal(call: Promise<unknown>): Promise<{ code: number; message: string }> {
  const error = await call.then(
    () => null,
    (e: unknown) => e as { code?: number; body?: unknown; message?: string },
  );
  if (!error) throw new Error('expected the API server to refuse the request, and it accepted it');
  const body =
    typeof error.body === 'string'
      ? (JSON.parse(error.body) as { message?: string })
      : (error.body as { message?: string } | undefined);
  return { code: error.code ?? 0, message: body?.message ?? error.message ?? String(error) };
}

const patch = (custom: CustomObjectsApi, namespace: string, name: string, operations: unknown[]) =>
  custom.patchNamespacedCustomObject({ ...API, namespace, name, body: operations });

const read = async (name: string) => (await inferenceServices(TENANT, PORTAL_ACTOR).get(name))!;

/** Fraud's endpoint on its seeded champion with the champion's evidence, as the seed leaves it. */
async function putSeededChampionBack(): Promise<void> {
  const evidence = seededEvidence(TENANT, fraud.model, fraud.champion);
  await inferenceServices(TENANT, PORTAL_ACTOR).update(ENDPOINT, (current) => {
    const annotations = { ...current.metadata.annotations };
    delete annotations[ANNOTATIONS.previousEvidence];
    const { canaryTrafficPercent: _canary, ...predictor } = current.spec.predictor;
    return {
      ...current,
      metadata: { ...current.metadata, annotations: { ...annotations, ...evidence } },
      spec: {
        ...current.spec,
        predictor: { ...predictor, model: { ...predictor.model, storageUri: fraud.champion.storageUri } },
      },
    };
  });
}

beforeAll(async () => {
  const server = requireSetting('KUBERNETES_API_URL', 'Kubernetes');
  requireSetting('KUBERNETES_PORTAL_KUBECONFIG', 'Kubernetes');
  requireSetting('MLFLOW_TRACKING_URI', 'MLflow');
  try {
    await inferenceServices(TENANT, PORTAL_ACTOR).list();
  } catch (error) {
    throw new Error(
      `Kubernetes: the API server at ${server} cannot be used (${(error as Error).message}) — start the local platform (npm run stack -- up, then seed)`,
    );
  }
  identities = (
    JSON.parse(readFileSync(requireSetting('KUBERNETES_USERS_FILE', 'Kubernetes'), 'utf8')) as {
      users: Record<string, Identity>;
    }
  ).users;
  for (const name of ['alice', 'erin', 'erin-break-glass']) {
    if (!identities[name])
      throw new Error(
        `Kubernetes: the identity ${name} is missing from KUBERNETES_USERS_FILE — run npm run stack -- up`,
      );
  }
  admin = new KubeConfig();
  admin.loadFromFile(requireSetting('KUBECONFIG', 'Kubernetes (admin kubeconfig)'));
  fraud = seededTenant(TENANT);

  database = await useTestDatabase();
  const tenant = await getDb().tenant.create({ data: { name: TENANT, displayName: 'Fraud', status: 'active' } });
  const members = await createMembers(tenant.id, { alice: 'member', bob: 'approver' });
  alice.id = members.alice.id;
  bob.id = members.bob.id;
  // The guard judges against the tenant's policy (the defaults here): its parameters as the portal keeps them.
  await syncAdmissionParams(TENANT);
  await mlflowFor(TENANT).setRegisteredModelAlias(fraud.model, 'champion', fraud.champion.version);
  await putSeededChampionBack();
});

afterAll(async () => {
  await admin
    ?.makeApiClient(CustomObjectsApi)
    .deleteNamespacedCustomObject({ ...API, namespace: TENANT, name: THROWAWAY })
    .catch(() => undefined);
  await admin
    ?.makeApiClient(CoreV1Api)
    .deleteNamespace({ name: SCRATCH_NAMESPACE })
    .catch(() => undefined);
  if (fraud) {
    await syncAdmissionParams(TENANT).catch(() => undefined);
    await putSeededChampionBack().catch(() => undefined);
    await mlflowFor(TENANT)
      .setRegisteredModelAlias(fraud.model, 'champion', fraud.champion.version)
      .catch(() => undefined);
  }
  await stopSharedWatchCaches();
  await getDb().$disconnect();
  await database?.drop();
});

describe('the guard is in force', () => {
  it("in fraud's namespace, and the tenant page can say so", async () => {
    const status = await admissionGuardStatus(TENANT);
    expect(status.checks.filter((c) => !c.ok)).toEqual([]);
    expect(status).toMatchObject({
      state: 'in-force',
      headline:
        "The cluster refuses model changes in fraud that do not come through the portal with an approved promotion's evidence.",
    });
    expect(status.checks.map((c) => c.text)).toContain(
      'Parameters: holdout_auc at least 0.85; a model card URL; an approver other than the requester.',
    );
  });
});

describe('alice with her own kubeconfig', () => {
  it('cannot point the production endpoint at another model, even a path without /model, and nothing changes', async () => {
    const before = await read(ENDPOINT);
    const { custom } = clientsOf('alice');
    for (const storageUri of ['s3://mlflow-artifacts/somewhere/else', fraud.challenger.storageUri]) {
      const refused = await refusal(
        patch(custom, TENANT, ENDPOINT, [
          { op: 'replace', path: '/spec/predictor/model/storageUri', value: storageUri },
        ]),
      );
      expect(refused.code).toBe(403);
      expect(refused.message).toContain("ValidatingAdmissionPolicy 'mlp-inference-service-guard'");
      expect(refused.message).toContain(MESSAGES.direct('alice'));
    }
    expect((await read(ENDPOINT)).metadata.generation).toBe(before.metadata.generation);
  });

  it('cannot apply an InferenceService with the evidence annotations copied from the live one', async () => {
    const live = await read(ENDPOINT);
    const { custom } = clientsOf('alice');
    const copied = {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: `${THROWAWAY}-copy`, namespace: TENANT, annotations: live.metadata.annotations },
      spec: { predictor: { minReplicas: 1, model: live.spec.predictor.model } },
    };
    const created = await refusal(custom.createNamespacedCustomObject({ ...API, namespace: TENANT, body: copied }));
    expect(created.message).toContain(MESSAGES.direct('alice'));

    // The same over the live object (kubectl apply/replace): another model under the live evidence.
    const replaced = {
      ...live,
      metadata: { ...live.metadata },
      spec: {
        ...live.spec,
        predictor: {
          ...live.spec.predictor,
          model: { ...live.spec.predictor.model, storageUri: fraud.challenger.storageUri },
        },
      },
    };
    const put = await refusal(
      custom.replaceNamespacedCustomObject({ ...API, namespace: TENANT, name: ENDPOINT, body: replaced }),
    );
    expect(put.message).toContain(MESSAGES.direct('alice'));
  });

  it('cannot change the evidence annotations alone, nor serve a model through a framework field or a container', async () => {
    const { custom } = clientsOf('alice');
    const forged = await refusal(
      patch(custom, TENANT, ENDPOINT, [
        {
          op: 'add',
          path: `/metadata/annotations/${ANNOTATIONS.previousStorageUri.replace('/', '~1')}`,
          value: 's3://evil/model',
        },
      ]),
    );
    expect(forged.message).toContain(MESSAGES.direct('alice'));
    const sklearn = await refusal(
      patch(custom, TENANT, ENDPOINT, [
        { op: 'add', path: '/spec/predictor/sklearn', value: { storageUri: 's3://evil/model' } },
      ]),
    );
    expect(sklearn.message).toContain(MESSAGES.sideDoor('spec.predictor.sklearn'));
    const container = await refusal(
      patch(custom, TENANT, ENDPOINT, [
        {
          op: 'add',
          path: '/spec/transformer',
          value: { containers: [{ name: 'kserve-container', image: 'evil:latest' }] },
        },
      ]),
    );
    expect(container.message).toContain(MESSAGES.sideDoor('spec.transformer'));
  });

  it('may still move canary traffic (on-call with kubectl), which changes no model', async () => {
    const { custom } = clientsOf('alice');
    const current = (await read(ENDPOINT)).spec.predictor.canaryTrafficPercent;
    await patch(custom, TENANT, ENDPOINT, [{ op: 'add', path: '/spec/predictor/canaryTrafficPercent', value: 0 }]);
    expect((await read(ENDPOINT)).spec.predictor.canaryTrafficPercent).toBe(0);
    if (current === undefined)
      await patch(custom, TENANT, ENDPOINT, [{ op: 'remove', path: '/spec/predictor/canaryTrafficPercent' }]);
  });

  it("cannot change or delete the guard's parameters, which keep their threshold", async () => {
    const { core } = clientsOf('alice');
    const current = await core.readNamespacedConfigMap({ namespace: TENANT, name: PARAMS_CONFIGMAP });
    const lowered = await refusal(
      core.replaceNamespacedConfigMap({
        namespace: TENANT,
        name: PARAMS_CONFIGMAP,
        body: { ...current, data: { ...current.data, minimum: '0' } },
      }),
    );
    expect(lowered.message).toContain("ValidatingAdmissionPolicy 'mlp-admission-params-guard'");
    expect(lowered.message).toContain(MESSAGES.params('alice', 'update'));
    const deleted = await refusal(core.deleteNamespacedConfigMap({ namespace: TENANT, name: PARAMS_CONFIGMAP }));
    expect(deleted.message).toContain(MESSAGES.params('alice', 'delete'));
    expect((await core.readNamespacedConfigMap({ namespace: TENANT, name: PARAMS_CONFIGMAP })).data).toMatchObject({
      primaryMetric: 'holdout_auc',
      minimum: '0.85',
    });
  });
});

describe("the portal's own paths", () => {
  const aliceOperator = (): Operator => ({
    actor: { id: alice.id, name: 'alice' },
    kube: userActor('alice', identities.alice!.groups),
  });

  async function deployChallenger(): Promise<string> {
    const request = await createPromotionRequest(alice, TENANT, {
      modelName: fraud.model,
      version: fraud.challenger.version,
      ...requestEvidence,
    });
    await decidePromotion(bob, TENANT, request.id, { decision: 'approve', comment: 'Looks good' });
    expect(await deployPromotion(request.id, bob)).toEqual({ ok: true });
    const isvc = await read(ENDPOINT);
    expect(isvc.spec.predictor.model?.storageUri).toBe(fraud.challenger.storageUri);
    expect(isvc.metadata.annotations).toMatchObject({
      [ANNOTATIONS.request]: request.id,
      [ANNOTATIONS.runId]: fraud.challenger.runId,
      [ANNOTATIONS.approvers]: 'bob',
      [ANNOTATIONS.requester]: 'alice',
    });
    expect(JSON.parse(isvc.metadata.annotations[ANNOTATIONS.previousEvidence]!)).toEqual(
      seededEvidence(TENANT, fraud.model, fraud.champion),
    );
    return (await getDb().rollout.findUniqueOrThrow({ where: { promotionRequestId: request.id } })).id;
  }

  function expectChampionServing(isvc: InferenceService) {
    expect(isvc.spec.predictor.model?.storageUri).toBe(fraud.champion.storageUri);
    expect(isvc.spec.predictor.canaryTrafficPercent).toBe(0);
    // The champion's evidence is back with it: the guard judged what now serves.
    expect(servedEvidence(isvc.metadata.annotations)).toEqual(seededEvidence(TENANT, fraud.model, fraud.champion));
  }

  it("deploys an approved request as a canary, and the worker's automatic rollback restores the champion with its evidence", async () => {
    const rolloutId = await deployChallenger();
    expect(
      await rollbackRollout(WORKER, TENANT, rolloutId, { reason: 'canary error rate above 3× the threshold' }),
    ).toMatchObject({ changed: true });
    expectChampionServing(await read(ENDPOINT));
  });

  it('promotes and rolls back as alice through the portal (impersonated, with the marker)', async () => {
    const rolloutId = await deployChallenger();
    expect(
      await promoteRollout(aliceOperator(), TENANT, rolloutId, { to: 'next', reason: 'looks healthy' }),
    ).toMatchObject({ changed: true });
    expect((await read(ENDPOINT)).spec.predictor.canaryTrafficPercent).toBe(25);
    expect(await rollbackRollout(aliceOperator(), TENANT, rolloutId, { reason: 'changed my mind' })).toMatchObject({
      changed: true,
    });
    expectChampionServing(await read(ENDPOINT));
  });

  it("refuses the portal's own identity too without valid evidence: threshold, /model, the run's folder, replicas, side doors", async () => {
    const api = inferenceServices(TENANT, PORTAL_ACTOR);
    await api.create({
      name: THROWAWAY,
      labels: { 'mlp.example.com/model': fraud.model },
      annotations: seededEvidence(TENANT, fraud.model, fraud.champion),
      predictor: {
        minReplicas: 1,
        model: {
          modelFormat: { name: 'mlflow' },
          storageUri: fraud.champion.storageUri,
          resources: { requests: { cpu: '10m', memory: '16Mi' } },
        },
      },
    });
    const change = (edit: (isvc: InferenceService) => void) =>
      api.update(THROWAWAY, (current) => {
        edit(current);
        return current;
      });
    const challengerEvidence = seededEvidence(TENANT, fraud.model, fraud.challenger);
    const metric = challengerEvidence[ANNOTATIONS.holdoutMetric]!;

    // The tenant's threshold raised above the challenger's metric (as a policy change would).
    await syncAdmissionParams(TENANT, { primaryMetric: 'holdout_auc', minimum: '0.999', requireModelCard: 'true' });
    await expect(
      change((isvc) => {
        Object.assign(isvc.metadata.annotations, challengerEvidence);
        isvc.spec.predictor.model!.storageUri = fraud.challenger.storageUri;
      }),
    ).rejects.toThrow(
      `The evidence annotation mlp.example.com/holdout-metric must be "holdout_auc=<value>" with the value at least 0.999, the tenant threshold; it is "${metric}"`,
    );
    await syncAdmissionParams(TENANT);

    await expect(
      change((isvc) => void (isvc.spec.predictor.model!.storageUri = 's3://mlflow-artifacts/models/fraud')),
    ).rejects.toThrow(
      'spec.predictor.model.storageUri must be an MLflow model folder ending in /model; it is "s3://mlflow-artifacts/models/fraud"',
    );
    await expect(
      change((isvc) => void (isvc.spec.predictor.model!.storageUri = 's3://mlflow-artifacts/elsewhere/model')),
    ).rejects.toThrow(
      `spec.predictor.model.storageUri must be the model folder of run ${fraud.champion.runId} (ending in /${fraud.champion.runId}/artifacts/model); it is "s3://mlflow-artifacts/elsewhere/model"`,
    );
    await expect(
      change((isvc) => {
        isvc.metadata.annotations[ANNOTATIONS.approvers] = 'demo-seeder';
      }),
    ).rejects.toThrow(
      'The evidence annotations must name the requester (mlp.example.com/requested-by) and at least one approver other than the requester (mlp.example.com/approved-by); they are "demo-seeder" and "demo-seeder"',
    );
    await expect(change((isvc) => void (isvc.spec.predictor.minReplicas = 0))).rejects.toThrow(
      'spec.predictor.minReplicas must be at least 1 (a model endpoint never scales to zero, so a rollback always finds its revision); it is 0',
    );
    await expect(change((isvc) => void (isvc.spec.predictor.model!.image = 'evil:latest'))).rejects.toThrow(
      MESSAGES.sideDoor('spec.predictor.model.image'),
    );
    // The error the portal shows says who was refused and why, in the policy's words.
    await expect(change((isvc) => void (isvc.spec.predictor.minReplicas = 0))).rejects.toThrow(
      `The cluster refused to update InferenceService ${TENANT}/${THROWAWAY} for the portal's own identity:`,
    );
  });
});

describe('break-glass', () => {
  const at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const annotations = (by: string, when = at) => ({
    'mlp.example.com/break-glass-by': by,
    'mlp.example.com/break-glass-reason': 'INC-4711: the champion serves corrupt scores',
    'mlp.example.com/break-glass-at': when,
  });
  const hotfix = (marks: Record<string, string>, storageUri: string) => [
    { op: 'replace', path: '/spec/predictor/model/storageUri', value: storageUri },
    ...Object.entries(marks).map(([key, value]) => ({
      op: 'add',
      path: `/metadata/annotations/${key.replace('/', '~1')}`,
      value,
    })),
  ];

  it('refuses erin without the break-glass group, and the break-glass group without the annotations', async () => {
    const withoutGroup = await refusal(
      patch(
        clientsOf('erin').custom,
        TENANT,
        THROWAWAY,
        hotfix(annotations('erin'), 's3://mlflow-artifacts/hotfix/model'),
      ),
    );
    expect(withoutGroup.message).toContain(MESSAGES.breakGlassAnnotations);
    const withoutAnnotations = await refusal(
      patch(clientsOf('erin-break-glass').custom, TENANT, THROWAWAY, hotfix({}, 's3://mlflow-artifacts/hotfix/model')),
    );
    expect(withoutAnnotations.message).toContain(MESSAGES.direct('erin'));
    const forOthers = await refusal(
      patch(
        clientsOf('erin-break-glass').custom,
        TENANT,
        THROWAWAY,
        hotfix(annotations('alice'), 's3://mlflow-artifacts/hotfix/model'),
      ),
    );
    expect(forOthers.message).toContain(MESSAGES.breakGlassAnnotations);
  });

  it('lets a break-glass member change the model with the annotations, once per declared time, and the worker records it once on the timeline and in the audit log', async () => {
    const { custom } = clientsOf('erin-break-glass');
    await patch(custom, TENANT, THROWAWAY, hotfix(annotations('erin'), 's3://mlflow-artifacts/hotfix/model'));
    expect((await read(THROWAWAY)).spec.predictor.model?.storageUri).toBe('s3://mlflow-artifacts/hotfix/model');
    // The same declaration again is no new break-glass: a second change needs a new time.
    const again = await refusal(
      patch(custom, TENANT, THROWAWAY, [
        { op: 'replace', path: '/spec/predictor/model/storageUri', value: 's3://mlflow-artifacts/hotfix-2/model' },
      ]),
    );
    expect(again.message).toContain(
      `A break-glass change needs, in the same change, mlp.example.com/break-glass-reason (at least 10 characters) and a new RFC 3339 time in mlp.example.com/break-glass-at (it is "${at}"; the last use was "${at}")`,
    );

    const recorded = await eventually(
      'the worker to record the break-glass change',
      30_000,
      async () => {
        const uses = await recordBreakGlassChanges();
        return { done: uses.some((u) => u.endpoint === THROWAWAY), value: uses };
      },
      250,
    );
    expect(recorded.find((u) => u.endpoint === THROWAWAY)).toMatchObject({
      by: 'erin',
      at,
      storageUri: 's3://mlflow-artifacts/hotfix/model',
    });
    expect((await recordBreakGlassChanges()).filter((u) => u.endpoint === THROWAWAY)).toEqual([]);
    expect(await getDb().breakGlassChange.count({ where: { endpoint: THROWAWAY } })).toBe(1);
    const audit = await getDb().auditEvent.findMany({
      where: { action: 'deployment.break-glass', targetId: `${TENANT}/${THROWAWAY}` },
    });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor: 'erin',
      tenant: TENANT,
      outcome: 'success',
      reason: 'Break-glass change outside the portal: INC-4711: the champion serves corrupt scores',
    });

    const dashboard = await deploymentDashboard(TENANT, THROWAWAY);
    const entry = dashboard!.detail.timeline.find((e) => e.kind === 'break-glass');
    expect(entry).toMatchObject({
      actor: 'erin',
      decision: 'break-glass',
      reason: 'Changed outside the portal with kubectl under break-glass: INC-4711: the champion serves corrupt scores',
    });
    expect(entry!.details).toContainEqual({ label: 'Model served', value: 's3://mlflow-artifacts/hotfix/model' });
  });
});

describe('a tenant namespace without parameters', () => {
  it('refuses every model change there until the portal writes them', async () => {
    await admin.makeApiClient(CoreV1Api).createNamespace({
      body: { metadata: { name: SCRATCH_NAMESPACE, labels: { 'mlp.example.com/tenant': SCRATCH_NAMESPACE } } },
    });
    const api = inferenceServices(SCRATCH_NAMESPACE, PORTAL_ACTOR);
    const input = {
      name: 'scorer',
      annotations: seededEvidence(TENANT, fraud.model, fraud.champion),
      predictor: {
        minReplicas: 1,
        model: {
          modelFormat: { name: 'mlflow' },
          storageUri: fraud.champion.storageUri,
          resources: { requests: { cpu: '10m', memory: '16Mi' } },
        },
      },
    };
    await expect(api.create(input)).rejects.toThrow(
      /no params found for policy binding with `Deny` parameterNotFoundAction/,
    );
    expect((await admissionGuardStatus(SCRATCH_NAMESPACE)).state).toBe('not-in-force');
    await syncAdmissionParams(SCRATCH_NAMESPACE);
    await expect(api.create(input)).resolves.toMatchObject({ metadata: { name: 'scorer' } });

    // Deleting the namespace still removes the parameters with everything else (the namespace controller's collection delete).
    const core = admin.makeApiClient(CoreV1Api);
    await core.deleteNamespace({ name: SCRATCH_NAMESPACE });
    await eventually(
      `namespace ${SCRATCH_NAMESPACE} to be deleted`,
      60_000,
      async () => {
        const gone = await core.readNamespace({ name: SCRATCH_NAMESPACE }).then(
          (ns) => ({
            done: false,
            value:
              ns.status?.conditions?.find((c) => c.type === 'NamespaceDeletionContentFailure' && c.status === 'True')
                ?.message ?? ns.status?.phase,
          }),
          (error: { code?: number }) => ({ done: error.code === 404, value: String(error) }),
        );
        return gone;
      },
      500,
    );
  }, 90_000);
});
