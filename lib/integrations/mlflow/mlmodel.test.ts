import { describe, expect, it } from 'vitest';
import { parseMlModel } from './mlmodel';

const WITH_SIGNATURE = `artifact_path: s3://mlflow-artifacts/workspaces/fraud/1/models/m-1/artifacts
flavors:
  python_function:
    env:
      conda: conda.yaml
    loader_module: mlflow.sklearn
  sklearn:
    pickled_model: model.pkl
mlflow_version: 3.17.2
run_id: baa9128d9d8e47a3a77a164310b7e9e7
signature:
  inputs: '[{"type": "double", "name": "amount", "required": true}, {"type": "double",
    "name": "hour_of_day", "required": true}]'
  outputs: '[{"type": "tensor", "tensor-spec": {"dtype": "int64", "shape": [-1]}}]'
  params: null
utc_time_created: '2026-11-23 10:29:05.814365'
`;

const WITHOUT_SIGNATURE = `flavors:
  python_function:
    loader_module: mlflow.sklearn
  sklearn:
    pickled_model: model.pkl
mlflow_version: 3.17.2
run_id: f4233d37f6214eb6a4ce123d88440f01
`;

describe('parseMlModel', () => {
  it('finds the signature, flavors and provenance of a model logged with a signature', () => {
    expect(parseMlModel(WITH_SIGNATURE)).toEqual({
      flavors: ['python_function', 'sklearn'],
      hasSignature: true,
      runId: 'baa9128d9d8e47a3a77a164310b7e9e7',
      mlflowVersion: '3.17.2',
    });
  });

  it('says so when no signature was logged', () => {
    expect(parseMlModel(WITHOUT_SIGNATURE)).toMatchObject({
      flavors: ['python_function', 'sklearn'],
      hasSignature: false,
    });
  });

  it('does not count an empty or null signature, nor a nested key named signature', () => {
    expect(parseMlModel(`${WITHOUT_SIGNATURE}signature: null\n`).hasSignature).toBe(false);
    expect(parseMlModel(`${WITHOUT_SIGNATURE}signature:\n  inputs: null\n  outputs: null\n`).hasSignature).toBe(false);
    expect(parseMlModel(`flavors:\n  custom:\n    signature:\n      inputs: '[]'\n`).hasSignature).toBe(false);
  });

  it('reads a flow-style signature', () => {
    expect(
      parseMlModel(`${WITHOUT_SIGNATURE}signature: {inputs: '[{"type": "double"}]', outputs: null}\n`).hasSignature,
    ).toBe(true);
  });

  it('copes with an empty file', () => {
    expect(parseMlModel('')).toEqual({ flavors: [], hasSignature: false, runId: undefined, mlflowVersion: undefined });
  });
});
