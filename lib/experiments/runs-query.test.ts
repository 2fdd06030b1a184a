import { describe, expect, it } from 'vitest';
import {
  chooseColumns,
  DEFAULT_SORT,
  FIRST_PAGE,
  firstPage,
  keysOfRuns,
  nextPage,
  parseFilter,
  parseRunsQuery,
  previousPage,
  runsQueryString,
  sortedBy,
  toMlflowFilter,
  toMlflowOrderBy,
} from './runs-query';

const filterOf = (text: string) => toMlflowFilter(parseFilter(text));

describe('parseFilter → MLflow filter', () => {
  it('reads metrics, params, tags and attributes, ANDed', () => {
    expect(filterOf("metrics.holdout_auc >= 0.9 and params.max_depth = '6'")).toBe(
      "metrics.holdout_auc >= 0.9 and params.max_depth = '6'",
    );
    expect(filterOf('metric.holdout_auc>0.9 AND param.max_depth=6')).toBe(
      "metrics.holdout_auc > 0.9 and params.max_depth = '6'",
    );
    expect(filterOf("tags.`mlp.seed` != '1' and attributes.status = 'FINISHED'")).toBe(
      "tags.`mlp.seed` != '1' and attributes.status = 'FINISHED'",
    );
    expect(filterOf('attributes.start_time > 1700000000000')).toBe('attributes.start_time > 1700000000000');
    expect(filterOf("attributes.run_name like 'gbm-0%'")).toBe("attributes.run_name LIKE 'gbm-0%'");
  });

  it('quotes keys that are not plain identifiers and picks a quote the value lacks', () => {
    expect(filterOf('tags.mlp.dataset = fraud-synthetic-v1')).toBe("tags.`mlp.dataset` = 'fraud-synthetic-v1'");
    expect(filterOf(`params.note = "it's"`)).toBe(`params.note = "it's"`);
    expect(filterOf('params.note = \'say "hi"\'')).toBe('params.note = \'say "hi"\'');
  });

  it('keeps "and" inside quotes as part of the value', () => {
    expect(parseFilter("params.optimizer = 'sgd and momentum'")).toEqual([
      { column: { kind: 'params', key: 'optimizer' }, op: '=', value: 'sgd and momentum' },
    ]);
  });

  it('is empty for an empty filter', () => {
    expect(parseFilter('   ')).toEqual([]);
    expect(toMlflowFilter([])).toBe('');
  });

  it.each([
    ['holdout_auc >= 0.9', /is not a condition/],
    ['metrics.holdout_auc >= high', /compares with a number/],
    ["metrics.holdout_auc LIKE '0.9%'", /compares with = != > >= < <=, not LIKE/],
    ['params.max_depth > 6', /compares with = != LIKE ILIKE, not >/],
    ['metrics.a > 1 or metrics.b > 2', /"or" is not supported/],
    ["params.a = 'x' or 1=1", /"or" is not supported/],
    ["params.a = 'x'; drop table runs", /semicolons/],
    ["params.a = 'x' and", /not a condition|empty/],
    ["params.a = 'unclosed", /not closed/],
    ['attributes.artifact_uri = x', /no attribute "artifact_uri"/],
    ['metrics.`bad`name` > 1', /not closed|not a metric name|not a condition/],
    ['params.a = x y', /Put the value of params.a in quotes/],
    ['files.a = 1', /not a column/],
  ])('refuses %s with a clear message', (text, message) => {
    expect(() => parseFilter(text)).toThrow(message);
  });

  it('refuses a filter that is too long', () => {
    expect(() => parseFilter(`metrics.a > ${'1'.repeat(2100)}`)).toThrow(/longer than 2000/);
  });
});

describe('sort → MLflow order_by', () => {
  it('writes the column and direction', () => {
    expect(toMlflowOrderBy({ column: { kind: 'metrics', key: 'holdout_auc' }, direction: 'desc' })).toEqual([
      'metrics.holdout_auc DESC',
    ]);
    expect(toMlflowOrderBy({ column: { kind: 'params', key: 'max depth' }, direction: 'asc' })).toEqual([
      'params.`max depth` ASC',
    ]);
    expect(toMlflowOrderBy(DEFAULT_SORT)).toEqual(['attributes.start_time DESC']);
  });
});

describe('parseRunsQuery', () => {
  it('reads a full deep link', () => {
    const { query, problems } = parseRunsQuery({
      filter: 'metrics.holdout_auc >= 0.9',
      sort: 'metrics.holdout_auc',
      dir: 'asc',
      size: '50',
      page: 'eyJvZmZzZXQiOiA1MH0=',
      prev: `${FIRST_PAGE},eyJvZmZzZXQiOiAyNX0=`,
      metrics: ['holdout_auc', 'cv_f1_mean'],
      params: 'max_depth,learning_rate',
    });
    expect(problems).toEqual({});
    expect(query).toEqual({
      filter: 'metrics.holdout_auc >= 0.9',
      filters: [{ column: { kind: 'metrics', key: 'holdout_auc' }, op: '>=', value: 0.9 }],
      sort: { column: { kind: 'metrics', key: 'holdout_auc' }, direction: 'asc' },
      pageSize: 50,
      pageToken: 'eyJvZmZzZXQiOiA1MH0=',
      previousTokens: [FIRST_PAGE, 'eyJvZmZzZXQiOiAyNX0='],
      metricColumns: ['holdout_auc', 'cv_f1_mean'],
      paramColumns: ['max_depth', 'learning_rate'],
    });
  });

  it('uses defaults for an empty URL', () => {
    const { query, problems } = parseRunsQuery({});
    expect(problems).toEqual({});
    expect(query).toMatchObject({
      filter: '',
      filters: [],
      sort: DEFAULT_SORT,
      pageSize: 25,
      pageToken: undefined,
      previousTokens: [],
    });
    expect(query.metricColumns).toBeUndefined();
  });

  it('reports each malformed part and falls back for it alone', () => {
    const { query, problems } = parseRunsQuery({
      filter: 'metrics.x >= y',
      sort: 'metrics.a; DROP',
      size: '1000',
      page: 'not a token!',
      metrics: 'ok,`bad`',
      params: 'max_depth',
    });
    expect(problems.filter).toMatch(/compares with a number/);
    expect(problems.sort).toMatch(/not a metric name/);
    expect(problems.size).toMatch(/page size of 10, 25, 50, 100/);
    expect(problems.page).toMatch(/page link is not valid/);
    expect(problems.columns).toMatch(/not a metric name/);
    expect(query).toMatchObject({
      filter: '',
      sort: DEFAULT_SORT,
      pageSize: 25,
      pageToken: undefined,
      paramColumns: ['max_depth'],
    });
    expect(query.metricColumns).toBeUndefined();
  });

  it('refuses an unknown sort direction and attribute', () => {
    expect(parseRunsQuery({ sort: 'metrics.a', dir: 'sideways' }).problems.sort).toMatch(/asc or desc/);
    expect(parseRunsQuery({ sort: 'attributes.password' }).problems.sort).toMatch(/no attribute/);
  });
});

describe('links', () => {
  const base = parseRunsQuery({ filter: "params.max_depth = '6'", metrics: 'holdout_auc' }).query;

  it('round-trips through the URL', () => {
    const query = nextPage(sortedBy(base, { kind: 'metrics', key: 'holdout_auc' }), 'dG9rZW4x');
    const search = new URLSearchParams(runsQueryString(query));
    expect(parseRunsQuery(Object.fromEntries(search)).query).toEqual(query);
  });

  it('leaves defaults out', () => {
    expect(runsQueryString(parseRunsQuery({}).query)).toBe('');
  });

  it('flips the direction of the same column and starts a new column descending, on the first page', () => {
    const paged = nextPage(base, 'dG9rZW4x');
    const byAuc = sortedBy(paged, { kind: 'metrics', key: 'holdout_auc' });
    expect(byAuc.sort.direction).toBe('desc');
    expect(byAuc.pageToken).toBeUndefined();
    expect(byAuc.previousTokens).toEqual([]);
    expect(sortedBy(byAuc, { kind: 'metrics', key: 'holdout_auc' }).sort.direction).toBe('asc');
    expect(sortedBy(base, { kind: 'attributes', key: 'run_name' }).sort.direction).toBe('asc');
  });

  it('goes forward and back through the pages with the trail of tokens', () => {
    const page2 = nextPage(base, 'cGFnZTI=');
    const page3 = nextPage(page2, 'cGFnZTM=');
    expect(page3.previousTokens).toEqual([FIRST_PAGE, 'cGFnZTI=']);
    const back = previousPage(page3)!;
    expect(back.pageToken).toBe('cGFnZTI=');
    const start = previousPage(back)!;
    expect(start.pageToken).toBeUndefined();
    expect(previousPage(start)).toBeUndefined();
    expect(firstPage(page3)).toMatchObject({ pageToken: undefined, previousTokens: [] });
  });

  it('keeps a bounded trail', () => {
    let query = base;
    for (let i = 0; i < 40; i++) query = nextPage(query, `cGFnZ${i}`);
    expect(query.previousTokens).toHaveLength(30);
  });
});

describe('columns', () => {
  const runs: { metrics: Record<string, number>; params: Record<string, string> }[] = [
    { metrics: { b: 1, a: 2 }, params: { z: '1' } },
    { metrics: { c: 3 }, params: { y: '2', z: '3' } },
  ];

  it('lists the keys of the runs', () => {
    expect(keysOfRuns(runs)).toEqual({ metricKeys: ['a', 'b', 'c'], paramKeys: ['y', 'z'] });
  });

  it('uses the columns chosen in the URL, else the first keys', () => {
    const available = { metricKeys: ['a', 'b', 'c', 'd', 'e', 'f', 'g'], paramKeys: ['p', 'q', 'r', 's', 't'] };
    expect(chooseColumns(parseRunsQuery({}).query, available)).toEqual({
      metricColumns: ['a', 'b', 'c', 'd', 'e', 'f'],
      paramColumns: ['p', 'q', 'r', 's'],
    });
    expect(chooseColumns(parseRunsQuery({ metrics: 'g', params: '' }).query, available)).toEqual({
      metricColumns: ['g'],
      paramColumns: [],
    });
  });
});
