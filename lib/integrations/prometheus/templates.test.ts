import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_QUERY_TEMPLATES,
  escapeLabelValue,
  mergeQueryTemplates,
  queryTemplates,
  renderQuery,
} from './templates';

describe('renderQuery', () => {
  it('escapes strings for a quoted label value and writes numbers as they are', () => {
    const promql = renderQuery('rate(x{ns="{{namespace}}", svc="{{ service }}"}[{{windowSeconds}}s]) > {{quantile}}', {
      namespace: 'fraud',
      service: 'a"} or vector(1) or x{b="\\',
      windowSeconds: 120,
      quantile: 0.99,
    });
    expect(promql).toBe('rate(x{ns="fraud", svc="a\\"} or vector(1) or x{b=\\"\\\\"}[120s]) > 0.99');
  });

  it('escapes backslashes, quotes and control characters', () => {
    expect(escapeLabelValue('a\\b"c\nd\re\tf')).toBe('a\\\\b\\"c\\nd\\re\\tf');
    expect(escapeLabelValue('demand-forecast')).toBe('demand-forecast');
  });

  it('refuses a missing variable and a number that is not finite', () => {
    expect(() => renderQuery('x{a="{{namespace}}"}', {})).toThrow('needs {{namespace}}');
    expect(() => renderQuery('x[{{windowSeconds}}s]', { windowSeconds: NaN })).toThrow('finite number');
  });

  it('renders the defaults as tenant-scoped PromQL', () => {
    const promql = renderQuery(DEFAULT_QUERY_TEMPLATES.revisionLatencyQuantile, {
      namespace: 'forecast',
      service: 'demand-forecast',
      windowSeconds: 60,
      quantile: 0.5,
    });
    expect(promql).toBe(
      'histogram_quantile(0.5, sum by (revision_name, le) (rate(revision_request_latencies_bucket{namespace_name="forecast", configuration_name="demand-forecast-predictor"}[60s])))',
    );
  });
});

describe('template overrides', () => {
  it("merges an installation's templates over the defaults", () => {
    const override =
      'sum by (revision_name) (rate(my_requests_total{namespace="{{namespace}}", service="{{service}}"}[{{windowSeconds}}s]))';
    const templates = mergeQueryTemplates({ revisionRequestRate: override }, 'test.json');
    expect(templates.revisionRequestRate).toBe(override);
    expect(templates.revisionErrorRate).toBe(DEFAULT_QUERY_TEMPLATES.revisionErrorRate);
  });

  it('holds the defaults to the same rules as overrides', () => {
    expect(mergeQueryTemplates({ ...DEFAULT_QUERY_TEMPLATES }, 'the defaults')).toEqual(DEFAULT_QUERY_TEMPLATES);
  });

  it('refuses unknown templates, unknown placeholders and templates that are not tenant-scoped', () => {
    expect(() => mergeQueryTemplates({ revisionRequestRates: 'x' }, 'test.json')).toThrow(
      /test\.json are not usable: .*revisionRequestRate/,
    );
    expect(() => mergeQueryTemplates({ revisionErrorRate: 'x{n="{{namespace}}", p="{{pod}}"}' }, 'test.json')).toThrow(
      'revisionErrorRate uses {{pod}}, which is not one of {{namespace}}, {{service}}, {{windowSeconds}}',
    );
    expect(() =>
      mergeQueryTemplates(
        { revisionRequestRate: 'sum(rate(x{service="{{service}}"}[{{windowSeconds}}s]))' },
        'test.json',
      ),
    ).toThrow('revisionRequestRate must select by {{namespace}}');
    expect(() => mergeQueryTemplates(['x'], 'test.json')).toThrow('are not usable');
  });

  it('reads the file named by PROMETHEUS_QUERY_TEMPLATES, and says when it cannot', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'promql-'));
    const file = path.join(dir, 'templates.json');
    const override =
      'histogram_quantile({{quantile}}, sum by (revision_name, le) (rate(lat_bucket{ns="{{namespace}}"}[{{windowSeconds}}s])))';
    writeFileSync(file, JSON.stringify({ revisionLatencyQuantile: override }));
    expect(queryTemplates(file).revisionLatencyQuantile).toBe(override);
    expect(queryTemplates(undefined)).toBe(DEFAULT_QUERY_TEMPLATES);
    expect(() => queryTemplates(path.join(dir, 'missing.json'))).toThrow(
      /missing\.json \(PROMETHEUS_QUERY_TEMPLATES\) cannot be read/,
    );
  });
});
