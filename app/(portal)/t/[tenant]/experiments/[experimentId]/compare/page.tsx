import Link from 'next/link';
import { MetricChart } from '@/components/charts/metric-chart';
import { MetricPicker } from '@/components/experiments/metric-picker';
import { ProblemPage } from '@/components/experiments/problem-panel';
import { SideBySideTable } from '@/components/experiments/side-by-side-table';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { buttonClass } from '@/components/ui/styles';
import { attempt } from '@/lib/experiments/outcome';
import { loadComparison } from '@/lib/experiments/service';
import { openTenantPage, type TenantPageProps } from '../../../tenant-page';

export const metadata = { title: 'Compare runs' };

export default async function CompareRunsPage({ params, searchParams }: TenantPageProps<{ experimentId: string }>) {
  const { tenant, experimentId } = await openTenantPage(params, 'experiment.read');
  const { runs, metric, diff } = await searchParams;
  const experimentPath = `/t/${tenant.name}/experiments/${encodeURIComponent(experimentId)}`;
  const comparePath = `${experimentPath}/compare`;
  const onlyDiffering = diff === 'only';

  const comparison = await attempt(() =>
    loadComparison(tenant.name, runs, typeof metric === 'string' ? metric : undefined),
  );
  const back = (
    <Link href={experimentPath} className={buttonClass.link}>
      Back to the runs
    </Link>
  );
  if (!comparison.ok) {
    return (
      <>
        <p className="mb-2 text-sm">{back}</p>
        <ProblemPage heading="Compare runs" title="These runs cannot be compared" message={comparison.message} />
      </>
    );
  }

  const { value } = comparison;
  const runIds = value.runs.map((r) => r.runId);
  const columns = value.runs.map((r) => ({ runId: r.runId, runName: r.runName }));
  const paramRows = onlyDiffering ? value.params.filter((row) => row.differs) : value.params;
  const differing = value.params.filter((row) => row.differs).length;
  const linkWith = (changes: Record<string, string | undefined>) => {
    const search = new URLSearchParams({ runs: runIds.join(',') });
    for (const [key, v] of Object.entries({
      metric: value.metric,
      diff: onlyDiffering ? 'only' : undefined,
      ...changes,
    }))
      if (v) search.set(key, v);
    return `${comparePath}?${search.toString()}`;
  };

  return (
    <>
      <p className="mb-2 text-sm">{back}</p>
      <PageHeader
        title={`Compare ${value.runs.length} runs`}
        description={value.runs.map((r) => r.runName || r.runId.slice(0, 8)).join(' · ')}
      />
      <div className="space-y-6">
        <Card title="Metric curves">
          {value.metric ? (
            <div className="space-y-4">
              <MetricPicker
                action={comparePath}
                runIds={runIds}
                metricKeys={value.metricKeys}
                metric={value.metric}
                hidden={onlyDiffering ? { diff: 'only' } : {}}
              />
              <MetricChart
                title={value.metric}
                series={value.series.map((s) => ({ id: s.runId, label: s.runName, points: s.points }))}
                height={320}
              />
            </div>
          ) : (
            <p className="text-sm text-slate-600 dark:text-slate-400">These runs logged no metrics.</p>
          )}
        </Card>
        <Card title="Parameters">
          <p className="mb-3 text-sm text-slate-600 dark:text-slate-300">
            {differing} of {value.params.length} parameters differ.{' '}
            <Link href={linkWith({ diff: onlyDiffering ? '' : 'only' })} className={buttonClass.link}>
              {onlyDiffering ? 'Show all parameters' : 'Show only the differing ones'}
            </Link>
          </p>
          <SideBySideTable
            caption="Parameters of the compared runs"
            rows={paramRows}
            runs={columns}
            tenant={tenant.name}
          />
        </Card>
        <Card title="Metrics (latest values)">
          <SideBySideTable
            caption="Latest metric values of the compared runs"
            rows={value.metrics}
            runs={columns}
            tenant={tenant.name}
            numeric
            markDifferences={false}
          />
        </Card>
      </div>
    </>
  );
}
