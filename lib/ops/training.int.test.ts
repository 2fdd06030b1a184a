/**
 * The training trend against the running, seeded local platform (`npm run stack -- seed`): MLflow
 * with one workspace per tenant, each holding one registered model whose versions come from real
 * scikit-learn runs that logged holdout_auc, cv_f1_mean and cv_f1_std. Only reads.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { closedPort, loadStackEnv, requireMlflow, seededModels, type SeededTenant } from '../../test/stack';
import { integrationConfig } from '../integrations/config';
import { mlflowFor, type MlflowClient } from '../integrations/mlflow';
import { UpstreamError } from '../integrations/upstream';
import { TREND_VERSIONS, trainingTrends } from './training';

loadStackEnv();

let seeded: SeededTenant[];

beforeAll(async () => {
  await requireMlflow();
  seeded = seededModels().tenants;
});

/** The tenant's MLflow, counting each call by method. */
function countingMlflow(tenant: string): { mlflow: MlflowClient; calls: Record<string, number> } {
  const real = mlflowFor(tenant);
  const calls: Record<string, number> = {};
  const mlflow = Object.fromEntries(
    Object.entries(real).map(([key, value]) => [
      key,
      typeof value === 'function'
        ? (...args: unknown[]) => {
            calls[key] = (calls[key] ?? 0) + 1;
            return (value as (...a: unknown[]) => unknown)(...args);
          }
        : value,
    ]),
  ) as unknown as MlflowClient;
  return { mlflow, calls };
}

describe('trainingTrends', () => {
  it("gives each tenant's model its newest versions with the source runs' value of the metric", async () => {
    expect(seeded.map((t) => t.tenant).sort()).toEqual(['forecast', 'fraud', 'pricing']);
    for (const tenant of seeded) {
      const trends = await trainingTrends(tenant.tenant, 'holdout_auc');
      const trend = trends.find((t) => t.model === tenant.model);
      expect(trend, `${tenant.tenant}: ${tenant.model}`).toBeDefined();
      const expected = tenant.versions
        .toSorted((a, b) => Number(b.version) - Number(a.version))
        .slice(0, TREND_VERSIONS)
        .map((v) => ({
          version: v.version,
          value: v.metrics.holdout_auc,
          runId: v.runId,
          createdAt: expect.any(Number) as number,
        }));
      expect(trend!.metric).toBe('holdout_auc');
      expect(trend!.versions, tenant.model).toEqual(expected);
      expect(trend!.versions.every((v) => v.createdAt! > 0)).toBe(true);
      // No other tenant's model shows up.
      const others = seeded.filter((t) => t !== tenant).map((t) => t.model);
      expect(
        trends.filter((t) => others.includes(t.model)),
        tenant.tenant,
      ).toEqual([]);
    }
  });

  it('reads MLflow with one call per kind of thing, not one per version', async () => {
    const fraud = seeded.find((t) => t.tenant === 'fraud')!;
    expect(fraud.versions.length).toBeGreaterThan(2);
    const { mlflow, calls } = countingMlflow('fraud');
    const trends = await trainingTrends('fraud', 'cv_f1_mean', mlflow);
    expect(trends.find((t) => t.model === fraud.model)!.versions.map((v) => v.value)).toEqual(
      fraud.versions
        .toSorted((a, b) => Number(b.version) - Number(a.version))
        .slice(0, TREND_VERSIONS)
        .map((v) => v.metrics.cv_f1_mean),
    );
    expect(calls).toEqual({
      searchRegisteredModels: 1,
      searchModelVersions: trends.length,
      searchExperiments: 1,
      searchRuns: 1,
    });
  });

  it('lists the versions with null values for a metric their runs did not log', async () => {
    const pricing = seeded.find((t) => t.tenant === 'pricing')!;
    const trend = (await trainingTrends('pricing', 'no_such_metric')).find((t) => t.model === pricing.model)!;
    expect(trend.versions.map((v) => v.version)).toEqual(
      pricing.versions
        .map((v) => v.version)
        .sort((a, b) => Number(b) - Number(a))
        .slice(0, TREND_VERSIONS),
    );
    expect(trend.versions.every((v) => v.value === null)).toBe(true);
  });

  it('fails with MLflow’s reason when MLflow is down', async () => {
    const port = await closedPort();
    const mlflow = mlflowFor('fraud', {
      ...integrationConfig('mlflow'),
      MLFLOW_TRACKING_URI: `http://127.0.0.1:${port}`,
    });
    await expect(trainingTrends('fraud', 'holdout_auc', mlflow)).rejects.toThrow(
      new UpstreamError('MLflow', 'unreachable', `MLflow cannot be reached at 127.0.0.1:${port}`),
    );
  });
});
