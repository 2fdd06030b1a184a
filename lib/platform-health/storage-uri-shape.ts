/**
 * storage-uri-shape: KServe's MLflow runtime loads the model folder a revision's storageUri names
 * and fails without an MLmodel file in it (`Could not find an "MLmodel" configuration file`). The
 * platform's models are the folder `model` under a run's artifacts in S3 — `<run artifact
 * uri>/model` (lib/models/versions.ts `modelUriFor`), which the cluster's admission guard also
 * requires (deploy/admission/inference-service-guard.yaml). Pure.
 */
import type { Finding } from './finding';
import { endpointHref, revisionWords, servedVersionConcern, type ServedRevision } from './served-revisions';

const MODEL_FOLDER_SUFFIX = '/artifacts/model';

export interface StorageUriProblem {
  problem: string;
  /** The URI it most likely should be, when that can be told from this one. */
  suggestion?: string;
}

/** What is wrong with a storageUri's shape, or null when it is `s3://<bucket>/…/artifacts/model`. */
export function storageUriProblem(uri: string): StorageUriProblem | null {
  if (uri.trim() === '') return { problem: 'names no storageUri' };
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(uri)?.[1];
  if (scheme?.toLowerCase() !== 's3' || !uri.slice(scheme.length).startsWith('://')) {
    return { problem: scheme ? `is a ${scheme}: URI, not s3://` : 'is not an s3:// URI' };
  }
  if (!/^s3:\/\/[^/]+\/./i.test(uri)) return { problem: 'names no bucket and path' };
  if (uri.endsWith('/')) {
    const trimmed = uri.replace(/\/+$/, '');
    return {
      problem: 'ends with a slash',
      suggestion: trimmed.endsWith(MODEL_FOLDER_SUFFIX) ? trimmed : undefined,
    };
  }
  if (uri.endsWith('/artifacts')) return { problem: 'lacks the /model suffix', suggestion: `${uri}/model` };
  if (uri.endsWith('/model/MLmodel'))
    return { problem: 'names the MLmodel file, not its folder', suggestion: uri.slice(0, -'/MLmodel'.length) };
  if (!uri.endsWith('/model')) return { problem: 'lacks the /model suffix' };
  if (!uri.endsWith(MODEL_FOLDER_SUFFIX))
    return { problem: `is not a run's model folder (…/<run id>${MODEL_FOLDER_SUFFIX})` };
  return null;
}

export function checkStorageUriShape(revisions: readonly ServedRevision[]): Finding[] {
  return revisions.flatMap((revision): Finding[] => {
    const found = storageUriProblem(revision.storageUri);
    if (!found) return [];
    const uri = revision.storageUri || '(none)';
    return [
      {
        checkId: 'storage-uri-shape',
        severity: 'critical',
        tenant: revision.tenant,
        subject: { kind: 'inference-service', name: revision.endpoint, revision: revision.revision },
        concerns: servedVersionConcern(revision),
        title: `${revisionWords(revision)}: storageUri ${uri} ${found.problem}`,
        evidence: [
          { label: 'Endpoint', value: revisionWords(revision), href: endpointHref(revision.tenant, revision.endpoint) },
          { label: 'storageUri', value: uri },
          { label: 'Expected', value: found.suggestion ?? `s3://<bucket>/…/<run id>${MODEL_FOLDER_SUFFIX}` },
          ...(revision.modelVersion
            ? [{ label: 'Model version', value: `${revision.modelName ?? '?'} v${revision.modelVersion}` }]
            : []),
        ],
        remedy: found.suggestion
          ? `Deploy ${found.suggestion} instead (through a promotion request, or a rollback), so KServe finds the MLmodel file.`
          : `Deploy the model folder of an MLflow run (s3://…/<run id>${MODEL_FOLDER_SUFFIX}) through a promotion request; KServe cannot load this one.`,
      },
    ];
  });
}
