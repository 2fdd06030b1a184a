import { describe, expect, it } from 'vitest';
import { describePrometheusFailure, parseSampleValue } from './client';

describe('Prometheus answers', () => {
  it('reads sample values, NaN and infinities included', () => {
    expect(parseSampleValue('0.12')).toBe(0.12);
    expect(parseSampleValue('1e3')).toBe(1000);
    expect(parseSampleValue('NaN')).toBeNaN();
    expect(parseSampleValue('+Inf')).toBe(Infinity);
    expect(parseSampleValue('-Inf')).toBe(-Infinity);
    expect(() => parseSampleValue('abc')).toThrow('is not a sample value');
  });

  it('says why a query failed', () => {
    const body = JSON.stringify({
      status: 'error',
      errorType: 'bad_data',
      error: 'invalid parameter "query": 1:5: parse error: unclosed left parenthesis',
    });
    expect(describePrometheusFailure(400, body)).toEqual({
      kind: 'rejected',
      message: 'Prometheus rejected the query: invalid parameter "query": 1:5: parse error: unclosed left parenthesis',
    });
    expect(
      describePrometheusFailure(
        503,
        JSON.stringify({ status: 'error', errorType: 'timeout', error: 'query timed out in expression evaluation' }),
      ),
    ).toEqual({
      kind: 'timeout',
      message: 'Prometheus gave up on the query: query timed out in expression evaluation',
    });
    expect(describePrometheusFailure(502, '<html>Bad Gateway</html>')).toEqual({
      kind: 'rejected',
      message: 'Prometheus could not run the query (502)',
    });
  });
});
