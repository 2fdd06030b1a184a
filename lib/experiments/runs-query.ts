import { z } from 'zod';
import { UserFacingError } from '../errors';

/**
 * The runs table's state lives in the URL (deep links, back button). This module reads it with
 * zod into a RunsQuery, writes MLflow's `filter` and `order_by` strings from that structure (never
 * from the raw text, so nothing typed can reach MLflow unparsed), and builds the links that change
 * one part of it. Pure: no I/O.
 */

export type ColumnKind = 'metrics' | 'params' | 'tags' | 'attributes';

export interface ColumnRef {
  kind: ColumnKind;
  key: string;
}

const NUMERIC_OPS = ['=', '!=', '>', '>=', '<', '<='] as const;
const STRING_OPS = ['=', '!=', 'LIKE', 'ILIKE'] as const;
export type FilterOp = (typeof NUMERIC_OPS)[number] | (typeof STRING_OPS)[number];

export interface FilterClause {
  column: ColumnRef;
  op: FilterOp;
  value: string | number;
}

export type SortDirection = 'asc' | 'desc';

export interface RunsQuery {
  /** The filter as it will be sent to MLflow (canonical form of what was typed); '' for none. */
  filter: string;
  filters: FilterClause[];
  sort: { column: ColumnRef; direction: SortDirection };
  pageSize: number;
  /** MLflow's token for the current page; absent on the first page. */
  pageToken?: string;
  /** Tokens of the pages before this one, oldest first (FIRST_PAGE for the first), for "Previous". */
  previousTokens: string[];
  /** Chosen columns; undefined means "a default choice from the keys available". */
  metricColumns?: string[];
  paramColumns?: string[];
}

/** What could not be read from the URL, by parameter; those parts fell back to their defaults. */
export type QueryProblems = Partial<Record<'filter' | 'sort' | 'size' | 'page' | 'columns', string>>;

export const PAGE_SIZES = [10, 25, 50, 100] as const;
const DEFAULT_PAGE_SIZE = 25;
export const DEFAULT_SORT = {
  column: { kind: 'attributes', key: 'start_time' },
  direction: 'desc',
} as const satisfies RunsQuery['sort'];
/** Stands for "the first page" (which has no token) in the trail of previous pages. */
export const FIRST_PAGE = '~';
/** How many pages back "Previous" can go; "First page" always works. */
const MAX_TRAIL = 30;
const MAX_FILTER_LENGTH = 2000;
const MAX_CHOSEN_COLUMNS = 30;

/** Run attributes MLflow can filter and sort on, and whether they compare as numbers. */
const RUN_ATTRIBUTES: Record<string, 'string' | 'number'> = {
  run_name: 'string',
  status: 'string',
  user_id: 'string',
  start_time: 'number',
  end_time: 'number',
};

// MLflow keys: letters, digits, underscores, dashes, periods, spaces, slashes (and colons from some loggers).
const KEY_PATTERN = /^[A-Za-z0-9_\-./: ]{1,250}$/;
const PAGE_TOKEN_PATTERN = /^[A-Za-z0-9+/=_-]{1,1024}$/;
const NUMBER_PATTERN = /^[-+]?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?$/i;

const KIND_ALIASES: Record<string, ColumnKind> = {
  metric: 'metrics',
  metrics: 'metrics',
  param: 'params',
  params: 'params',
  parameter: 'params',
  parameters: 'params',
  tag: 'tags',
  tags: 'tags',
  attr: 'attributes',
  attribute: 'attributes',
  attributes: 'attributes',
};

const EXAMPLE = "metrics.holdout_auc >= 0.9 and params.max_depth = '6'";

function fail(message: string, field: keyof QueryProblems): never {
  throw new UserFacingError(message, field);
}

function checkKey(kind: ColumnKind, key: string, field: keyof QueryProblems): void {
  if (!KEY_PATTERN.test(key)) {
    fail(
      `"${key.slice(0, 60)}" is not a ${kind.replace(/s$/, '')} name: use letters, digits and _ - . / : or spaces.`,
      field,
    );
  }
  if (kind === 'attributes' && !(key in RUN_ATTRIBUTES)) {
    fail(`Runs have no attribute "${key.slice(0, 60)}"; use one of ${Object.keys(RUN_ATTRIBUTES).join(', ')}.`, field);
  }
}

/** `metrics.holdout_auc` → {kind, key}; the key may be wrapped in backticks or double quotes. */
function parseColumnRef(text: string, field: keyof QueryProblems = 'sort'): ColumnRef {
  const match = /^\s*([A-Za-z]+)\.(`[^`]*`|"[^"]*"|.+?)\s*$/.exec(text);
  const kind = match ? KIND_ALIASES[match[1]!.toLowerCase()] : undefined;
  if (!match || !kind)
    fail(
      `"${text.slice(0, 60)}" is not a column: write metrics.<name>, params.<name>, tags.<name> or attributes.<name>.`,
      field,
    );
  const key = /^[`"]/.test(match[2]!) ? match[2]!.slice(1, -1) : match[2]!;
  checkKey(kind, key, field);
  return { kind, key };
}

function isNumericColumn(column: ColumnRef): boolean {
  return column.kind === 'metrics' || (column.kind === 'attributes' && RUN_ATTRIBUTES[column.key] === 'number');
}

/** Splits on `and` outside quotes; MLflow's search grammar has only AND. */
function splitConditions(text: string): string[] {
  const parts: string[] = [];
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"' || c === '`') {
      quote = c;
    } else if (/\s/.test(c) && /^\s+and(\s|$)/i.test(text.slice(i))) {
      parts.push(text.slice(start, i));
      i += /^\s+and/i.exec(text.slice(i))![0].length;
      start = i;
    }
  }
  if (quote) fail(`A quote (${quote}) is not closed in the filter.`, 'filter');
  parts.push(text.slice(start));
  return parts.map((p) => p.trim());
}

const CONDITION = /^([A-Za-z]+\.(?:`[^`]*`|"[^"]*"|[^\s=!<>]+))\s*(!=|>=|<=|=|>|<|\s(?:i?like)\s)\s*(.*)$/i;

function parseValue(column: ColumnRef, raw: string, condition: string): string | number {
  const label = `${column.kind}.${column.key}`;
  const quotedString = /^'([^']*)'$/.exec(raw) ?? /^"([^"]*)"$/.exec(raw);
  if (isNumericColumn(column)) {
    const text = quotedString ? quotedString[1]! : raw;
    if (!NUMBER_PATTERN.test(text))
      fail(
        `${label} compares with a number; "${raw.slice(0, 40)}" is not one (in "${condition.slice(0, 80)}").`,
        'filter',
      );
    return Number(text);
  }
  if (quotedString) return quotedString[1]!;
  // A bare word or number is taken as the string it spells: params.max_depth = 6 means '6'.
  if (/^[A-Za-z0-9_\-.:/%+]+$/.test(raw)) return raw;
  return fail(
    `Put the value of ${label} in quotes, e.g. ${label} = 'value' (in "${condition.slice(0, 80)}").`,
    'filter',
  );
}

function parseCondition(condition: string): FilterClause {
  if (condition === '') fail(`A condition is empty: write conditions joined by "and", e.g. ${EXAMPLE}.`, 'filter');
  const outsideQuotes = condition.replace(/'[^']*'|"[^"]*"|`[^`]*`/g, "''");
  if (/\sor\s/i.test(outsideQuotes))
    fail('MLflow filters combine conditions with "and" only; "or" is not supported.', 'filter');
  const match = CONDITION.exec(condition);
  if (!match)
    fail(
      `"${condition.slice(0, 80)}" is not a condition: write <metrics|params|tags|attributes>.<name> <operator> <value>, e.g. ${EXAMPLE}.`,
      'filter',
    );
  const column = parseColumnRef(match[1]!, 'filter');
  const op = match[2]!.trim().toUpperCase() as FilterOp;
  const allowed: readonly string[] = isNumericColumn(column) ? NUMERIC_OPS : STRING_OPS;
  if (!allowed.includes(op))
    fail(`${column.kind}.${column.key} compares with ${allowed.join(' ')}, not ${op}.`, 'filter');
  const value = parseValue(column, match[3]!.trim(), condition);
  if (typeof value === 'string' && value.length > 500) fail('A filter value is longer than 500 characters.', 'filter');
  return { column, op, value };
}

/** Parses the filter as typed; throws a UserFacingError (field `filter`) saying what is wrong. */
export function parseFilter(text: string): FilterClause[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  if (trimmed.length > MAX_FILTER_LENGTH) fail(`The filter is longer than ${MAX_FILTER_LENGTH} characters.`, 'filter');
  if (/[\u0000-\u001f;]/.test(trimmed)) fail('The filter may not contain semicolons or control characters.', 'filter');
  return splitConditions(trimmed).map(parseCondition);
}

function keyForMlflow(key: string): string {
  return /^[A-Za-z0-9_]+$/.test(key) ? key : `\`${key}\``;
}

function columnForMlflow(column: ColumnRef): string {
  return `${column.kind}.${keyForMlflow(column.key)}`;
}

/** MLflow's filter string for the clauses ('' for none). */
export function toMlflowFilter(clauses: readonly FilterClause[]): string {
  return clauses
    .map(({ column, op, value }) => {
      const literal = typeof value === 'number' ? String(value) : value.includes("'") ? `"${value}"` : `'${value}'`;
      return `${columnForMlflow(column)} ${op} ${literal}`;
    })
    .join(' and ');
}

/** MLflow's order_by entry for the sort. */
export function toMlflowOrderBy(sort: RunsQuery['sort']): string[] {
  return [`${columnForMlflow(sort.column)} ${sort.direction.toUpperCase()}`];
}

type RawParams = Record<string, string | string[] | undefined>;

function first(raw: RawParams, name: string): string | undefined {
  const value = raw[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Repeated (`?metrics=a&metrics=b`, as a GET form sends) or comma-separated (`?metrics=a,b`). */
function list(raw: RawParams, name: string): string[] | undefined {
  const value = raw[name];
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value : [value])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

const pageSizeSchema = z.coerce
  .number({ message: 'The page size must be a number.' })
  .refine((n) => (PAGE_SIZES as readonly number[]).includes(n), `Choose a page size of ${PAGE_SIZES.join(', ')}.`);
export const pageTokenSchema = z
  .string()
  .regex(PAGE_TOKEN_PATTERN, 'The page link is not valid; start again from the first page.');
const trailSchema = z.array(z.union([z.literal(FIRST_PAGE), pageTokenSchema])).transform((t) => t.slice(-MAX_TRAIL));
const directionSchema = z.enum(['asc', 'desc'], { message: 'The sort direction must be asc or desc.' });

function zodMessage(error: z.ZodError): string {
  return error.issues[0]?.message ?? 'Not valid.';
}

/**
 * The runs table's query parameters for a caller that is not the page (the REST API): the same
 * names, read by `parseRunsQuery` as the page reads its URL (`refuseUnreadableRunsQuery`), except
 * that a part which does not read is refused with its message instead of falling back to its default.
 */
export const runsSearchParams = {
  filter: z
    .string()
    .max(MAX_FILTER_LENGTH)
    .optional()
    .meta({ description: `Conditions joined by "and", e.g. ${EXAMPLE}` }),
  sort: z
    .string()
    .max(300)
    .optional()
    .meta({
      description: `The column to sort by: metrics.<name>, params.<name>, tags.<name> or attributes.<${Object.keys(RUN_ATTRIBUTES).join('|')}>; default attributes.start_time`,
    }),
  dir: directionSchema.optional().meta({ description: 'Sort direction; default desc' }),
  size: z
    .enum(PAGE_SIZES.map(String) as [string, ...string[]], {
      message: `Choose a page size of ${PAGE_SIZES.join(', ')}.`,
    })
    .optional()
    .meta({ description: `Runs per page; default ${DEFAULT_PAGE_SIZE}` }),
  page: pageTokenSchema.optional().meta({ description: 'The `nextPageToken` of the page before' }),
};

/** For `.superRefine` on a schema with `runsSearchParams`: what `parseRunsQuery` could not read, as issues. */
export function refuseUnreadableRunsQuery(params: RawParams, ctx: z.RefinementCtx): void {
  for (const [field, message] of Object.entries(parseRunsQuery(params).problems))
    ctx.addIssue({ code: 'custom', path: [field], message });
}

/** Reads the runs table's URL search params. Anything unreadable falls back to its default and is reported. */
export function parseRunsQuery(raw: RawParams): { query: RunsQuery; problems: QueryProblems } {
  const problems: QueryProblems = {};
  const attempt = <T>(field: keyof QueryProblems, fallback: T, read: () => T): T => {
    try {
      return read();
    } catch (error) {
      if (error instanceof UserFacingError) problems[field] ??= error.message;
      else if (error instanceof z.ZodError) problems[field] ??= zodMessage(error);
      else throw error;
      return fallback;
    }
  };

  const filters = attempt('filter', [] as FilterClause[], () => parseFilter(first(raw, 'filter') ?? ''));
  const sortText = first(raw, 'sort');
  const sort = attempt('sort', DEFAULT_SORT as RunsQuery['sort'], () => ({
    column: sortText ? parseColumnRef(sortText) : DEFAULT_SORT.column,
    direction: directionSchema.parse(first(raw, 'dir') ?? 'desc'),
  }));
  const sizeText = first(raw, 'size');
  const pageSize = attempt('size', DEFAULT_PAGE_SIZE, () =>
    sizeText ? pageSizeSchema.parse(sizeText) : DEFAULT_PAGE_SIZE,
  );
  const page = attempt('page', { pageToken: undefined as string | undefined, previousTokens: [] as string[] }, () => {
    const token = first(raw, 'page');
    return {
      pageToken: token ? pageTokenSchema.parse(token) : undefined,
      previousTokens: trailSchema.parse(list(raw, 'prev') ?? []),
    };
  });
  const columns = (kind: 'metrics' | 'params') =>
    attempt('columns', undefined, () => {
      const keys = list(raw, kind);
      if (keys === undefined) return undefined;
      if (keys.length > MAX_CHOSEN_COLUMNS) fail(`Choose at most ${MAX_CHOSEN_COLUMNS} ${kind} columns.`, 'columns');
      for (const key of keys) checkKey(kind, key, 'columns');
      return [...new Set(keys)];
    });

  return {
    query: {
      filter: toMlflowFilter(filters),
      filters,
      sort,
      pageSize,
      ...page,
      metricColumns: columns('metrics'),
      paramColumns: columns('params'),
    },
    problems,
  };
}

/** The URL search string for a query (defaults left out), starting with '?' or empty. */
export function runsQueryString(query: RunsQuery): string {
  const params = new URLSearchParams();
  if (query.filter) params.set('filter', query.filter);
  const isDefaultSort =
    query.sort.column.kind === DEFAULT_SORT.column.kind &&
    query.sort.column.key === DEFAULT_SORT.column.key &&
    query.sort.direction === DEFAULT_SORT.direction;
  if (!isDefaultSort) {
    params.set('sort', `${query.sort.column.kind}.${query.sort.column.key}`);
    params.set('dir', query.sort.direction);
  }
  if (query.pageSize !== DEFAULT_PAGE_SIZE) params.set('size', String(query.pageSize));
  if (query.metricColumns) params.set('metrics', query.metricColumns.join(','));
  if (query.paramColumns) params.set('params', query.paramColumns.join(','));
  if (query.pageToken) params.set('page', query.pageToken);
  if (query.previousTokens.length > 0) params.set('prev', query.previousTokens.join(','));
  const text = params.toString();
  return text ? `?${text}` : '';
}

const FIRST_PAGE_STATE = { pageToken: undefined, previousTokens: [] };

/** Sorting by a column: a new column starts descending (best metrics first), the same column flips. */
export function sortedBy(query: RunsQuery, column: ColumnRef): RunsQuery {
  const same = query.sort.column.kind === column.kind && query.sort.column.key === column.key;
  const direction: SortDirection = same
    ? query.sort.direction === 'desc'
      ? 'asc'
      : 'desc'
    : column.kind === 'attributes' && column.key === 'run_name'
      ? 'asc'
      : 'desc';
  return { ...query, ...FIRST_PAGE_STATE, sort: { column, direction } };
}

export function firstPage(query: RunsQuery): RunsQuery {
  return { ...query, ...FIRST_PAGE_STATE };
}

export function nextPage(query: RunsQuery, nextPageToken: string): RunsQuery {
  return {
    ...query,
    pageToken: nextPageToken,
    previousTokens: [...query.previousTokens, query.pageToken ?? FIRST_PAGE].slice(-MAX_TRAIL),
  };
}

/** The page before, or undefined when the trail does not reach back (then offer the first page). */
export function previousPage(query: RunsQuery): RunsQuery | undefined {
  const before = query.previousTokens.at(-1);
  if (before === undefined) return undefined;
  return {
    ...query,
    pageToken: before === FIRST_PAGE ? undefined : before,
    previousTokens: query.previousTokens.slice(0, -1),
  };
}

export interface ColumnKeys {
  metricKeys: string[];
  paramKeys: string[];
}

const sortedUnique = (keys: Iterable<string>) => [...new Set(keys)].sort((a, b) => a.localeCompare(b));

/** The metric and param keys present in some runs, sorted: the columns one can choose. */
export function keysOfRuns(
  runs: readonly { metrics: Record<string, number>; params: Record<string, string> }[],
): ColumnKeys {
  return {
    metricKeys: sortedUnique(runs.flatMap((r) => Object.keys(r.metrics))),
    paramKeys: sortedUnique(runs.flatMap((r) => Object.keys(r.params))),
  };
}

export function unionOfKeys(...sets: ColumnKeys[]): ColumnKeys {
  return {
    metricKeys: sortedUnique(sets.flatMap((s) => s.metricKeys)),
    paramKeys: sortedUnique(sets.flatMap((s) => s.paramKeys)),
  };
}

const DEFAULT_METRIC_COLUMNS = 6;
const DEFAULT_PARAM_COLUMNS = 4;

/** The columns to show: those chosen in the URL, or the first few keys available. */
export function chooseColumns(
  query: RunsQuery,
  available: ColumnKeys,
): { metricColumns: string[]; paramColumns: string[] } {
  return {
    metricColumns: query.metricColumns ?? available.metricKeys.slice(0, DEFAULT_METRIC_COLUMNS),
    paramColumns: query.paramColumns ?? available.paramKeys.slice(0, DEFAULT_PARAM_COLUMNS),
  };
}
