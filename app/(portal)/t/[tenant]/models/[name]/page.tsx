import type { Metadata } from 'next';
import Link from 'next/link';
import { AliasBadges } from '@/components/models/alias-badges';
import { RegistryProblem } from '@/components/models/registry-problem';
import { VersionChecks } from '@/components/platform-health/checks-panel';
import { VersionsTable } from '@/components/models/versions-table';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { buttonClass } from '@/components/ui/styles';
import { explainedFailure } from '@/lib/models/failures';
import { modelNameFromParam, modelsHref } from '@/lib/models/links';
import { getModelDetail, ModelNotFoundError, type ModelDetail } from '@/lib/models/service';
import { checksAtEach } from '@/lib/platform-health/service';
import { readPanel } from '@/lib/read-model/panel';
import { openTenantPage, type TenantPageProps } from '../../tenant-page';
import { Time } from '@/components/ui/time';

type Props = TenantPageProps<{ name: string }>;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: modelNameFromParam((await params).name) };
}

/** The distinct reasons object storage gave for the MLmodel files it could not show. */
function artifactProblems(model: ModelDetail): string[] {
  return [...new Set(model.versions.flatMap((v) => (v.artifact.state === 'unreadable' ? [v.artifact.problem] : [])))];
}

export default async function ModelPage({ params }: Props) {
  const { user, tenant, name: nameParam, may } = await openTenantPage(params, 'model.read');
  const modelName = modelNameFromParam(nameParam);
  const model = await getModelDetail(tenant.name, modelName).catch(explainedFailure);
  const allModels = (
    <Link href={modelsHref(tenant.name)} className={buttonClass.secondary}>
      All models of {tenant.displayName}
    </Link>
  );

  if (model instanceof ModelNotFoundError) {
    return (
      <>
        <PageHeader title="Model not found" />
        <EmptyState title={model.message} action={allModels}>
          It may have been renamed or deleted in MLflow, or belong to another tenant.
        </EmptyState>
      </>
    );
  }
  if (model instanceof Error) {
    return (
      <>
        <PageHeader title={modelName} actions={allModels} />
        <RegistryProblem title="This model could not be read">{model.message}</RegistryProblem>
      </>
    );
  }

  const canRequestPromotion = may('promotion.request');
  const problems = artifactProblems(model);
  // A version has no page of its own: its checks are shown per version under the table.
  const versionChecks =
    may('health.tenant.read') && model.versions.length > 0
      ? await readPanel('the platform health checks', async () => {
          const versions = model.versions.map((v) => v.version);
          const views = await checksAtEach(
            user,
            tenant.name,
            versions.map((version) => ({ kind: 'model-version', tenant: tenant.name, model: model.name, version })),
          );
          return views.map((view, i) => ({ version: versions[i]!, view }));
        })
      : null;
  return (
    <>
      <PageHeader
        title={model.name}
        description={model.description || 'No description in MLflow.'}
        actions={allModels}
      />
      <dl className="mb-6 flex flex-wrap gap-x-8 gap-y-3 text-sm">
        <div>
          <dt className="text-xs uppercase text-slate-600 dark:text-slate-400">Aliases</dt>
          <dd className="mt-1">
            <AliasBadges aliases={model.aliases} />
          </dd>
        </div>
        <div>
          <dt className="text-xs uppercase text-slate-600 dark:text-slate-400">Versions</dt>
          <dd className="mt-1">{model.versions.length}</dd>
        </div>
        <div>
          <dt className="text-xs uppercase text-slate-600 dark:text-slate-400">Last updated</dt>
          <dd className="mt-1">
            <Time at={model.lastUpdatedAt} />
          </dd>
        </div>
      </dl>
      {problems.length > 0 ? (
        <RegistryProblem title="Artifact and signature checks are incomplete" tone="warning">
          <p>
            Object storage could not show the MLmodel files, so whether they exist and carry a signature is unknown:
          </p>
          <ul className="mt-1 list-disc pl-5">
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </RegistryProblem>
      ) : null}
      {model.versions.length === 0 ? (
        <EmptyState title="No versions yet">
          Register a version of <code>{model.name}</code> from a run in MLflow; it then appears here with the run’s
          metrics.
        </EmptyState>
      ) : (
        <VersionsTable tenant={tenant.name} model={model} canRequestPromotion={canRequestPromotion} />
      )}
      {versionChecks ? <VersionChecks checks={versionChecks} /> : null}
    </>
  );
}
