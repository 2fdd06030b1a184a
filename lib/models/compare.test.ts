import { describe, expect, it } from 'vitest';
import type { SchemaColumn } from '../integrations/mlflow';
import {
  choosePair,
  comparableRunTags,
  compareMetrics,
  compareSignatures,
  defaultPair,
  differencesOnly,
  diffEntries,
  judgePrimaryDelta,
  metricTrend,
  readCompareQuery,
  thresholdOf,
  type SignatureSide,
} from './compare';

const v = (version: string, ...aliases: string[]) => ({ version, aliases });

describe('defaultPair', () => {
  it('compares the champion with the newest version', () => {
    expect(defaultPair([v('5', 'challenger'), v('4', 'champion'), v('3'), v('2'), v('1')], 'champion')).toEqual({
      a: '4',
      b: '5',
    });
  });

  it('follows the policy’s alias, and finds the newest by number whatever the order given', () => {
    expect(defaultPair([v('9'), v('10'), v('2', 'production')], 'production')).toEqual({ a: '2', b: '10' });
  });

  it('compares the two newest when there is no champion, or when the champion is the newest', () => {
    expect(defaultPair([v('3'), v('2'), v('1')], 'champion')).toEqual({ a: '2', b: '3' });
    expect(defaultPair([v('3', 'champion'), v('2'), v('1')], 'champion')).toEqual({ a: '2', b: '3' });
  });

  it('has nothing to compare with fewer than two versions', () => {
    expect(defaultPair([v('1', 'champion')], 'champion')).toBeNull();
    expect(defaultPair([], 'champion')).toBeNull();
  });
});

describe('choosePair', () => {
  const versions = [v('3', 'challenger'), v('2', 'champion'), v('1')];

  it('takes the asked-for versions, each one not asked for from the default pair', () => {
    expect(choosePair(versions, 'champion', {})).toEqual({ kind: 'pair', pair: { a: '2', b: '3' } });
    expect(choosePair(versions, 'champion', { a: '1' })).toEqual({ kind: 'pair', pair: { a: '1', b: '3' } });
    expect(choosePair(versions, 'champion', { b: '1' })).toEqual({ kind: 'pair', pair: { a: '2', b: '1' } });
    expect(choosePair(versions, 'champion', { a: '3', b: '3' })).toEqual({ kind: 'pair', pair: { a: '3', b: '3' } });
  });

  it('names the asked-for versions the model does not have, once each', () => {
    expect(choosePair(versions, 'champion', { a: '7', b: 'x; drop' })).toEqual({
      kind: 'unknown-version',
      unknown: ['7', 'x; drop'],
    });
    expect(choosePair(versions, 'champion', { a: '7', b: '7' })).toEqual({ kind: 'unknown-version', unknown: ['7'] });
  });

  it('says a model with one version has nothing to compare, whatever is asked for', () => {
    expect(choosePair([v('1')], 'champion', { a: '1', b: '1' })).toEqual({ kind: 'too-few-versions' });
  });
});

describe('judgePrimaryDelta', () => {
  // Binary fractions, so the boundary is exactly the boundary.
  const tolerance = 0.25;

  it('is a gain above zero and no change at zero', () => {
    expect(judgePrimaryDelta(2 ** -20, tolerance)).toBe('gain');
    expect(judgePrimaryDelta(0, tolerance)).toBe('unchanged');
  });

  it('is within tolerance for a drop down to the tolerance itself, as the regression gate allows', () => {
    expect(judgePrimaryDelta(-(2 ** -20), tolerance)).toBe('within-tolerance');
    expect(judgePrimaryDelta(-0.25, tolerance)).toBe('within-tolerance');
  });

  it('is a regression for a drop beyond the tolerance', () => {
    expect(judgePrimaryDelta(-0.25 - 2 ** -20, tolerance)).toBe('regression');
  });

  it('judges decimal values as the regression gate does: 0.90 → 0.88 at −0.02 is within tolerance', () => {
    const [primary] = compareMetrics(
      { holdout_auc: 0.9 },
      { holdout_auc: 0.88 },
      {
        primaryMetric: 'holdout_auc',
        regressionTolerance: 0.02,
      },
    );
    expect(primary!.verdict).toBe('within-tolerance');
    const [beyond] = compareMetrics(
      { holdout_auc: 0.9 },
      { holdout_auc: 0.8799 },
      {
        primaryMetric: 'holdout_auc',
        regressionTolerance: 0.02,
      },
    );
    expect(beyond!.verdict).toBe('regression');
  });

  it('makes every drop a regression when the policy tolerates none', () => {
    expect(judgePrimaryDelta(-(2 ** -20), 0)).toBe('regression');
    expect(judgePrimaryDelta(0, 0)).toBe('unchanged');
  });
});

describe('compareMetrics', () => {
  const policy = { primaryMetric: 'holdout_auc', regressionTolerance: 0.25 };

  it('puts the primary metric first, judges its change from a to b, and only reports the others', () => {
    const rows = compareMetrics(
      { holdout_auc: 0.75, cv_f1_mean: 0.5, accuracy: 0.875 },
      { holdout_auc: 0.5, cv_f1_mean: 0.25, accuracy: 0.875 },
      policy,
    );
    expect(rows).toEqual([
      { metric: 'holdout_auc', a: 0.75, b: 0.5, delta: -0.25, primary: true, verdict: 'within-tolerance' },
      { metric: 'accuracy', a: 0.875, b: 0.875, delta: 0, primary: false, verdict: 'reported' },
      { metric: 'cv_f1_mean', a: 0.5, b: 0.25, delta: -0.25, primary: false, verdict: 'reported' },
    ]);
  });

  it('colours the primary metric by each rule', () => {
    const verdict = (a: number, b: number) =>
      compareMetrics({ holdout_auc: a }, { holdout_auc: b }, policy)[0]!.verdict;
    expect(verdict(0.5, 0.75)).toBe('gain');
    expect(verdict(0.5, 0.5)).toBe('unchanged');
    expect(verdict(0.75, 0.5)).toBe('within-tolerance');
    expect(verdict(0.75, 0.25)).toBe('regression');
  });

  it('shows metrics only one side logged with no delta, and the primary metric even when neither did', () => {
    const rows = compareMetrics({ train_loss: 0.5 }, { val_loss: 0.25 }, policy);
    expect(rows).toEqual([
      { metric: 'holdout_auc', a: null, b: null, delta: null, primary: true, verdict: 'neither' },
      { metric: 'train_loss', a: 0.5, b: null, delta: null, primary: false, verdict: 'one-side-only' },
      { metric: 'val_loss', a: null, b: 0.25, delta: null, primary: false, verdict: 'one-side-only' },
    ]);
  });

  it('treats a version whose run is gone as having logged nothing', () => {
    expect(compareMetrics(null, { holdout_auc: 0.5 }, policy)).toEqual([
      { metric: 'holdout_auc', a: null, b: 0.5, delta: null, primary: true, verdict: 'one-side-only' },
    ]);
  });
});

describe('diffEntries and differencesOnly', () => {
  const rows = diffEntries(
    { max_depth: '3', learning_rate: '0.1', n_estimators: '200', subsample: '1.0' },
    { max_depth: '5', learning_rate: '0.1', n_estimators: '200', min_samples_leaf: '4' },
  );

  it('lists every key of either side by name, saying what changed from a to b', () => {
    expect(rows).toEqual([
      { key: 'learning_rate', a: '0.1', b: '0.1', change: 'same' },
      { key: 'max_depth', a: '3', b: '5', change: 'changed' },
      { key: 'min_samples_leaf', a: null, b: '4', change: 'added' },
      { key: 'n_estimators', a: '200', b: '200', change: 'same' },
      { key: 'subsample', a: '1.0', b: null, change: 'removed' },
    ]);
  });

  it('keeps only the differences when switched to them', () => {
    expect(differencesOnly(rows).map((r) => r.key)).toEqual(['max_depth', 'min_samples_leaf', 'subsample']);
    expect(differencesOnly(diffEntries({ a: '1' }, { a: '1' }))).toEqual([]);
  });

  it('compares values as text, so 1.0 and 1 differ as MLflow stored them', () => {
    expect(diffEntries({ alpha: '1.0' }, { alpha: '1' })[0]!.change).toBe('changed');
  });

  it('takes a missing run as having no params', () => {
    expect(diffEntries(null, { depth: '3' })).toEqual([{ key: 'depth', a: null, b: '3', change: 'added' }]);
    expect(diffEntries(null, null)).toEqual([]);
  });
});

describe('comparableRunTags', () => {
  it('keeps the user’s tags and MLflow’s provenance, not its bookkeeping', () => {
    expect(
      comparableRunTags({
        team: 'fraud',
        'mlflow.user': 'alice',
        'mlflow.source.git.commit': 'abc123',
        'mlflow.runName': 'gbt-07',
        'mlflow.log-model.history': '[{"run_id": "…"}]',
      }),
    ).toEqual({ team: 'fraud', 'mlflow.user': 'alice', 'mlflow.source.git.commit': 'abc123' });
  });
});

describe('compareSignatures', () => {
  const col = (name: string, type = 'double', required = true): SchemaColumn => ({ name, type, required });
  const logged = (
    inputs: SchemaColumn[] | null | 'unreadable',
    outputs: SchemaColumn[] | null = null,
  ): SignatureSide => ({
    state: 'logged',
    signature: { inputs, outputs },
  });

  it('compares column by column: a’s order, then b’s new columns', () => {
    const a = logged(
      [col('amount'), col('hour_of_day', 'long'), col('country', 'string')],
      [col('#1', 'tensor(int64, [-1])')],
    );
    const b = logged(
      [col('merchant', 'string'), col('amount'), col('hour_of_day', 'double')],
      [col('#1', 'tensor(int64, [-1])')],
    );
    const { inputs, outputs } = compareSignatures(a, b);
    expect(inputs).toEqual({
      comparable: true,
      columns: [
        { name: 'amount', a: col('amount'), b: col('amount'), change: 'same' },
        { name: 'hour_of_day', a: col('hour_of_day', 'long'), b: col('hour_of_day', 'double'), change: 'type-changed' },
        { name: 'country', a: col('country', 'string'), b: null, change: 'removed' },
        { name: 'merchant', a: null, b: col('merchant', 'string'), change: 'added' },
      ],
    });
    expect(outputs).toMatchObject({ comparable: true, columns: [{ name: '#1', change: 'same' }] });
  });

  it('counts a column that became optional as a type change', () => {
    const { inputs } = compareSignatures(logged([col('amount')]), logged([col('amount', 'double', false)]));
    expect(inputs).toMatchObject({ comparable: true, columns: [{ name: 'amount', change: 'type-changed' }] });
  });

  it('takes a version without a signature as declaring no columns: the other’s are added or removed', () => {
    const signed = logged([col('amount')], [col('#1', 'long')]);
    expect(compareSignatures({ state: 'none' }, signed)).toEqual({
      inputs: { comparable: true, columns: [{ name: 'amount', a: null, b: col('amount'), change: 'added' }] },
      outputs: { comparable: true, columns: [{ name: '#1', a: null, b: col('#1', 'long'), change: 'added' }] },
    });
    expect(compareSignatures(signed, { state: 'none' }).inputs).toMatchObject({
      columns: [{ name: 'amount', change: 'removed' }],
    });
    expect(compareSignatures({ state: 'none' }, { state: 'none' })).toEqual({
      inputs: { comparable: true, columns: [] },
      outputs: { comparable: true, columns: [] },
    });
  });

  it('does not compare what it could not read, and says whose it was', () => {
    const unknown: SignatureSide = { state: 'unknown', problem: 'Object storage cannot be reached' };
    expect(compareSignatures(unknown, logged([col('amount')]))).toEqual({
      inputs: { comparable: false, unknown: ['a'] },
      outputs: { comparable: false, unknown: ['a'] },
    });
    expect(compareSignatures(logged('unreadable', [col('#1')]), unknown)).toEqual({
      inputs: { comparable: false, unknown: ['a', 'b'] },
      outputs: { comparable: false, unknown: ['b'] },
    });
  });
});

describe('metricTrend and thresholdOf', () => {
  it('lists the metric of every version oldest first, each against the threshold', () => {
    const versions: { version: string; metrics: Record<string, number> | null }[] = [
      { version: '10', metrics: { holdout_auc: 0.875 } },
      { version: '9', metrics: null },
      { version: '2', metrics: { holdout_auc: 0.75 } },
      { version: '1', metrics: { cv_f1_mean: 0.5 } },
    ];
    expect(metricTrend(versions, 'holdout_auc', 0.75)).toEqual([
      { version: '1', value: null, meetsThreshold: null },
      { version: '2', value: 0.75, meetsThreshold: true },
      { version: '9', value: null, meetsThreshold: null },
      { version: '10', value: 0.875, meetsThreshold: true },
    ]);
    expect(metricTrend(versions, 'holdout_auc', 0.8).map((p) => p.meetsThreshold)).toEqual([null, false, null, true]);
    expect(metricTrend(versions, 'holdout_auc', null).map((p) => p.meetsThreshold)).toEqual([null, null, null, null]);
  });

  it('finds the policy’s minimum for a metric, if it sets one', () => {
    const policy = { thresholds: [{ metric: 'holdout_auc', min: 0.85 }] };
    expect(thresholdOf(policy, 'holdout_auc')).toBe(0.85);
    expect(thresholdOf(policy, 'holdout_rmse')).toBeNull();
  });
});

describe('readCompareQuery', () => {
  it('reads both versions and the differences-only switch from the query string', () => {
    expect(readCompareQuery({ a: '4', b: '5', diff: '1' })).toEqual({ a: '4', b: '5', differencesOnly: true });
    expect(readCompareQuery({})).toEqual({ a: undefined, b: undefined, differencesOnly: false });
  });

  it('takes the first of repeated parameters, ignores empty ones and cuts absurdly long ones', () => {
    expect(readCompareQuery({ a: ['3', '4'], b: ' ', diff: 'yes' })).toEqual({
      a: '3',
      b: undefined,
      differencesOnly: false,
    });
    expect(readCompareQuery({ a: '9'.repeat(5000) }).a).toHaveLength(20);
  });
});
