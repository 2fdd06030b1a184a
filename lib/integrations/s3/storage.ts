import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { UserFacingError } from '../../errors';
import { tenantNameSchema } from '../../tenancy/names';
import { integrationConfig, type IntegrationConfig } from '../config';
import { READ_RETRY, UpstreamError, withRetry } from '../upstream';
import { toStorageError } from './errors';
import { attachmentDisposition, baseName, isWithinPrefix, normalizeKey, parseS3Uri, tenantPrefix } from './keys';

export type S3Config = IntegrationConfig<'s3'>;

export interface StoredObject {
  key: string;
  name: string;
  size: number;
  lastModified?: Date;
}

/** One tenant's part of the bucket: nothing outside `<bucket>/<tenant prefix>` can be named through it. */
export interface TenantStorage {
  readonly tenant: string;
  readonly bucket: string;
  readonly prefix: string;
  /** s3://bucket/key → key; throws an UpstreamError('Object storage','forbidden', …) when the URI is in another bucket or outside the tenant's prefix (also after normalising `..`). */
  keyOf(uri: string): string;
  /** One level of a folder (delimiter '/'). */
  list(uri: string): Promise<{ folders: { key: string; name: string }[]; files: StoredObject[] }>;
  /** HEAD; a missing object is `false`. */
  exists(uri: string): Promise<boolean>;
  /** A small text object (such as an MLmodel file); refuses objects larger than maxBytes. */
  readText(uri: string, maxBytes?: number): Promise<string>;
  /** A GET URL valid for S3_PRESIGN_TTL_SECONDS that makes the browser save the file. */
  presignGet(uri: string, downloadName?: string): Promise<{ url: string; expiresAt: Date }>;
}

const DEFAULT_MAX_TEXT_BYTES = 1024 * 1024;
// A folder with more entries than this is listed only in part; artifact folders are far smaller.
const LIST_MAX_PAGES = 10;

/** The object-storage settings, or an UpstreamError saying which are missing. */
export function loadS3Config(): S3Config {
  try {
    return integrationConfig('s3');
  } catch (error) {
    throw new UpstreamError(
      'Object storage',
      'unreachable',
      error instanceof Error ? error.message : String(error),
      undefined,
      { cause: error },
    );
  }
}

const clients = new WeakMap<S3Config, S3Client>();

/** One SDK client per configuration, shared by every adapter of the bucket. */
export function s3ClientFor(config: S3Config): S3Client {
  let client = clients.get(config);
  if (!client) {
    client = new S3Client({
      endpoint: config.S3_ENDPOINT,
      region: config.S3_REGION,
      forcePathStyle: config.S3_FORCE_PATH_STYLE === 'true',
      credentials: { accessKeyId: config.S3_ACCESS_KEY_ID, secretAccessKey: config.S3_SECRET_ACCESS_KEY },
      // Retries are ours (reads only, see withRetry); the SDK would also repeat writes.
      maxAttempts: 1,
      requestHandler: { connectionTimeout: config.S3_TIMEOUT_MS, requestTimeout: config.S3_TIMEOUT_MS },
      // S3-compatible stores (MinIO, Ceph…) do not all speak the SDK's newer default checksums.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    clients.set(config, client);
  }
  return client;
}

export function storageFor(tenant: string, config: S3Config = loadS3Config()): TenantStorage {
  if (tenantNameSchema.safeParse(tenant).data !== tenant)
    throw new UserFacingError(`"${tenant.slice(0, 80)}" is not a tenant name.`, 'tenant');
  const s3 = s3ClientFor(config);
  const bucket = config.S3_BUCKET;
  const prefix = tenantPrefix(config.S3_TENANT_PREFIX, tenant);
  const timeoutMs = config.S3_TIMEOUT_MS;

  // Every call here is a read, so each may be retried; this adapter has no writes.
  function read<T>(what: string, send: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    return withRetry(READ_RETRY, async () => {
      try {
        return await send(AbortSignal.timeout(timeoutMs));
      } catch (error) {
        throw toStorageError(error, { timeoutMs, endpoint: config.S3_ENDPOINT, what });
      }
    });
  }

  function keyOf(uri: string): string {
    const location = parseS3Uri(uri);
    if (!location) throw new UpstreamError('Object storage', 'rejected', `"${uri.slice(0, 200)}" is not an s3:// URI`);
    const key = normalizeKey(location.key);
    if (location.bucket !== bucket || !isWithinPrefix(key, prefix)) {
      throw new UpstreamError(
        'Object storage',
        'forbidden',
        `${uri.slice(0, 200)} is outside the storage of tenant ${tenant} (s3://${bucket}/${prefix})`,
      );
    }
    return key;
  }

  return {
    tenant,
    bucket,
    prefix,
    keyOf,

    async list(uri) {
      const folder = `${keyOf(uri).replace(/\/+$/, '')}/`;
      const folders: { key: string; name: string }[] = [];
      const files: StoredObject[] = [];
      let continuationToken: string | undefined;
      for (let page = 0; page < LIST_MAX_PAGES; page++) {
        const answer = await read(`the folder ${folder}`, (abortSignal) =>
          s3.send(
            new ListObjectsV2Command({
              Bucket: bucket,
              Prefix: folder,
              Delimiter: '/',
              ContinuationToken: continuationToken,
            }),
            { abortSignal },
          ),
        );
        for (const p of answer.CommonPrefixes ?? [])
          if (p.Prefix) folders.push({ key: p.Prefix, name: baseName(p.Prefix) });
        for (const o of answer.Contents ?? []) {
          // Some tools write an empty object named like the folder itself.
          if (o.Key && o.Key !== folder)
            files.push({ key: o.Key, name: baseName(o.Key), size: o.Size ?? 0, lastModified: o.LastModified });
        }
        continuationToken = answer.IsTruncated ? answer.NextContinuationToken : undefined;
        if (!continuationToken) break;
      }
      return { folders, files };
    },

    async exists(uri) {
      const key = keyOf(uri);
      try {
        await read(key, (abortSignal) => s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }), { abortSignal }));
        return true;
      } catch (error) {
        if (error instanceof UpstreamError && error.kind === 'not-found') return false;
        throw error;
      }
    },

    async readText(uri, maxBytes = DEFAULT_MAX_TEXT_BYTES) {
      const key = keyOf(uri);
      return read(key, async (abortSignal) => {
        const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal });
        if ((object.ContentLength ?? 0) > maxBytes) {
          object.Body?.transformToWebStream().cancel();
          throw new UpstreamError(
            'Object storage',
            'rejected',
            `${key} is larger than ${maxBytes} bytes (${object.ContentLength} bytes)`,
          );
        }
        return (await object.Body?.transformToString('utf-8')) ?? '';
      });
    },

    async presignGet(uri, downloadName) {
      const key = keyOf(uri);
      const ttl = config.S3_PRESIGN_TTL_SECONDS;
      const expiresAt = new Date(Date.now() + ttl * 1000);
      const command = new GetObjectCommand({
        Bucket: bucket,
        Key: key,
        ResponseContentDisposition: attachmentDisposition(downloadName ?? baseName(key)),
      });
      // Signing is local work: no request is sent, so there is nothing to time out or retry.
      return { url: await getSignedUrl(s3, command, { expiresIn: ttl }), expiresAt };
    },
  };
}
