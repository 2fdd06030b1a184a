import { describe, expect, it } from 'vitest';
import { inferenceServiceSchema } from '@/lib/integrations/kubernetes/inference-services';
import { ANNOTATIONS } from '@/lib/promotion/evidence';
import { servedRevisions } from './served-revisions';

const V1 = 's3://mlflow-artifacts/workspaces/pricing/4/aaa/artifacts/model';
const V2 = 's3://mlflow-artifacts/workspaces/pricing/4/bbb/artifacts/model';

function isvc(canaryTrafficPercent: number | undefined, annotations: Record<string, string>) {
  return inferenceServiceSchema.parse({
    metadata: { name: 'price-elasticity', namespace: 'pricing', uid: 'u-1', resourceVersion: '1', annotations },
    spec: { predictor: { canaryTrafficPercent, model: { modelFormat: { name: 'mlflow' }, storageUri: V2 } } },
  });
}

const deployed = {
  [ANNOTATIONS.modelName]: 'price-elasticity',
  [ANNOTATIONS.modelVersion]: '2',
  [ANNOTATIONS.previousStorageUri]: V1,
  [ANNOTATIONS.previousVersion]: '1',
};

describe('the revisions an InferenceService serves', () => {
  it('during a canary: the stable revision with the model recorded before it, and the canary with the spec’s', () => {
    expect(servedRevisions(isvc(20, deployed))).toEqual([
      {
        tenant: 'pricing',
        endpoint: 'price-elasticity',
        revision: 'stable',
        storageUri: V1,
        modelName: 'price-elasticity',
        modelVersion: '1',
      },
      {
        tenant: 'pricing',
        endpoint: 'price-elasticity',
        revision: 'canary',
        storageUri: V2,
        modelName: 'price-elasticity',
        modelVersion: '2',
      },
    ]);
  });

  it('without a live canary (none, 0 % after a rollback, or 100 %): one stable revision serving the spec’s model', () => {
    for (const percent of [undefined, 0, 100]) {
      expect(servedRevisions(isvc(percent, deployed))).toEqual([
        expect.objectContaining({ revision: 'stable', storageUri: V2, modelVersion: '2' }),
      ]);
    }
  });

  it('a canary whose stable model was not recorded (deployed outside the portal) yields the canary only', () => {
    expect(servedRevisions(isvc(20, {}))).toEqual([
      expect.objectContaining({ revision: 'canary', storageUri: V2, modelName: null, modelVersion: null }),
    ]);
  });
});
