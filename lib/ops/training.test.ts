import { describe, expect, it } from 'vitest';
import type { MlflowClient, MlflowModelVersion, MlflowRegisteredModel, MlflowRun } from '../integrations/mlflow';
import { trainingTrends } from './training';

const runId = (i: number) => i.toString(16).padStart(32, '0');

function model(name: string): MlflowRegisteredModel {
  return { name, description: '', aliases: [], tags: {}, latestVersions: [] };
}

function version(name: string, v: number, run: string): MlflowModelVersion {
  return {
    name,
    version: String(v),
    runId: run,
    source: '',
    status: 'READY',
    creationTimestamp: 1000 + v,
    aliases: [],
    tags: {},
    description: '',
  };
}

function run(id: string, metrics: Record<string, number>): MlflowRun {
  return {
    runId: id,
    runName: id,
    experimentId: '1',
    status: 'FINISHED',
    artifactUri: '',
    lifecycleStage: 'active',
    metrics,
    params: {},
    tags: {},
  };
}

/** An MLflow of `models` (two pages), each with `versions`, and runs logging `auc`; records the searches. */
function fakeMlflow(versions: Record<string, MlflowModelVersion[]>, runs: MlflowRun[]) {
  const searches: { filter?: string; experimentIds: string[]; maxResults: number }[] = [];
  const names = Object.keys(versions);
  const unused = () => Promise.reject(new Error('not used by trainingTrends'));
  const mlflow: MlflowClient = {
    tenant: 'fraud',
    searchRegisteredModels: ({ pageToken } = {}) =>
      Promise.resolve(
        pageToken
          ? { models: names.slice(1).map(model) }
          : { models: names.slice(0, 1).map(model), nextPageToken: names.length > 1 ? 'p2' : undefined },
      ),
    searchModelVersions: (name) =>
      Promise.resolve(versions[name]!.toSorted((a, b) => Number(b.version) - Number(a.version))),
    searchExperiments: () =>
      Promise.resolve({
        experiments: [
          { experimentId: '1', name: 'e1', artifactLocation: '', lifecycleStage: 'active', tags: {} },
          { experimentId: '2', name: 'e2', artifactLocation: '', lifecycleStage: 'active', tags: {} },
        ],
      }),
    searchRuns: (options) => {
      searches.push(options);
      const ids = [...(options.filter ?? '').matchAll(/'([0-9a-f]{32})'/g)].map((m) => m[1]);
      return Promise.resolve({ runs: runs.filter((r) => ids.includes(r.runId)) });
    },
    getExperiment: unused,
    getRun: unused,
    getMetricHistory: unused,
    getRegisteredModel: unused,
    getModelVersion: unused,
    setRegisteredModelAlias: unused,
    deleteRegisteredModelAlias: unused,
    setModelVersionTag: unused,
  };
  return { mlflow, searches };
}

describe('trainingTrends', () => {
  it('takes the five newest versions of every model on every page, models by name, with their runs’ values', async () => {
    const versions = {
      zeta: [1, 2, 3, 4, 5, 6, 7].map((v) => version('zeta', v, runId(v))),
      alpha: [version('alpha', 1, runId(100))],
    };
    const runs = [...[3, 4, 5, 6, 7].map((v) => run(runId(v), { auc: v / 10 })), run(runId(100), { other: 1 })];
    const { mlflow, searches } = fakeMlflow(versions, runs);
    expect(await trainingTrends('fraud', 'auc', mlflow)).toEqual([
      { model: 'alpha', metric: 'auc', versions: [{ version: '1', value: null, runId: runId(100), createdAt: 1001 }] },
      {
        model: 'zeta',
        metric: 'auc',
        versions: [7, 6, 5, 4, 3].map((v) => ({
          version: String(v),
          value: v / 10,
          runId: runId(v),
          createdAt: 1000 + v,
        })),
      },
    ]);
    expect(searches).toHaveLength(1);
    expect(searches[0]).toMatchObject({ experimentIds: ['1', '2'], maxResults: 6 });
    expect(searches[0]!.filter).toMatch(/^attributes\.run_id IN \('[0-9a-f]{32}'(, '[0-9a-f]{32}'){5}\)$/);
  });

  it('searches runs a hundred ids at a time', async () => {
    const versions = Object.fromEntries(
      Array.from({ length: 130 }, (_, i) => [`m${String(i).padStart(3, '0')}`, [version(`m${i}`, 1, runId(i + 1))]]),
    );
    const { mlflow, searches } = fakeMlflow(
      versions,
      Array.from({ length: 130 }, (_, i) => run(runId(i + 1), { auc: 0.5 })),
    );
    const trends = await trainingTrends('fraud', 'auc', mlflow);
    expect(trends).toHaveLength(130);
    expect(trends.every((t) => t.versions[0]!.value === 0.5)).toBe(true);
    expect(searches.map((s) => s.maxResults)).toEqual([100, 30]);
  });

  it('asks nothing about runs when no version names a real run id', async () => {
    const { mlflow, searches } = fakeMlflow({ m: [version('m', 1, ''), version('m', 2, "x' OR '1'='1")] }, []);
    expect((await trainingTrends('fraud', 'auc', mlflow))[0]!.versions.map((v) => v.value)).toEqual([null, null]);
    expect(searches).toEqual([]);
  });

  it('gives no trends without registered models', async () => {
    const { mlflow } = fakeMlflow({}, []);
    expect(await trainingTrends('fraud', 'auc', mlflow)).toEqual([]);
  });
});
