/**
 * A tenant's prefix in the bucket (`S3_TENANT_PREFIX`, by default `workspaces/<tenant>/`, where
 * MLflow's workspaces put their artifacts). S3 has no folders: a prefix "exists" once an object is
 * under it, so provisioning writes an empty marker object `<prefix>.keep` when nothing is there yet.
 * Nothing here deletes an object.
 */
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { UserFacingError } from '../../errors';
import { tenantNameSchema } from '../../tenancy/names';
import { READ_RETRY, withRetry } from '../upstream';
import { toStorageError } from './errors';
import { tenantPrefix } from './keys';
import { loadS3Config, s3ClientFor, type S3Config } from './storage';

export const PREFIX_MARKER = '.keep';

export interface TenantPrefix {
  readonly bucket: string;
  /** `workspaces/<tenant>/`, always ending in '/'. */
  readonly prefix: string;
  /** `s3://<bucket>/<prefix>`. */
  readonly uri: string;
  /** Whether any object is under the prefix. */
  exists(): Promise<boolean>;
  /** Writes the marker unless an object is under the prefix already: `created` or `exists`. */
  ensure(): Promise<'created' | 'exists'>;
}

export function tenantPrefixFor(tenant: string, config: S3Config = loadS3Config()): TenantPrefix {
  if (tenantNameSchema.safeParse(tenant).data !== tenant)
    throw new UserFacingError(`"${tenant.slice(0, 80)}" is not a tenant name.`, 'tenant');
  const s3 = s3ClientFor(config);
  const bucket = config.S3_BUCKET;
  const prefix = tenantPrefix(config.S3_TENANT_PREFIX, tenant);
  const context = (what: string) => ({ timeoutMs: config.S3_TIMEOUT_MS, endpoint: config.S3_ENDPOINT, what });

  async function exists(): Promise<boolean> {
    return withRetry(READ_RETRY, async () => {
      try {
        const answer = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, MaxKeys: 1 }), {
          abortSignal: AbortSignal.timeout(config.S3_TIMEOUT_MS),
        });
        return (answer.KeyCount ?? answer.Contents?.length ?? 0) > 0;
      } catch (error) {
        throw toStorageError(error, context(`the bucket ${bucket} (listing ${prefix})`));
      }
    });
  }

  return {
    bucket,
    prefix,
    uri: `s3://${bucket}/${prefix}`,
    exists,

    async ensure() {
      if (await exists()) return 'exists';
      const key = `${prefix}${PREFIX_MARKER}`;
      try {
        // A write: never retried behind the caller's back (running the step again is the retry).
        await s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: new Uint8Array(0),
            ContentLength: 0,
            ContentType: 'application/octet-stream',
            Metadata: { 'mlp-tenant': tenant, 'mlp-purpose': 'marks the tenant prefix; safe to keep' },
          }),
          { abortSignal: AbortSignal.timeout(config.S3_TIMEOUT_MS) },
        );
      } catch (error) {
        throw toStorageError(error, context(`s3://${bucket}/${key}`));
      }
      return 'created';
    },
  };
}
