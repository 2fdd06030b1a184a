import { describe, expect, it } from 'vitest';
import { metricColumns, modelUriFor, orderAliases, signatureStateOf } from './versions';

describe('signatureStateOf', () => {
  it('reads the signature only from an MLmodel file that was found', () => {
    expect(signatureStateOf({ state: 'found', mlmodelUri: 's3://b/m/MLmodel', hasSignature: true, flavors: [] })).toBe(
      'logged',
    );
    expect(signatureStateOf({ state: 'found', mlmodelUri: 's3://b/m/MLmodel', hasSignature: false, flavors: [] })).toBe(
      'missing',
    );
    expect(signatureStateOf({ state: 'missing', mlmodelUri: 's3://b/m/MLmodel' })).toBe('unknown');
    expect(signatureStateOf({ state: 'unreadable', problem: 'Object storage cannot be reached' })).toBe('unknown');
  });
});

describe('modelUriFor', () => {
  it('puts the model under the run’s artifacts, whatever trailing slashes the run has', () => {
    expect(modelUriFor({ artifactUri: 's3://b/ws/fraud/1/abc/artifacts' }, 's3://elsewhere')).toBe(
      's3://b/ws/fraud/1/abc/artifacts/model',
    );
    expect(modelUriFor({ artifactUri: 's3://b/ws/fraud/1/abc/artifacts//' }, 's3://elsewhere')).toBe(
      's3://b/ws/fraud/1/abc/artifacts/model',
    );
  });

  it('falls back to the version’s source when the run is missing', () => {
    expect(modelUriFor(null, 's3://b/ws/fraud/models/m-1')).toBe('s3://b/ws/fraud/models/m-1');
  });
});

describe('orderAliases', () => {
  it('puts champion and challenger first, the rest by name, without changing the input', () => {
    const aliases = [
      { alias: 'shadow', version: '2' },
      { alias: 'challenger', version: '5' },
      { alias: 'baseline', version: '1' },
      { alias: 'champion', version: '4' },
    ];
    expect(orderAliases(aliases).map((a) => a.alias)).toEqual(['champion', 'challenger', 'baseline', 'shadow']);
    expect(aliases[0]!.alias).toBe('shadow');
  });
});

describe('metricColumns', () => {
  const run = { train_loss: 0.1, val_loss: 0.2, cv_f1_mean: 0.8, cv_f1_std: 0.02, holdout_auc: 0.97, holdout_f1: 0.8 };

  it('shows held-out quality before cross-validation and training metrics, at most four', () => {
    expect(metricColumns([run, run, null])).toEqual(['holdout_auc', 'holdout_f1', 'cv_f1_mean', 'cv_f1_std']);
    expect(metricColumns([run], 6)).toEqual([
      'holdout_auc',
      'holdout_f1',
      'cv_f1_mean',
      'cv_f1_std',
      'val_loss',
      'train_loss',
    ]);
  });

  it('prefers metrics that most versions logged, so columns compare like with like', () => {
    const older = { accuracy: 0.9, holdout_auc: 0.95 };
    const newer = { accuracy: 0.91, test_rmse: 3.2 };
    expect(metricColumns([older, newer, { accuracy: 0.92 }])).toEqual(['accuracy', 'holdout_auc', 'test_rmse']);
  });

  it('has no columns when no source run was found', () => {
    expect(metricColumns([null, null])).toEqual([]);
    expect(metricColumns([])).toEqual([]);
  });
});
