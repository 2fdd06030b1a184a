/**
 * The model registry service against the running, seeded local platform (`npm run stack -- seed`):
 * MLflow with one workspace per tenant, and the model files it wrote to MinIO.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  closedPort,
  loadStackEnv,
  requireMlflow,
  requireObjectStorage,
  seededModels,
  type SeededTenant,
} from '../../test/stack';
import { integrationConfig } from '../integrations/config';
import { mlflowFor, type MlflowClient } from '../integrations/mlflow';
import { storageFor } from '../integrations/s3';
import { UpstreamError } from '../integrations/upstream';
import { getModelDetail, listModels, ModelNotFoundError } from './service';

loadStackEnv();

let seed: Record<string, SeededTenant>;
const fraud = () => seed.fraud!;

beforeAll(async () => {
  await requireMlflow();
  await requireObjectStorage();
  seed = Object.fromEntries(seededModels().tenants.map((t) => [t.tenant, t]));
});

describe('listModels', () => {
  it('summarises the tenant’s registered models: aliases, latest version, how many versions', async () => {
    const { models, nextPageToken } = await listModels('fraud');
    expect(nextPageToken).toBeUndefined();
    expect(models.map((m) => m.name)).toEqual([fraud().model]);
    const [detector] = models;
    const seededNewest = fraud()
      .versions.map((v) => Number(v.version))
      .sort((a, b) => b - a);
    expect(detector).toMatchObject({ latestVersion: String(seededNewest[0]), versionCount: fraud().versions.length });
    expect(detector!.description).not.toBe('');
    expect(detector!.aliases[0]).toEqual({ alias: 'champion', version: '4' });
    expect(detector!.lastUpdatedAt).toBeGreaterThan(0);
  });

  it('shows no other tenant’s models', async () => {
    for (const tenant of Object.keys(seed)) {
      const names = (await listModels(tenant)).models.map((m) => m.name);
      const othersModels = Object.values(seed)
        .filter((t) => t.tenant !== tenant)
        .map((t) => t.model);
      expect(names, tenant).toContain(seed[tenant]!.model);
      expect(
        names.filter((n) => othersModels.includes(n)),
        tenant,
      ).toEqual([]);
    }
  });
});

describe('getModelDetail', () => {
  it('lists every version newest first with its aliases and its source run’s metrics', async () => {
    const detail = await getModelDetail('fraud', fraud().model);
    expect(detail.versions.map((v) => v.version)).toEqual(['5', '4', '3', '2', '1']);
    expect(detail.aliases).toEqual([
      { alias: 'champion', version: '4' },
      { alias: 'challenger', version: '5' },
    ]);
    expect(detail.versions.find((v) => v.version === '4')!.aliases).toContain('champion');
    for (const seeded of fraud().versions) {
      const version = detail.versions.find((v) => v.version === seeded.version)!;
      expect(version, `v${seeded.version}`).toMatchObject({
        status: 'READY',
        runId: seeded.runId,
        source: seeded.source,
        modelUri: seeded.storageUri,
      });
      expect(version.run?.metrics, `v${seeded.version}`).toMatchObject(seeded.metrics);
      expect(version.createdAt).toBeGreaterThan(0);
    }
    expect(detail.metricColumns).toEqual(expect.arrayContaining(['holdout_auc', 'cv_f1_mean']));
  });

  it('says v2 logged no signature and the others did, from their MLmodel files', async () => {
    const detail = await getModelDetail('fraud', fraud().model);
    const signatures = Object.fromEntries(detail.versions.map((v) => [v.version, v.signature]));
    expect(signatures).toEqual({ '1': 'logged', '2': 'missing', '3': 'logged', '4': 'logged', '5': 'logged' });
  });

  it('finds the MLmodel file of every seeded version in every tenant', async () => {
    for (const tenant of Object.values(seed)) {
      const detail = await getModelDetail(tenant.tenant, tenant.model);
      expect(detail.versions).toHaveLength(tenant.versions.length);
      for (const version of detail.versions) {
        expect(version.artifact, `${tenant.model} v${version.version}`).toMatchObject({
          state: 'found',
          mlmodelUri: `${version.modelUri}/MLmodel`,
        });
      }
    }
  });

  it('keeps another tenant’s model out of reach', async () => {
    await expect(getModelDetail('fraud', seed.pricing!.model)).rejects.toThrow(
      new ModelNotFoundError('fraud', seed.pricing!.model),
    );
  });

  it('says plainly that an unknown model does not exist, also for a name MLflow could never hold', async () => {
    for (const name of ['no such model ü%#?', 'runs:/abc/model']) {
      const error = await getModelDetail('fraud', name).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ModelNotFoundError);
      expect((error as Error).message).toBe(`There is no registered model named "${name}" in tenant fraud.`);
    }
  });

  it('shows a version whose run is gone as such, and finds its model through the version’s source', async () => {
    const real = mlflowFor('fraud');
    const goneRunId = fraud().versions[0]!.runId;
    const mlflow: MlflowClient = {
      ...real,
      getRun: (runId) =>
        runId === goneRunId
          ? Promise.reject(new UpstreamError('MLflow', 'not-found', `MLflow: Run '${runId}' not found`, 404))
          : real.getRun(runId),
    };
    const detail = await getModelDetail('fraud', fraud().model, { mlflow });
    const orphan = detail.versions.find((v) => v.runId === goneRunId)!;
    expect(orphan).toMatchObject({ run: null, modelUri: orphan.source, artifact: { state: 'found' } });
    expect(detail.versions.filter((v) => v.run === null)).toHaveLength(1);
  });

  it('reads at most four versions at a time', async () => {
    const real = mlflowFor('fraud');
    let inFlight = 0;
    let mostInFlight = 0;
    const mlflow: MlflowClient = {
      ...real,
      async getRun(runId) {
        mostInFlight = Math.max(mostInFlight, ++inFlight);
        try {
          await new Promise((resolve) => setTimeout(resolve, 50));
          return await real.getRun(runId);
        } finally {
          inFlight--;
        }
      },
    };
    await getModelDetail('fraud', fraud().model, { mlflow });
    expect(fraud().versions.length).toBeGreaterThan(4);
    expect(mostInFlight).toBe(4);
  });
});

describe('when a component is down', () => {
  it('still shows versions and metrics when object storage is down, saying why artifacts are unknown', async () => {
    const port = await closedPort();
    const storage = storageFor('fraud', { ...integrationConfig('s3'), S3_ENDPOINT: `http://127.0.0.1:${port}` });
    const detail = await getModelDetail('fraud', fraud().model, { storage });
    expect(detail.versions).toHaveLength(fraud().versions.length);
    for (const version of detail.versions) {
      expect(version.run?.metrics.holdout_auc).toBeGreaterThan(0);
      expect(version.artifact).toEqual({
        state: 'unreadable',
        problem: `Object storage cannot be reached at 127.0.0.1:${port}`,
      });
      expect(version.signature).toBe('unknown');
    }
  });

  it('fails with MLflow’s reason when MLflow is down', async () => {
    const port = await closedPort();
    const mlflow = mlflowFor('fraud', {
      ...integrationConfig('mlflow'),
      MLFLOW_TRACKING_URI: `http://127.0.0.1:${port}`,
    });
    const message = `MLflow cannot be reached at 127.0.0.1:${port}`;
    await expect(getModelDetail('fraud', fraud().model, { mlflow })).rejects.toThrow(
      new UpstreamError('MLflow', 'unreachable', message),
    );
    await expect(listModels('fraud', {}, { mlflow })).rejects.toThrow(message);
  });
});
