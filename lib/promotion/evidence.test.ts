import { describe, expect, it } from 'vitest';
import {
  ANNOTATIONS,
  deploymentAnnotations,
  previousEvidenceOf,
  primaryMetricEvidence,
  requestEvidence,
  rollbackAnnotations,
  rollbackToAnnotations,
  servedEvidence,
} from './evidence';

const champion = {
  [ANNOTATIONS.request]: 'req-1',
  [ANNOTATIONS.modelName]: 'fraud-detector',
  [ANNOTATIONS.modelVersion]: '3',
  [ANNOTATIONS.runId]: 'a'.repeat(32),
  [ANNOTATIONS.holdoutMetric]: 'holdout_auc=0.9100',
  [ANNOTATIONS.modelCard]: 'https://wiki/card/3',
  [ANNOTATIONS.approvers]: 'bob',
  [ANNOTATIONS.requester]: 'alice',
};
const challenger = {
  ...champion,
  [ANNOTATIONS.request]: 'req-2',
  [ANNOTATIONS.modelVersion]: '4',
  [ANNOTATIONS.runId]: 'b'.repeat(32),
  [ANNOTATIONS.holdoutMetric]: 'holdout_auc=0.9300',
};

describe('deploymentAnnotations', () => {
  it('records what served before: its storageUri, version and evidence, next to the new evidence', () => {
    const current = { ...champion, 'other/annotation': 'kept' };
    const annotations = deploymentAnnotations(current, challenger, {
      liveCanary: false,
      storageUri: 's3://b/a/model',
      version: '3',
    });
    expect(servedEvidence(annotations)).toEqual(challenger);
    expect(annotations).toMatchObject({
      'other/annotation': 'kept',
      [ANNOTATIONS.previousStorageUri]: 's3://b/a/model',
      [ANNOTATIONS.previousVersion]: '3',
    });
    expect(previousEvidenceOf(annotations)).toEqual(champion);
  });

  it('while a canary is live keeps the evidence of the stable version it started from', () => {
    const live = deploymentAnnotations(champion, challenger, {
      liveCanary: false,
      storageUri: 's3://b/a/model',
      version: '3',
    });
    const third = { ...challenger, [ANNOTATIONS.request]: 'req-3', [ANNOTATIONS.modelVersion]: '5' };
    const annotations = deploymentAnnotations(live, third, {
      liveCanary: true,
      storageUri: 's3://b/a/model',
      version: '3',
    });
    expect(previousEvidenceOf(annotations)).toEqual(champion);
    expect(servedEvidence(annotations)).toEqual(third);
  });

  it('drops a stale previous evidence when what serves carries none (a first deployment, an endpoint made outside the portal)', () => {
    const stale = { [ANNOTATIONS.previousEvidence]: JSON.stringify(champion) };
    const annotations = deploymentAnnotations(stale, challenger, {
      liveCanary: false,
      storageUri: 's3://x/model',
      version: null,
    });
    expect(annotations[ANNOTATIONS.previousEvidence]).toBeUndefined();
    expect(annotations[ANNOTATIONS.previousVersion]).toBeUndefined();
  });
});

describe('rollbackAnnotations', () => {
  it('puts the previous model’s evidence back in place of the rolled-back one’s and names the rolled-back version', () => {
    const deployed = deploymentAnnotations({ ...champion, 'other/annotation': 'kept' }, challenger, {
      liveCanary: false,
      storageUri: 's3://b/a/model',
      version: '3',
    });
    const annotations = rollbackAnnotations(deployed, { key: 'mlp.example.com/rolled-back-version', version: '4' });
    expect(servedEvidence(annotations)).toEqual(champion);
    expect(annotations).toMatchObject({ 'other/annotation': 'kept', 'mlp.example.com/rolled-back-version': '4' });
  });

  it('removes evidence keys the previous model did not have', () => {
    const { [ANNOTATIONS.modelCard]: _card, ...withoutCard } = champion;
    const deployed = deploymentAnnotations(withoutCard, challenger, {
      liveCanary: false,
      storageUri: 's3://b/a/model',
      version: '3',
    });
    expect(rollbackAnnotations(deployed, { key: 'k', version: '4' })[ANNOTATIONS.modelCard]).toBeUndefined();
  });

  it('keeps the current annotations when no previous evidence is recorded, or it is not readable', () => {
    expect(rollbackAnnotations(challenger, { key: 'k', version: '4' })).toEqual({ ...challenger, k: '4' });
    const broken = { ...challenger, [ANNOTATIONS.previousEvidence]: '{not json' };
    expect(servedEvidence(rollbackAnnotations(broken, { key: 'k', version: '4' }))).toEqual(challenger);
    expect(previousEvidenceOf({ [ANNOTATIONS.previousEvidence]: JSON.stringify({ 'evil/key': 'x' }) })).toBeNull();
  });
});

describe('rollbackToAnnotations', () => {
  const ROLLED_BACK = 'mlp.example.com/rolled-back-version';

  it('puts the chosen version’s own evidence in place, records what served as the previous model, names the rolled-back version', () => {
    const serving = { ...challenger, 'other/annotation': 'kept', [ROLLED_BACK]: '2' };
    const chosen = { ...champion, [ANNOTATIONS.request]: 'req-0', [ANNOTATIONS.modelVersion]: '1' };
    const annotations = rollbackToAnnotations(serving, chosen, {
      key: ROLLED_BACK,
      version: '4',
      storageUri: 's3://b/four/model',
    });
    expect(servedEvidence(annotations)).toEqual(chosen);
    expect(annotations).toMatchObject({
      'other/annotation': 'kept',
      [ANNOTATIONS.previousStorageUri]: 's3://b/four/model',
      [ANNOTATIONS.previousVersion]: '4',
      [ROLLED_BACK]: '4',
    });
    expect(previousEvidenceOf(annotations)).toEqual(challenger);
  });

  it('leaves no evidence key of the model it replaces that the chosen version’s evidence lacks', () => {
    const { [ANNOTATIONS.modelCard]: _card, ...withoutCard } = champion;
    const annotations = rollbackToAnnotations(challenger, withoutCard, {
      key: ROLLED_BACK,
      version: null,
      storageUri: 's3://b/four/model',
    });
    expect(annotations[ANNOTATIONS.modelCard]).toBeUndefined();
    expect(annotations[ROLLED_BACK]).toBeUndefined();
  });
});

describe('requestEvidence', () => {
  it('states what the deployment of an approved request writes, the primary metric to 4 decimals', () => {
    expect(
      requestEvidence({
        id: 'req-1',
        modelName: 'fraud-detector',
        version: '3',
        runId: 'a'.repeat(32),
        modelCardUrl: 'https://wiki/card/3',
        requesterName: 'alice',
        primaryMetric: 'holdout_auc',
        primaryValue: 0.91,
        approvers: ['bob'],
      }),
    ).toEqual(champion);
    expect(primaryMetricEvidence('holdout_auc', null)).toBe('holdout_auc=unknown');
  });
});
