/**
 * For integration tests on a seeded canary endpoint (never imported by the product): brings it back
 * to its seeded state — the challenger as a canary over the champion — from whatever an earlier
 * test left (a rollback, a promotion to 100 %), the way the seeder does: champion rolled out first,
 * (for pricing, scaled to minReplicas 0 under break-glass: the seeded cold rollback target), then
 * the challenger's canary, each written as the portal's own identity with its evidence.
 */
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { inferenceServices, PORTAL_ACTOR, servingState, type InferenceService } from '../lib/integrations/kubernetes';
import { BREAK_GLASS, kubeconfigPath } from '../stack/kubernetes/identities';
import { stackContext } from '../stack/lib/context';
import {
  ENDPOINTS,
  scaleToZeroUnderBreakGlass,
  seededCanaryAnnotations,
  seededEvidence,
  stableRevisionIsCold,
} from '../stack/seed/inference-services';
import { eventually, requireSetting, type SeededTenant } from './stack';

const OWN_ANNOTATIONS = 'mlp.example.com/';

/** `current`'s annotations with the portal's own replaced by `evidence`. */
function withEvidence(current: InferenceService, evidence: Record<string, string>): Record<string, string> {
  const others = Object.entries(current.metadata.annotations).filter(([key]) => !key.startsWith(OWN_ANNOTATIONS));
  return { ...Object.fromEntries(others), ...evidence };
}

function servesCanary(isvc: InferenceService, seeded: SeededTenant, percent: number): boolean {
  const evidence = seededCanaryAnnotations(seeded.tenant, seeded);
  return (
    isvc.spec.predictor.canaryTrafficPercent === percent &&
    isvc.spec.predictor.model?.storageUri === seeded.challenger.storageUri &&
    Object.entries(evidence).every(([key, value]) => isvc.metadata.annotations[key] === value) &&
    servingState(isvc).canaryRevision !== undefined
  );
}

function adminCore(): CoreV1Api {
  const admin = new KubeConfig();
  admin.loadFromFile(requireSetting('KUBECONFIG', 'Kubernetes (admin kubeconfig)'));
  return admin.makeApiClient(CoreV1Api);
}

/** Waits until `endpoint` has rolled out a revision other than `before`, alone. */
async function rolledOutAlone(
  api: ReturnType<typeof inferenceServices>,
  endpoint: string,
  generation: number | undefined,
  what: string,
): Promise<void> {
  await eventually(
    what,
    90_000,
    async () => {
      const isvc = await api.get(endpoint);
      const status = isvc?.status?.components?.predictor;
      const done =
        isvc?.status?.observedGeneration === generation &&
        status?.latestRolledoutRevision !== undefined &&
        status.latestRolledoutRevision === status.latestCreatedRevision &&
        status.traffic.length === 1;
      return { done, value: isvc?.status };
    },
    250,
  );
}

/** The endpoint serving `seeded`'s challenger as a `percent` % canary over its champion, as the simulator reports it. */
export async function restoreSeededCanary(
  seeded: SeededTenant,
  endpoint: string,
  percent = 20,
): Promise<InferenceService> {
  const api = inferenceServices(seeded.tenant, PORTAL_ACTOR);
  const current = await api.get(endpoint);
  if (!current)
    throw new Error(`${seeded.tenant}/${endpoint} does not exist: seed the local platform (npm run stack -- seed)`);
  const cold = ENDPOINTS[seeded.tenant]?.name === endpoint ? ENDPOINTS[seeded.tenant]?.coldStable : undefined;
  const stableCold = async (isvc: InferenceService) =>
    cold === undefined || (await stableRevisionIsCold(adminCore(), seeded.tenant, servingState(isvc).stableRevision));
  if (servesCanary(current, seeded, percent) && (await stableCold(current))) return current;

  // The champion alone first: a canary starts from a rolled-out stable revision.
  const championEvidence = seededEvidence(seeded.tenant, seeded.model, seeded.champion);
  const champion = await api.update(endpoint, (isvc) => {
    const { canaryTrafficPercent: _dropped, ...predictor } = isvc.spec.predictor;
    return {
      ...isvc,
      metadata: { ...isvc.metadata, annotations: withEvidence(isvc, championEvidence) },
      spec: {
        ...isvc.spec,
        predictor: {
          ...predictor,
          minReplicas: 1,
          model: { ...predictor.model, storageUri: seeded.champion.storageUri },
        },
      },
    };
  });
  await rolledOutAlone(
    api,
    endpoint,
    champion.metadata.generation,
    `${seeded.tenant}/${endpoint} to serve its champion alone`,
  );
  if (cold) {
    await scaleToZeroUnderBreakGlass(
      kubeconfigPath(stackContext(), BREAK_GLASS.name),
      seeded.tenant,
      endpoint,
      cold.reason,
    );
    await rolledOutAlone(
      api,
      endpoint,
      (await api.get(endpoint))?.metadata.generation,
      `${seeded.tenant}/${endpoint} to serve its champion alone at minReplicas 0`,
    );
  }

  await api.update(endpoint, (isvc) => ({
    ...isvc,
    metadata: { ...isvc.metadata, annotations: withEvidence(isvc, seededCanaryAnnotations(seeded.tenant, seeded)) },
    spec: {
      ...isvc.spec,
      predictor: {
        ...isvc.spec.predictor,
        // The canary's own revision runs warm (the admission guard refuses minReplicas 0 from the portal).
        minReplicas: 1,
        canaryTrafficPercent: percent,
        model: { ...isvc.spec.predictor.model, storageUri: seeded.challenger.storageUri },
      },
    },
  }));
  return eventually(
    `${seeded.tenant}/${endpoint} to serve the challenger as a ${percent} % canary`,
    90_000,
    async () => {
      const isvc = await api.get(endpoint);
      return { done: Boolean(isvc && servesCanary(isvc, seeded, percent)), value: isvc! };
    },
    250,
  );
}
