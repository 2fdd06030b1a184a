/**
 * The stack's MinIO against the running stack (`npm run stack -- up` first): it is ready, holds
 * the `mlflow-artifacts` bucket, and serves an object through a short-lived presigned GET — the
 * way the portal lets a browser download an artifact.
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MLFLOW_BUCKET, minio, minioS3Client, minioUrl } from '../components/minio';
import { stackContext } from '../lib/context';

const ctx = stackContext();
const MINIO = minioUrl(ctx);
let s3: S3Client;

beforeAll(async () => {
  if (!(await minio.isUp(ctx))) {
    throw new Error(`minio is not reachable at ${MINIO}/minio/health/ready — start the stack (npm run stack -- up)`);
  }
  s3 = minioS3Client(ctx);
});
afterAll(() => s3?.destroy());

describe('minio', () => {
  it('reports ready and live', async () => {
    for (const probe of ['ready', 'live']) {
      const response = await fetch(`${MINIO}/minio/health/${probe}`);
      expect(response.status, `/minio/health/${probe}`).toBe(200);
    }
  });

  it('holds the bucket of the MLflow artifacts', async () => {
    const head = await s3.send(new HeadBucketCommand({ Bucket: MLFLOW_BUCKET }));
    expect(head.$metadata.httpStatusCode).toBe(200);
    expect(minio.env?.(ctx).S3_BUCKET).toBe(MLFLOW_BUCKET);
  });

  it('rejects requests without credentials', async () => {
    const response = await fetch(`${MINIO}/${MLFLOW_BUCKET}?list-type=2`);
    expect(response.status).toBe(403);
  });

  it('serves an object through a presigned GET and refuses a tampered one', async () => {
    const key = `tests/presigned-${randomUUID()}.txt`;
    const body = `artifact bytes ${randomUUID()}`;
    await s3.send(new PutObjectCommand({ Bucket: MLFLOW_BUCKET, Key: key, Body: body, ContentType: 'text/plain' }));
    try {
      const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: MLFLOW_BUCKET, Key: key }), { expiresIn: 60 });
      expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('60');
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(body);

      // The same URL with its signature altered is refused.
      const tampered = new URL(url);
      tampered.searchParams.set('X-Amz-Signature', '0'.repeat(64));
      expect((await fetch(tampered)).status).toBe(403);
    } finally {
      await s3.send(new DeleteObjectCommand({ Bucket: MLFLOW_BUCKET, Key: key }));
    }
  });
});
