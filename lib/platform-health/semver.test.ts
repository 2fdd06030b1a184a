import { describe, expect, it } from 'vitest';
import { atLeast, compareVersions, parseVersion } from './semver';

describe('version numbers', () => {
  it('reads the release part of what components report', () => {
    expect(parseVersion('v1.37.2')).toEqual([1, 37, 2]);
    expect(parseVersion('1.33.1-gke.100')).toEqual([1, 33, 1]);
    expect(parseVersion('0.15')).toEqual([0, 15]);
    expect(parseVersion('debian')).toBeNull();
  });

  it('compares numerically, not as text, and treats missing parts as zero', () => {
    expect(compareVersions('2.16.0', '2.9.4')).toBe(1);
    expect(compareVersions('v1.30', '1.30.0')).toBe(0);
    expect(compareVersions('3.17.2', '3.18')).toBe(-1);
    expect(compareVersions('latest', '1.0')).toBeNull();
  });

  it('says whether a version reaches a minimum, exactly at the boundary too', () => {
    expect(atLeast('2.16.0', '2.16')).toBe(true);
    expect(atLeast('2.15.9', '2.16')).toBe(false);
    expect(atLeast('unknown', '2.16')).toBe(false);
  });
});
