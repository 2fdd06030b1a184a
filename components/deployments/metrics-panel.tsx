import { Badge } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import type { LiveMetrics, Thresholds } from '@/lib/rollout/dashboard';
import { MetricCharts } from './metric-charts';
import { PanelMessage } from '@/components/ui/panel-message';
import { Time } from '@/components/ui/time';

/** Stable vs canary now (the judgment's window) as numbers with thresholds, then the last half hour as charts. */
export function MetricsPanel({ metrics, thresholds }: { metrics: LiveMetrics; thresholds: Thresholds }) {
  const { hasCanary } = metrics;
  return (
    <Card title="Live metrics">
      <p className="mb-3 text-xs text-slate-600 dark:text-slate-400">
        Over the last {metrics.windowSeconds} s, the window automatic judgment reads · as of <Time at={metrics.at} />
      </p>
      {!metrics.current.ok ? (
        <PanelMessage>{metrics.current.message}</PanelMessage>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">
              {hasCanary ? 'Stable and canary' : 'The serving revision'} over the last {metrics.windowSeconds} seconds,
              with thresholds
            </caption>
            <thead className="border-b border-slate-200 text-xs uppercase text-slate-600 dark:border-slate-700 dark:text-slate-300">
              <tr>
                <th scope="col" className="py-2 pr-3">
                  Metric
                </th>
                <th scope="col" className="py-2 pr-3">
                  {hasCanary ? 'Stable' : 'Serving'}
                </th>
                {hasCanary ? (
                  <th scope="col" className="py-2 pr-3">
                    Canary
                  </th>
                ) : null}
                <th scope="col" className="py-2 pr-3">
                  Threshold
                </th>
                {hasCanary ? (
                  <th scope="col" className="py-2">
                    Canary against it
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {metrics.current.data.map((row) => (
                <tr key={row.label} className="border-b border-slate-100 last:border-0 dark:border-slate-800">
                  <th scope="row" className="py-2 pr-3 font-medium">
                    {row.label}
                  </th>
                  <td className="py-2 pr-3 tabular-nums">{row.stable}</td>
                  {hasCanary ? <td className="py-2 pr-3 tabular-nums">{row.canary}</td> : null}
                  <td className="py-2 pr-3">{row.threshold ?? '—'}</td>
                  {hasCanary ? (
                    <td className="py-2">
                      {row.verdict ? <Badge tone={row.verdict.tone}>{row.verdict.text}</Badge> : '—'}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h3 className="mb-2 mt-6 text-sm font-semibold">Last {metrics.historyMinutes} minutes</h3>
      {!metrics.history.ok ? (
        <PanelMessage>{metrics.history.message}</PanelMessage>
      ) : metrics.history.data.length === 0 ? (
        <p className="text-sm">No requests reached this endpoint in the last {metrics.historyMinutes} minutes.</p>
      ) : (
        <MetricCharts points={metrics.history.data} hasCanary={hasCanary} thresholds={thresholds} />
      )}
    </Card>
  );
}
