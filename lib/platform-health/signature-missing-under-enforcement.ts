/**
 * signature-missing-under-enforcement: MLflow's serving runtime enforces a model's signature from
 * MLflow 2.16 on; a served model version logged without one is served by such a runtime. The
 * signature is read from the version's MLmodel file (lib/models/versions.ts `ArtifactCheck`), the
 * runtime's MLflow version from the endpoint's serving image where known, else the version the
 * platform's serving runtime is configured with. Nothing is said where either is unknown.
 * One finding per model version, naming every endpoint revision serving it. Pure.
 */
import type { ArtifactCheck } from '@/lib/models/versions';
import { modelHref } from '@/lib/models/links';
import type { Finding } from './finding';
import { atLeast } from './semver';
import { endpointHref, revisionWords, type ServedRevision } from './served-revisions';

export const SIGNATURE_ENFORCED_FROM = '2.16.0';

export interface SignatureInput {
  revisions: readonly ServedRevision[];
  /** What reading `<storageUri>/MLmodel` found, by storageUri (its `hasSignature`). */
  artifacts: ReadonlyMap<string, ArtifactCheck>;
  /** The MLflow version of an endpoint's serving runtime, by "tenant/endpoint", where its image says. */
  runtimeMlflowVersions?: ReadonlyMap<string, string>;
  /** The MLflow version the platform's serving runtime is configured with, or null when unknown. */
  platformServingMlflowVersion: string | null;
}

export function checkSignatureMissingUnderEnforcement(input: SignatureInput): Finding[] {
  const groups = new Map<string, { first: ServedRevision; served: { revision: ServedRevision; runtime: string }[] }>();
  for (const revision of input.revisions) {
    const artifact = input.artifacts.get(revision.storageUri);
    if (artifact?.state !== 'found' || artifact.hasSignature) continue;
    const runtime =
      input.runtimeMlflowVersions?.get(`${revision.tenant}/${revision.endpoint}`) ?? input.platformServingMlflowVersion;
    if (runtime === null || !atLeast(runtime, SIGNATURE_ENFORCED_FROM)) continue;
    // A version served by several endpoints is one problem with one fix: log its signature.
    const key =
      revision.modelName && revision.modelVersion
        ? `version\u0000${revision.tenant}\u0000${revision.modelName}\u0000${revision.modelVersion}`
        : `revision\u0000${revision.tenant}\u0000${revision.endpoint}\u0000${revision.revision}`;
    const group = groups.get(key) ?? { first: revision, served: [] };
    group.served.push({ revision, runtime });
    groups.set(key, group);
  }
  return [...groups.values()].map(({ first, served }): Finding => {
    const what =
      first.modelVersion && first.modelName
        ? `${first.modelName} v${first.modelVersion}`
        : `the model at ${first.storageUri}`;
    const runtimes = [...new Set(served.map((s) => s.runtime))].join(', ');
    return {
      checkId: 'signature-missing-under-enforcement',
      severity: 'warning',
      tenant: first.tenant,
      subject:
        first.modelVersion && first.modelName
          ? { kind: 'model-version', name: first.modelName, version: first.modelVersion }
          : { kind: 'inference-service', name: first.endpoint, revision: first.revision },
      concerns: { endpoints: [...new Set(served.map((s) => s.revision.endpoint))] },
      title: `${what} has no logged signature but is served by MLflow ${runtimes}, which enforces signatures (from ${SIGNATURE_ENFORCED_FROM})`,
      evidence: [
        ...(first.modelName
          ? [{ label: 'Model version', value: what, href: modelHref(first.tenant, first.modelName) }]
          : []),
        { label: 'MLmodel', value: `${first.storageUri}/MLmodel: no signature` },
        ...served.map(({ revision, runtime }) => ({
          label: 'Served by',
          value: `${revisionWords(revision)}, MLflow ${runtime}`,
          href: endpointHref(revision.tenant, revision.endpoint),
        })),
      ],
      remedy:
        'Log the model again with a signature (signature=mlflow.models.infer_signature(...) on the training data) and promote that version.',
    };
  });
}
