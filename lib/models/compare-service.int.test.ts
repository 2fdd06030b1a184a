/**
 * Champion vs challenger against the running, seeded local platform: fraud's registered model in
 * MLflow (its versions come from different trainings, so metrics and params really differ; v2 was
 * logged without a signature), the MLmodel files in MinIO, and the tenant's policy in a fresh
 * test database. Reads only; changes nothing on the platform.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase, type TestDatabase } from '../../test/db';
import {
  closedPort,
  loadStackEnv,
  requireMlflow,
  requireObjectStorage,
  seededTenant,
  type SeededTenant,
} from '../../test/stack';
import { ForbiddenError, type Principal } from '../auth/authorize';
import { getDb } from '../db/client';
import { integrationConfig } from '../integrations/config';
import { mlflowFor, type MlflowClient, type MlflowModelVersion, type MlflowRun } from '../integrations/mlflow';
import { storageFor } from '../integrations/s3';
import { UpstreamError } from '../integrations/upstream';
import { DEFAULT_POLICY, policySchema } from '../promotion/policy';
import { compareModelVersions, type VersionComparison } from './compare-service';
import { ModelNotFoundError } from './service';

loadStackEnv();

const alice: Principal = { id: 'alice', platformRoles: [], memberships: [{ tenant: 'fraud', role: 'member' }] };
const carol: Principal = { id: 'carol', platformRoles: [], memberships: [{ tenant: 'pricing', role: 'member' }] };
const forecaster: Principal = { id: 'fiona', platformRoles: [], memberships: [{ tenant: 'forecast', role: 'viewer' }] };

let database: TestDatabase;
let fraud: SeededTenant;
/** fraud's versions and their runs as MLflow itself lists them, newest first. */
let versions: MlflowModelVersion[];
let runs: Map<string, MlflowRun>;

function compared(comparison: VersionComparison) {
  if (comparison.kind !== 'compared') throw new Error(`expected a comparison, got ${comparison.kind}`);
  return comparison;
}

beforeAll(async () => {
  await requireMlflow();
  await requireObjectStorage();
  fraud = seededTenant('fraud');
  database = await useTestDatabase();
  for (const name of ['fraud', 'pricing', 'forecast'])
    await getDb().tenant.create({ data: { name, displayName: name, status: 'active' } });
  const mlflow = mlflowFor('fraud');
  versions = await mlflow.searchModelVersions(fraud.model);
  runs = new Map(await Promise.all(versions.map(async (v) => [v.version, await mlflow.getRun(v.runId)] as const)));
});

afterAll(async () => {
  await getDb().$disconnect();
  await database?.drop();
});

describe('the default comparison', () => {
  it('is the champion against the newest version, with the runs’ metrics side by side and B − A', async () => {
    const comparison = compared(await compareModelVersions(alice, 'fraud', fraud.model, {}));
    const champion = versions.find((v) => v.aliases.includes('champion'))!;
    const newest = versions[0]!;
    expect(champion.version).toBe(fraud.champion.version);
    expect([comparison.a.version, comparison.b.version]).toEqual([champion.version, newest.version]);
    expect(comparison.a.aliases).toContain('champion');
    expect(comparison.versions.map((v) => v.version)).toEqual(versions.map((v) => v.version));

    const metricsA = runs.get(champion.version)!.metrics;
    const metricsB = runs.get(newest.version)!.metrics;
    expect(comparison.metrics[0]).toMatchObject({ metric: 'holdout_auc', primary: true });
    for (const row of comparison.metrics) {
      expect(row, row.metric).toMatchObject({
        a: metricsA[row.metric] ?? null,
        b: metricsB[row.metric] ?? null,
        delta: metricsB[row.metric]! - metricsA[row.metric]!,
      });
    }
    expect(comparison.metrics.map((r) => r.metric).sort()).toEqual(Object.keys(metricsA).sort());
    // The seeded trainings differ, so the comparison has something to say.
    expect(comparison.metrics.every((r) => r.delta !== 0)).toBe(true);
    expect(comparison.metrics.filter((r) => !r.primary).every((r) => r.verdict === 'reported')).toBe(true);
  });

  it('diffs the runs’ params and the versions’ tags as MLflow holds them', async () => {
    const comparison = compared(await compareModelVersions(alice, 'fraud', fraud.model, {}));
    const [runA, runB] = [runs.get(comparison.a.version)!, runs.get(comparison.b.version)!];
    expect(comparison.params.map((r) => r.key)).toEqual(Object.keys(runA.params).sort());
    for (const row of comparison.params)
      expect(row).toMatchObject({ a: runA.params[row.key], b: runB.params[row.key] });
    const changed = comparison.params.filter((r) => r.change === 'changed').map((r) => r.key);
    expect(changed).toEqual(
      Object.keys(runA.params)
        .filter((k) => runA.params[k] !== runB.params[k])
        .sort(),
    );
    expect(changed.length).toBeGreaterThan(0);
    expect(comparison.params.find((r) => r.key === 'n_features')).toMatchObject({ change: 'same' });
    // The seeder tags each version with its run's index: different for every version.
    expect(comparison.versionTags.find((r) => r.key === 'mlp.seed.run_index')).toMatchObject({ change: 'changed' });
    expect(comparison.runTags.map((r) => r.key)).toContain('estimator');
    expect(comparison.runTags.map((r) => r.key)).not.toContain('mlflow.runName');
  });

  it('compares the two signatures column by column, read from the MLmodel files', async () => {
    const comparison = compared(await compareModelVersions(alice, 'fraud', fraud.model, {}));
    expect(comparison.a.signature.state).toBe('logged');
    expect(comparison.b.signature.state).toBe('logged');
    const { inputs, outputs } = comparison.signatures;
    expect(inputs.comparable && inputs.columns.map((c) => [c.name, c.a?.type, c.change])).toContainEqual([
      'amount',
      'double',
      'same',
    ]);
    expect(inputs.comparable && inputs.columns.every((c) => c.change === 'same')).toBe(true);
    expect(outputs).toMatchObject({ comparable: true, columns: [{ name: '#1', change: 'same' }] });
  });

  it('charts the primary metric of every version against the policy’s threshold for it', async () => {
    const comparison = compared(await compareModelVersions(alice, 'fraud', fraud.model, {}));
    expect(comparison.policy).toEqual({
      version: 0,
      alias: 'champion',
      primaryMetric: 'holdout_auc',
      regressionTolerance: DEFAULT_POLICY.regressionTolerance,
      primaryThreshold: 0.85,
    });
    expect(comparison.trend.map((p) => p.version)).toEqual(versions.map((v) => v.version).reverse());
    for (const point of comparison.trend)
      expect(point.value, `v${point.version}`).toBe(runs.get(point.version)!.metrics.holdout_auc);
  });
});

describe('any two versions', () => {
  it('says plainly that the version logged without a signature has none', async () => {
    const unsigned = fraud.versions.find((v) => !v.signature)!;
    const signed = fraud.versions.find((v) => v.signature)!;
    const comparison = compared(
      await compareModelVersions(alice, 'fraud', fraud.model, { a: unsigned.version, b: signed.version }),
    );
    expect(comparison.a.signature).toEqual({ state: 'none' });
    expect(comparison.b.signature.state).toBe('logged');
    const { inputs } = comparison.signatures;
    expect(inputs.comparable && inputs.columns.length).toBeGreaterThan(0);
    expect(inputs.comparable && inputs.columns.every((c) => c.a === null && c.change === 'added')).toBe(true);
  });

  it('judges the primary metric by the tenant’s own policy: a drop beyond its tolerance, within it, a gain', async () => {
    const fraudId = (await getDb().tenant.findUniqueOrThrow({ where: { name: 'fraud' } })).id;
    const byF1 = fraud.versions.toSorted((x, y) => x.metrics.cv_f1_mean - y.metrics.cv_f1_mean);
    const [worst, best] = [byF1[0]!, byF1.at(-1)!];
    const settings = policySchema.parse({
      primaryMetric: 'cv_f1_mean',
      regressionTolerance: 0,
      thresholds: [{ metric: 'cv_f1_mean', min: 0.8 }],
    });
    await getDb().promotionPolicy.create({ data: { tenantId: fraudId, settings, version: 1, updatedBy: 'grace' } });
    try {
      const drop = compared(
        await compareModelVersions(alice, 'fraud', fraud.model, { a: best.version, b: worst.version }),
      );
      expect(drop.metrics[0]).toMatchObject({ metric: 'cv_f1_mean', primary: true, verdict: 'regression' });
      expect(drop.metrics[0]!.delta).toBeCloseTo(worst.metrics.cv_f1_mean - best.metrics.cv_f1_mean, 12);
      expect(drop.policy).toMatchObject({ version: 1, primaryMetric: 'cv_f1_mean', primaryThreshold: 0.8 });
      expect(drop.metrics.find((r) => r.metric === 'holdout_auc')).toMatchObject({
        primary: false,
        verdict: 'reported',
      });
      expect(drop.trend.map((p) => p.meetsThreshold)).toEqual(
        drop.trend.map((p) => runs.get(p.version)!.metrics.cv_f1_mean! >= 0.8),
      );

      await getDb().promotionPolicy.update({
        where: { tenantId: fraudId },
        data: { settings: { ...settings, regressionTolerance: 1 }, version: 2 },
      });
      const tolerated = compared(
        await compareModelVersions(alice, 'fraud', fraud.model, { a: best.version, b: worst.version }),
      );
      expect(tolerated.metrics[0]!.verdict).toBe('within-tolerance');
      const gain = compared(
        await compareModelVersions(alice, 'fraud', fraud.model, { a: worst.version, b: best.version }),
      );
      expect(gain.metrics[0]!.verdict).toBe('gain');
    } finally {
      await getDb().promotionPolicy.delete({ where: { tenantId: fraudId } });
    }
  });

  it('answers an unknown version with the versions there are, never asking MLflow for it', async () => {
    for (const requested of [{ a: '999' }, { b: '1; drop' }]) {
      const comparison = await compareModelVersions(alice, 'fraud', fraud.model, requested);
      expect(comparison).toMatchObject({ kind: 'unknown-version', unknown: [requested.a ?? requested.b] });
      expect(comparison.versions.map((v) => v.version)).toEqual(versions.map((v) => v.version));
    }
  });

  it('says a model with one version has nothing to compare', async () => {
    const lite = seededTenant('forecast').unsignedModel!;
    expect(await compareModelVersions(forecaster, 'forecast', lite.model, {})).toMatchObject({
      kind: 'too-few-versions',
      versions: [{ version: lite.version.version }],
    });
  });

  it('says plainly that an unknown model, or another tenant’s, does not exist', async () => {
    for (const name of ['no such model', seededTenant('pricing').model, 'runs:/abc/model'])
      await expect(compareModelVersions(alice, 'fraud', name, {})).rejects.toThrow(
        new ModelNotFoundError('fraud', name),
      );
  });
});

describe('who may compare', () => {
  it('refuses a member of another tenant before anything is read', async () => {
    const asked: string[] = [];
    const real = mlflowFor('fraud');
    const mlflow = new Proxy(real, {
      get: (target, key) => {
        asked.push(String(key));
        return Reflect.get(target, key);
      },
    }) satisfies MlflowClient;
    await expect(compareModelVersions(carol, 'fraud', fraud.model, {}, { mlflow })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    await expect(compareModelVersions(null, 'fraud', fraud.model, {}, { mlflow })).rejects.toBeInstanceOf(
      ForbiddenError,
    );
    expect(asked).toEqual([]);
  });

  it('refuses everyone in an archived tenant, and a tenant that does not exist', async () => {
    await getDb().tenant.update({ where: { name: 'forecast' }, data: { status: 'archived' } });
    try {
      await expect(compareModelVersions(forecaster, 'forecast', 'demand-forecast', {})).rejects.toBeInstanceOf(
        ForbiddenError,
      );
    } finally {
      await getDb().tenant.update({ where: { name: 'forecast' }, data: { status: 'active' } });
    }
    const ghost: Principal = { id: 'g', platformRoles: [], memberships: [{ tenant: 'ghost', role: 'admin' }] };
    await expect(compareModelVersions(ghost, 'ghost', 'any', {})).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe('when a component is down', () => {
  it('fails with MLflow’s reason when MLflow is down, for the page to show', async () => {
    const port = await closedPort();
    const mlflow = mlflowFor('fraud', {
      ...integrationConfig('mlflow'),
      MLFLOW_TRACKING_URI: `http://127.0.0.1:${port}`,
    });
    await expect(compareModelVersions(alice, 'fraud', fraud.model, {}, { mlflow })).rejects.toThrow(
      new UpstreamError('MLflow', 'unreachable', `MLflow cannot be reached at 127.0.0.1:${port}`),
    );
  });

  it('still compares metrics and params when object storage is down, saying why the signatures are unknown', async () => {
    const port = await closedPort();
    const storage = storageFor('fraud', { ...integrationConfig('s3'), S3_ENDPOINT: `http://127.0.0.1:${port}` });
    const comparison = compared(await compareModelVersions(alice, 'fraud', fraud.model, {}, { storage }));
    expect(comparison.metrics[0]!.delta).not.toBeNull();
    const unknown = { state: 'unknown', problem: `Object storage cannot be reached at 127.0.0.1:${port}` };
    expect([comparison.a.signature, comparison.b.signature]).toEqual([unknown, unknown]);
    expect(comparison.signatures.inputs).toEqual({ comparable: false, unknown: ['a', 'b'] });
  });
});
