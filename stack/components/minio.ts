/**
 * MinIO, built from its Go module (`go install github.com/minio/minio@<pin>`), holding the MLflow
 * artifacts: one server on 127.0.0.1 with its data under `.data/stack/data/minio`, the console
 * on its own port, fixed development credentials, and the `mlflow-artifacts` bucket made
 * idempotently through the S3 API.
 */
import { CreateBucketCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Component } from '../lib/component';
import { HOST, type StackContext } from '../lib/context';
import { goBinaries } from '../lib/go-build';
import { httpOk, startProcess, stopProcess } from '../lib/processes';
import { progress } from '../lib/progress';
import { VERSIONS } from '../versions';

export const MLFLOW_BUCKET = 'mlflow-artifacts';
export const S3_REGION = 'us-east-1';

/** Development-only root credentials; override with STACK_MINIO_ACCESS_KEY / STACK_MINIO_SECRET_KEY. */
export function minioCredentials(env: NodeJS.ProcessEnv = process.env): {
  accessKeyId: string;
  secretAccessKey: string;
} {
  return {
    accessKeyId: env.STACK_MINIO_ACCESS_KEY ?? 'mlp-minio',
    secretAccessKey: env.STACK_MINIO_SECRET_KEY ?? 'mlp-minio-dev-secret',
  };
}

export function minioUrl(ctx: StackContext): string {
  return `http://${HOST}:${ctx.ports.minio}`;
}

/** An S3 client for the stack's MinIO (path-style addressing, as MinIO on an IP needs). */
export function minioS3Client(ctx: StackContext): S3Client {
  return new S3Client({
    endpoint: minioUrl(ctx),
    region: S3_REGION,
    forcePathStyle: true,
    credentials: minioCredentials(),
  });
}

function binaries(ctx: StackContext): Promise<string> {
  return goBinaries(ctx, {
    component: 'minio',
    name: `minio-${VERSIONS.minio}`,
    binaries: ['minio'],
    install: [`github.com/minio/minio@${VERSIONS.minio}`],
  });
}

/** Creates the bucket unless it exists. */
export async function ensureBucket(ctx: StackContext, bucket: string): Promise<void> {
  const s3 = minioS3Client(ctx);
  try {
    try {
      await s3.send(new HeadBucketCommand({ Bucket: bucket }));
      return;
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status !== 404) throw error;
    }
    progress('minio', `creating bucket ${bucket}`);
    try {
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    } catch (error) {
      // Another `up` may have made it in between.
      if ((error as { name?: string }).name !== 'BucketAlreadyOwnedByYou') throw error;
    }
  } finally {
    s3.destroy();
  }
}

const ready = (ctx: StackContext) => httpOk(`${minioUrl(ctx)}/minio/health/ready`);

export const minio: Component = {
  name: 'minio',
  dependsOn: [],
  url: minioUrl,
  async install(ctx) {
    await binaries(ctx);
  },
  async start(ctx) {
    const binDir = await binaries(ctx);
    const dataDir = ctx.dataDir('minio');
    await mkdir(dataDir, { recursive: true });
    const { accessKeyId, secretAccessKey } = minioCredentials();
    await startProcess(ctx, {
      name: 'minio',
      command: path.join(binDir, 'minio'),
      args: [
        'server',
        dataDir,
        '--address',
        `${HOST}:${ctx.ports.minio}`,
        '--console-address',
        `${HOST}:${ctx.ports.minioConsole}`,
        '--quiet',
      ],
      env: {
        MINIO_ROOT_USER: accessKeyId,
        MINIO_ROOT_PASSWORD: secretAccessKey,
        MINIO_REGION: S3_REGION,
        // No phoning home, no update checks: the stack runs air-gapped.
        MINIO_UPDATE: 'off',
        MINIO_CALLHOME_ENABLE: 'off',
        MINIO_BROWSER_REDIRECT: 'off',
      },
      ready: () => ready(ctx),
      timeoutMs: 60_000,
    });
    await ensureBucket(ctx, MLFLOW_BUCKET);
  },
  isUp: ready,
  stop: (ctx) => stopProcess(ctx, 'minio'),
  env: (ctx) => {
    const { accessKeyId, secretAccessKey } = minioCredentials();
    return {
      S3_ENDPOINT: minioUrl(ctx),
      S3_REGION,
      S3_ACCESS_KEY_ID: accessKeyId,
      S3_SECRET_ACCESS_KEY: secretAccessKey,
      S3_BUCKET: MLFLOW_BUCKET,
      S3_FORCE_PATH_STYLE: 'true',
      MINIO_CONSOLE_URL: `http://${HOST}:${ctx.ports.minioConsole}`,
    };
  },
};
