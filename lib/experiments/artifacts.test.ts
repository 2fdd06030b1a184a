import { describe, expect, it } from 'vitest';
import { artifactUri, parseArtifactPath } from './artifacts';

describe('parseArtifactPath', () => {
  it('accepts paths inside the run’s artifacts', () => {
    expect(parseArtifactPath(undefined)).toBe('');
    expect(parseArtifactPath('')).toBe('');
    expect(parseArtifactPath('model')).toBe('model');
    expect(parseArtifactPath('model/')).toBe('model');
    expect(parseArtifactPath('evaluation/roc curve.png')).toBe('evaluation/roc curve.png');
  });

  it.each([
    '../other-run/artifacts/model.pkl',
    'model/../../x',
    '/etc/passwd',
    'model//MLmodel',
    './model',
    'model\\..\\x',
    'a\u0000b',
    'x'.repeat(1025),
  ])('refuses %j', (path) => {
    expect(() => parseArtifactPath(path)).toThrow(/is not a path inside the run's artifacts/);
  });
});

describe('artifactUri', () => {
  it('joins the run’s artifact root and a relative path', () => {
    expect(artifactUri('s3://b/workspaces/fraud/1/r/artifacts', '')).toBe('s3://b/workspaces/fraud/1/r/artifacts');
    expect(artifactUri('s3://b/workspaces/fraud/1/r/artifacts/', 'model/MLmodel')).toBe(
      's3://b/workspaces/fraud/1/r/artifacts/model/MLmodel',
    );
  });
});
