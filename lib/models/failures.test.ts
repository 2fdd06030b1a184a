import { describe, expect, it } from 'vitest';
import { UserFacingError } from '../errors';
import { UpstreamError } from '../integrations/upstream';
import { explainedFailure } from './failures';

describe('explainedFailure', () => {
  it('keeps failures written for people as values', () => {
    const down = new UpstreamError('MLflow', 'unreachable', 'MLflow cannot be reached at 127.0.0.1:5000');
    const invalid = new UserFacingError('"x" is not a model version number.');
    expect(explainedFailure(down)).toBe(down);
    expect(explainedFailure(invalid)).toBe(invalid);
  });

  it('lets a bug go on to the error page', () => {
    const bug = new TypeError('cannot read properties of undefined');
    expect(() => explainedFailure(bug)).toThrow(bug);
  });
});
