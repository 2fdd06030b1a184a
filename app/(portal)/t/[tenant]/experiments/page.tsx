import Link from 'next/link';
import { ProblemPanel } from '@/components/experiments/problem-panel';
import { formatTime } from '@/lib/format';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { PageLinks } from '@/components/ui/page-links';
import { buttonClass } from '@/components/ui/styles';
import { cellClass, DataTable, rowClass } from '@/components/ui/table';
import { attempt } from '@/lib/experiments/outcome';
import { pageTokenSchema } from '@/lib/experiments/runs-query';
import { listExperiments } from '@/lib/experiments/service';
import { openTenantPage, type TenantPageProps } from '../tenant-page';

export const metadata = { title: 'Experiments' };

export default async function ExperimentsPage({ params, searchParams }: TenantPageProps) {
  const { tenant } = await openTenantPage(params, 'experiment.read');
  const { page } = await searchParams;
  const basePath = `/t/${tenant.name}/experiments`;
  const pageToken = pageTokenSchema.optional().safeParse(page);
  const result = pageToken.success
    ? await attempt(() => listExperiments(tenant.name, pageToken.data))
    : { ok: false as const, message: pageToken.error.issues[0]?.message ?? 'The page link is not valid.' };

  return (
    <>
      <PageHeader
        title="Experiments"
        description={`The MLflow experiments of ${tenant.displayName} (workspace ${tenant.name}). Open one to see, filter and compare its runs.`}
      />
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
          Experiments appear here once a training job logs to MLflow with the tracking URI of the platform and the
          workspace <code>{tenant.name}</code> (for example{' '}
          <code>mlflow.set_experiment(&quot;{tenant.name}-my-model&quot;)</code>).
        </EmptyState>
      ) : (
        <>
          <DataTable
            caption={`Experiments of ${tenant.name}`}
            columns={['Name', 'Description', 'Created', 'Last updated']}
            testId="experiments-table"
          >
            {result.value.experiments.map((experiment) => (
              <tr key={experiment.experimentId} className={rowClass} data-testid={`experiment-${experiment.name}`}>
                <th scope="row" className={`${cellClass} font-medium`}>
                  <Link
                    href={`${basePath}/${experiment.experimentId}`}
                    className="text-blue-700 hover:underline dark:text-blue-300"
                  >
                    {experiment.name}
                  </Link>
                </th>
                <td className={`${cellClass} text-slate-700 dark:text-slate-300`}>
                  {experiment.tags['mlflow.note.content'] ?? ''}
                </td>
                <td className={`${cellClass} whitespace-nowrap`}>{formatTime(experiment.creationTime)}</td>
                <td className={`${cellClass} whitespace-nowrap`}>{formatTime(experiment.lastUpdateTime)}</td>
              </tr>
            ))}
          </DataTable>
          <PageLinks
            label="Pages of experiments"
            firstHref={page !== undefined ? basePath : undefined}
            nextHref={
              result.value.nextPageToken
                ? `${basePath}?page=${encodeURIComponent(result.value.nextPageToken)}`
                : undefined
            }
          />
        </>
      )}
    </>
  );
}
