import { describe, expect, it } from 'vitest';
import { registeredModelSchema, responses, runSchema } from './wire';

describe('MLflow answers', () => {
  it('turns a run into camelCase with metrics, params and tags as records', () => {
    const run = runSchema.parse({
      info: {
        run_uuid: 'd0096152ce9f4b489aad967dd33575ea',
        experiment_id: '1',
        status: 'FINISHED',
        start_time: 1795259760343,
        end_time: '1795259821843',
        artifact_uri: 's3://mlflow-artifacts/workspaces/fraud/1/d0096152ce9f4b489aad967dd33575ea/artifacts',
        lifecycle_stage: 'active',
      },
      data: {
        metrics: [
          { key: 'holdout_auc', value: 0.89, timestamp: 1, step: 0 },
          { key: 'broken', value: 'NaN', timestamp: 1, step: 0 },
        ],
        params: [{ key: 'max_depth', value: '1' }],
        tags: [{ key: 'mlflow.runName', value: 'gbm-030' }],
      },
    });
    expect(run).toMatchObject({
      runId: 'd0096152ce9f4b489aad967dd33575ea',
      runName: 'gbm-030',
      experimentId: '1',
      startTime: 1795259760343,
      endTime: 1795259821843,
      userId: undefined,
      params: { max_depth: '1' },
      tags: { 'mlflow.runName': 'gbm-030' },
    });
    expect(run.metrics.holdout_auc).toBe(0.89);
    expect(run.metrics.broken).toBeNaN();
  });

  it('accepts a run with no data at all (MLflow leaves empty lists out)', () => {
    const run = runSchema.parse({ info: { run_id: 'a'.repeat(32), run_name: 'r', experiment_id: '2' } });
    expect(run).toMatchObject({ metrics: {}, params: {}, tags: {}, status: '', artifactUri: '' });
  });

  it('gives latest versions the aliases the model lists for them', () => {
    const model = registeredModelSchema.parse({
      name: 'fraud-detector',
      aliases: [
        { alias: 'champion', version: '4' },
        { alias: 'challenger', version: '5' },
      ],
      latest_versions: [{ name: 'fraud-detector', version: '5', run_id: 'r', source: 's3://x/model', status: 'READY' }],
    });
    expect(model.latestVersions[0]!.aliases).toEqual(['challenger']);
    expect(model.description).toBe('');
  });

  it('treats an empty page token as the last page', () => {
    expect(responses.searchRuns.parse({ next_page_token: '' })).toEqual({ runs: [], next_page_token: undefined });
  });

  it('rejects an answer of the wrong shape', () => {
    expect(responses.getRun.safeParse({ run: { info: {} } }).success).toBe(false);
  });
});
