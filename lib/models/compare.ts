/**
 * Champion vs challenger, as pure decisions: which two versions a comparison shows by default,
 * how each metric's change reads under the tenant's policy, what differs between two versions'
 * params, tags and signatures, and the primary metric across every version. No I/O here; the
 * gathering is in compare-service.ts.
 */
import type { ModelSignature, SchemaColumn } from '../integrations/mlflow';
import { withinRegressionTolerance } from '../promotion/gates';
import type { Policy } from '../promotion/policy';

export interface VersionPair {
  /** The baseline, e.g. the champion. */
  a: string;
  /** The candidate, e.g. the newest version; deltas are b − a. */
  b: string;
}

export interface VersionOption {
  version: string;
  aliases: readonly string[];
}

function newestFirst<V extends VersionOption>(versions: readonly V[]): V[] {
  return versions.toSorted((x, y) => Number(y.version) - Number(x.version));
}

/**
 * What a comparison shows when no version is asked for: the version holding the policy's alias
 * (the champion) against the newest; when the champion is the newest, or there is none, the
 * version before the newest against the newest. `null` with fewer than two versions.
 */
export function defaultPair(versions: readonly VersionOption[], alias: string): VersionPair | null {
  const [newest, previous] = newestFirst(versions);
  if (!newest || !previous) return null;
  const champion = versions.find((v) => v.aliases.includes(alias));
  return { a: champion && champion !== newest ? champion.version : previous.version, b: newest.version };
}

export type PairChoice =
  | { kind: 'pair'; pair: VersionPair }
  | { kind: 'too-few-versions' }
  /** The asked-for versions the model does not have, as they were asked for. */
  | { kind: 'unknown-version'; unknown: string[] };

/** The pair to compare: the asked-for versions, each one not asked for from `defaultPair`. */
export function choosePair(
  versions: readonly VersionOption[],
  alias: string,
  requested: { a?: string; b?: string },
): PairChoice {
  const fallback = defaultPair(versions, alias);
  if (!fallback) return { kind: 'too-few-versions' };
  const known = new Set(versions.map((v) => v.version));
  const unknown = [requested.a, requested.b].filter((v): v is string => v !== undefined && !known.has(v));
  if (unknown.length > 0) return { kind: 'unknown-version', unknown: [...new Set(unknown)] };
  return { kind: 'pair', pair: { a: requested.a ?? fallback.a, b: requested.b ?? fallback.b } };
}

/**
 * How a metric's change from a to b reads. The policy's primary metric is judged as the
 * regression gate judges a challenger against the champion (lib/promotion/gates.ts: the same
 * `b − a >= −tolerance`): a gain, no change, a drop within the tolerance, or a regression beyond
 * it. Other metrics have no direction the policy knows of: their change is only reported.
 */
export type MetricVerdict =
  'gain' | 'unchanged' | 'within-tolerance' | 'regression' | 'reported' | 'one-side-only' | 'neither';

export interface MetricComparison {
  metric: string;
  a: number | null;
  b: number | null;
  /** b − a, when both versions' runs logged the metric. */
  delta: number | null;
  primary: boolean;
  verdict: MetricVerdict;
}

export function judgePrimaryDelta(
  delta: number,
  tolerance: number,
  scale = 1,
): Extract<MetricVerdict, 'gain' | 'unchanged' | 'within-tolerance' | 'regression'> {
  if (delta > 0) return 'gain';
  if (delta === 0) return 'unchanged';
  return withinRegressionTolerance(delta, tolerance, scale) ? 'within-tolerance' : 'regression';
}

/**
 * Every metric either version's run logged, side by side: the policy's primary metric first (also
 * when neither logged it, since that is worth knowing), then the others by name.
 */
export function compareMetrics(
  a: Readonly<Record<string, number>> | null,
  b: Readonly<Record<string, number>> | null,
  policy: Pick<Policy, 'primaryMetric' | 'regressionTolerance'>,
): MetricComparison[] {
  const others = [...new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])]
    .filter((metric) => metric !== policy.primaryMetric)
    .sort((x, y) => x.localeCompare(y));
  return [policy.primaryMetric, ...others].map((metric) => {
    const primary = metric === policy.primaryMetric;
    const valueA = a?.[metric] ?? null;
    const valueB = b?.[metric] ?? null;
    if (valueA === null || valueB === null) {
      const verdict = valueA === null && valueB === null ? 'neither' : 'one-side-only';
      return { metric, a: valueA, b: valueB, delta: null, primary, verdict };
    }
    const delta = valueB - valueA;
    const verdict = primary
      ? judgePrimaryDelta(delta, policy.regressionTolerance, Math.max(Math.abs(valueA), Math.abs(valueB)))
      : 'reported';
    return { metric, a: valueA, b: valueB, delta, primary, verdict };
  });
}

export type EntryChange = 'same' | 'changed' | 'added' | 'removed';

/** One param or tag of both versions; `added` is only b's, `removed` only a's. */
export interface EntryDiff {
  key: string;
  a: string | null;
  b: string | null;
  change: EntryChange;
}

/** Every key of either side, by name, with what changed from a to b. */
export function diffEntries(
  a: Readonly<Record<string, string>> | null,
  b: Readonly<Record<string, string>> | null,
): EntryDiff[] {
  const keys = [...new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])].sort((x, y) => x.localeCompare(y));
  return keys.map((key) => {
    const valueA = a?.[key] ?? null;
    const valueB = b?.[key] ?? null;
    const change: EntryChange =
      valueA === null ? 'added' : valueB === null ? 'removed' : valueA === valueB ? 'same' : 'changed';
    return { key, a: valueA, b: valueB, change };
  });
}

/** The "differences only" switch. */
export function differencesOnly<Row extends { change: string }>(rows: readonly Row[]): Row[] {
  return rows.filter((row) => row.change !== 'same');
}

// MLflow's own run tags (`mlflow.*`) are bookkeeping — the logged-model history alone is a long
// JSON that differs for every run — except these, which say who ran what code.
const COMPARED_SYSTEM_TAGS = new Set([
  'mlflow.user',
  'mlflow.source.name',
  'mlflow.source.type',
  'mlflow.source.git.commit',
  'mlflow.source.git.branch',
]);

/** The run tags worth comparing: the user's own, and MLflow's few that say where the run came from. */
export function comparableRunTags(tags: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(tags).filter(([key]) => !key.startsWith('mlflow.') || COMPARED_SYSTEM_TAGS.has(key)),
  );
}

/** A version's signature as far as it is known: logged (with its schemas), none logged, or unknown (no readable MLmodel). */
export type SignatureSide =
  { state: 'logged'; signature: ModelSignature } | { state: 'none' } | { state: 'unknown'; problem: string };

export type ColumnChange = 'same' | 'added' | 'removed' | 'type-changed';

export interface ColumnDiff {
  name: string;
  a: SchemaColumn | null;
  b: SchemaColumn | null;
  change: ColumnChange;
}

/**
 * One schema (inputs or outputs) of both versions, column by column — a's order, then b's new
 * columns — or why it cannot be compared: the side(s) whose signature or schema is unknown.
 */
export type SchemaComparison =
  { comparable: true; columns: ColumnDiff[] } | { comparable: false; unknown: ('a' | 'b')[] };

export interface SignatureComparison {
  inputs: SchemaComparison;
  outputs: SchemaComparison;
}

/** The columns of one side's schema; no signature (or none of this schema) is no columns; `null` when unknown. */
function columnsOf(side: SignatureSide, schema: keyof ModelSignature): SchemaColumn[] | null {
  if (side.state === 'unknown') return null;
  if (side.state === 'none') return [];
  const columns = side.signature[schema];
  if (columns === 'unreadable') return null;
  return columns ?? [];
}

function diffColumns(a: readonly SchemaColumn[], b: readonly SchemaColumn[]): ColumnDiff[] {
  const byNameB = new Map(b.map((column) => [column.name, column]));
  const namesA = new Set(a.map((column) => column.name));
  const fromA = a.map((columnA): ColumnDiff => {
    const columnB = byNameB.get(columnA.name) ?? null;
    if (!columnB) return { name: columnA.name, a: columnA, b: null, change: 'removed' };
    const same = columnA.type === columnB.type && columnA.required === columnB.required;
    return { name: columnA.name, a: columnA, b: columnB, change: same ? 'same' : 'type-changed' };
  });
  const added = b
    .filter((column) => !namesA.has(column.name))
    .map((column): ColumnDiff => ({ name: column.name, a: null, b: column, change: 'added' }));
  return [...fromA, ...added];
}

function compareSchema(a: SignatureSide, b: SignatureSide, schema: keyof ModelSignature): SchemaComparison {
  const columnsA = columnsOf(a, schema);
  const columnsB = columnsOf(b, schema);
  if (columnsA === null || columnsB === null)
    return {
      comparable: false,
      unknown: [...(columnsA === null ? ['a' as const] : []), ...(columnsB === null ? ['b' as const] : [])],
    };
  return { comparable: true, columns: diffColumns(columnsA, columnsB) };
}

/** Inputs and outputs compared column by column: added, removed, type (or optionality) changed. */
export function compareSignatures(a: SignatureSide, b: SignatureSide): SignatureComparison {
  return { inputs: compareSchema(a, b, 'inputs'), outputs: compareSchema(a, b, 'outputs') };
}

export interface TrendPoint {
  version: string;
  /** `null` when the version's run did not log the metric (or is gone). */
  value: number | null;
  /** Whether the value passes the policy's threshold gate (`value >= min`); `null` without a value or a threshold. */
  meetsThreshold: boolean | null;
}

/** One metric across every version, oldest first, each value against the policy's threshold for it. */
export function metricTrend(
  versions: readonly { version: string; metrics: Readonly<Record<string, number>> | null }[],
  metric: string,
  threshold: number | null,
): TrendPoint[] {
  return versions
    .toSorted((x, y) => Number(x.version) - Number(y.version))
    .map((v) => {
      const value = v.metrics?.[metric] ?? null;
      return {
        version: v.version,
        value,
        meetsThreshold: value === null || threshold === null ? null : value >= threshold,
      };
    });
}

/** The policy's minimum for a metric (a blocking gate), or `null` when it sets none. */
export function thresholdOf(policy: Pick<Policy, 'thresholds'>, metric: string): number | null {
  return policy.thresholds.find((t) => t.metric === metric)?.min ?? null;
}

/** The comparison's query string (`?a=4&b=5&diff=1`), as a page receives it; a version longer than any real one is cut (and then unknown). */
export function readCompareQuery(query: Readonly<Record<string, string | string[] | undefined>>): {
  a?: string;
  b?: string;
  differencesOnly: boolean;
} {
  const version = (value: string | string[] | undefined) => {
    const first = (Array.isArray(value) ? value[0] : value)?.trim().slice(0, 20);
    return first || undefined;
  };
  return { a: version(query.a), b: version(query.b), differencesOnly: version(query.diff) === '1' };
}
