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
      signature: {
        inputs: [
          { name: 'amount', type: 'double', required: true },
          { name: 'hour_of_day', type: 'double', required: true },
        ],
        outputs: [{ name: '#1', type: 'tensor(int64, [-1])', required: true }],
      },
      runId: 'baa9128d9d8e47a3a77a164310b7e9e7',
      mlflowVersion: '3.17.2',
    });
  });

  it('says so when no signature was logged', () => {
    expect(parseMlModel(WITHOUT_SIGNATURE)).toMatchObject({
      flavors: ['python_function', 'sklearn'],
      hasSignature: false,
      signature: null,
    });
  });

  it('does not count an empty or null signature, nor a nested key named signature', () => {
    expect(parseMlModel(`${WITHOUT_SIGNATURE}signature: null\n`).hasSignature).toBe(false);
    expect(parseMlModel(`${WITHOUT_SIGNATURE}signature:\n  inputs: null\n  outputs: null\n`).hasSignature).toBe(false);
    expect(parseMlModel(`flavors:\n  custom:\n    signature:\n      inputs: '[]'\n`).hasSignature).toBe(false);
  });

  it('reads a flow-style signature', () => {
    const parsed = parseMlModel(`${WITHOUT_SIGNATURE}signature: {inputs: '[{"type": "double"}]', outputs: null}\n`);
    expect(parsed.hasSignature).toBe(true);
    expect(parsed.signature).toEqual({ inputs: [{ name: '#1', type: 'double', required: true }], outputs: null });
  });

  it('spells out nested and optional column types, and quotes doubled inside the YAML string', () => {
    const inputs = [
      { type: 'string', name: "merchant's id", required: false },
      { type: 'array', items: { type: 'string' }, name: 'tags', required: true },
      { type: 'map', values: { type: 'long' }, name: 'counts', required: true },
      {
        type: 'object',
        properties: { lat: { type: 'double', required: true }, lon: { type: 'double', required: true } },
        name: 'place',
        required: true,
      },
      { type: 'tensor', 'tensor-spec': { dtype: 'float32', shape: [-1, 28, 28] }, name: 'image' },
    ];
    const yamlString = `'${JSON.stringify(inputs).replaceAll("'", "''")}'`;
    // Folded as PyYAML folds long strings: broken at spaces, continued on indented lines.
    const folded = yamlString.replaceAll(', "', ',\n    "');
    expect(parseMlModel(`${WITHOUT_SIGNATURE}signature:\n  inputs: ${folded}\n  outputs: null\n`).signature).toEqual({
      inputs: [
        { name: "merchant's id", type: 'string', required: false },
        { name: 'tags', type: 'array<string>', required: true },
        { name: 'counts', type: 'map<string, long>', required: true },
        { name: 'place', type: 'object{lat: double, lon: double}', required: true },
        { name: 'image', type: 'tensor(float32, [-1, 28, 28])', required: true },
      ],
      outputs: null,
    });
  });

  it('says a schema is unreadable rather than guessing, when it is not MLflow’s JSON', () => {
    const parsed = parseMlModel(`${WITHOUT_SIGNATURE}signature:\n  inputs: '[{"type": '\n  outputs: '{"a": 1}'\n`);
    expect(parsed).toMatchObject({ hasSignature: true, signature: { inputs: 'unreadable', outputs: 'unreadable' } });
  });

  it('copes with an empty file', () => {
    expect(parseMlModel('')).toEqual({
      flavors: [],
      hasSignature: false,
      signature: null,
      runId: undefined,
      mlflowVersion: undefined,
    });
  });
});
