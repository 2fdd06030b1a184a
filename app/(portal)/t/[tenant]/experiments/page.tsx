import Link from 'next/link';
import { ProblemPanel } from '@/components/experiments/problem-panel';
import { formatTime } from '@/components/experiments/format';
import { tableClass } from '@/components/experiments/table-styles';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { buttonClass } from '@/components/ui/styles';
import { requireTenant } from '@/lib/auth/session';
import { attempt } from '@/lib/experiments/outcome';
import { pageTokenSchema } from '@/lib/experiments/runs-query';
import { listExperiments } from '@/lib/experiments/service';

export const metadata = { title: 'Experiments' };

export default async function ExperimentsPage({
  params,
  searchParams,
}: {
  params: Promise<{ tenant: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { tenant: name } = await params;
  const { tenant } = await requireTenant(name, 'experiment.read');
  const { page } = await searchParams;
  const basePath = `/t/${tenant.name}/experiments`;
  const pageToken = pageTokenSchema.optional().safeParse(page);
  const result = pageToken.success
    ? await attempt(() => listExperiments(tenant.name, pageToken.data))
    : { ok: false as const, message: pageToken.error.issues[0]?.message ?? 'The page link is not valid.' };

  return (
    <>
      <PageHeader title="Experiments" description={`The MLflow experiments of ${tenant.displayName} (workspace ${tenant.name}). Open one to see, filter and compare its runs.`} />
      {!result.ok ? (
        <ProblemPanel title="The experiments could not be loaded" message={result.message}>
          {page !== undefined ? (
            <Link href={basePath} className={buttonClass.link}>
              Back to the first page
            </Link>
          ) : null}
        </ProblemPanel>
      ) : result.value.experiments.length === 0 ? (
        <EmptyState title="No experiments yet">
          Experiments appear here once a training job logs to MLflow with the tracking URI of the platform and the workspace <code>{tenant.name}</code>{' '}
          (for example <code>mlflow.set_experiment(&quot;{tenant.name}-my-model&quot;)</code>).
        </EmptyState>
      ) : (
        <>
          <div className={tableClass.frame}>
            <table className={tableClass.table} data-testid="experiments-table">
              <caption className="sr-only">Experiments of {tenant.name}</caption>
              <thead className={tableClass.head}>
                <tr>
                  <th scope="col" className={tableClass.headCell}>
                    Name
                  </th>
                  <th scope="col" className={tableClass.headCell}>
                    Description
                  </th>
                  <th scope="col" className={tableClass.headCell}>
                    Created
                  </th>
                  <th scope="col" className={tableClass.headCell}>
                    Last updated
                  </th>
                </tr>
              </thead>
              <tbody>
                {result.value.experiments.map((experiment) => (
                  <tr key={experiment.experimentId} className={tableClass.row} data-testid={`experiment-${experiment.name}`}>
                    <th scope="row" className={`${tableClass.cell} font-medium`}>
                      <Link href={`${basePath}/${experiment.experimentId}`} className="text-blue-700 hover:underline dark:text-blue-300">
                        {experiment.name}
                      </Link>
                    </th>
                    <td className={`${tableClass.cell} text-slate-700 dark:text-slate-300`}>{experiment.tags['mlflow.note.content'] ?? ''}</td>
                    <td className={`${tableClass.cell} whitespace-nowrap`}>{formatTime(experiment.creationTime)}</td>
                    <td className={`${tableClass.cell} whitespace-nowrap`}>{formatTime(experiment.lastUpdateTime)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {page !== undefined || result.value.nextPageToken ? (
            <nav aria-label="Pages of experiments" className="mt-4 flex gap-2">
              {page !== undefined ? (
                <Link href={basePath} className={buttonClass.secondary}>
                  First page
                </Link>
              ) : null}
              {result.value.nextPageToken ? (
                <Link href={`${basePath}?page=${encodeURIComponent(result.value.nextPageToken)}`} className={buttonClass.secondary} rel="next">
                  Next
                </Link>
              ) : null}
            </nav>
          ) : null}
        </>
      )}
    </>
  );
}
