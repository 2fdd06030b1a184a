/**
 * artifact-missing: a revision's storageUri is well formed but no MLmodel file is under it, so KServe
 * cannot load it (`Could not find an "MLmodel" configuration file`). The answers come from reading
 * `<storageUri>/MLmodel` in object storage (lib/models/versions.ts `ArtifactCheck`):
 * - missing → a critical finding per revision;
 * - found, or not asked → nothing;
 * - unreadable (object storage down, refused, …) → no finding about the revision (nothing is known
 *   about it), but one info finding for the platform saying how many revisions could not be
 *   checked and why, so a silent check is never mistaken for a clean one.
 * Revisions whose URI fails storage-uri-shape are left to that check. Pure.
 */
import type { ArtifactCheck } from '@/lib/models/versions';
import type { Finding } from './finding';
import { endpointHref, revisionWords, servedVersionConcern, type ServedRevision } from './served-revisions';
import { storageUriProblem } from './storage-uri-shape';

export interface ArtifactMissingInput {
  revisions: readonly ServedRevision[];
  /** What reading `<storageUri>/MLmodel` found, by storageUri. */
  artifacts: ReadonlyMap<string, ArtifactCheck>;
}

export function checkArtifactMissing(input: ArtifactMissingInput): Finding[] {
  const findings: Finding[] = [];
  const unreadable = new Map<string, string[]>();
  for (const revision of input.revisions) {
    if (storageUriProblem(revision.storageUri)) continue;
    const artifact = input.artifacts.get(revision.storageUri);
    if (artifact?.state === 'unreadable') {
      unreadable.set(artifact.problem, [...(unreadable.get(artifact.problem) ?? []), revisionWords(revision)]);
    }
    if (artifact?.state !== 'missing') continue;
    findings.push({
      checkId: 'artifact-missing',
      severity: 'critical',
      tenant: revision.tenant,
      subject: { kind: 'inference-service', name: revision.endpoint, revision: revision.revision },
      concerns: servedVersionConcern(revision),
      title: `${revisionWords(revision)}: no MLmodel file at ${artifact.mlmodelUri}`,
      evidence: [
        { label: 'Endpoint', value: revisionWords(revision), href: endpointHref(revision.tenant, revision.endpoint) },
        { label: 'storageUri', value: revision.storageUri },
        { label: 'Looked for', value: artifact.mlmodelUri },
        ...(revision.modelVersion
          ? [{ label: 'Model version', value: `${revision.modelName ?? '?'} v${revision.modelVersion}` }]
          : []),
      ],
      remedy:
        revision.revision === 'stable'
          ? `A rollback to this revision would fail to load: restore the model's artifacts (or deploy another version) before the next rollout.`
          : `KServe cannot load this model: check that the run logged its model under artifacts/model, or deploy a version whose artifacts exist.`,
    });
  }
  if (unreadable.size > 0) {
    const revisions = [...unreadable.values()].flat();
    findings.push({
      checkId: 'artifact-missing',
      severity: 'info',
      tenant: null,
      subject: { kind: 'platform', name: 'object storage' },
      title: `The model artifacts of ${revisions.length} revision${revisions.length === 1 ? '' : 's'} could not be checked: object storage could not be read`,
      evidence: [...unreadable].map(([problem, names]) => ({ label: problem, value: names.join(', ') })),
      remedy:
        'Check that object storage is up and that the portal may read the model buckets; the check reports again when it can read them.',
    });
  }
  return findings;
}
