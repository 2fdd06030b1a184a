import { UserFacingError } from '../errors';
import { isRunId } from '../integrations/mlflow';

/** Comparing runs side by side. Pure: no I/O. */

export const MAX_COMPARED_RUNS = 10;

/**
 * The run ids to compare, from `?runs=a,b,c` or `?runs=a&runs=b` (as a GET form sends them):
 * 2 to 10 distinct run ids, or a UserFacingError saying what is wrong.
 */
export function parseCompareRunIds(value: string | string[] | undefined): string[] {
  const ids = [
    ...new Set(
      (Array.isArray(value) ? value : [value ?? ''])
        .flatMap((v) => v.split(','))
        .map((v) => v.trim())
        .filter(Boolean),
    ),
  ];
  const malformed = ids.filter((id) => !isRunId(id));
  if (malformed.length > 0) {
    throw new UserFacingError(
      `Not MLflow run ids (32 lower-case hexadecimal characters): ${malformed.map((id) => `"${id.slice(0, 40)}"`).join(', ')}.`,
      'runs',
    );
  }
  if (ids.length > MAX_COMPARED_RUNS)
    throw new UserFacingError(
      `Compare at most ${MAX_COMPARED_RUNS} runs at a time; ${ids.length} were chosen.`,
      'runs',
    );
  if (ids.length < 2) throw new UserFacingError('Choose at least two runs to compare.', 'runs');
  return ids;
}

export interface SideBySideRow<T> {
  key: string;
  /** One value per record, in the records' order; undefined where a record lacks the key. */
  values: (T | undefined)[];
  /** Whether the values are not all the same (a missing value differs from any present one). */
  differs: boolean;
}

/** Every key of the records, sorted, with each record's value and whether they differ. */
export function sideBySide<T extends string | number>(records: readonly Record<string, T>[]): SideBySideRow<T>[] {
  const keys = [...new Set(records.flatMap((r) => Object.keys(r)))].sort((a, b) => a.localeCompare(b));
  return keys.map((key) => {
    const values = records.map((r) => (Object.hasOwn(r, key) ? r[key] : undefined));
    const distinct = new Set(values.map((v) => (v === undefined ? '\u0000missing' : String(v))));
    return { key, values, differs: distinct.size > 1 };
  });
}
