/**
 * The revisions an InferenceService serves, each with its model folder: the input of the checks
 * that look at what KServe loads (storage-uri-shape, artifact-missing, signature-missing-under-enforcement).
 * During a canary the spec names the canary's model and the stable revision keeps serving the
 * model the deployment recorded before it (`previous-storage-uri`, lib/promotion/evidence.ts);
 * otherwise the spec's model is the one stable revision. Pure.
 */
import type { InferenceService } from '@/lib/integrations/kubernetes';
import { ANNOTATIONS } from '@/lib/promotion/evidence';

export interface ServedRevision {
  tenant: string;
  endpoint: string;
  revision: 'stable' | 'canary';
  /** The model folder KServe loads; '' when the spec names none. */
  storageUri: string;
  /** The registered model and version it serves, where the deployment recorded them. */
  modelName: string | null;
  modelVersion: string | null;
}

/** A canary is live while it takes some but not all of the traffic (as the deployment decides it, lib/promotion/deploy.ts). */
export function liveCanary(isvc: InferenceService): boolean {
  const percent = isvc.spec.predictor.canaryTrafficPercent;
  return percent !== undefined && percent > 0 && percent < 100;
}

export function servedRevisions(isvc: InferenceService): ServedRevision[] {
  const { namespace: tenant, name: endpoint, annotations } = isvc.metadata;
  const modelName = annotations[ANNOTATIONS.modelName] ?? null;
  const spec: ServedRevision = {
    tenant,
    endpoint,
    revision: 'stable',
    storageUri: isvc.spec.predictor.model?.storageUri ?? '',
    modelName,
    modelVersion: annotations[ANNOTATIONS.modelVersion] ?? null,
  };
  if (!liveCanary(isvc)) return [spec];
  const previousUri = annotations[ANNOTATIONS.previousStorageUri];
  const canary: ServedRevision = { ...spec, revision: 'canary' };
  if (!previousUri) return [canary];
  return [
    {
      tenant,
      endpoint,
      revision: 'stable',
      storageUri: previousUri,
      modelName,
      modelVersion: annotations[ANNOTATIONS.previousVersion] ?? null,
    },
    canary,
  ];
}

export const endpointHref = (tenant: string, endpoint: string) =>
  `/t/${tenant}/deployments/${encodeURIComponent(endpoint)}`;

/** "fraud/scorer (canary revision)". */
export const revisionWords = (r: Pick<ServedRevision, 'tenant' | 'endpoint' | 'revision'>) =>
  `${r.tenant}/${r.endpoint} (${r.revision} revision)`;

/** The model version a revision serves, as a finding's `concerns`, where the deployment recorded it. */
export const servedVersionConcern = (r: Pick<ServedRevision, 'modelName' | 'modelVersion'>) =>
  r.modelName && r.modelVersion ? { modelVersions: [{ name: r.modelName, version: r.modelVersion }] } : undefined;
