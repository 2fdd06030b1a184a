/**
 * The history of fraud's model on its endpoint, in the portal's own records, as if the portal had
 * lived through it (the demo's model story, its champion-vs-challenger views and its rollback to
 * any verified version all read it):
 *
 * - v3: approved (alice asked, bob approved) and deployed first, 70 days ago (v1 and v2 fall short
 *   of the default policy's cv_f1_mean ≥ 0.8, so they could never have been deployed);
 * - v4: approved and put on as a canary over v3 35 days ago, rolled back by erin with a reason;
 * - v4 again: approved once the cause was fixed, 21 days ago, stepped up by automatic judgment and
 *   promoted — what the endpoint serves (the cluster's seeded stable revision);
 * - v1, v2 (v2 logged without a signature) and v5 (the challenger): never deployed; the seeded
 *   pipeline files v3 again when the demo starts (a retraining of the same code).
 *
 * So fraud-detector can be rolled back to v3, and to nothing else. Gates are judged by the real
 * gate functions on the seeded runs' metrics. Written only where the portal has no rollout on the
 * endpoint yet (a fresh database); nothing is written to the cluster or MLflow.
 */
import { randomUUID } from 'node:crypto';
import { getDb, type Tx } from '../../lib/db/client';
import type { Prisma } from '../../lib/db/generated/client';
import { evaluateGates, modelUriOf, type GateResult } from '../../lib/promotion/gates';
import type { Policy } from '../../lib/promotion/policy';
import { getPolicy } from '../../lib/promotion/policy-store';
import { recordRolloutEvent, type IdempotentAction, type IntentValues } from '../../lib/rollout/events';
import { startEvent } from '../../lib/rollout/records';
import { findTenant } from '../../lib/tenancy/service';
import { ENDPOINTS } from './inference-services';
import type { SeededModels, SeededModelVersion, SeededTenant } from './mlflow';

const TENANT = 'fraud';
const DAY = 86_400_000;
const MINUTE = 60_000;

/** Where the demo's story is told, for tests and the helpers that read it. */
export const MODEL_HISTORY = {
  tenant: TENANT,
  endpoint: ENDPOINTS[TENANT]!.name,
  /** Served first, the one rollback target. */
  first: '3',
  /** Rolled back once, then promoted: what serves. */
  serving: '4',
  rollbackReason:
    'INC-2214: p99 latency doubled on card-present traffic after the feature-store migration; back to v3 while it is profiled',
} as const;

type Person = { id: string; name: string };
type Users = Record<'alice' | 'bob' | 'erin', Person>;

async function demoUsers(): Promise<Users | null> {
  const rows = await getDb().user.findMany({ where: { username: { in: ['alice', 'bob', 'erin'] } } });
  const find = (name: string) => {
    const row = rows.find((u) => u.username === name);
    return row ? { id: row.id, name: row.username } : null;
  };
  const [alice, bob, erin] = [find('alice'), find('bob'), find('erin')];
  return alice && bob && erin ? { alice, bob, erin } : null;
}

function gatesOf(
  target: { tenant: string; endpoint: string },
  policy: Policy,
  model: string,
  version: SeededModelVersion,
  champion: SeededModelVersion | null,
  at: Date,
  evidence: { modelCardUrl: string; notes: string },
): GateResult[] {
  return evaluateGates({
    policy,
    version: { name: model, version: version.version, runId: version.runId, source: version.source },
    run: { runId: version.runId, artifactUri: version.artifactUri, metrics: version.metrics },
    champion: champion && { version: champion.version, metrics: champion.metrics },
    mlmodelExists: true,
    signatureLogged: version.signature,
    evidence,
    targetHealth: {
      ...target,
      exists: champion !== null,
      at: at.toISOString(),
      findings: [],
      unjudged: [],
    },
  });
}

interface Deployed {
  requestId: string;
  rolloutId: string;
}

/** Where and by whom a seeded version was promoted. */
export interface DeploymentContext {
  tenantId: string;
  tenant: string;
  endpoint: string;
  model: string;
  policy: Policy;
  policyVersion: number;
  requester: Person;
  approver: Person;
}

/**
 * One approved and deployed promotion request (gates judged by the real gate functions on the
 * seeded run), its approval and its rollout's start, as of `at`: also used by tests that need a
 * version that passed its gates and served an endpoint.
 */
export async function recordDeployedVersion(
  tx: Tx,
  context: DeploymentContext,
  version: SeededModelVersion,
  previous: SeededModelVersion | null,
  at: Date,
  notes: string,
): Promise<Deployed> {
  const { policy, requester, approver } = context;
  const modelCardUrl = `https://wiki.example.com/${context.tenant}/${context.model}/model-card-v${version.version}`;
  const target = { tenant: context.tenant, endpoint: context.endpoint };
  const gates = gatesOf(target, policy, context.model, version, previous, at, { modelCardUrl, notes });
  const failing = gates.filter((g) => g.blocking && !g.passed);
  if (failing.length > 0)
    throw new Error(`the seeded v${version.version} fails ${failing.map((g) => g.label).join(', ')}: fix the seed`);
  const decidedAt = new Date(at.getTime() + 40 * MINUTE);
  const storageUri = modelUriOf(version.artifactUri);
  const request = await tx.promotionRequest.create({
    data: {
      tenantId: context.tenantId,
      modelName: context.model,
      version: version.version,
      runId: version.runId,
      storageUri,
      endpoint: context.endpoint,
      requesterId: requester.id,
      requesterName: requester.name,
      notes,
      modelCardUrl,
      gates: gates as unknown as Prisma.InputJsonValue,
      policy: policy as unknown as Prisma.InputJsonValue,
      policyVersion: context.policyVersion,
      requiredApprovals: policy.requiredApprovals,
      status: 'deployed',
      deployStep: 'rollout',
      deployGates: gates.filter((g) => g.kind === 'target-health') as unknown as Prisma.InputJsonValue,
      expiresAt: new Date(at.getTime() + policy.expireAfterHours * 3_600_000),
      decidedAt,
      createdAt: at,
    },
  });
  await tx.approval.create({
    data: {
      requestId: request.id,
      approverId: approver.id,
      approverName: approver.name,
      decision: 'approve',
      comment: 'Gates pass; canary it.',
      counts: true,
      standing: `${approver.name} is an approver in ${context.tenant}, and not the requester`,
      createdAt: decidedAt,
    },
  });
  const percent = previous ? policy.canarySteps[0]! : 100;
  const rollout = await tx.rollout.create({
    data: {
      tenantId: context.tenantId,
      endpoint: context.endpoint,
      promotionRequestId: request.id,
      modelName: context.model,
      version: version.version,
      storageUri,
      previousStorageUri: previous ? modelUriOf(previous.artifactUri) : '',
      previousVersion: previous?.version ?? null,
      steps: policy.canarySteps,
      currentPercent: percent,
      state: percent >= 100 ? 'promoted' : 'progressing',
      stepStartedAt: decidedAt,
      finishedAt: percent >= 100 ? decidedAt : null,
      createdAt: decidedAt,
    },
  });
  await recordRolloutEvent(
    tx,
    rollout.id,
    approver.name,
    startEvent({
      version: version.version,
      percent,
      storageUri,
      previousStorageUri: previous ? modelUriOf(previous.artifactUri) : '',
      steps: policy.canarySteps,
    }),
    { occurredAt: decidedAt },
  );
  return { requestId: request.id, rolloutId: rollout.id };
}

/** An action as the portal records it: the intent, then its outcome a moment later. */
async function acted(
  tx: Tx,
  rolloutId: string,
  actor: { id?: string; name: string },
  at: Date,
  action: { kind: IdempotentAction; reason: string; from: number; to: number | null },
  versions: { version: string; previousVersion: string; storageUri: string; previousStorageUri: string },
) {
  const rollback = action.kind === 'rollback';
  const target: IntentValues['target'] = rollback
    ? { storageUri: versions.previousStorageUri, canaryTrafficPercent: 0 }
    : { storageUri: versions.storageUri, canaryTrafficPercent: action.to };
  const intent = await recordRolloutEvent(
    tx,
    rolloutId,
    actor.name,
    {
      kind: 'intent',
      decision: 'pending',
      reason: action.reason,
      values: {
        action: action.kind,
        target,
        from: { storageUri: versions.storageUri, percent: action.from },
        version: versions.version,
        previousVersion: versions.previousVersion,
        kube: actor.id ? { kind: 'user', username: actor.name, groups: ['mlp:oncall'] } : { kind: 'portal' },
        ...(actor.id ? { actorId: actor.id } : {}),
      },
    },
    { idempotency: { key: randomUUID(), action: action.kind }, occurredAt: at },
  );
  const values = {
    before: { storageUri: versions.storageUri, canaryTrafficPercent: action.from },
    after: target,
  };
  const outcomeAt = new Date(at.getTime() + 2_000);
  const outcome = rollback
    ? {
        kind: 'rollback' as const,
        decision: 'rolled-back' as const,
        reason: action.reason,
        values: { ...values, version: versions.version, previousVersion: versions.previousVersion },
      }
    : action.to === null
      ? { kind: 'promote' as const, decision: 'promoted' as const, reason: action.reason, values }
      : { kind: 'step' as const, decision: `stepped to ${action.to} %`, reason: action.reason, values };
  await recordRolloutEvent(tx, rolloutId, actor.name, outcome, { intentId: intent.id, occurredAt: outcomeAt });
  return outcomeAt;
}

/** Writes fraud's model history (see above) unless the portal already has a rollout on its endpoint. */
export async function seedModelHistory(models: SeededModels): Promise<void> {
  const seeded: SeededTenant | undefined = models.tenants.find((t) => t.tenant === TENANT);
  const tenant = await findTenant(TENANT);
  if (!seeded || !tenant) return;
  if ((await getDb().rollout.count({ where: { tenantId: tenant.id, endpoint: MODEL_HISTORY.endpoint } })) > 0) return;
  const users = await demoUsers();
  if (!users) throw new Error('the demo users are not registered: run seedDemo first');
  const v = (version: string) => {
    const found = seeded.versions.find((s) => s.version === version);
    if (!found) throw new Error(`MLflow has no v${version} of ${seeded.model}: reseed the local platform`);
    return found;
  };
  const [first, v4] = [v(MODEL_HISTORY.first), v(MODEL_HISTORY.serving)];
  if (seeded.champion.version !== v4.version)
    throw new Error(`fraud's seeded champion is v${seeded.champion.version}, not v${v4.version}: fix the seed`);
  const { policy, version: policyVersion } = await getPolicy(TENANT);
  const context: DeploymentContext = {
    tenantId: tenant.id,
    tenant: TENANT,
    endpoint: MODEL_HISTORY.endpoint,
    model: seeded.model,
    policy,
    policyVersion,
    requester: users.alice,
    approver: users.bob,
  };
  const now = Date.now();
  const versions = {
    version: v4.version,
    previousVersion: first.version,
    storageUri: modelUriOf(v4.artifactUri),
    previousStorageUri: modelUriOf(first.artifactUri),
  };

  await getDb().$transaction(
    async (tx) => {
      await recordDeployedVersion(
        tx,
        context,
        first,
        null,
        new Date(now - 70 * DAY),
        'First model for card-present fraud: holdout AUC well above the bar.',
      );
      // v4's first canary: rolled back by on-call.
      const canary = await recordDeployedVersion(
        tx,
        context,
        v4,
        first,
        new Date(now - 35 * DAY),
        'Retrained on the feature store’s new card-present features: holdout AUC up.',
      );
      const rolledBackAt = await acted(
        tx,
        canary.rolloutId,
        users.erin,
        new Date(now - 35 * DAY + 3 * 3_600_000),
        { kind: 'rollback', reason: MODEL_HISTORY.rollbackReason, from: policy.canarySteps[0]!, to: 0 },
        versions,
      );
      await tx.rollout.update({
        where: { id: canary.rolloutId },
        data: { state: 'rolled_back', currentPercent: 0, finishedAt: rolledBackAt },
      });
      // v4 again once the cause was fixed: stepped up by automatic judgment, promoted.
      const again = await recordDeployedVersion(
        tx,
        context,
        v4,
        first,
        new Date(now - 21 * DAY),
        'Same model as the rolled-back canary: INC-2214 was the feature store’s cache, fixed and load-tested since.',
      );
      let at = new Date(now - 21 * DAY + 2 * 3_600_000);
      let promotedAt = at;
      let percent = policy.canarySteps[0]!;
      for (const step of policy.canarySteps.slice(1)) {
        const reason =
          step >= 100
            ? `every check passed at ${percent} %: promoted to 100 %`
            : `every check passed at ${percent} % for ${policy.bakeMinutes} min: next step`;
        promotedAt = await acted(
          tx,
          again.rolloutId,
          { name: 'worker' },
          at,
          { kind: step >= 100 ? 'promote-full' : 'promote-next', reason, from: percent, to: step >= 100 ? null : step },
          versions,
        );
        percent = step;
        at = new Date(promotedAt.getTime() + policy.bakeMinutes * MINUTE);
      }
      await tx.rollout.update({
        where: { id: again.rolloutId },
        data: { state: 'promoted', currentPercent: 100, finishedAt: promotedAt },
      });
    },
    { timeout: 30_000 },
  );
}
