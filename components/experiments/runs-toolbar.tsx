import Link from 'next/link';
import { Field } from '@/components/ui/field';
import { buttonClass, inputClass } from '@/components/ui/styles';
import {
  firstPage,
  PAGE_SIZES,
  runsQueryString,
  type ColumnKeys,
  type QueryProblems,
  type RunsQuery,
} from '@/lib/experiments/runs-query';
import { QueryFields } from './query-fields';

const FILTER_HINT =
  "Conditions joined by “and”, e.g. metrics.holdout_auc >= 0.9 and params.max_depth = '6'. Metrics and start_time/end_time compare with = != > >= < <=; params, tags, run_name, status and user_id with = != LIKE ILIKE.";

/** The filter, page size and column choice of the runs table: GET forms, so every state is a link. */
export function RunsToolbar({
  query,
  filterText,
  problems,
  basePath,
  available,
  shown,
}: {
  query: RunsQuery;
  /** The filter as typed, kept when it could not be read so it can be corrected. */
  filterText: string;
  problems: QueryProblems;
  basePath: string;
  available: ColumnKeys;
  shown: { metricColumns: string[]; paramColumns: string[] };
}) {
  return (
    <div className="mb-4 space-y-3">
      <form
        method="get"
        action={basePath}
        role="search"
        aria-label="Search runs"
        className="grid gap-3 md:grid-cols-[1fr_8rem_auto] md:items-start"
      >
        <QueryFields query={query} omit={['filter', 'size']} />
        <Field id="runs-filter" label="Filter" error={problems.filter} hint={FILTER_HINT}>
          {(props) => (
            <input
              {...props}
              name="filter"
              defaultValue={problems.filter ? filterText : query.filter}
              className={`${inputClass} font-mono`}
              autoComplete="off"
              spellCheck={false}
            />
          )}
        </Field>
        <Field id="runs-size" label="Runs per page">
          {(props) => (
            <select {...props} name="size" defaultValue={String(query.pageSize)} className={inputClass}>
              {PAGE_SIZES.map((size) => (
                <option key={size} value={size}>
                  {size}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className="flex gap-2 md:pt-6">
          <button type="submit" className={buttonClass.primary}>
            Apply
          </button>
          {query.filter || problems.filter ? (
            <Link
              href={`${basePath}${runsQueryString(firstPage({ ...query, filter: '', filters: [] }))}`}
              className={buttonClass.secondary}
            >
              Clear filter
            </Link>
          ) : null}
        </div>
      </form>

      <details className="rounded-lg border border-slate-200 bg-white p-3 text-sm dark:border-slate-700 dark:bg-slate-900">
        <summary className="cursor-pointer font-medium">
          Columns ({shown.metricColumns.length} metrics, {shown.paramColumns.length} params)
        </summary>
        <form method="get" action={basePath} className="mt-3 space-y-3" aria-label="Choose columns">
          <QueryFields query={query} omit={['metrics', 'params']} />
          {(['metrics', 'params'] as const).map((kind) => {
            const keys = kind === 'metrics' ? available.metricKeys : available.paramKeys;
            const chosen = kind === 'metrics' ? shown.metricColumns : shown.paramColumns;
            return (
              <fieldset key={kind}>
                <legend className="font-medium">{kind === 'metrics' ? 'Metrics' : 'Params'}</legend>
                {/* An empty value keeps "none chosen" apart from "not chosen yet" (the default columns). */}
                <input type="hidden" name={kind} value="" />
                {keys.length === 0 ? (
                  <p className="text-slate-600 dark:text-slate-400">None logged in the latest runs.</p>
                ) : null}
                <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1">
                  {keys.map((key) => (
                    <label key={key} className="inline-flex items-center gap-1.5 font-mono text-xs">
                      <input
                        type="checkbox"
                        name={kind}
                        value={key}
                        defaultChecked={chosen.includes(key)}
                        className="h-4 w-4"
                      />
                      {key}
                    </label>
                  ))}
                </div>
              </fieldset>
            );
          })}
          <button type="submit" className={buttonClass.secondary}>
            Show columns
          </button>
        </form>
      </details>
    </div>
  );
}
