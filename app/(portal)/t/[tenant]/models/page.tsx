import Link from 'next/link';
import { ModelsTable } from '@/components/models/models-table';
import { RegistryProblem } from '@/components/models/registry-problem';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { PageLinks } from '@/components/ui/page-links';
import { buttonClass } from '@/components/ui/styles';
import { explainedFailure } from '@/lib/models/failures';
import { modelsHref } from '@/lib/models/links';
import { listModels } from '@/lib/models/service';
import { openTenantPage, type TenantPageProps } from '../tenant-page';

export const metadata = { title: 'Models' };

export default async function ModelsPage({ params, searchParams }: TenantPageProps) {
  const { tenant, may } = await openTenantPage(params, 'model.read');
  const { page } = await searchParams;
  const pageToken = (Array.isArray(page) ? page[0] : page) || undefined;
  const listing = await listModels(tenant.name, { pageToken }).catch(explainedFailure);
  const canBrowseRuns = may('experiment.read');

  return (
    <>
      <PageHeader
        title="Registered models"
        description={`The models in the MLflow registry of ${tenant.displayName}, with their aliases. Open one to see every version, its run's metrics and whether its files are complete.`}
      />
      {listing instanceof Error ? (
        <RegistryProblem title="The model registry could not be read">
          <p>{listing.message}</p>
          {pageToken ? (
            <p className="mt-2">
              <Link href={modelsHref(tenant.name)} className="font-medium underline">
                Back to the first page
              </Link>
            </p>
          ) : null}
        </RegistryProblem>
      ) : listing.models.length === 0 && !pageToken ? (
        <EmptyState
          title="No registered models yet"
          action={
            canBrowseRuns ? (
              <Link href={`/t/${tenant.name}/experiments`} className={buttonClass.primary}>
                Find a run in Experiments
              </Link>
            ) : undefined
          }
        >
          Register a model version from a run in MLflow: open the run in the MLflow UI (workspace{' '}
          <code>{tenant.name}</code>) and choose “Register model”, or call{' '}
          <code>mlflow.register_model(&quot;runs:/&lt;run id&gt;/model&quot;, &quot;&lt;model name&gt;&quot;)</code>.
          The model and its versions then appear here.
        </EmptyState>
      ) : (
        <>
          <ModelsTable tenant={tenant.name} models={listing.models} />
          <PageLinks
            label="Pages of models"
            firstHref={pageToken ? modelsHref(tenant.name) : undefined}
            nextHref={listing.nextPageToken ? modelsHref(tenant.name, listing.nextPageToken) : undefined}
            nextLabel="Next page"
          />
        </>
      )}
    </>
  );
}
