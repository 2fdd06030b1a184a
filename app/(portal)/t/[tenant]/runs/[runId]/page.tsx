import Link from 'next/link';
import type { ReactNode } from 'react';
import { MetricChart } from '@/components/charts/metric-chart';
import { ArtifactBrowser } from '@/components/experiments/artifact-browser';
import { formatDurationBetween, formatNumber, formatTime } from '@/lib/format';
import { KeyValueTable } from '@/components/experiments/key-value-table';
import { isMissing, ProblemPage, ProblemPanel } from '@/components/experiments/problem-panel';
import { RunStatus } from '@/components/experiments/run-status';
import { Card } from '@/components/ui/card';
import { PageHeader } from '@/components/ui/page-header';
import { buttonClass } from '@/components/ui/styles';
import { listRunArtifacts, parseArtifactPath, type DownloadOutcome } from '@/lib/experiments/artifacts';
import { attempt } from '@/lib/experiments/outcome';
import { getExperiment, getRun, loadMetricHistories } from '@/lib/experiments/service';
import { openTenantPage, type TenantPageProps } from '../../tenant-page';

export const metadata = { title: 'Run' };

/** Set by the download route when it sends the browser back; fixed texts, so a link cannot put words on the page. */
const DOWNLOAD_PROBLEMS: Record<Exclude<DownloadOutcome, { ok: true }>['reason'], string> = {
  signin: 'Sign in again to download artifacts.',
  forbidden: 'You are not allowed to download this file.',
  invalid: 'That is not a file of this run.',
  'not-found': 'That file does not exist (any more).',
  unavailable: 'MLflow or object storage did not answer; try the download again.',
};

const sortedEntries = <T,>(record: Record<string, T>) => Object.entries(record).sort(([a], [b]) => a.localeCompare(b));

export default async function RunPage({ params, searchParams }: TenantPageProps<{ runId: string }>) {
  const { tenant, runId, may } = await openTenantPage(params, 'experiment.read');
  const { path, downloadError } = await searchParams;
  const experimentsPath = `/t/${tenant.name}/experiments`;

  const run = await attempt(() => getRun(tenant.name, runId));
  if (!run.ok) {
    const missing = isMissing(run);
    return (
      <ProblemPage
        heading={missing ? 'Run not found' : 'Run'}
        title={missing ? `There is no such run in ${tenant.name}` : 'The run could not be loaded'}
        message={run.message}
      >
        <Link href={experimentsPath} className={buttonClass.link}>
          All experiments
        </Link>
      </ProblemPage>
    );
  }

  const { value: r } = run;
  const runPath = `/t/${tenant.name}/runs/${r.runId}`;
  const [experiment, histories, artifacts] = await Promise.all([
    attempt(() => getExperiment(tenant.name, r.experimentId)),
    attempt(() => loadMetricHistories(tenant.name, r)),
    attempt(async () =>
      listRunArtifacts(tenant.name, r.artifactUri, parseArtifactPath(typeof path === 'string' ? path : undefined)),
    ),
  ]);
  const experimentName = experiment.ok ? experiment.value.name : `Experiment ${r.experimentId}`;
  const curves = histories.ok ? sortedEntries(histories.value).filter(([, points]) => points.length > 1) : [];
  const downloadProblem =
    typeof downloadError === 'string' && Object.hasOwn(DOWNLOAD_PROBLEMS, downloadError)
      ? DOWNLOAD_PROBLEMS[downloadError as keyof typeof DOWNLOAD_PROBLEMS]
      : undefined;
  const canDownload = may('artifact.download');

  const facts: [string, ReactNode][] = [
    ['Run id', <code key="id">{r.runId}</code>],
    [
      'Experiment',
      <Link key="exp" href={`${experimentsPath}/${encodeURIComponent(r.experimentId)}`} className={buttonClass.link}>
        {experimentName}
      </Link>,
    ],
    ['Status', <RunStatus key="status" status={r.status} />],
    ['Started', formatTime(r.startTime)],
    ['Ended', formatTime(r.endTime)],
    ['Duration', formatDurationBetween(r.startTime, r.endTime)],
    ['User', r.userId ?? '—'],
    [
      'Artifact location',
      <code key="uri" className="break-all text-xs">
        {r.artifactUri}
      </code>,
    ],
  ];

  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <ol className="flex flex-wrap gap-1">
          <li>
            <Link href={experimentsPath} className={buttonClass.link}>
              Experiments
            </Link>
            <span aria-hidden="true"> /</span>
          </li>
          <li>
            <Link href={`${experimentsPath}/${encodeURIComponent(r.experimentId)}`} className={buttonClass.link}>
              {experimentName}
            </Link>
            <span aria-hidden="true"> /</span>
          </li>
          <li aria-current="page">{r.runName || r.runId}</li>
        </ol>
      </nav>
      <PageHeader
        title={r.runName || r.runId}
        description={`Run ${r.runId}`}
        actions={<RunStatus status={r.status} />}
      />
      <div className="grid gap-6 xl:grid-cols-2">
        <Card title="Overview">
          <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2 text-sm">
            {facts.map(([label, value]) => (
              <div key={label} className="contents">
                <dt className="text-slate-600 dark:text-slate-400">{label}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
        </Card>
        <Card title="Parameters">
          <KeyValueTable caption="Parameters" rows={sortedEntries(r.params)} />
        </Card>
        <Card title="Metrics" className="xl:col-span-2">
          <div className="space-y-4">
            <KeyValueTable
              caption="Latest metric values"
              rows={sortedEntries(r.metrics).map(([key, value]) => [key, formatNumber(value)])}
              valueHeader="Latest value"
              numeric
            />
            {!histories.ok ? (
              <ProblemPanel title="The metric histories could not be loaded" message={histories.message} />
            ) : curves.length > 0 ? (
              <div className="grid gap-6 lg:grid-cols-2">
                {curves.map(([key, points]) => (
                  <MetricChart key={key} title={key} series={[{ id: r.runId, label: r.runName || key, points }]} />
                ))}
              </div>
            ) : (
              <p className="text-sm text-slate-600 dark:text-slate-400">
                Every metric of this run has a single value, so there are no curves to draw.
              </p>
            )}
          </div>
        </Card>
        <div id="artifacts" className="xl:col-span-2">
          <Card title="Artifacts">
            {downloadProblem ? (
              <div className="mb-3">
                <ProblemPanel title="The download did not start" message={downloadProblem} />
              </div>
            ) : null}
            {artifacts.ok ? (
              <ArtifactBrowser listing={artifacts.value} runPath={runPath} canDownload={canDownload} />
            ) : (
              <ProblemPanel title="The artifacts could not be listed" message={artifacts.message}>
                {typeof path === 'string' ? (
                  <Link href={`${runPath}#artifacts`} className={buttonClass.link}>
                    Back to the artifact root
                  </Link>
                ) : null}
              </ProblemPanel>
            )}
          </Card>
        </div>
        <Card title="Tags" className="xl:col-span-2">
          <KeyValueTable caption="Tags" rows={sortedEntries(r.tags)} />
        </Card>
      </div>
    </>
  );
}
