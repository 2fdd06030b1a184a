import { describe, expect, it, vi } from 'vitest';
import { isTransient, UpstreamError, withRetry } from './upstream';

describe('retries of idempotent reads', () => {
  it('retry an unreachable upstream and 5xx/429 answers, not timeouts or refusals', () => {
    expect(isTransient(new UpstreamError('MLflow', 'unreachable', 'x'))).toBe(true);
    expect(isTransient(new UpstreamError('MLflow', 'rejected', 'x', 503))).toBe(true);
    expect(isTransient(new UpstreamError('MLflow', 'rejected', 'x', 429))).toBe(true);
    expect(isTransient(new UpstreamError('MLflow', 'timeout', 'x'))).toBe(false);
    expect(isTransient(new UpstreamError('MLflow', 'not-found', 'x', 404))).toBe(false);
    expect(isTransient(new UpstreamError('MLflow', 'forbidden', 'x', 403))).toBe(false);
    expect(isTransient(new Error('bug'))).toBe(false);
  });

  it('gives up after the allowed attempts with the last error', async () => {
    const attempt = vi.fn(async () => {
      throw new UpstreamError('Prometheus', 'unreachable', 'Prometheus cannot be reached at 127.0.0.1:1');
    });
    await expect(withRetry({ attempts: 3, baseDelayMs: 1 }, attempt)).rejects.toThrow('Prometheus cannot be reached');
    expect(attempt).toHaveBeenCalledTimes(3);
  });

  it('returns the first success', async () => {
    let calls = 0;
    const value = await withRetry({ attempts: 3, baseDelayMs: 1 }, async () => {
      calls += 1;
      if (calls === 1) throw new UpstreamError('Kubernetes', 'rejected', 'busy', 503);
      return 'ok';
    });
    expect(value).toBe('ok');
    expect(calls).toBe(2);
  });
});

describe('errors made by another copy of the module (another Next.js route, shared caches)', () => {
  it('are still upstream and user-facing errors, and other errors are not', async () => {
    const { UserFacingError } = await import('../errors');
    vi.resetModules();
    const copy = { ...(await import('./upstream')), ...(await import('../errors')) };
    expect(copy.UpstreamError).not.toBe(UpstreamError);
    expect(copy.UserFacingError).not.toBe(UserFacingError);

    expect(new copy.UpstreamError('Prometheus', 'unreachable', 'Prometheus cannot be reached')).toBeInstanceOf(
      UpstreamError,
    );
    expect(new copy.UserFacingError('Nope')).toBeInstanceOf(UserFacingError);
    expect(new Error('plain')).not.toBeInstanceOf(UpstreamError);
    expect(new Error('plain')).not.toBeInstanceOf(UserFacingError);
    expect(new copy.UserFacingError('Nope')).not.toBeInstanceOf(UpstreamError);
    // A subclass is still checked along the prototype chain.
    class NotFound extends UserFacingError {}
    expect(new NotFound('gone')).toBeInstanceOf(UserFacingError);
    expect(new UserFacingError('other')).not.toBeInstanceOf(NotFound);
  });
});
