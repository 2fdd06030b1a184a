import { describe, expect, it } from 'vitest';
import type { ServedRevision } from './served-revisions';
import { checkStorageUriShape, storageUriProblem } from './storage-uri-shape';

const GOOD = 's3://mlflow-artifacts/workspaces/fraud/1/0123456789abcdef0123456789abcdef/artifacts/model';

const revision = (storageUri: string, overrides: Partial<ServedRevision> = {}): ServedRevision => ({
  tenant: 'fraud',
  endpoint: 'scorer',
  revision: 'canary',
  storageUri,
  modelName: 'fraud-scorer',
  modelVersion: '7',
  ...overrides,
});

describe('storage-uri-shape', () => {
  it('accepts a run’s model folder in S3', () => {
    expect(storageUriProblem(GOOD)).toBeNull();
    expect(checkStorageUriShape([revision(GOOD)])).toEqual([]);
  });

  it('fires on a URI without the /model suffix, naming the endpoint, revision, URI and the fix', () => {
    const uri = GOOD.slice(0, -'/model'.length);
    const [finding] = checkStorageUriShape([revision(uri)]);
    expect(finding).toMatchObject({
      checkId: 'storage-uri-shape',
      severity: 'critical',
      tenant: 'fraud',
      subject: { kind: 'inference-service', name: 'scorer', revision: 'canary' },
      concerns: { modelVersions: [{ name: 'fraud-scorer', version: '7' }] },
    });
    expect(finding!.title).toBe(`fraud/scorer (canary revision): storageUri ${uri} lacks the /model suffix`);
    expect(finding!.evidence).toEqual([
      { label: 'Endpoint', value: 'fraud/scorer (canary revision)', href: '/t/fraud/deployments/scorer' },
      { label: 'storageUri', value: uri },
      { label: 'Expected', value: GOOD },
      { label: 'Model version', value: 'fraud-scorer v7' },
    ]);
    expect(finding!.remedy).toContain(GOOD);
  });

  it('refuses a trailing slash, even after /model', () => {
    expect(storageUriProblem(`${GOOD}/`)).toEqual({ problem: 'ends with a slash', suggestion: GOOD });
    expect(storageUriProblem(`${GOOD}//`)).toEqual({ problem: 'ends with a slash', suggestion: GOOD });
  });

  it('refuses other schemes, the MLmodel file itself, a missing URI and a folder that is not a run’s', () => {
    expect(storageUriProblem(GOOD.replace('s3://', 'gs://'))?.problem).toBe('is a gs: URI, not s3://');
    expect(storageUriProblem('models:/fraud-scorer/7')?.problem).toBe('is a models: URI, not s3://');
    expect(storageUriProblem('/mnt/models/model')?.problem).toBe('is not an s3:// URI');
    expect(storageUriProblem(`${GOOD}/MLmodel`)).toEqual({
      problem: 'names the MLmodel file, not its folder',
      suggestion: GOOD,
    });
    expect(storageUriProblem('')).toEqual({ problem: 'names no storageUri' });
    expect(storageUriProblem('s3://bucket/')?.problem).toBe('names no bucket and path');
    expect(storageUriProblem('s3://bucket/exports/model')?.problem).toBe(
      "is not a run's model folder (…/<run id>/artifacts/model)",
    );
  });

  it('judges each revision on its own: a bad stable model beside a good canary fires for the stable one only', () => {
    const findings = checkStorageUriShape([revision(`${GOOD}/`, { revision: 'stable' }), revision(GOOD)]);
    expect(findings.map((f) => f.subject.revision)).toEqual(['stable']);
  });
});
