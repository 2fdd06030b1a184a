/**
 * The object storage adapter against the running, seeded local platform (`npm run stack -- seed`):
 * MinIO holding the artifacts MLflow wrote under `workspaces/<tenant>/`.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  loadStackEnv,
  requireObjectStorage,
  seededTenant,
  silentServer,
  upstreamRejection,
  type SilentServer,
} from '../../../test/stack';
import { integrationConfig } from '../config';
import { UpstreamError } from '../upstream';
import { storageFor, type TenantStorage } from '.';

loadStackEnv();

let fraud: TenantStorage;
/** A seeded fraud run's artifact root and a pricing one, as MLflow recorded them. */
let fraudArtifacts: string;
let pricingArtifacts: string;

function caught(work: () => unknown): UpstreamError {
  try {
    work();
  } catch (error) {
    if (error instanceof UpstreamError) return error;
    throw error;
  }
  throw new Error('expected an UpstreamError');
}

beforeAll(async () => {
  await requireObjectStorage();
  fraudArtifacts = seededTenant('fraud').versions[0]!.artifactUri;
  pricingArtifacts = seededTenant('pricing').versions[0]!.artifactUri;
  fraud = storageFor('fraud');
});

describe('keyOf', () => {
  it('gives the key of a URI inside the tenant’s prefix', () => {
    expect(fraud).toMatchObject({ tenant: 'fraud', bucket: 'mlflow-artifacts', prefix: 'workspaces/fraud/' });
    expect(fraud.keyOf(`${fraudArtifacts}/model/MLmodel`)).toBe(
      `${fraudArtifacts.replace('s3://mlflow-artifacts/', '')}/model/MLmodel`,
    );
  });

  it.each([
    ['another tenant’s prefix', () => pricingArtifacts],
    ['a climb out with ..', () => `${fraudArtifacts}/../../../../pricing/1/x`],
    ['.. right after the prefix', () => 's3://mlflow-artifacts/workspaces/fraud/../pricing/1/x'],
    ['a prefix that only starts the same', () => 's3://mlflow-artifacts/workspaces/fraudulent/1/x'],
    ['another bucket', () => 's3://other-bucket/workspaces/fraud/1/x'],
    ['the bucket root', () => 's3://mlflow-artifacts/'],
  ])('refuses %s', (_, uri) => {
    const error = caught(() => fraud.keyOf(uri()));
    expect(error).toMatchObject({ system: 'Object storage', kind: 'forbidden' });
    expect(error.message).toContain('outside the storage of tenant fraud');
  });

  it('refuses what is not an s3:// URI', () => {
    expect(caught(() => fraud.keyOf('/etc/passwd')).kind).toBe('rejected');
  });

  it('refuses to list or read through a refused URI', async () => {
    expect((await upstreamRejection(fraud.list(pricingArtifacts))).kind).toBe('forbidden');
    expect((await upstreamRejection(fraud.readText(`${pricingArtifacts}/model/MLmodel`))).kind).toBe('forbidden');
    expect((await upstreamRejection(fraud.presignGet(`${pricingArtifacts}/model/MLmodel`))).kind).toBe('forbidden');
  });

  it('refuses a name that is not a tenant', () => {
    expect(() => storageFor('../pricing')).toThrow('is not a tenant name');
  });
});

describe('reading', () => {
  it('lists one level of a folder', async () => {
    const root = await fraud.list(fraudArtifacts);
    expect(root.folders.map((f) => f.name)).toContain('model');
    const model = await fraud.list(`${fraudArtifacts}/model/`);
    expect(model.folders).toEqual([]);
    const mlmodel = model.files.find((f) => f.name === 'MLmodel')!;
    expect(mlmodel.key).toBe(fraud.keyOf(`${fraudArtifacts}/model/MLmodel`));
    expect(mlmodel.size).toBeGreaterThan(0);
    expect(mlmodel.lastModified).toBeInstanceOf(Date);
  });

  it('lists an empty folder as empty', async () => {
    expect(await fraud.list(`${fraudArtifacts}/no-such-folder`)).toEqual({ folders: [], files: [] });
  });

  it('tells whether an object exists', async () => {
    expect(await fraud.exists(`${fraudArtifacts}/model/MLmodel`)).toBe(true);
    expect(await fraud.exists(`${fraudArtifacts}/model/no-such-file`)).toBe(false);
  });

  it('reads a small text object and refuses one over the limit', async () => {
    const text = await fraud.readText(`${fraudArtifacts}/model/MLmodel`);
    expect(text).toMatch(/^flavors:/m);
    const error = await upstreamRejection(fraud.readText(`${fraudArtifacts}/model/MLmodel`, 10));
    expect(error.kind).toBe('rejected');
    expect(error.message).toMatch(/is larger than 10 bytes/);
    expect((await upstreamRejection(fraud.readText(`${fraudArtifacts}/model/no-such-file`))).kind).toBe('not-found');
  });
});

describe('presigned downloads', () => {
  it('gives a URL that downloads the real bytes as an attachment', async () => {
    const uri = `${fraudArtifacts}/model/MLmodel`;
    const ttl = integrationConfig('s3').S3_PRESIGN_TTL_SECONDS;
    const before = Date.now();
    const { url, expiresAt } = await fraud.presignGet(uri, 'fraud MLmodel.yaml');
    expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe(String(ttl));
    expect(expiresAt.getTime()).toBeGreaterThanOrEqual(before + ttl * 1000);
    expect(expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + ttl * 1000);

    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="fraud_MLmodel.yaml"; filename*=UTF-8''fraud%20MLmodel.yaml`,
    );
    expect(await response.text()).toBe(await fraud.readText(uri));
  });

  it('gives a URL that stops working once it expires', async () => {
    const ttl = integrationConfig('s3').S3_PRESIGN_TTL_SECONDS;
    // Signed as if a little more than its lifetime ago: MinIO must refuse it now.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() - (ttl + 60) * 1000);
    let url: string;
    try {
      ({ url } = await fraud.presignGet(`${fraudArtifacts}/model/MLmodel`));
    } finally {
      vi.useRealTimers();
    }
    const response = await fetch(url);
    expect(response.status).toBe(403);
    expect(await response.text()).toMatch(/expired/i);
  });
});

describe('failures', () => {
  let hung: SilentServer;

  beforeAll(async () => {
    hung = await silentServer(); // a hung object store
  });
  afterAll(() => hung.close());

  it('says object storage did not answer in time', async () => {
    const config = { ...integrationConfig('s3'), S3_ENDPOINT: `http://127.0.0.1:${hung.port}`, S3_TIMEOUT_MS: 300 };
    const error = await upstreamRejection(storageFor('fraud', config).list(fraudArtifacts));
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe('Object storage did not answer within 300 ms');
  });

  it('says object storage refused the credentials', async () => {
    const config = { ...integrationConfig('s3'), S3_SECRET_ACCESS_KEY: 'wrong-secret' };
    const error = await upstreamRejection(storageFor('fraud', config).exists(`${fraudArtifacts}/model/MLmodel`));
    expect(error.kind).toBe('forbidden');
    expect(error.message).toContain("check the portal's S3 credentials");
  });
});
