import Link from 'next/link';
import { buttonClass } from '@/components/ui/styles';
import { firstPage, nextPage, previousPage, runsQueryString, type RunsQuery } from '@/lib/experiments/runs-query';

/** Next and Previous through MLflow's page tokens; "First page" when the trail of tokens ends. */
export function RunsPagination({
  query,
  nextPageToken,
  basePath,
  shown,
}: {
  query: RunsQuery;
  nextPageToken?: string;
  basePath: string;
  shown: number;
}) {
  const previous = previousPage(query);
  const onFirstPage = !query.pageToken;
  return (
    <nav aria-label="Pages of runs" className="mt-4 flex flex-wrap items-center gap-2 text-sm">
      {!onFirstPage ? (
        <Link href={`${basePath}${runsQueryString(firstPage(query))}`} className={buttonClass.secondary}>
          First page
        </Link>
      ) : null}
      {previous ? (
        <Link href={`${basePath}${runsQueryString(previous)}`} className={buttonClass.secondary} rel="prev">
          Previous
        </Link>
      ) : null}
      {nextPageToken ? (
        <Link
          href={`${basePath}${runsQueryString(nextPage(query, nextPageToken))}`}
          className={buttonClass.secondary}
          rel="next"
        >
          Next
        </Link>
      ) : null}
      <span className="text-slate-600 dark:text-slate-400">
        {shown} {shown === 1 ? 'run' : 'runs'} on this page
      </span>
    </nav>
  );
}
