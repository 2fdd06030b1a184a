'use client';

import Link from 'next/link';
import type { ReactNode } from 'react';
import { Badge } from '@/components/ui/badge';
import { EmptyState } from '@/components/ui/empty-state';
import { buttonClass } from '@/components/ui/styles';
import { cellClass, DataTable, NoValue, numericCellClass, rowClass } from '@/components/ui/table';
import { useLiveData } from '@/components/ui/use-live-data';
import { GPU_METRICS_WINDOW_SECONDS, IDLE_UTIL_PERCENT } from '@/lib/quota/gpu';
import type { ClusterGpuView } from '@/lib/quota/service';
import { gpuCount, percent, UsageBar, utilText } from './parts';
import { PanelMessage } from '@/components/ui/panel-message';
import { Stat } from '@/components/ui/stat';
import { AsOf, pollFreshness } from '@/components/ui/as-of';

const REFRESH_MS = 10_000;
const WINDOW_MINUTES = GPU_METRICS_WINDOW_SECONDS / 60;

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section aria-labelledby={id} className="space-y-2">
      <h2 id={id} className="text-base font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

/**
 * The cluster's GPUs for platform admins and managers: every tenant's use against its quota,
 * capacity per GPU product, how far the quotas over-commit the cluster, and idle GPUs. Read-only;
 * platform admins get a link to each tenant's quota form.
 */
export function ClusterGpuDashboard({ initial, mayEditQuotas }: { initial: ClusterGpuView; mayEditQuotas: boolean }) {
  const { data, error } = useLiveData({
    queryKey: ['cluster-gpu'],
    url: '/gpu/live',
    initial,
    refreshMs: REFRESH_MS,
    isData: (body) => 'kubernetes' in body,
  });
  const { kubernetes, metrics } = data;

  return (
    <div className="space-y-6">
      <AsOf freshness={pollFreshness(error, data.at)} />
      {!kubernetes.ok ? (
        <PanelMessage>Quotas, nodes and GPU pods cannot be shown: {kubernetes.message}</PanelMessage>
      ) : (
        <AsOf freshness={kubernetes.freshness} now={data.at} />
      )}
      {!metrics.ok ? (
        <PanelMessage>GPU utilisation and idle GPUs cannot be shown: {metrics.message}</PanelMessage>
      ) : (
        <AsOf freshness={metrics.freshness} now={data.at} />
      )}

      <section aria-label="Summary" className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <Stat
          label="Allocatable GPUs"
          value={kubernetes.ok ? kubernetes.data.totals.allocatable : '—'}
          detail={
            kubernetes.ok
              ? `on ${kubernetes.data.nodes.length} GPU nodes${kubernetes.data.totals.unavailable ? `; ${kubernetes.data.totals.unavailable} on nodes not taking pods` : ''}`
              : undefined
          }
        />
        <Stat
          label="Requested"
          value={kubernetes.ok ? kubernetes.data.totals.requested : '—'}
          detail={
            kubernetes.ok
              ? `${percent(kubernetes.data.totals.allocatable ? kubernetes.data.totals.requested / kubernetes.data.totals.allocatable : null)} of allocatable; ${kubernetes.data.totals.free} free`
              : undefined
          }
        />
        <Stat
          label="Quotas vs allocatable"
          testId="overcommitment"
          value={
            kubernetes.ok
              ? `${kubernetes.data.overcommitment.quotaTotal} / ${kubernetes.data.overcommitment.allocatable}`
              : '—'
          }
          detail={
            kubernetes.ok ? (
              <span className="inline-flex flex-wrap items-center gap-2">
                {kubernetes.data.overcommitment.overcommitted ? (
                  <Badge tone="bad">{`Over-committed by ${gpuCount(kubernetes.data.overcommitment.excess)}`}</Badge>
                ) : (
                  <Badge tone="good">Within capacity</Badge>
                )}
                {kubernetes.data.overcommitment.ratio !== null
                  ? `${kubernetes.data.overcommitment.ratio.toFixed(2)}×`
                  : null}
              </span>
            ) : undefined
          }
        />
        <Stat
          label="Idle GPUs"
          testId="idle-gpus"
          value={metrics.ok ? metrics.data.idle.length : '—'}
          detail={
            metrics.ok
              ? `of ${metrics.data.reporting} allocated reporting; mean utilisation ${utilText(metrics.data.utilPercent)}`
              : 'Prometheus cannot be read'
          }
        />
      </section>

      {kubernetes.ok ? (
        <>
          <Section id="tenants-title" title="Tenants">
            {kubernetes.data.tenants.length === 0 ? (
              <EmptyState title="No tenants yet">
                Tenants appear here with their GPU quota once a platform admin creates them.
              </EmptyState>
            ) : (
              <DataTable
                caption="GPU quota used per tenant"
                testId="tenant-quotas"
                columns={[
                  'Tenant',
                  { label: 'Used', numeric: true },
                  { label: 'Quota', numeric: true },
                  'Share',
                  { label: 'GPU pods', numeric: true },
                  'Waiting',
                  ...(mayEditQuotas ? [{ label: <span className="sr-only">Actions</span>, key: 'actions' }] : []),
                ]}
              >
                {kubernetes.data.tenants.map((t) => (
                  <tr key={t.name} className={rowClass} data-testid={`tenant-${t.name}`}>
                    <th scope="row" className={`${cellClass} font-normal`}>
                      <Link className={buttonClass.link} href={`/t/${t.name}/gpu`}>
                        {t.displayName}
                      </Link>
                      <span className="block font-mono text-xs text-slate-600 dark:text-slate-400">
                        {t.name}
                        {t.archived ? <span className="font-sans"> · archived</span> : null}
                      </span>
                    </th>
                    <td className={numericCellClass}>{t.used}</td>
                    <td className={numericCellClass}>{t.hard ?? <NoValue reason="no GPU quota" />}</td>
                    <td className={`${cellClass} w-40`}>
                      <UsageBar share={t.share} label={t.hard === null ? 'no limit' : `${t.used} of ${t.hard}`} />
                      <span className="text-xs text-slate-600 dark:text-slate-400">
                        {t.hard === null ? 'no limit' : percent(t.share)}
                      </span>
                    </td>
                    <td className={numericCellClass}>{t.pods}</td>
                    <td className={cellClass}>
                      {t.pendingQuota + t.pendingScheduling === 0 ? (
                        <span className="text-slate-600 dark:text-slate-400">nothing</span>
                      ) : (
                        <span className="flex flex-wrap gap-1">
                          {t.pendingQuota ? <Badge tone="bad">{`${t.pendingQuota} on quota`}</Badge> : null}
                          {t.pendingScheduling ? (
                            <Badge tone="warn">{`${t.pendingScheduling} on scheduling`}</Badge>
                          ) : null}
                        </span>
                      )}
                    </td>
                    {mayEditQuotas ? (
                      <td className={cellClass}>
                        {t.archived ? null : (
                          <Link className={buttonClass.link} href={`/t/${t.name}/gpu#quota`}>
                            Change quota<span className="sr-only"> of {t.name}</span>
                          </Link>
                        )}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </DataTable>
            )}
            {kubernetes.data.otherNamespaces.length > 0 ? (
              <DataTable
                caption="GPUs of namespaces that are not tenants"
                testId="other-namespaces"
                columns={[
                  'Namespace (not a tenant)',
                  { label: 'Requested', numeric: true },
                  { label: 'Quota', numeric: true },
                ]}
              >
                {kubernetes.data.otherNamespaces.map((n) => (
                  <tr key={n.namespace} className={rowClass}>
                    <th scope="row" className={`${cellClass} font-mono font-normal normal-case`}>
                      {n.namespace}
                    </th>
                    <td className={numericCellClass}>{n.requested}</td>
                    <td className={numericCellClass}>{n.hard ?? <NoValue reason="no GPU quota" />}</td>
                  </tr>
                ))}
              </DataTable>
            ) : null}
          </Section>

          <Section id="capacity-title" title="Capacity by GPU product">
            {kubernetes.data.products.length === 0 ? (
              <EmptyState title="No GPU nodes">
                No node of the cluster advertises nvidia.com/gpu. GPU nodes appear here once NVIDIA&apos;s device plugin
                runs on them.
              </EmptyState>
            ) : (
              <DataTable
                caption="GPU capacity per product"
                testId="capacity"
                columns={[
                  'Product',
                  { label: 'Nodes', numeric: true },
                  { label: 'Allocatable', numeric: true },
                  { label: 'Requested', numeric: true },
                  { label: 'Free', numeric: true },
                  'Use',
                ]}
              >
                {kubernetes.data.products.map((p) => (
                  <tr
                    key={p.product ?? 'unlabelled'}
                    className={rowClass}
                    data-testid={`product-${p.product ?? 'unlabelled'}`}
                  >
                    <th scope="row" className={`${cellClass} font-normal normal-case`}>
                      {p.product ?? 'Unlabelled (no nvidia.com/gpu.product)'}
                      {p.unavailable ? (
                        <span className="block text-xs text-amber-800 dark:text-amber-300">{`${p.unavailable} on nodes not taking pods`}</span>
                      ) : null}
                    </th>
                    <td className={numericCellClass}>{p.nodes}</td>
                    <td className={numericCellClass}>{p.allocatable}</td>
                    <td className={numericCellClass}>{p.requested}</td>
                    <td className={numericCellClass}>{p.free}</td>
                    <td className={`${cellClass} w-40`}>
                      <UsageBar
                        share={p.allocatable ? p.requested / p.allocatable : null}
                        label={`${p.requested} of ${p.allocatable}`}
                      />
                    </td>
                  </tr>
                ))}
              </DataTable>
            )}
          </Section>

          <Section id="nodes-title" title="GPU nodes">
            <DataTable
              caption="GPU nodes"
              testId="gpu-nodes"
              columns={[
                'Node',
                'Product',
                { label: 'Allocatable', numeric: true },
                { label: 'Requested', numeric: true },
                'State',
              ]}
            >
              {kubernetes.data.nodes.map((n) => (
                <tr key={n.name} className={rowClass}>
                  <th scope="row" className={`${cellClass} font-mono font-normal normal-case`}>
                    {n.name}
                  </th>
                  <td className={cellClass}>{n.product ?? <NoValue reason="no product label" />}</td>
                  <td className={numericCellClass}>{n.allocatable}</td>
                  <td className={numericCellClass}>{n.requested}</td>
                  <td className={cellClass}>
                    {!n.ready ? (
                      <Badge tone="bad">Not ready</Badge>
                    ) : !n.schedulable ? (
                      <Badge tone="warn">Cordoned</Badge>
                    ) : (
                      <Badge tone="good">Ready</Badge>
                    )}
                  </td>
                </tr>
              ))}
            </DataTable>
          </Section>
        </>
      ) : null}

      {metrics.ok ? (
        <Section id="idle-title" title={`Idle GPUs (below ${IDLE_UTIL_PERCENT} % for ${WINDOW_MINUTES} minutes)`}>
          {metrics.data.idle.length === 0 ? (
            <p className="text-sm text-slate-600 dark:text-slate-300">
              Every allocated GPU did some work in the last {WINDOW_MINUTES} minutes.
            </p>
          ) : (
            <DataTable
              caption="Allocated but idle GPUs"
              testId="idle"
              columns={[
                'Namespace',
                'Pod',
                'Node',
                { label: 'GPU', numeric: true },
                { label: 'Peak utilisation', numeric: true },
              ]}
            >
              {metrics.data.idle.map((d) => (
                <tr key={`${d.namespace}/${d.pod}/${d.node}/${d.gpu}`} className={rowClass}>
                  <th scope="row" className={`${cellClass} font-mono font-normal normal-case`}>
                    {d.namespace}
                  </th>
                  <td className={`${cellClass} font-mono`}>{d.pod}</td>
                  <td className={`${cellClass} font-mono`}>{d.node ?? <NoValue reason="not reported" />}</td>
                  <td className={numericCellClass}>{d.gpu}</td>
                  <td className={numericCellClass}>{utilText(d.peakUtilPercent)}</td>
                </tr>
              ))}
            </DataTable>
          )}
          {metrics.data.byNamespace.length > 0 ? (
            <DataTable
              caption="GPU utilisation per namespace"
              columns={[
                'Namespace',
                { label: 'GPUs reporting', numeric: true },
                { label: `Utilisation (${WINDOW_MINUTES} min)`, numeric: true },
                { label: 'Idle', numeric: true },
              ]}
            >
              {metrics.data.byNamespace.map((n) => (
                <tr key={n.namespace} className={rowClass}>
                  <th scope="row" className={`${cellClass} font-mono font-normal normal-case`}>
                    {n.namespace}
                  </th>
                  <td className={numericCellClass}>{n.gpus}</td>
                  <td className={numericCellClass}>{utilText(n.utilPercent)}</td>
                  <td className={numericCellClass}>{n.idle}</td>
                </tr>
              ))}
            </DataTable>
          ) : null}
        </Section>
      ) : null}
    </div>
  );
}
