import { describe, expect, it } from 'vitest';
import { observeSpec, predictorSpecHash, revisionsToRun, rolloutStatus, type Revision } from './rollout';

const v1 = { model: { modelFormat: { name: 'sklearn' }, storageUri: 's3://b/1/model' }, minReplicas: 1 };
const v2 = { ...v1, model: { ...v1.model, storageUri: 's3://b/2/model' } };
const all = () => true;

function deployed(...specs: Record<string, unknown>[]): Revision[] {
  return specs.reduce<Revision[]>((revs, spec) => observeSpec('fraud', revs, spec), []);
}

describe('revisions', () => {
  it('creates a revision per predictor spec change, not for a canary percentage change', () => {
    const first = deployed(v1);
    expect(first.map((r) => r.name)).toEqual(['fraud-predictor-00001']);
    expect(observeSpec('fraud', first, { ...v1, canaryTrafficPercent: 10 })).toBe(first);
    expect(observeSpec('fraud', first, v2).map((r) => r.name)).toEqual([
      'fraud-predictor-00001',
      'fraud-predictor-00002',
    ]);
  });

  it('hashes specs independently of key order', () => {
    expect(predictorSpecHash({ a: 1, b: { c: 2, d: 3 } })).toBe(predictorSpecHash({ b: { d: 3, c: 2 }, a: 1 }));
  });
});

describe('traffic', () => {
  it('sends everything to the first revision', () => {
    const status = rolloutStatus({
      revisions: deployed(v1),
      canaryTrafficPercent: 20,
      previous: undefined,
      ready: all,
    });
    expect(status.traffic).toEqual([
      { revisionName: 'fraud-predictor-00001', percent: 100, tag: 'latest', latestRevision: true },
    ]);
    expect(status.latestRolledoutRevision).toBe('fraud-predictor-00001');
  });

  it('splits traffic for a canary and remembers the stable revision', () => {
    const previous = { latestRolledoutRevision: 'fraud-predictor-00001' };
    const status = rolloutStatus({ revisions: deployed(v1, v2), canaryTrafficPercent: 20, previous, ready: all });
    expect(status.traffic).toEqual([
      { revisionName: 'fraud-predictor-00002', percent: 20, tag: 'latest', latestRevision: true },
      { revisionName: 'fraud-predictor-00001', percent: 80, tag: 'prev', latestRevision: false },
    ]);
    expect(status.latestRolledoutRevision).toBe('fraud-predictor-00001');
    expect(status.previousRolledoutRevision).toBe('fraud-predictor-00001');
    expect([...revisionsToRun(status)].sort()).toEqual(['fraud-predictor-00001', 'fraud-predictor-00002']);
  });

  it('rolls back with canaryTrafficPercent 0 and scales the canary to zero', () => {
    const previous = { latestRolledoutRevision: 'fraud-predictor-00001' };
    const status = rolloutStatus({ revisions: deployed(v1, v2), canaryTrafficPercent: 0, previous, ready: all });
    expect(status.traffic.find((t) => t.percent === 100)?.revisionName).toBe('fraud-predictor-00001');
    expect([...revisionsToRun(status)]).toEqual(['fraud-predictor-00001']);
  });

  it('promotes: the latest revision takes everything once ready, the old one becomes previous', () => {
    const previous = { latestRolledoutRevision: 'fraud-predictor-00001' };
    const status = rolloutStatus({
      revisions: deployed(v1, v2),
      canaryTrafficPercent: undefined,
      previous,
      ready: all,
    });
    expect(status.traffic).toEqual([
      { revisionName: 'fraud-predictor-00002', percent: 100, tag: 'latest', latestRevision: true },
    ]);
    expect(status.latestRolledoutRevision).toBe('fraud-predictor-00002');
    expect(status.previousRolledoutRevision).toBe('fraud-predictor-00001');
  });

  it('keeps serving the rolled-out revision while a fully rolled-out new one is not ready', () => {
    const previous = { latestRolledoutRevision: 'fraud-predictor-00001' };
    const status = rolloutStatus({
      revisions: deployed(v1, v2),
      canaryTrafficPercent: undefined,
      previous,
      ready: (name) => name === 'fraud-predictor-00001',
    });
    expect(status.traffic).toEqual([
      { revisionName: 'fraud-predictor-00001', percent: 100, tag: 'prev', latestRevision: false },
    ]);
    expect(status.latestReadyRevision).toBe('fraud-predictor-00001');
    expect(revisionsToRun(status).has('fraud-predictor-00002')).toBe(true);
  });
});
