/**
 * The MLflow adapter against the running, seeded local platform (`npm run stack -- seed`): the
 * real MLflow 3 with one workspace per tenant, and the model files it wrote to MinIO.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  closedPort,
  loadStackEnv,
  requireMlflow,
  seededTenant,
  silentServer,
  upstreamRejection,
  type SeededTenant,
  type SilentServer,
} from '../../../test/stack';
import { integrationConfig } from '../config';
import { storageFor } from '../s3';
import { isUpstreamError } from '../upstream';
import { inspectModelArtifact, mlflowFor, type MlflowClient } from '.';

loadStackEnv();

let seed: { fraud: SeededTenant; pricing: SeededTenant };
let fraud: MlflowClient;
let pricing: MlflowClient;

beforeAll(async () => {
  await requireMlflow();
  seed = { fraud: seededTenant('fraud'), pricing: seededTenant('pricing') };
  fraud = mlflowFor('fraud');
  pricing = mlflowFor('pricing');
});

afterEach(() => vi.restoreAllMocks());

describe('experiments', () => {
  it('shows a tenant its own experiments and none of another tenant’s', async () => {
    const { experiments } = await fraud.searchExperiments({ maxResults: 100 });
    const names = experiments.map((e) => e.name).sort();
    expect(names).toEqual(seed.fraud.experiments.map((e) => e.name).sort());
    const pricingNames = (await pricing.searchExperiments()).experiments.map((e) => e.name);
    expect(pricingNames.length).toBeGreaterThan(0);
    expect(names.filter((n) => pricingNames.includes(n))).toEqual([]);
    for (const experiment of experiments)
      expect(experiment.artifactLocation).toMatch(/^s3:\/\/mlflow-artifacts\/workspaces\/fraud\//);

    const pricingExperiment = seed.pricing.experiments[0]!;
    const error = await upstreamRejection(fraud.getExperiment(pricingExperiment.experimentId));
    expect(error.kind).toBe('not-found');
    expect(error.message).toMatch(/^MLflow: No Experiment with id=/);
  });

  it('pages experiments with page tokens', async () => {
    const first = await fraud.searchExperiments({ maxResults: 1 });
    expect(first.experiments).toHaveLength(1);
    expect(first.nextPageToken).toBeTruthy();
    const second = await fraud.searchExperiments({ maxResults: 1, pageToken: first.nextPageToken });
    expect(second.experiments[0]!.experimentId).not.toBe(first.experiments[0]!.experimentId);
  });

  it('reads one experiment with its tags', async () => {
    const seeded = seed.fraud.experiments[0]!;
    const experiment = await fraud.getExperiment(seeded.experimentId);
    expect(experiment).toMatchObject({
      experimentId: seeded.experimentId,
      name: seeded.name,
      lifecycleStage: 'active',
    });
    expect(experiment.tags['mlp.tenant']).toBe('fraud');
    expect(experiment.creationTime).toBeGreaterThan(0);
  });
});

describe('runs', () => {
  it('pages through every run of an experiment with page tokens, each once', async () => {
    const seeded = seed.fraud.experiments[0]!;
    const ids: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const page = await fraud.searchRuns({ experimentIds: [seeded.experimentId], maxResults: 7, pageToken });
      expect(page.runs.length).toBeLessThanOrEqual(7);
      ids.push(...page.runs.map((r) => r.runId));
      pageToken = page.nextPageToken;
      pages++;
    } while (pageToken && pages < 20);
    expect(ids).toHaveLength(seeded.runs);
    expect(new Set(ids).size).toBe(seeded.runs);
    expect(pages).toBe(Math.ceil(seeded.runs / 7));
  });

  it('filters and orders on MLflow’s side', async () => {
    const { runs } = await fraud.searchRuns({
      experimentIds: [seed.fraud.experiments[0]!.experimentId],
      filter: "metrics.holdout_auc >= 0.95 and params.max_depth != '1'",
      orderBy: ['metrics.holdout_auc DESC'],
      maxResults: 100,
    });
    expect(runs.length).toBeGreaterThan(1);
    const aucs = runs.map((r) => r.metrics.holdout_auc!);
    expect(aucs.every((auc) => auc >= 0.95)).toBe(true);
    expect(aucs).toEqual([...aucs].sort((a, b) => b - a));
    expect(runs.every((r) => r.params.max_depth !== '1')).toBe(true);
  });

  it('explains a filter MLflow cannot read', async () => {
    const error = await upstreamRejection(
      fraud.searchRuns({ experimentIds: ['1'], filter: 'metrics.holdout_auc >>= 0.9', maxResults: 1 }),
    );
    expect(error.kind).toBe('rejected');
    expect(error.message).toMatch(/^MLflow: Invalid comparator/);
  });

  it('reads a run with its metrics, params and tags', async () => {
    const version = seed.fraud.versions[0]!;
    const run = await fraud.getRun(version.runId);
    expect(run).toMatchObject({
      runId: version.runId,
      status: 'FINISHED',
      artifactUri: version.source.replace(/\/model$/, ''),
    });
    expect(Object.keys(run.metrics)).toEqual(expect.arrayContaining(['holdout_auc', 'cv_f1_mean', 'cv_f1_std']));
    expect(Object.keys(run.params).length).toBeGreaterThan(0);
    expect(run.runName).not.toBe('');
  });

  it('refuses a malformed run id clearly, without a request', async () => {
    const fetch = vi.spyOn(globalThis, 'fetch');
    await expect(fraud.getRun('not-a-run')).rejects.toThrow(
      '"not-a-run" is not an MLflow run id (32 lower-case hexadecimal characters).',
    );
    expect(fetch).not.toHaveBeenCalled();
  });

  it('keeps another tenant’s run out of reach', async () => {
    const error = await upstreamRejection(pricing.getRun(seed.fraud.versions[0]!.runId));
    expect(error.kind).toBe('not-found');
  });

  it('reads a metric history in step order', async () => {
    const { runId } = seed.fraud.versions.find((v) => v.aliases.includes('champion'))!;
    const history = await fraud.getMetricHistory(runId, 'train_loss');
    expect(history.length).toBeGreaterThanOrEqual(5);
    const steps = history.map((p) => p.step);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(history.at(-1)!.value).toBeLessThan(history[0]!.value);
    expect(await fraud.getMetricHistory(runId, 'no_such_metric')).toEqual([]);
  });
});

describe('model registry', () => {
  const model = () => seed.fraud.model;

  it('lists the tenant’s registered models only', async () => {
    const { models } = await fraud.searchRegisteredModels();
    expect(models.map((m) => m.name)).toEqual([model()]);
    const latest = models[0]!.latestVersions;
    expect(latest.length).toBeGreaterThan(0);
  });

  it('reads a model with its aliases', async () => {
    const registered = await fraud.getRegisteredModel(model());
    expect(registered.aliases.map((a) => a.alias)).toEqual(expect.arrayContaining(['champion', 'challenger']));
    const versions = seed.fraud.versions.map((v) => v.version);
    for (const { version } of registered.aliases) expect(versions).toContain(version);
    expect((await upstreamRejection(pricing.getRegisteredModel(model()))).kind).toBe('not-found');
  });

  it('lists every version, newest first, with the aliases pointing at it', async () => {
    // Aliases as the registry has them now (other suites move them and put them back).
    const { aliases } = await fraud.getRegisteredModel(model());
    const versions = await fraud.searchModelVersions(model());
    expect(versions.map((v) => v.version)).toEqual(
      seed.fraud.versions.map((v) => v.version).sort((a, b) => Number(b) - Number(a)),
    );
    for (const seeded of seed.fraud.versions) {
      const version = versions.find((v) => v.version === seeded.version)!;
      expect(version).toMatchObject({ runId: seeded.runId, source: seeded.source, status: 'READY' });
      expect(version.aliases).toEqual(
        aliases
          .filter((a) => a.version === seeded.version)
          .map((a) => a.alias)
          .sort(),
      );
    }
  });

  it('reads one version, and says not-found for an unknown one', async () => {
    const seeded = seed.fraud.versions[0]!;
    expect(await fraud.getModelVersion(model(), seeded.version)).toMatchObject({
      version: seeded.version,
      runId: seeded.runId,
    });
    const error = await upstreamRejection(fraud.getModelVersion(model(), '999'));
    expect(error.kind).toBe('not-found');
    expect(error.message).toContain('not found');
  });

  it('moves an alias and puts it back', async () => {
    const before = await fraud.getRegisteredModel(model());
    const challenger = before.aliases.find((a) => a.alias === 'challenger')!;
    const other = seed.fraud.versions.find((v) => v.version !== challenger.version)!.version;
    try {
      await fraud.setRegisteredModelAlias(model(), 'challenger', other);
      expect((await fraud.getModelVersion(model(), other)).aliases).toContain('challenger');
      expect((await fraud.getModelVersion(model(), challenger.version)).aliases).not.toContain('challenger');
    } finally {
      await fraud.setRegisteredModelAlias(model(), 'challenger', challenger.version);
    }
    expect((await fraud.getRegisteredModel(model())).aliases).toEqual(before.aliases);
  });

  it('deletes an alias', async () => {
    const alias = `int-test-${Date.now().toString(36)}`;
    const version = seed.fraud.versions[0]!.version;
    await fraud.setRegisteredModelAlias(model(), alias, version);
    try {
      expect((await fraud.getModelVersion(model(), version)).aliases).toContain(alias);
    } finally {
      await fraud.deleteRegisteredModelAlias(model(), alias);
    }
    expect((await fraud.getModelVersion(model(), version)).aliases).not.toContain(alias);
  });

  it('sets a version tag', async () => {
    const { version } = seed.fraud.versions[0]!;
    const key = 'mlp.int-test';
    const value = new Date().toISOString();
    try {
      await fraud.setModelVersionTag(model(), version, key, value);
      expect((await fraud.getModelVersion(model(), version)).tags[key]).toBe(value);
    } finally {
      // The adapter has no tag deletion (the portal never needs it); leave the seed as it was.
      await fetch(`${process.env.MLFLOW_TRACKING_URI}/api/2.0/mlflow/model-versions/delete-tag`, {
        method: 'DELETE',
        headers: { 'content-type': 'application/json', 'X-MLFLOW-WORKSPACE': 'fraud' },
        body: JSON.stringify({ name: model(), version, key }),
      });
    }
  });

  it('refuses a write MLflow rejects, with its reason', async () => {
    const error = await upstreamRejection(fraud.setRegisteredModelAlias('no-such-model', 'champion', '1'));
    expect(error.kind).toBe('not-found');
  });
});

describe('model artifacts', () => {
  it('tells which versions logged a signature, from the MLmodel file in object storage', async () => {
    const storage = storageFor('fraud');
    for (const version of seed.fraud.versions) {
      const check = await inspectModelArtifact(storage, version.source);
      expect(check, `version ${version.version}`).toMatchObject({
        exists: true,
        hasSignature: version.signature,
        mlmodelUri: `${version.source}/MLmodel`,
      });
      expect(check.flavors).toContain('python_function');
    }
    expect(seed.fraud.versions.some((v) => !v.signature)).toBe(true);
  });

  it('says when the model artifact is missing, and refuses another tenant’s', async () => {
    const storage = storageFor('fraud');
    const run = seed.fraud.versions[0]!;
    expect(await inspectModelArtifact(storage, `${run.source}-missing`)).toMatchObject({
      exists: false,
      hasSignature: false,
    });
    const error = await upstreamRejection(inspectModelArtifact(storage, seed.pricing.versions[0]!.source));
    expect(error.kind).toBe('forbidden');
  });
});

describe('failures', () => {
  let hung: SilentServer;

  beforeAll(async () => {
    hung = await silentServer(); // a hung MLflow
  });
  afterAll(() => hung.close());

  it('says MLflow did not answer in time', async () => {
    const config = {
      ...integrationConfig('mlflow'),
      MLFLOW_TRACKING_URI: `http://127.0.0.1:${hung.port}`,
      MLFLOW_TIMEOUT_MS: 200,
    };
    const error = await upstreamRejection(mlflowFor('fraud', config).searchExperiments());
    expect(error.kind).toBe('timeout');
    expect(error.message).toBe('MLflow did not answer within 200 ms');
  });

  it('says MLflow cannot be reached', async () => {
    const port = await closedPort();
    const config = { ...integrationConfig('mlflow'), MLFLOW_TRACKING_URI: `http://127.0.0.1:${port}` };
    const error = await upstreamRejection(mlflowFor('fraud', config).getExperiment('1'));
    expect(isUpstreamError(error, 'unreachable')).toBe(true);
    expect(error.message).toBe(`MLflow cannot be reached at 127.0.0.1:${port}`);
  });
});
