/**
 * Rollback to any verified version: reads what the choice needs — what the endpoint serves (the
 * Kubernetes API), the rollouts the portal recorded on it, the promotion requests of their
 * versions, the tenant's admission parameters, whether each version's model artifact still exists
 * (object storage) — lets rollback-targets.ts decide, and acts through the rollout actions (intent,
 * cluster write, outcome: lib/rollout/actions.ts). A version that is not offered is refused.
 */
import { admissionParams } from '../admission/guard';
import { getDb } from '../db/client';
import { UserFacingError } from '../errors';
import { inferenceServices, PORTAL_ACTOR } from '../integrations/kubernetes';
import { storageFor } from '../integrations/s3';
import { mapWithConcurrency } from '../models/concurrency';
import { checkArtifact } from '../models/service';
import { ANNOTATIONS } from '../promotion/evidence';
import { getPolicy } from '../promotion/policy-store';
import { readPolicy } from '../promotion/policy';
import { requestDeployGates, requestGates } from '../promotion/requests';
import {
  rollbackToVersionRollout,
  type ActionHooks,
  type ActionOutcome,
  type ChosenVersion,
  type Operator,
} from './actions';
import { parseRolloutEvent } from './events';
import {
  chooseTarget,
  rollbackTargets,
  type RequestRecord,
  type RollbackTargets,
  type ServedRecord,
} from './rollback-targets';

/** How many rollouts of an endpoint are looked through, newest first. */
const HISTORY_LIMIT = 200;
const STORAGE_CONCURRENCY = 4;

export interface EndpointRollbackTargets extends RollbackTargets {
  /** The endpoint's latest rollout: the one a rollback to a version is recorded on (null: the portal never deployed there). */
  rolloutId: string | null;
  /** What the InferenceService serves now (its spec), and the version its evidence names. */
  serving: ChosenVersion['serving'];
}

/** The earlier versions `endpoint` may be rolled back to, and those it may not (with why). Null when the InferenceService does not exist. */
export async function rollbackTargetsOf(tenant: string, endpoint: string): Promise<EndpointRollbackTargets | null> {
  const isvc = await inferenceServices(tenant, PORTAL_ACTOR).get(endpoint);
  const storageUri = isvc?.spec.predictor.model?.storageUri;
  if (!isvc || !storageUri) return null;
  const annotations = isvc.metadata.annotations;
  const percent = isvc.spec.predictor.canaryTrafficPercent;
  const liveCanary = percent !== undefined && percent > 0 && percent < 100;
  const stableUnderCanary = liveCanary ? annotations[ANNOTATIONS.previousStorageUri] : undefined;

  const [rollouts, { policy }] = await Promise.all([
    getDb().rollout.findMany({
      where: { tenant: { name: tenant }, endpoint },
      orderBy: { createdAt: 'desc' },
      take: HISTORY_LIMIT,
      include: { events: { where: { kind: 'rollback' }, orderBy: { id: 'desc' } } },
    }),
    getPolicy(tenant),
  ]);
  const served: ServedRecord[] = rollouts.map((rollout) => {
    // Its own version's rollback: not a later rollback to a chosen version recorded on it.
    const rollback = rollout.events.find((row) => {
      const parsed = parseRolloutEvent(row);
      return (
        parsed.ok &&
        parsed.event.kind === 'rollback' &&
        (parsed.event.values.version ?? rollout.version) === rollout.version
      );
    });
    return {
      modelName: rollout.modelName,
      version: rollout.version,
      storageUri: rollout.storageUri,
      promotionRequestId: rollout.promotionRequestId,
      state: rollout.state,
      startedAt: rollout.createdAt,
      rolledBack: rollback ? { at: rollback.occurredAt, by: rollback.actor, reason: rollback.reason } : null,
    };
  });
  const versions = [...new Map(served.map((s) => [`${s.modelName}@${s.version}`, s])).values()];
  const requestRows =
    versions.length === 0
      ? []
      : await getDb().promotionRequest.findMany({
          where: {
            tenant: { name: tenant },
            OR: versions.map((v) => ({ modelName: v.modelName, version: v.version })),
          },
          include: { approvals: { orderBy: { createdAt: 'asc' } } },
          orderBy: { createdAt: 'desc' },
          take: HISTORY_LIMIT,
        });
  const requests: RequestRecord[] = requestRows.map((row) => ({
    ...row,
    gates: requestGates(row),
    deployGates: requestDeployGates(row),
    primaryMetric: readPolicy(row.policy).primaryMetric,
  }));

  const serving = new Set([storageUri, ...(stableUnderCanary ? [stableUnderCanary] : [])]);
  const earlier = [...new Set(versions.map((v) => v.storageUri))].filter((uri) => !serving.has(uri));
  const checks = await mapWithConcurrency(earlier, STORAGE_CONCURRENCY, (uri) =>
    checkArtifact(() => storageFor(tenant), uri),
  );
  const params = admissionParams(policy);
  const found = rollbackTargets({
    servingStorageUris: [...serving],
    served,
    requests,
    artifacts: new Map(earlier.map((uri, i) => [uri, checks[i]!])),
    guard: {
      primaryMetric: params.primaryMetric,
      minimum: params.minimum === '' ? null : Number(params.minimum),
      requireModelCard: params.requireModelCard === 'true',
    },
  });
  return {
    ...found,
    rolloutId: rollouts[0]?.id ?? null,
    serving: { storageUri, percent: percent ?? 100, version: annotations[ANNOTATIONS.modelVersion] ?? null },
  };
}

export interface RollbackToVersionInput {
  rolloutId: string;
  version: string;
  /** In the person's words; recorded with the version it went back to. */
  reason: string;
  idempotencyKey: string;
}

/**
 * Rolls `endpoint` back to `version`, if it is one of its targets — refused otherwise, whoever
 * calls (the dashboard offers only targets; the server action and the API refuse the rest).
 */
export async function rollbackToVersion(
  operator: Operator,
  tenant: string,
  endpoint: string,
  input: RollbackToVersionInput,
  hooks: ActionHooks = {},
): Promise<ActionOutcome> {
  const found = await rollbackTargetsOf(tenant, endpoint);
  if (!found) throw new UserFacingError(`There is no endpoint ${endpoint} in ${tenant} to roll back.`);
  return rollbackToVersionRollout(
    operator,
    tenant,
    input.rolloutId,
    {
      idempotencyKey: input.idempotencyKey,
      reason: `Rolled back to v${input.version}: ${input.reason}`,
      chosen: { choice: chooseTarget(found, input.version, endpoint), serving: found.serving },
    },
    hooks,
  );
}
