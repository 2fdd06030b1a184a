import { describe, expect, it } from 'vitest';
import { inferenceServiceSchema } from '@/lib/integrations/kubernetes/inference-services';
import { canaryEndpointOf, checkRollbackTargetCold, type CanaryEndpoint } from './rollback-target-cold';

const endpoint = (stable: Partial<CanaryEndpoint['stable']> = {}, canaryPercent = 20): CanaryEndpoint => ({
  tenant: 'pricing',
  endpoint: 'price-elasticity',
  canaryPercent,
  canaryRevision: 'price-elasticity-predictor-00002',
  stable: { revision: 'price-elasticity-predictor-00001', minReplicas: 1, readyReplicas: 1, ...stable },
});

describe('rollback-target-cold', () => {
  it('fires when the stable revision may scale to zero, naming it, its minReplicas and the canary share', () => {
    const [finding, ...rest] = checkRollbackTargetCold([endpoint({ minReplicas: 0 })]);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      checkId: 'rollback-target-cold',
      severity: 'warning',
      tenant: 'pricing',
      subject: { kind: 'inference-service', name: 'price-elasticity', revision: 'stable' },
      title:
        'pricing/price-elasticity: rollback target price-elasticity-predictor-00001 has minReplicas: 0 while the canary takes 20 %',
    });
    expect(finding!.evidence).toContainEqual({ label: 'minReplicas', value: '0' });
    expect(finding!.evidence).toContainEqual({ label: 'Canary', value: 'price-elasticity-predictor-00002 at 20 %' });
    expect(finding!.remedy).toContain('minReplicas of at least 1');
  });

  it('fires when the stable revision has no ready replicas', () => {
    const [finding] = checkRollbackTargetCold([endpoint({ readyReplicas: 0 })]);
    expect(finding!.title).toContain('has no ready replicas');
    expect(finding!.evidence).toContainEqual({ label: 'Ready replicas', value: '0' });
  });

  it('clears when the stable revision is warm; minReplicas not set counts as KServe’s default 1', () => {
    expect(checkRollbackTargetCold([endpoint()])).toEqual([]);
    expect(checkRollbackTargetCold([endpoint({ minReplicas: undefined })])).toEqual([]);
    expect(checkRollbackTargetCold([endpoint({ minReplicas: undefined, readyReplicas: null })])).toEqual([]);
  });

  it('judges only endpoints with a live canary', () => {
    const cold = { minReplicas: 0, readyReplicas: 0 };
    expect(checkRollbackTargetCold([endpoint(cold, 0), endpoint(cold, 100)])).toEqual([]);
    expect(checkRollbackTargetCold([endpoint(cold, 1)])[0]!.title).toContain(
      'has no ready replicas and has minReplicas: 0',
    );
  });
});

describe('an InferenceService as rollback-target-cold reads it', () => {
  const rev = (n: number) => `price-elasticity-predictor-0000${n}`;
  const isvc = inferenceServiceSchema.parse({
    metadata: { name: 'price-elasticity', namespace: 'pricing', uid: 'u-1', resourceVersion: '1' },
    spec: { predictor: { canaryTrafficPercent: 20, model: { storageUri: 's3://b/x/artifacts/model' } } },
    status: {
      conditions: [{ type: 'Ready', status: 'True' }],
      components: {
        predictor: {
          traffic: [
            { revisionName: rev(2), percent: 20, tag: 'latest', latestRevision: true },
            { revisionName: rev(1), percent: 80, tag: 'prev', latestRevision: false },
          ],
        },
      },
    },
  });

  it('takes the split from KServe’s status and the stable revision’s replicas by its name', () => {
    const replicas = new Map([[rev(1), { minReplicas: 0, readyReplicas: 0 }]]);
    expect(canaryEndpointOf(isvc, replicas)).toEqual({
      tenant: 'pricing',
      endpoint: 'price-elasticity',
      canaryPercent: 20,
      canaryRevision: rev(2),
      stable: { revision: rev(1), minReplicas: 0, readyReplicas: 0 },
    });
    expect(checkRollbackTargetCold([canaryEndpointOf(isvc, replicas)])).toHaveLength(1);
  });

  it('leaves replicas unknown for a revision it was told nothing about', () => {
    expect(canaryEndpointOf(isvc, new Map()).stable).toEqual({
      revision: rev(1),
      minReplicas: undefined,
      readyReplicas: null,
    });
  });
});
