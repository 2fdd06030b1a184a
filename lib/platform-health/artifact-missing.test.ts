import { describe, expect, it } from 'vitest';
import type { ArtifactCheck } from '@/lib/models/versions';
import { checkArtifactMissing } from './artifact-missing';
import type { ServedRevision } from './served-revisions';

const URI = 's3://mlflow-artifacts/workspaces/fraud/1/0123456789abcdef0123456789abcdef/artifacts/model';
const OTHER = URI.replace('0123456789abcdef', 'fedcba9876543210');

const revision = (storageUri: string, overrides: Partial<ServedRevision> = {}): ServedRevision => ({
  tenant: 'fraud',
  endpoint: 'scorer',
  revision: 'stable',
  storageUri,
  modelName: 'fraud-scorer',
  modelVersion: '3',
  ...overrides,
});

const found: ArtifactCheck = { state: 'found', mlmodelUri: `${URI}/MLmodel`, hasSignature: true, flavors: ['sklearn'] };
const missing: ArtifactCheck = { state: 'missing', mlmodelUri: `${URI}/MLmodel` };

describe('artifact-missing', () => {
  it('fires when no MLmodel file is under the storageUri, naming where it looked', () => {
    const [finding, ...rest] = checkArtifactMissing({
      revisions: [revision(URI)],
      artifacts: new Map([[URI, missing]]),
    });
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      checkId: 'artifact-missing',
      severity: 'critical',
      tenant: 'fraud',
      subject: { kind: 'inference-service', name: 'scorer', revision: 'stable' },
      title: `fraud/scorer (stable revision): no MLmodel file at ${URI}/MLmodel`,
    });
    expect(finding!.evidence).toContainEqual({ label: 'Looked for', value: `${URI}/MLmodel` });
    expect(finding!.evidence).toContainEqual({ label: 'Model version', value: 'fraud-scorer v3' });
    expect(finding!.remedy).toMatch(/rollback/);
  });

  it('clears once the file is there, and says nothing about a URI it was not asked about', () => {
    expect(checkArtifactMissing({ revisions: [revision(URI)], artifacts: new Map([[URI, found]]) })).toEqual([]);
    expect(checkArtifactMissing({ revisions: [revision(URI)], artifacts: new Map() })).toEqual([]);
  });

  it('leaves a malformed URI to storage-uri-shape rather than reporting it twice', () => {
    const bad = `${URI}/`;
    const artifacts = new Map([[bad, { state: 'missing', mlmodelUri: `${bad}MLmodel` } as const]]);
    expect(checkArtifactMissing({ revisions: [revision(bad)], artifacts })).toEqual([]);
  });

  it('when object storage cannot be read: no finding on the revisions, one info finding saying which went unchecked and why', () => {
    const problem = 'object storage did not answer: connect ECONNREFUSED 127.0.0.1:9000';
    const unreadable: ArtifactCheck = { state: 'unreadable', problem };
    const findings = checkArtifactMissing({
      revisions: [revision(URI), revision(OTHER, { endpoint: 'ranker', revision: 'canary' })],
      artifacts: new Map([
        [URI, unreadable],
        [OTHER, unreadable],
      ]),
    });
    expect(findings).toEqual([
      expect.objectContaining({
        checkId: 'artifact-missing',
        severity: 'info',
        tenant: null,
        subject: { kind: 'platform', name: 'object storage' },
        title: 'The model artifacts of 2 revisions could not be checked: object storage could not be read',
        evidence: [{ label: problem, value: 'fraud/scorer (stable revision), fraud/ranker (canary revision)' }],
      }),
    ]);
  });
});
