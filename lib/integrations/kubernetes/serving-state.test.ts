import { describe, expect, it } from 'vitest';
import { inferenceServiceSchema, type InferenceService } from './inference-services';
import { servingState } from './serving-state';

// Statuses shaped as the KServe simulator writes them (stack/simulator/kserve.ts, rollout.ts).
const MODEL_V1 = 's3://mlflow-artifacts/workspaces/pricing/4/aaa/artifacts/model';
const MODEL_V2 = 's3://mlflow-artifacts/workspaces/pricing/4/bbb/artifacts/model';
const rev = (n: number) => `price-elasticity-predictor-0000${n}`;
const ready = (ok: boolean, message?: string) => [
  { type: 'IngressReady', status: 'True', lastTransitionTime: '2026-11-23T11:33:20.852Z' },
  { type: 'PredictorReady', status: ok ? 'True' : 'False', ...(ok ? {} : { reason: 'RevisionFailed', message }) },
  { type: 'Ready', status: ok ? 'True' : 'False', ...(ok ? {} : { reason: 'RevisionFailed', message }) },
];
const target = (n: number, percent: number, tag: 'latest' | 'prev', latestRevision: boolean) => ({
  configurationName: 'price-elasticity-predictor',
  revisionName: rev(n),
  percent,
  tag,
  latestRevision,
});

function isvc(options: {
  canaryTrafficPercent?: number;
  storageUri?: string;
  generation?: number;
  status?: Record<string, unknown>;
}): InferenceService {
  return inferenceServiceSchema.parse({
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: {
      name: 'price-elasticity',
      namespace: 'pricing',
      uid: 'u-1',
      resourceVersion: '42',
      generation: options.generation ?? 2,
    },
    spec: {
      predictor: {
        minReplicas: 1,
        ...(options.canaryTrafficPercent === undefined ? {} : { canaryTrafficPercent: options.canaryTrafficPercent }),
        model: { modelFormat: { name: 'mlflow' }, storageUri: options.storageUri ?? MODEL_V2 },
      },
    },
    status: options.status,
  });
}

function status(predictor: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return {
    url: 'http://price-elasticity.pricing.example.com',
    observedGeneration: 2,
    deploymentMode: 'Serverless',
    components: { predictor: { url: 'http://price-elasticity-predictor.pricing.example.com', ...predictor } },
    conditions: ready(true),
    ...extra,
  };
}

describe('servingState', () => {
  it('reads a stable service: one revision with all traffic', () => {
    const state = servingState(
      isvc({
        storageUri: MODEL_V1,
        generation: 1,
        status: status(
          {
            latestCreatedRevision: rev(1),
            latestReadyRevision: rev(1),
            latestRolledoutRevision: rev(1),
            traffic: [target(1, 100, 'latest', true)],
          },
          { observedGeneration: 1 },
        ),
      }),
    );
    expect(state).toEqual({
      stableRevision: rev(1),
      canaryRevision: undefined,
      canaryPercent: 0,
      storageUri: MODEL_V1,
      ready: true,
    });
  });

  it('reads a canary: the latest revision with its percentage, the rolled-out one as stable', () => {
    const state = servingState(
      isvc({
        canaryTrafficPercent: 20,
        status: status({
          latestCreatedRevision: rev(2),
          latestReadyRevision: rev(2),
          latestRolledoutRevision: rev(1),
          previousRolledoutRevision: rev(1),
          traffic: [target(2, 20, 'latest', true), target(1, 80, 'prev', false)],
        }),
      }),
    );
    expect(state).toMatchObject({
      stableRevision: rev(1),
      canaryRevision: rev(2),
      canaryPercent: 20,
      storageUri: MODEL_V2,
      ready: true,
    });
  });

  it('reads a rolled-back canary as a canary at 0 %', () => {
    const state = servingState(
      isvc({
        canaryTrafficPercent: 0,
        status: status({
          latestCreatedRevision: rev(2),
          latestRolledoutRevision: rev(1),
          traffic: [target(2, 0, 'latest', true), target(1, 100, 'prev', false)],
        }),
      }),
    );
    expect(state).toMatchObject({ stableRevision: rev(1), canaryRevision: rev(2), canaryPercent: 0 });
  });

  it('keeps the rolled-out revision as stable while a full rollout waits for the new revision', () => {
    const state = servingState(
      isvc({
        status: status(
          {
            latestCreatedRevision: rev(2),
            latestReadyRevision: rev(1),
            latestRolledoutRevision: rev(1),
            traffic: [target(1, 100, 'prev', false)],
          },
          { conditions: ready(false, 'Revision pods of price-elasticity-predictor-00002 are not running yet') },
        ),
      }),
    );
    expect(state).toEqual({
      stableRevision: rev(1),
      canaryRevision: undefined,
      canaryPercent: 0,
      storageUri: MODEL_V2,
      ready: false,
      message: 'Revision pods of price-elasticity-predictor-00002 are not running yet',
    });
  });

  it('is not ready before KServe has written any status', () => {
    expect(servingState(isvc({ generation: 1 }))).toEqual({
      stableRevision: undefined,
      canaryRevision: undefined,
      canaryPercent: 0,
      storageUri: MODEL_V2,
      ready: false,
      message: 'KServe has not reported on this InferenceService yet',
    });
  });

  it('is not ready while KServe has not observed the latest generation', () => {
    const state = servingState(
      isvc({
        generation: 3,
        canaryTrafficPercent: 50,
        status: status({
          latestRolledoutRevision: rev(1),
          traffic: [target(2, 20, 'latest', true), target(1, 80, 'prev', false)],
        }),
      }),
    );
    expect(state).toMatchObject({
      canaryPercent: 20,
      ready: false,
      message: 'KServe has not acted on the latest change yet',
    });
  });

  it('finds the canary by latestCreatedRevision when the split carries no latest marker', () => {
    const state = servingState(
      isvc({
        status: status({
          latestCreatedRevision: rev(2),
          traffic: [
            { revisionName: rev(1), percent: 75 },
            { revisionName: rev(2), percent: 25 },
          ],
        }),
      }),
    );
    expect(state).toMatchObject({ stableRevision: rev(1), canaryRevision: rev(2), canaryPercent: 25 });
  });
});
