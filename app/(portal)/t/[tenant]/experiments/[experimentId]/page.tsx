import Link from 'next/link';
import { CompareSelection } from '@/components/experiments/compare-selection';
import { isMissing, ProblemPage, ProblemPanel } from '@/components/experiments/problem-panel';
import { RunsPagination } from '@/components/experiments/runs-pagination';
import { RunsTable } from '@/components/experiments/runs-table';
import { RunsToolbar } from '@/components/experiments/runs-toolbar';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { buttonClass } from '@/components/ui/styles';
import { MAX_COMPARED_RUNS } from '@/lib/experiments/compare';
import { attempt } from '@/lib/experiments/outcome';
import { chooseColumns, keysOfRuns, parseRunsQuery, unionOfKeys } from '@/lib/experiments/runs-query';
import { getExperiment, sampleRunKeys, searchRunsPage } from '@/lib/experiments/service';
import { openTenantPage, type TenantPageProps } from '../../tenant-page';

export const metadata = { title: 'Runs' };

export default async function ExperimentRunsPage({ params, searchParams }: TenantPageProps<{ experimentId: string }>) {
  const { tenant, experimentId } = await openTenantPage(params, 'experiment.read');
  const raw = await searchParams;
  const { query, problems } = parseRunsQuery(raw);
  const listPath = `/t/${tenant.name}/experiments`;
  const basePath = `${listPath}/${encodeURIComponent(experimentId)}`;

  // A filter that does not parse is never sent: the table waits until it is corrected.
  const [experiment, sample, page] = await Promise.all([
    attempt(() => getExperiment(tenant.name, experimentId)),
    attempt(() => sampleRunKeys(tenant.name, experimentId)),
    problems.filter ? undefined : attempt(() => searchRunsPage(tenant.name, experimentId, query)),
  ]);

  const back = (
    <Link href={listPath} className={buttonClass.link}>
      All experiments
    </Link>
  );
  if (!experiment.ok) {
    const missing = isMissing(experiment);
    return (
      <ProblemPage
        heading={missing ? 'Experiment not found' : 'Experiment'}
        title={
          missing
            ? `There is no experiment ${experimentId.slice(0, 64)} in ${tenant.name}`
            : 'The experiment could not be loaded'
        }
        message={experiment.message}
      >
        {back}
      </ProblemPage>
    );
  }

  const pageRuns = page?.ok ? page.value.runs : [];
  const available = unionOfKeys(keysOfRuns(pageRuns), ...(sample.ok ? [sample.value] : []));
  const shown = chooseColumns(query, available);
  const otherProblems = Object.entries(problems).filter(([field]) => field !== 'filter');
  const filterText = typeof raw.filter === 'string' ? raw.filter : '';

  return (
    <>
      <p className="mb-2 text-sm">{back}</p>
      <PageHeader
        title={experiment.value.name}
        description={experiment.value.tags['mlflow.note.content'] ?? `Experiment ${experiment.value.experimentId}`}
      />
      <RunsToolbar
        query={query}
        filterText={filterText}
        problems={problems}
        basePath={basePath}
        available={available}
        shown={shown}
      />
      {otherProblems.length > 0 ? (
        <div className="mb-4">
          <ProblemPanel
            title="Part of the link could not be used; defaults are shown instead"
            message={otherProblems.map(([, message]) => message).join(' ')}
          />
        </div>
      ) : null}
      {page === undefined ? (
        <ProblemPanel
          title="The filter could not be read"
          message="Correct the filter above (or clear it) to see the runs."
        />
      ) : !page.ok ? (
        <ProblemPanel title="The runs could not be loaded" message={page.message}>
          <Link href={basePath} className={buttonClass.link}>
            Start again without filter and paging
          </Link>
        </ProblemPanel>
      ) : pageRuns.length === 0 ? (
        <EmptyState title={query.filter ? 'No runs match this filter' : 'No runs yet'}>
          {query.filter
            ? 'Loosen or clear the filter to see more runs.'
            : 'Runs appear here as soon as a training job logs to this experiment with mlflow.start_run().'}
        </EmptyState>
      ) : (
        <>
          <CompareSelection action={`${basePath}/compare`} max={MAX_COMPARED_RUNS}>
            <RunsTable tenant={tenant.name} runs={pageRuns} query={query} basePath={basePath} {...shown} />
          </CompareSelection>
          <RunsPagination
            query={query}
            nextPageToken={page.value.nextPageToken}
            basePath={basePath}
            shown={pageRuns.length}
          />
        </>
      )}
      {!sample.ok ? (
        <p className="mt-4 text-sm text-slate-600 dark:text-slate-400">
          The column choices come from this page only: {sample.message}
        </p>
      ) : null}
    </>
  );
}
