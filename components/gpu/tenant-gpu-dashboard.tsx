'use client';

import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { cellClass, DataTable, NoValue, numericCellClass, rowClass } from '@/components/ui/table';
import { useLiveData } from '@/components/ui/use-live-data';
import { GPU_HISTORY_HOURS, GPU_METRICS_WINDOW_SECONDS, IDLE_UTIL_PERCENT } from '@/lib/quota/gpu';
import type { PodGpuMetrics, TenantGpuMetrics, TenantGpuView } from '@/lib/quota/service';
import type { GpuPodState } from '@/lib/quota/workloads';
import { gpuCount, mibText, PendingBadge, percent, UsageBar, utilText } from './parts';
import { QuotaForm } from './quota-form';
import { UtilisationChart } from './utilisation-chart';
import { PanelMessage } from '@/components/ui/panel-message';
import { Stat } from '@/components/ui/stat';
import { Time } from '@/components/ui/time';
import { AsOf, pollFreshness } from '@/components/ui/as-of';

/** How often the page asks for fresh data (it is read from the portal's watch caches: cheap). */
const REFRESH_MS = 10_000;
const WINDOW_MINUTES = GPU_METRICS_WINDOW_SECONDS / 60;

const STATE_LABELS: Record<GpuPodState, { label: string; tone: 'good' | 'info' | 'warn' | 'neutral' }> = {
  running: { label: 'Running', tone: 'good' },
  starting: { label: 'Starting', tone: 'info' },
  unscheduled: { label: 'Waiting', tone: 'warn' },
  terminating: { label: 'Terminating', tone: 'neutral' },
};

function podMetricsOf(metrics: TenantGpuView['metrics'], pod: string): PodGpuMetrics | null | 'unavailable' {
  if (!metrics.ok) return 'unavailable';
  return metrics.data.byPod[pod] ?? null;
}

function MetricCells({ metrics }: { metrics: PodGpuMetrics | null | 'unavailable' }) {
  if (metrics === 'unavailable' || metrics === null) {
    const reason = metrics === null ? 'no GPU metrics reported for this pod' : 'GPU metrics unavailable';
    return (
      <>
        <td className={numericCellClass}>
          <NoValue reason={reason} />
        </td>
        <td className={numericCellClass}>
          <NoValue reason={reason} />
        </td>
        <td className={cellClass}>
          <NoValue reason={reason} />
        </td>
      </>
    );
  }
  return (
    <>
      <td className={numericCellClass}>{utilText(metrics.utilPercent)}</td>
      <td className={`${numericCellClass} whitespace-nowrap`}>
        {mibText(metrics.memoryUsedMiB, metrics.memoryTotalMiB)}
      </td>
      <td className={cellClass}>
        {metrics.idleGpus > 0 ? (
          <Badge tone="warn">{`${metrics.idleGpus} idle`}</Badge>
        ) : (
          <span className="text-slate-600 dark:text-slate-400">busy</span>
        )}
      </td>
    </>
  );
}

function MetricsSummary({ metrics }: { metrics: TenantGpuMetrics }) {
  if (metrics.reporting === 0) return <>no GPU reports metrics</>;
  return (
    <>
      mean over {WINDOW_MINUTES} min; {metrics.idle} of {gpuCount(metrics.reporting)} idle (below {IDLE_UTIL_PERCENT} %)
    </>
  );
}

/**
 * A tenant's GPUs: quota used against its limit, GPU pods and where they run with their
 * utilisation (DCGM), what waits and why, OOM kills of the last day. Rendered on the server with
 * `initial`, then kept live by polling the page's live route. The quota form appears only when
 * `mayEditQuota` (platform admins; the action checks again).
 */
export function TenantGpuDashboard({
  tenant,
  initial,
  mayEditQuota,
}: {
  tenant: string;
  initial: TenantGpuView;
  mayEditQuota: boolean;
}) {
  const { data, error, refresh } = useLiveData({
    queryKey: ['tenant-gpu', tenant],
    url: `/t/${tenant}/gpu/live`,
    initial,
    refreshMs: REFRESH_MS,
    isData: (body) => 'kubernetes' in body,
  });
  const { kubernetes, metrics, quotaEdit } = data;
  const history = initial.history;

  return (
    <div className="space-y-6">
      <AsOf freshness={pollFreshness(error, data.at)} />
      {!kubernetes.ok ? (
        <PanelMessage>GPU pods and the quota cannot be shown: {kubernetes.message}</PanelMessage>
      ) : (
        <AsOf freshness={kubernetes.freshness} now={data.at} />
      )}
      {!metrics.ok ? (
        <PanelMessage>GPU utilisation cannot be shown: {metrics.message}</PanelMessage>
      ) : (
        <AsOf freshness={metrics.freshness} now={data.at} />
      )}

      <section aria-label="Summary" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Stat
          label="GPU quota used"
          testId="quota-used"
          value={
            kubernetes.ok
              ? kubernetes.data.quota.hard === null
                ? `${kubernetes.data.quota.used} (no limit)`
                : `${kubernetes.data.quota.used} of ${kubernetes.data.quota.hard}`
              : '—'
          }
          detail={
            kubernetes.ok
              ? kubernetes.data.quota.hard === null
                ? 'No quota limits GPUs here'
                : `${percent(kubernetes.data.quota.share)} of requests.nvidia.com/gpu`
              : 'Kubernetes cannot be read'
          }
        />
        <Stat
          label="GPU pods"
          value={kubernetes.ok ? kubernetes.data.pods.filter((p) => p.state === 'running').length : '—'}
          detail={kubernetes.ok ? `running; ${kubernetes.data.pending.length} waiting for GPUs` : undefined}
        />
        <Stat
          label="GPU utilisation"
          testId="gpu-utilisation"
          value={metrics.ok ? utilText(metrics.data.utilPercent) : '—'}
          detail={metrics.ok ? <MetricsSummary metrics={metrics.data} /> : 'Prometheus cannot be read'}
        />
        <Stat
          label="OOM kills (24 h)"
          value={kubernetes.ok ? kubernetes.data.oomKills.length : '—'}
          detail="containers killed for memory"
        />
      </section>

      {kubernetes.ok ? (
        <Card title="Quota">
          <div className="space-y-2 text-sm" data-testid="quota-panel">
            {kubernetes.data.quota.hard === null ? (
              <p>No ResourceQuota limits GPUs in {tenant}: its pods may request any number of GPUs the cluster has.</p>
            ) : (
              <>
                <p>
                  {tenant}&apos;s pods request <strong>{gpuCount(kubernetes.data.quota.used)}</strong> of the{' '}
                  <strong>{gpuCount(kubernetes.data.quota.hard)}</strong> its quota{' '}
                  <span className="font-mono">{kubernetes.data.quota.name}</span> allows (
                  {percent(kubernetes.data.quota.share)}).
                </p>
                <UsageBar
                  share={kubernetes.data.quota.share}
                  label={`${kubernetes.data.quota.used} of ${kubernetes.data.quota.hard} GPUs`}
                />
                {kubernetes.data.quota.quotas.length > 1 ? (
                  <p className="text-slate-600 dark:text-slate-300">
                    {kubernetes.data.quota.quotas.length} quotas limit GPUs here (
                    {kubernetes.data.quota.quotas.map((q) => `${q.name}: ${q.hard}`).join(', ')}); the lowest binds.
                  </p>
                ) : null}
              </>
            )}
          </div>
          {mayEditQuota && quotaEdit ? (
            <div id="quota" className="mt-4 border-t border-slate-200 pt-4 dark:border-slate-700">
              <QuotaForm tenant={tenant} facts={quotaEdit} onChanged={refresh} />
            </div>
          ) : null}
        </Card>
      ) : null}

      {kubernetes.ok ? (
        <>
          <section aria-labelledby="gpu-pods-title" className="space-y-2">
            <h2 id="gpu-pods-title" className="text-base font-semibold">
              GPU pods
            </h2>
            {kubernetes.data.pods.length === 0 ? (
              <EmptyState title="No GPU pods">
                No pod of {tenant} requests GPUs right now. Pods ask for GPUs with{' '}
                <code>resources.limits[&quot;nvidia.com/gpu&quot;]</code>; they appear here with the node they run on
                and how busy their GPUs are.
              </EmptyState>
            ) : (
              <DataTable
                caption={`GPU pods of ${tenant}`}
                testId="gpu-pods"
                columns={[
                  'Pod',
                  'State',
                  { label: 'GPUs', numeric: true },
                  'Node',
                  'GPU product',
                  { label: `Utilisation (${WINDOW_MINUTES} min)`, numeric: true, key: 'util' },
                  { label: 'Memory', numeric: true },
                  'Idle',
                ]}
              >
                {kubernetes.data.pods.map((pod) => (
                  <tr key={pod.name} className={rowClass} data-testid={`gpu-pod-${pod.name}`}>
                    <th scope="row" className={`${cellClass} font-normal normal-case`}>
                      <span className="font-mono">{pod.name}</span>
                      {pod.owner ? (
                        <span className="block text-xs text-slate-600 dark:text-slate-400">{pod.owner}</span>
                      ) : null}
                    </th>
                    <td className={cellClass}>
                      <Badge tone={STATE_LABELS[pod.state].tone}>{STATE_LABELS[pod.state].label}</Badge>
                    </td>
                    <td className={numericCellClass}>{pod.gpus}</td>
                    <td className={`${cellClass} whitespace-nowrap font-mono`}>
                      {pod.node ?? <NoValue reason="not scheduled" />}
                    </td>
                    <td className={cellClass}>{pod.product ?? <NoValue reason="unknown" />}</td>
                    <MetricCells metrics={podMetricsOf(metrics, pod.name)} />
                  </tr>
                ))}
              </DataTable>
            )}
          </section>

          <section aria-labelledby="gpu-pending-title" className="space-y-2">
            <h2 id="gpu-pending-title" className="text-base font-semibold">
              Waiting for GPUs
            </h2>
            {kubernetes.data.pending.length === 0 ? (
              <p className="text-sm text-slate-600 dark:text-slate-300">
                Nothing waits: every GPU pod of {tenant} has been placed and no controller was refused by the quota in
                the last 15 minutes.
              </p>
            ) : (
              <DataTable
                caption={`Workloads of ${tenant} waiting for GPUs`}
                testId="gpu-pending"
                columns={['Workload', 'Waiting for', { label: 'GPUs', numeric: true }, 'Reason', 'Last reported']}
              >
                {kubernetes.data.pending.map((p) => (
                  <tr
                    key={`${p.objectKind}/${p.name}`}
                    className={`${rowClass} align-top`}
                    data-testid={`pending-${p.name}`}
                  >
                    <th scope="row" className={`${cellClass} font-normal normal-case`}>
                      <span className="text-xs text-slate-600 dark:text-slate-400">{p.objectKind} </span>
                      <span className="font-mono">{p.name}</span>
                    </th>
                    <td className={cellClass}>
                      <PendingBadge kind={p.kind} />
                    </td>
                    <td className={numericCellClass}>{p.gpus ?? <NoValue reason="unknown" />}</td>
                    <td className={`${cellClass} max-w-xl break-words`}>
                      <span className="text-xs text-slate-600 dark:text-slate-400">{p.source}: </span>
                      {p.reason}
                    </td>
                    <td className={`${cellClass} whitespace-nowrap`}>
                      {p.lastSeen ? <Time at={p.lastSeen} /> : <NoValue reason="not reported" />}
                      {p.count > 1 ? (
                        <span className="block text-xs text-slate-600 dark:text-slate-400">{p.count} times</span>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </DataTable>
            )}
          </section>

          <section aria-labelledby="gpu-oom-title" className="space-y-2">
            <h2 id="gpu-oom-title" className="text-base font-semibold">
              Killed for memory (last 24 hours)
            </h2>
            {kubernetes.data.oomKills.length === 0 ? (
              <p className="text-sm text-slate-600 dark:text-slate-300">
                No container of {tenant} was OOM-killed in the last 24 hours.
              </p>
            ) : (
              <DataTable
                caption={`OOM-killed containers of ${tenant}`}
                testId="gpu-oom"
                columns={['Pod', 'Container', { label: 'GPUs', numeric: true }, 'Node', 'Killed at', 'Exit code']}
              >
                {kubernetes.data.oomKills.map((k) => (
                  <tr key={`${k.pod}/${k.container}`} className={rowClass} data-testid={`oom-${k.pod}`}>
                    <th scope="row" className={`${cellClass} font-mono font-normal normal-case`}>
                      {k.pod}
                    </th>
                    <td className={`${cellClass} font-mono`}>
                      {k.container}
                      {k.restarted ? (
                        <span className="block font-sans text-xs text-slate-600 dark:text-slate-400">
                          restarted since
                        </span>
                      ) : null}
                    </td>
                    <td className={numericCellClass}>{k.gpus}</td>
                    <td className={`${cellClass} font-mono`}>{k.node ?? <NoValue reason="not scheduled" />}</td>
                    <td className={`${cellClass} whitespace-nowrap`}>
                      {k.finishedAt ? <Time at={k.finishedAt} /> : <NoValue reason="not reported" />}
                    </td>
                    <td className={numericCellClass}>{k.exitCode ?? <NoValue reason="not reported" />}</td>
                  </tr>
                ))}
              </DataTable>
            )}
          </section>
        </>
      ) : null}

      {history ? (
        <Card title="Utilisation history">
          {!history.ok ? (
            <PanelMessage>The utilisation history cannot be shown: {history.message}</PanelMessage>
          ) : (
            <>
              <AsOf freshness={history.freshness} now={initial.at} />
              {history.data.length === 0 ? (
                <p className="text-sm text-slate-600 dark:text-slate-300">
                  No GPU of {tenant} reported utilisation in the last hours.
                </p>
              ) : (
                <UtilisationChart series={history.data} hours={GPU_HISTORY_HOURS} />
              )}
            </>
          )}
        </Card>
      ) : null}
    </div>
  );
}
