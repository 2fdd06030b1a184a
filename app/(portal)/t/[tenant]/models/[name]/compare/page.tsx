import type { Metadata } from 'next';
import Link from 'next/link';
import { ComparedVersions } from '@/components/models/compare/compared-versions';
import { EntriesDiff } from '@/components/models/compare/entries-diff';
import { MetricTrend } from '@/components/models/compare/metric-trend';
import { MetricsComparison } from '@/components/models/compare/metrics-comparison';
import { SignaturesComparison } from '@/components/models/compare/signatures-comparison';
import { VersionPairForm } from '@/components/models/compare/version-pair-form';
import { RegistryProblem } from '@/components/models/registry-problem';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { buttonClass } from '@/components/ui/styles';
import { readCompareQuery } from '@/lib/models/compare';
import { compareModelVersions } from '@/lib/models/compare-service';
import { explainedFailure } from '@/lib/models/failures';
import { compareVersionsHref, modelHref, modelNameFromParam } from '@/lib/models/links';
import { ModelNotFoundError } from '@/lib/models/service';
import { openTenantPage, type TenantPageProps } from '../../../tenant-page';

type Props = TenantPageProps<{ name: string }>;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Compare versions · ${modelNameFromParam((await params).name)}` };
}

export default async function CompareVersionsPage({ params, searchParams }: Props) {
  const { user, tenant, name: nameParam } = await openTenantPage(params, 'model.read');
  const modelName = modelNameFromParam(nameParam);
  const query = readCompareQuery(await searchParams);
  const comparison = await compareModelVersions(user, tenant.name, modelName, query).catch(explainedFailure);
  const backToModel = (
    <Link href={modelHref(tenant.name, modelName)} className={buttonClass.secondary}>
      Back to {modelName}
    </Link>
  );
  const header = (
    <PageHeader
      title="Compare versions"
      description={
        <>
          Two versions of <code className="font-mono">{modelName}</code> side by side — by default the champion and the
          newest.
        </>
      }
      actions={backToModel}
    />
  );

  if (comparison instanceof ModelNotFoundError) {
    return (
      <>
        <PageHeader title="Model not found" />
        <EmptyState title={comparison.message}>
          It may have been renamed or deleted in MLflow, or belong to another tenant.
        </EmptyState>
      </>
    );
  }
  if (comparison instanceof Error) {
    return (
      <>
        {header}
        <RegistryProblem title="The versions could not be compared">{comparison.message}</RegistryProblem>
      </>
    );
  }
  if (comparison.kind === 'too-few-versions') {
    const [only] = comparison.versions;
    return (
      <>
        {header}
        <EmptyState title={only ? `${comparison.model} has one version, v${only.version}` : 'No versions yet'}>
          {only
            ? 'There is nothing to compare it with until a second version is registered.'
            : 'Register versions of this model from runs in MLflow to compare them here.'}
        </EmptyState>
      </>
    );
  }

  const path = compareVersionsHref(tenant.name, comparison.model);
  if (comparison.kind === 'unknown-version') {
    return (
      <>
        {header}
        <RegistryProblem title="No such version">
          {comparison.model} has no version {comparison.unknown.map((v) => `“${v}”`).join(' or ')}. Choose two of its{' '}
          {comparison.versions.length} versions below.
        </RegistryProblem>
        <VersionPairForm path={path} versions={comparison.versions} differencesOnly={query.differencesOnly} />
      </>
    );
  }

  const { a, b, policy } = comparison;
  const switchHref = (differencesOnly: boolean) =>
    compareVersionsHref(tenant.name, comparison.model, { a: a.version, b: b.version, differencesOnly });
  return (
    <>
      {header}
      <VersionPairForm
        path={path}
        versions={comparison.versions}
        a={a.version}
        b={b.version}
        differencesOnly={query.differencesOnly}
      />
      <ComparedVersions tenant={tenant.name} a={a} b={b} />
      <div className="space-y-6">
        <Card title="Metrics">
          <MetricsComparison rows={comparison.metrics} a={a.version} b={b.version} policy={policy} />
        </Card>
        <Card title="Params and tags">
          <p className="mb-3 flex flex-wrap gap-3 text-sm" data-testid="differences-switch">
            <span className="text-slate-600 dark:text-slate-400">Show:</span>
            {[false, true].map((differencesOnly) => (
              <Link
                key={String(differencesOnly)}
                href={switchHref(differencesOnly)}
                scroll={false}
                aria-current={query.differencesOnly === differencesOnly ? 'true' : undefined}
                className={`${buttonClass.link} aria-[current=true]:text-slate-900 aria-[current=true]:underline dark:aria-[current=true]:text-slate-100`}
              >
                {differencesOnly ? 'Differences only' : 'All rows'}
              </Link>
            ))}
          </p>
          {(
            [
              ['Params', 'params', comparison.params, 'params-diff'],
              ['Version tags (registry)', 'version tags', comparison.versionTags, 'version-tags-diff'],
              ['Run tags', 'run tags', comparison.runTags, 'run-tags-diff'],
            ] as const
          ).map(([title, what, rows, testId]) => (
            <EntriesDiff
              key={testId}
              title={title}
              what={what}
              rows={rows}
              a={a.version}
              b={b.version}
              onlyDifferences={query.differencesOnly}
              testId={testId}
            />
          ))}
        </Card>
        <Card title="Signatures">
          <SignaturesComparison
            signatures={comparison.signatures}
            sideA={a.signature}
            sideB={b.signature}
            a={a.version}
            b={b.version}
          />
        </Card>
        <Card title={`Trend of ${policy.primaryMetric} across versions`}>
          <MetricTrend
            metric={policy.primaryMetric}
            points={comparison.trend}
            threshold={policy.primaryThreshold}
            a={a.version}
            b={b.version}
          />
        </Card>
      </div>
    </>
  );
}
