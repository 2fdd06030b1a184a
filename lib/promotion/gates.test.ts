import { describe, expect, it } from 'vitest';
import { blockingFailures, evaluateGates, modelUriOf, type GateInput } from './gates';
import { DEFAULT_POLICY, policySchema } from './policy';

const RUN = '4d14cf59386a47d4af4c6337edc062af';
const ARTIFACTS = `s3://mlflow-artifacts/workspaces/fraud/1/${RUN}/artifacts`;

function input(overrides: Partial<GateInput> = {}): GateInput {
  return {
    policy: DEFAULT_POLICY,
    version: { name: 'fraud-detector', version: '5', runId: RUN, source: `${ARTIFACTS}/model` },
    run: { runId: RUN, artifactUri: ARTIFACTS, metrics: { holdout_auc: 0.985, cv_f1_mean: 0.886 } },
    champion: { version: '4', metrics: { holdout_auc: 0.977, cv_f1_mean: 0.884 } },
    mlmodelExists: true,
    signatureLogged: true,
    evidence: { modelCardUrl: 'https://wiki.example.com/fraud/model-card', notes: 'Retrained on October data.' },
    targetHealth: {
      tenant: 'fraud',
      endpoint: 'fraud-detector',
      exists: true,
      at: '2026-12-10T10:00:00.000Z',
      findings: [],
      unjudged: [],
    },
    ...overrides,
  };
}

const gate = (gates: ReturnType<typeof evaluateGates>, id: string) => gates.find((g) => g.id === id)!;

describe('approval gates', () => {
  it('pass for a version that meets every rule, with one result per gate', () => {
    const gates = evaluateGates(input());
    expect(gates.map((g) => g.id)).toEqual([
      'threshold:holdout_auc',
      'threshold:cv_f1_mean',
      'regression',
      'provenance',
      'artifact',
      'signature',
      'evidence',
      'target-health',
    ]);
    expect(blockingFailures(gates)).toEqual([]);
  });

  describe('absolute thresholds', () => {
    it('fail below the minimum and say by how much', () => {
      const gates = evaluateGates(
        input({ run: { runId: RUN, artifactUri: ARTIFACTS, metrics: { holdout_auc: 0.97, cv_f1_mean: 0.7821 } } }),
      );
      const f1 = gate(gates, 'threshold:cv_f1_mean');
      expect(f1.passed).toBe(false);
      expect(f1.detail).toBe('cv_f1_mean is 0.7821, below the required 0.8.');
      expect(f1.values).toEqual({ metric: 'cv_f1_mean', value: 0.7821, min: 0.8 });
    });

    it('pass exactly at the minimum', () => {
      expect(
        gate(
          evaluateGates(
            input({ run: { runId: RUN, artifactUri: ARTIFACTS, metrics: { holdout_auc: 0.85, cv_f1_mean: 0.8 } } }),
          ),
          'threshold:holdout_auc',
        ).passed,
      ).toBe(true);
    });

    it('fail when the run never logged the metric', () => {
      const g = gate(
        evaluateGates(input({ run: { runId: RUN, artifactUri: ARTIFACTS, metrics: { cv_f1_mean: 0.9 } } })),
        'threshold:holdout_auc',
      );
      expect(g.passed).toBe(false);
      expect(g.detail).toContain('did not log holdout_auc');
    });
  });

  describe('regression against the champion', () => {
    it('allows a drop within the tolerance', () => {
      const g = gate(
        evaluateGates(
          input({ run: { runId: RUN, artifactUri: ARTIFACTS, metrics: { holdout_auc: 0.96, cv_f1_mean: 0.9 } } }),
        ),
        'regression',
      );
      expect(g.passed).toBe(true);
      expect(g.values.delta).toBeCloseTo(-0.017);
    });

    it('refuses a drop beyond it', () => {
      const g = gate(
        evaluateGates(
          input({ run: { runId: RUN, artifactUri: ARTIFACTS, metrics: { holdout_auc: 0.95, cv_f1_mean: 0.9 } } }),
        ),
        'regression',
      );
      expect(g.passed).toBe(false);
      expect(g.detail).toBe('holdout_auc 0.9500 vs 0.9770 for the champion v4: -0.0270 (tolerance −0.02).');
    });

    it('allows a drop of exactly the tolerance in decimal numbers (0.90 → 0.88 at −0.02), which floats put a hair beyond it', () => {
      expect(0.88 - 0.9).toBeLessThan(-0.02);
      const at = (challenger: number) =>
        gate(
          evaluateGates(
            input({
              run: { runId: RUN, artifactUri: ARTIFACTS, metrics: { holdout_auc: challenger, cv_f1_mean: 0.9 } },
              champion: { version: '4', metrics: { holdout_auc: 0.9 } },
            }),
          ),
          'regression',
        ).passed;
      expect(at(0.88)).toBe(true);
      expect(at(0.8799)).toBe(false);
    });

    it('passes when there is no champion yet', () => {
      expect(gate(evaluateGates(input({ champion: null })), 'regression').passed).toBe(true);
    });

    it('fails when the champion lacks the metric', () => {
      expect(gate(evaluateGates(input({ champion: { version: '4', metrics: {} } })), 'regression').passed).toBe(false);
    });
  });

  describe('provenance', () => {
    it('fails for a run id that is not 32 hex characters', () => {
      const g = gate(
        evaluateGates(
          input({ version: { name: 'm', version: '1', runId: 'not-a-run', source: `${ARTIFACTS}/model` } }),
        ),
        'provenance',
      );
      expect(g.passed).toBe(false);
      expect(g.detail).toContain('not a 32-character MLflow run id');
    });

    it('fails when the run does not exist', () => {
      const g = gate(evaluateGates(input({ run: null })), 'provenance');
      expect(g.passed).toBe(false);
      expect(g.detail).toBe(`Run ${RUN} does not exist in this tenant's MLflow workspace.`);
    });

    it("fails when the version's files are not the run's", () => {
      const g = gate(
        evaluateGates(
          input({
            version: {
              name: 'm',
              version: '1',
              runId: RUN,
              source: 's3://mlflow-artifacts/workspaces/fraud/1/other/artifacts/model',
            },
          }),
        ),
        'provenance',
      );
      expect(g.passed).toBe(false);
    });

    it('does not accept a sibling folder that merely shares the prefix', () => {
      const g = gate(
        evaluateGates(input({ version: { name: 'm', version: '1', runId: RUN, source: `${ARTIFACTS}-evil/model` } })),
        'provenance',
      );
      expect(g.passed).toBe(false);
    });
  });

  it('artifact: fails without the MLmodel file and names where it looked', () => {
    const g = gate(evaluateGates(input({ mlmodelExists: false })), 'artifact');
    expect(g.passed).toBe(false);
    expect(g.detail).toBe(`${ARTIFACTS}/model/MLmodel was not found in object storage.`);
  });

  describe('signature', () => {
    it('blocks a version without a signature when the policy requires one', () => {
      const g = gate(evaluateGates(input({ signatureLogged: false })), 'signature');
      expect(g).toMatchObject({ passed: false, blocking: true });
    });

    it('only informs when the policy does not require it', () => {
      const policy = policySchema.parse({ requireSignature: false });
      const g = gate(evaluateGates(input({ policy, signatureLogged: false })), 'signature');
      expect(g).toMatchObject({ passed: true, blocking: false });
    });

    it('fails when the MLmodel file could not be read', () => {
      expect(gate(evaluateGates(input({ signatureLogged: null })), 'signature').passed).toBe(false);
    });
  });

  describe('evidence', () => {
    it('needs a model card URL and notes', () => {
      const g = gate(evaluateGates(input({ evidence: { modelCardUrl: '', notes: 'short' } })), 'evidence');
      expect(g.passed).toBe(false);
      expect(g.detail).toBe('Missing a model card URL and notes of at least 10 characters.');
    });

    it('refuses a model card that is not a web link', () => {
      expect(
        gate(
          evaluateGates(input({ evidence: { modelCardUrl: 'javascript:alert(1)', notes: 'Long enough notes.' } })),
          'evidence',
        ).passed,
      ).toBe(false);
    });

    it('is satisfied when the policy requires neither', () => {
      const policy = policySchema.parse({ requireModelCard: false, requireNotes: false });
      expect(gate(evaluateGates(input({ policy, evidence: { modelCardUrl: '', notes: '' } })), 'evidence').passed).toBe(
        true,
      );
    });
  });

  it('serves from the run artifacts model folder', () => {
    expect(modelUriOf(`${ARTIFACTS}/`)).toBe(`${ARTIFACTS}/model`);
  });
});
