import { describe, expect, it } from 'vitest';
import {
  formatAge,
  formatBytes,
  formatDuration,
  formatDurationBetween,
  formatNumber,
  formatPercent,
  formatSignedNumber,
  formatTime,
  fractionToPercent,
  percentToFraction,
} from '.';

const HOUR = 3_600_000;

describe('formatTime', () => {
  it('writes moments in UTC to the minute, whatever they are given as', () => {
    expect(formatTime('2026-12-07T04:15:59.900Z')).toBe('2026-12-07 04:15 UTC');
    expect(formatTime(new Date('2026-12-07T04:15:00Z'))).toBe('2026-12-07 04:15 UTC');
    expect(formatTime(Date.parse('2026-01-02T03:04:05Z'))).toBe('2026-01-02 03:04 UTC');
  });

  it('writes a dash for a moment nobody knows (MLflow writes 0)', () => {
    expect([formatTime(undefined), formatTime(null), formatTime(0), formatTime('not a time')]).toEqual([
      '—',
      '—',
      '—',
      '—',
    ]);
  });
});

describe('formatDuration', () => {
  it('writes spans in their two largest units', () => {
    expect(
      [
        45_000,
        38 * 60_000,
        12 * 60_000 + 5_000,
        2 * HOUR,
        2 * HOUR + 5 * 60_000,
        26 * HOUR,
        3 * 24 * HOUR,
        3 * 24 * HOUR + 4 * HOUR,
      ].map(formatDuration),
    ).toEqual(['45 s', '38 min', '12 min 5 s', '2 h', '2 h 5 min', '1 d 2 h', '3 d', '3 d 4 h']);
  });

  it('writes short spans in milliseconds or tenths of a second, and never a negative span', () => {
    expect([350, 2_500, 5_000, 0, -5].map(formatDuration)).toEqual(['350 ms', '2.5 s', '5 s', '0 s', '0 s']);
  });

  it('writes the span between two times, or a dash when either is unknown or they are out of order', () => {
    expect(formatDurationBetween(1_000_000, 1_000_000 + 19 * 60_000)).toBe('19 min');
    expect([formatDurationBetween(undefined, 5), formatDurationBetween(10, 5), formatDurationBetween(0, 5)]).toEqual([
      '—',
      '—',
      '—',
    ]);
  });

  it('writes how long ago a moment was', () => {
    const now = '2025-01-10T12:00:00.000Z';
    expect(formatAge('2025-01-10T11:59:20.000Z', now)).toBe('40 s');
    expect(formatAge('2025-01-10T11:48:00.000Z', now)).toBe('12 min');
    expect(formatAge('2025-01-08T08:00:00.000Z', now)).toBe('2 d 4 h');
    expect(formatAge('2025-01-10T11:59:57.400Z', now)).toBe('3 s');
    expect(formatAge('2025-01-10T12:00:05.000Z', now)).toBe('0 s');
  });
});

describe('formatNumber', () => {
  it('keeps four significant digits', () => {
    expect([0.9664570230607965, 12.34567, 0.000123456, 0, -0.5, 42].map(formatNumber)).toEqual([
      '0.9665',
      '12.35',
      '0.0001235',
      '0',
      '-0.5',
      '42',
    ]);
  });

  it('shows large values as whole numbers and says when a value is not a number', () => {
    expect([123456.7, Number.NaN, Number.POSITIVE_INFINITY].map(formatNumber)).toEqual(['123457', 'NaN', 'Infinity']);
  });
});

describe('formatSignedNumber', () => {
  it('always writes the sign of a change, with a real minus sign', () => {
    expect([0.012345, -0.5, 0, -0.020000000000000018].map(formatSignedNumber)).toEqual([
      '+0.01235',
      '−0.5',
      '0',
      '−0.02',
    ]);
  });
});

describe('formatPercent and formatBytes', () => {
  it('writes ratios as percentages without trailing zeros, small ones with two decimals', () => {
    expect([0.95, 0.857, 1, 0, 0.0035, 0.001, 0.121, 0.01].map(formatPercent)).toEqual([
      '95 %',
      '85.7 %',
      '100 %',
      '0 %',
      '0.35 %',
      '0.1 %',
      '12.1 %',
      '1 %',
    ]);
  });

  it('writes sizes in binary units', () => {
    expect([512, 1536, 230 * 1024 * 1024].map(formatBytes)).toEqual(['512 B', '1.5 KiB', '230 MiB']);
  });
});

describe('fractionToPercent and percentToFraction', () => {
  it('converts percentages without floating-point noise', () => {
    expect(percentToFraction(99.9)).toBe(0.999);
    expect(percentToFraction(95)).toBe(0.95);
    expect(percentToFraction(0.5)).toBe(0.005);
    expect(fractionToPercent(0.999)).toBe(99.9);
    expect(fractionToPercent(0.0001)).toBe(0.01);
  });
});
