/**
 * rollback-target-cold: while a canary takes part of an endpoint's traffic, a rollback sends all of
 * it back to the stable revision. If that revision has no ready replicas, or may scale to zero
 * (`minReplicas: 0`), the rollback waits for a cold start that can outlast its readiness timeout.
 * A revision without minReplicas gets KServe's default of 1, so only an explicit 0 counts; ready
 * replicas that could not be counted are not judged. Pure.
 */
import type { InferenceService } from '@/lib/integrations/kubernetes';
import { servingState } from '@/lib/integrations/kubernetes/serving-state';
import type { Finding } from './finding';
import { endpointHref } from './served-revisions';

export interface CanaryEndpoint {
  tenant: string;
  endpoint: string;
  /** The canary's share of traffic (lib/integrations/kubernetes/serving-state.ts `canaryPercent`); 0 without one. */
  canaryPercent: number;
  canaryRevision?: string;
  stable: {
    /** Its revision name (serving-state.ts `stableRevision`). */
    revision?: string;
    /** The minReplicas that revision was created with; undefined when not set (KServe's default, 1). */
    minReplicas?: number;
    /** Its pods that are Ready, or null when they could not be counted. */
    readyReplicas: number | null;
  };
}

export function checkRollbackTargetCold(endpoints: readonly CanaryEndpoint[]): Finding[] {
  return endpoints.flatMap((e): Finding[] => {
    if (e.canaryPercent <= 0 || e.canaryPercent >= 100) return [];
    const scalesToZero = e.stable.minReplicas === 0;
    const noneReady = e.stable.readyReplicas === 0;
    if (!scalesToZero && !noneReady) return [];
    const stable = e.stable.revision ?? 'the stable revision';
    const why = [noneReady ? 'has no ready replicas' : null, scalesToZero ? 'has minReplicas: 0' : null]
      .filter(Boolean)
      .join(' and ');
    return [
      {
        checkId: 'rollback-target-cold',
        severity: 'warning',
        tenant: e.tenant,
        subject: { kind: 'inference-service', name: e.endpoint, revision: 'stable' },
        title: `${e.tenant}/${e.endpoint}: rollback target ${stable} ${why} while the canary takes ${e.canaryPercent} %`,
        evidence: [
          { label: 'Endpoint', value: `${e.tenant}/${e.endpoint}`, href: endpointHref(e.tenant, e.endpoint) },
          { label: 'Canary', value: `${e.canaryRevision ?? 'latest revision'} at ${e.canaryPercent} %` },
          { label: 'Stable revision', value: stable },
          {
            label: 'minReplicas',
            value: e.stable.minReplicas === undefined ? 'not set (KServe default 1)' : String(e.stable.minReplicas),
          },
          {
            label: 'Ready replicas',
            value: e.stable.readyReplicas === null ? 'unknown' : String(e.stable.readyReplicas),
          },
        ],
        remedy: scalesToZero
          ? `Give ${stable} minReplicas of at least 1 until the canary is promoted or rolled back, so a rollback lands on warm replicas.`
          : `Find out why ${stable} has no ready replicas (its pods and events) before the canary grows; a rollback now would wait for a cold start.`,
      },
    ];
  });
}

/** What is known of a revision's replicas: the minReplicas it was created with (undefined when not set) and its Ready pods. */
export interface RevisionReplicas {
  minReplicas?: number;
  readyReplicas: number | null;
}

/**
 * An InferenceService as this check reads it: its traffic split from the status KServe writes, and
 * the replicas of its stable revision by revision name (a revision not in `replicas` is unknown).
 */
export function canaryEndpointOf(
  isvc: InferenceService,
  replicas: ReadonlyMap<string, RevisionReplicas>,
): CanaryEndpoint {
  const state = servingState(isvc);
  const stable = state.stableRevision ? replicas.get(state.stableRevision) : undefined;
  return {
    tenant: isvc.metadata.namespace,
    endpoint: isvc.metadata.name,
    canaryPercent: state.canaryPercent,
    canaryRevision: state.canaryRevision,
    stable: {
      revision: state.stableRevision,
      minReplicas: stable?.minReplicas,
      readyReplicas: stable?.readyReplicas ?? null,
    },
  };
}
