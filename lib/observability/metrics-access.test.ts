import { describe, expect, it } from 'vitest';
import { metricsAccess } from './metrics-access';

describe('metricsAccess', () => {
  it('lets everyone in when no token is configured', () => {
    expect(metricsAccess(null, undefined)).toBe('allowed');
    expect(metricsAccess('Bearer anything', '')).toBe('allowed');
  });

  it('asks for the configured bearer token', () => {
    expect(metricsAccess('Bearer s3cret', 's3cret')).toBe('allowed');
    expect(metricsAccess('bearer  s3cret ', 's3cret')).toBe('allowed');
    expect(metricsAccess(null, 's3cret')).toBe('missing');
    expect(metricsAccess('Bearer s3cre', 's3cret')).toBe('wrong');
    expect(metricsAccess('Bearer s3cretX', 's3cret')).toBe('wrong');
    expect(metricsAccess('Basic czNjcmV0', 's3cret')).toBe('wrong');
    expect(metricsAccess('s3cret', 's3cret')).toBe('wrong');
  });
});
