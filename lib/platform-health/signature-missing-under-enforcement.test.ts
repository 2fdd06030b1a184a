import { describe, expect, it } from 'vitest';
import type { ArtifactCheck } from '@/lib/models/versions';
import type { ServedRevision } from './served-revisions';
import { checkSignatureMissingUnderEnforcement, type SignatureInput } from './signature-missing-under-enforcement';

const URI = 's3://mlflow-artifacts/workspaces/fraud/1/0123456789abcdef0123456789abcdef/artifacts/model';

const revision = (overrides: Partial<ServedRevision> = {}): ServedRevision => ({
  tenant: 'fraud',
  endpoint: 'scorer',
  revision: 'stable',
  storageUri: URI,
  modelName: 'fraud-scorer',
  modelVersion: '4',
  ...overrides,
});

const artifact = (hasSignature: boolean): ArtifactCheck => ({
  state: 'found',
  mlmodelUri: `${URI}/MLmodel`,
  hasSignature,
  flavors: ['python_function'],
});

const input = (overrides: Partial<SignatureInput> = {}): SignatureInput => ({
  revisions: [revision()],
  artifacts: new Map([[URI, artifact(false)]]),
  platformServingMlflowVersion: '2.16.0',
  ...overrides,
});

describe('signature-missing-under-enforcement', () => {
  it('fires for an unsigned version served by MLflow 2.16.0 exactly, naming version, runtime and endpoint', () => {
    const [finding, ...rest] = checkSignatureMissingUnderEnforcement(input());
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      checkId: 'signature-missing-under-enforcement',
      severity: 'warning',
      tenant: 'fraud',
      subject: { kind: 'model-version', name: 'fraud-scorer', version: '4' },
      concerns: { endpoints: ['scorer'] },
      title:
        'fraud-scorer v4 has no logged signature but is served by MLflow 2.16.0, which enforces signatures (from 2.16.0)',
    });
    expect(finding!.evidence).toEqual([
      { label: 'Model version', value: 'fraud-scorer v4', href: '/t/fraud/models/fraud-scorer' },
      { label: 'MLmodel', value: `${URI}/MLmodel: no signature` },
      {
        label: 'Served by',
        value: 'fraud/scorer (stable revision), MLflow 2.16.0',
        href: '/t/fraud/deployments/scorer',
      },
    ]);
    expect(finding!.remedy).toMatch(/signature/);
  });

  it('clears once the version has a signature, or under a runtime before 2.16', () => {
    expect(checkSignatureMissingUnderEnforcement(input({ artifacts: new Map([[URI, artifact(true)]]) }))).toEqual([]);
    expect(checkSignatureMissingUnderEnforcement(input({ platformServingMlflowVersion: '2.15.1' }))).toEqual([]);
  });

  it('prefers the endpoint’s own runtime version to the platform’s', () => {
    const older = new Map([['fraud/scorer', '2.9.2']]);
    expect(checkSignatureMissingUnderEnforcement(input({ runtimeMlflowVersions: older }))).toEqual([]);
    const newer = new Map([['fraud/scorer', 'v3.1.0']]);
    expect(
      checkSignatureMissingUnderEnforcement(
        input({ platformServingMlflowVersion: '2.10.0', runtimeMlflowVersions: newer }),
      ),
    ).toHaveLength(1);
  });

  it('says nothing when the signature or the runtime version cannot be told', () => {
    expect(checkSignatureMissingUnderEnforcement(input({ platformServingMlflowVersion: null }))).toEqual([]);
    expect(
      checkSignatureMissingUnderEnforcement(
        input({ artifacts: new Map([[URI, { state: 'unreadable', problem: 'down' }]]) }),
      ),
    ).toEqual([]);
  });

  it('reports a version served by two endpoints once, naming both', () => {
    const findings = checkSignatureMissingUnderEnforcement(
      input({ revisions: [revision(), revision({ endpoint: 'scorer-eu', revision: 'canary' })] }),
    );
    expect(findings).toHaveLength(1);
    expect(findings[0]!.evidence.filter((e) => e.label === 'Served by').map((e) => e.value)).toEqual([
      'fraud/scorer (stable revision), MLflow 2.16.0',
      'fraud/scorer-eu (canary revision), MLflow 2.16.0',
    ]);
  });
});

describe('signature-missing-under-enforcement without a recorded model', () => {
  it('reports each endpoint revision on its own when the deployment did not record which model it serves', () => {
    const unrecorded = { modelName: null, modelVersion: '1' };
    const findings = checkSignatureMissingUnderEnforcement(
      input({ revisions: [revision(unrecorded), revision({ ...unrecorded, endpoint: 'other' })] }),
    );
    expect(findings.map((f) => f.subject)).toEqual([
      { kind: 'inference-service', name: 'scorer', revision: 'stable' },
      { kind: 'inference-service', name: 'other', revision: 'stable' },
    ]);
    expect(findings[0]!.title).toContain(`the model at ${URI} has no logged signature`);
  });
});
