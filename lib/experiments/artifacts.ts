import { recordAuditAlone } from '../audit/log';
import { can, type Principal, type TenantStatus } from '../auth/authorize';
import { UserFacingError } from '../errors';
import { isRunId, mlflowFor } from '../integrations/mlflow';
import { storageFor } from '../integrations/s3';
import { isUpstreamError } from '../integrations/upstream';
import { log } from '../observability/logger';
import { describeFailure } from './outcome';

/** A run's artifacts in object storage: browsing folder by folder, and downloads that are authorized, audited and short-lived. */

const MAX_PATH_LENGTH = 1024;

/**
 * A path relative to a run's artifact root (`model/MLmodel`), '' for the root. Refuses anything
 * that could climb out of it (`..`, absolute paths, backslashes) before storage is asked.
 */
export function parseArtifactPath(raw: string | undefined): string {
  const path = (raw ?? '').replace(/\/+$/, '');
  if (path === '') return '';
  const unsafe =
    path.length > MAX_PATH_LENGTH ||
    path.startsWith('/') ||
    /[\\\u0000-\u001f]/.test(path) ||
    path.split('/').some((s) => s === '' || s === '.' || s === '..');
  if (unsafe) throw new UserFacingError(`"${path.slice(0, 80)}" is not a path inside the run's artifacts.`, 'path');
  return path;
}

export function artifactUri(rootUri: string, path: string): string {
  const root = rootUri.replace(/\/+$/, '');
  return path === '' ? root : `${root}/${path}`;
}

export interface ArtifactListing {
  /** The folder shown, relative to the run's artifact root. */
  path: string;
  /** From the root to this folder: each with its relative path. */
  breadcrumbs: { name: string; path: string }[];
  folders: { name: string; path: string }[];
  files: { name: string; path: string; size: number; lastModified?: Date }[];
}

/** One folder of a run's artifacts, read from the tenant's storage. */
export async function listRunArtifacts(tenant: string, rootUri: string, path: string): Promise<ArtifactListing> {
  const storage = storageFor(tenant);
  const rootKey = storage.keyOf(rootUri).replace(/\/+$/, '');
  const relative = (key: string) => key.slice(rootKey.length + 1).replace(/\/+$/, '');
  const listing = await storage.list(artifactUri(rootUri, path));
  const segments = path === '' ? [] : path.split('/');
  return {
    path,
    breadcrumbs: segments.map((name, i) => ({ name, path: segments.slice(0, i + 1).join('/') })),
    folders: listing.folders.map((f) => ({ name: f.name, path: relative(f.key) })),
    files: listing.files.map((f) => ({
      name: f.name,
      path: relative(f.key),
      size: f.size,
      lastModified: f.lastModified,
    })),
  };
}

export type DownloadOutcome =
  | { ok: true; url: string }
  | { ok: false; reason: 'signin' | 'forbidden' | 'invalid' | 'not-found' | 'unavailable'; message: string };

export interface DownloadRequest {
  user: (Principal & { username: string }) | null;
  /** The tenant as the portal knows it; null when it does not exist. */
  tenant: { name: string; status: TenantStatus } | null;
  tenantName: string;
  runId: string;
  path: string | undefined;
}

/**
 * A short-lived presigned URL for one file of a run's artifacts, for a user allowed
 * `artifact.download` in the tenant. The file must lie under that run's artifact root in the
 * tenant's storage. Granted, denied and failed attempts are audited.
 */
export async function presignArtifactDownload(request: DownloadRequest): Promise<DownloadOutcome> {
  const { user, tenantName, runId } = request;
  if (!user) return { ok: false, reason: 'signin', message: 'Sign in to download artifacts.' };
  const actor = { id: user.id, name: user.username };
  const audit = (
    outcome: 'success' | 'denied' | 'failed',
    details: { reason?: string; target?: string; after?: unknown },
  ) =>
    recordAuditAlone({
      actor,
      action: 'artifact.download',
      tenant: tenantName,
      target: { type: 'artifact', id: details.target ?? `${runId}/${request.path ?? ''}` },
      outcome,
      reason: details.reason,
      after: details.after ?? { runId, path: request.path },
    });

  const resource = { kind: 'tenant' as const, tenant: tenantName, status: request.tenant?.status };
  if (!request.tenant || !can(user, 'artifact.download', resource)) {
    await audit('denied', { reason: 'not allowed to artifact.download' });
    return { ok: false, reason: 'forbidden', message: 'You are not allowed to download artifacts in this tenant.' };
  }

  let path: string;
  try {
    path = parseArtifactPath(request.path);
    if (path === '' || !isRunId(runId)) throw new UserFacingError('Choose a file of a run to download.');
  } catch (error) {
    return { ok: false, reason: 'invalid', message: describeFailure(error).message };
  }

  try {
    const run = await mlflowFor(tenantName).getRun(runId);
    const storage = storageFor(tenantName);
    const rootKey = `${storage.keyOf(run.artifactUri).replace(/\/+$/, '')}/`;
    const uri = artifactUri(run.artifactUri, path);
    const key = storage.keyOf(uri);
    if (!key.startsWith(rootKey)) {
      await audit('denied', { reason: 'outside the run artifacts', target: uri });
      return { ok: false, reason: 'forbidden', message: 'That file is not one of this run’s artifacts.' };
    }
    if (!(await storage.exists(uri))) {
      await audit('failed', { reason: 'no such artifact', target: uri });
      return { ok: false, reason: 'not-found', message: `The run has no artifact ${path}.` };
    }
    const { url, expiresAt } = await storage.presignGet(uri);
    await audit('success', { target: uri, after: { runId, path, expiresAt: expiresAt.toISOString() } });
    return { ok: true, url };
  } catch (error) {
    const { message } = describeFailure(error);
    await audit('failed', { reason: message }).catch((auditError: unknown) =>
      log.error('could not audit a failed download', { error: auditError }),
    );
    const reason = isUpstreamError(error, 'not-found')
      ? 'not-found'
      : isUpstreamError(error, 'forbidden')
        ? 'forbidden'
        : 'unavailable';
    return { ok: false, reason, message };
  }
}
