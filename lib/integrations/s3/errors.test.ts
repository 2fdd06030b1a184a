import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../upstream';
import { toStorageError } from './errors';

const context = { timeoutMs: 5000, endpoint: 'http://127.0.0.1:9000', what: 'workspaces/fraud/x' };
const sdkError = (name: string, status?: number) =>
  Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });

describe('toStorageError', () => {
  it('says when storage did not answer in time', () => {
    const error = toStorageError(Object.assign(new Error('aborted'), { name: 'AbortError' }), context);
    expect(error).toMatchObject({
      system: 'Object storage',
      kind: 'timeout',
      message: 'Object storage did not answer within 5 s',
    });
  });

  it('says when storage cannot be reached', () => {
    const error = toStorageError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), context);
    expect(error).toMatchObject({ kind: 'unreachable', message: 'Object storage cannot be reached at 127.0.0.1:9000' });
  });

  it('maps missing objects and refused credentials', () => {
    expect(toStorageError(sdkError('NoSuchKey', 404), context)).toMatchObject({
      kind: 'not-found',
      status: 404,
      message: 'Object storage has no workspaces/fraud/x',
    });
    expect(toStorageError(sdkError('NotFound', 404), context).kind).toBe('not-found');
    expect(toStorageError(sdkError('AccessDenied', 403), context)).toMatchObject({
      kind: 'forbidden',
      message: expect.stringContaining('S3 credentials'),
    });
  });

  it('keeps the status of other answers, so 5xx are retried', () => {
    expect(toStorageError(sdkError('InternalError', 503), context)).toMatchObject({ kind: 'rejected', status: 503 });
  });

  it('passes an UpstreamError through', () => {
    const original = new UpstreamError('Object storage', 'forbidden', 'outside');
    expect(toStorageError(original, context)).toBe(original);
  });
});
