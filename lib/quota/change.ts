/**
 * Changing a tenant's GPU quota: read fresh (as the admin, so the cluster's RBAC applies too),
 * check the rules (validation.ts), write the ResourceQuota conflict-safely, audit before/after.
 *
 * - The admin decided looking at a value (`expected`); if the quota's GPU limit is no longer that
 *   value — on the first read, or on the fresh read after a 409 Conflict — someone changed it
 *   meanwhile and nothing is written: the admin is told the new value and decides again.
 * - Any other concurrent change (another key of the quota, its labels) makes the write fail with
 *   409; it is read again and the GPU limit set on the fresh copy, so neither change is lost.
 * - A limit below what the pods already request, and a raise that over-commits the cluster, are
 *   made only once the admin has confirmed them.
 */
import { recordAuditAlone, type Actor } from '../audit/log';
import { UserFacingError } from '../errors';
import {
  resourceQuotas,
  tenantNamespace,
  watchedNodes,
  watchedPods,
  watchedResourceQuotas,
  type KubeActor,
  type KubeConnection,
} from '../integrations/kubernetes';
import { isUpstreamError } from '../integrations/upstream';
import { log } from '../observability/logger';
import { capacityBeyond, DEFAULT_GPU_QUOTA_NAME, GPU_QUOTA_KEY, gpuLimitOf, gpuQuotaOf, gpusByNamespace } from './gpu';
import {
  missingConfirmations,
  reviewQuotaChange,
  type QuotaConfirmation,
  type QuotaConfirmationKind,
} from './validation';

export const QUOTA_MANAGED_BY_LABEL = { 'mlp.example.com/managed-by': 'ml-platform-portal' } as const;

export interface QuotaChangeRequest {
  tenant: string;
  gpus: number;
  /** The GPU limit the admin saw when deciding (null: none). */
  expected: number | null;
  /** What the admin has confirmed. */
  confirmed: Partial<Record<QuotaConfirmationKind, boolean>>;
}

export type QuotaChangeResult =
  | { status: 'changed'; before: number | null; after: number; quota: string; resourceVersion: string; message: string }
  | { status: 'unchanged'; message: string }
  | { status: 'needs-confirmation'; confirmations: QuotaConfirmation[] };

const gpus = (n: number | null) => (n === null ? 'no limit' : `${n} GPU${n === 1 ? '' : 's'}`);

function changedMeanwhile(tenant: string, now: number | null, expected: number | null): UserFacingError {
  return new UserFacingError(
    `Someone changed ${tenant}'s GPU quota while you were deciding: it is now ${gpus(now)}, not ${gpus(expected)}. Nothing was changed; look at the new value and submit again.`,
    'gpus',
  );
}

/** The cluster's allocatable GPUs and every other namespace's GPU limit, from the watch caches. */
async function clusterFacts(
  namespace: string,
): Promise<{ otherQuotasTotal: number; allocatable: number | null; podsUsed: number }> {
  try {
    const [quotas, nodes, pods] = await Promise.all([
      watchedResourceQuotas().read(),
      watchedNodes().read(),
      watchedPods().read(namespace),
    ]);
    return {
      ...capacityBeyond(namespace, quotas.items, nodes.items),
      podsUsed: gpusByNamespace(pods.items).get(namespace) ?? 0,
    };
  } catch (error) {
    log.warn('GPU quota change: the cluster’s capacity cannot be read', { error });
    return { otherQuotasTotal: 0, allocatable: null, podsUsed: 0 };
  }
}

/** Kubernetes' refusals are written for people; as UserFacingErrors they reach the form. */
async function asUser<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (isUpstreamError(error)) throw new UserFacingError(error.message);
    throw error;
  }
}

export async function changeGpuQuota(
  actor: Actor,
  kube: KubeActor,
  request: QuotaChangeRequest,
  options: { connection?: KubeConnection } = {},
): Promise<QuotaChangeResult> {
  const { tenant } = request;
  const namespace = tenantNamespace(tenant);
  const api = resourceQuotas(tenant, kube, options.connection);

  const [quotas, facts] = await Promise.all([asUser(() => api.list()), clusterFacts(namespace)]);
  const current = gpuQuotaOf(quotas, facts.podsUsed);
  if (current.hard !== request.expected) throw changedMeanwhile(tenant, current.hard, request.expected);

  const review = reviewQuotaChange({
    tenant,
    current: current.hard,
    proposed: request.gpus,
    used: current.used,
    otherQuotasTotal: facts.otherQuotasTotal,
    allocatable: facts.allocatable,
  });
  if (review.unchanged)
    return {
      status: 'unchanged',
      message: `${tenant}'s GPU quota is already ${gpus(request.gpus)}; nothing was changed.`,
    };
  const missing = missingConfirmations(review, request.confirmed);
  if (missing.length) return { status: 'needs-confirmation', confirmations: missing };

  const name = current.name ?? DEFAULT_GPU_QUOTA_NAME;
  const before = quotas.find((q) => q.metadata.name === name);
  const written = await asUser(() =>
    current.name === null
      ? api.apply(name, { [GPU_QUOTA_KEY]: String(request.gpus) }, { ...QUOTA_MANAGED_BY_LABEL })
      : api.update(name, (fresh) => {
          // Read again after a conflict: the limit must still be the one the admin decided on.
          const now = gpuLimitOf(fresh);
          if (now !== current.hard) throw changedMeanwhile(tenant, now, request.expected);
          fresh.spec.hard = { ...fresh.spec.hard, [GPU_QUOTA_KEY]: String(request.gpus) };
          return fresh;
        }),
  );

  const confirmedKinds = review.confirmations.map((c) => c.kind);
  let message = `${tenant}'s GPU quota is now ${gpus(request.gpus)} (was ${gpus(current.hard)}).`;
  try {
    await recordAuditAlone({
      actor,
      action: 'quota.change',
      tenant,
      target: { type: 'ResourceQuota', id: `${namespace}/${name}` },
      before: { gpus: current.hard, used: current.used, resourceVersion: before?.metadata.resourceVersion ?? null },
      after: {
        gpus: request.gpus,
        resourceVersion: written.metadata.resourceVersion,
        quotaTotal: review.after?.quotaTotal ?? null,
        allocatable: review.after?.allocatable ?? null,
        overcommitted: review.after?.overcommitted ?? null,
      },
      outcome: 'success',
      reason: confirmedKinds.length ? `confirmed: ${confirmedKinds.join(', ')}` : null,
    });
  } catch (error) {
    log.error('GPU quota changed but the audit event could not be written', { tenant, error });
    message += ' The audit log could not be written; the portal’s log has the details.';
  }

  // The pages read quotas from the watch cache: let it catch up before they render again.
  try {
    await watchedResourceQuotas().waitFor(namespace, name, (q) => q !== null && gpuLimitOf(q) === request.gpus, 2_000);
  } catch {
    // The pages say themselves when the cache cannot be read.
  }

  return {
    status: 'changed',
    before: current.hard,
    after: request.gpus,
    quota: name,
    resourceVersion: written.metadata.resourceVersion,
    message,
  };
}
