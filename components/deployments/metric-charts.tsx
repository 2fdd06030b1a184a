'use client';

import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChartPoint, ChartStat, Thresholds } from '@/lib/rollout/dashboard';
import { CHART_GRID, CHART_TICK, timeAxis } from '@/components/ui/chart-style';
import { formatAxisTime } from '@/lib/format';

interface ChartSpec {
  stat: ChartStat;
  title: string;
  unit: string;
  digits: number;
  threshold?: number;
}

/**
 * Colours for light and dark mode as CSS variables, so the SVG follows the theme class; the canary
 * is also dashed, so the lines differ without colour.
 */
const PALETTE =
  '[--chart-stable:#1d4ed8] [--chart-canary:#c2410c] [--chart-threshold:#b91c1c] [--chart-tooltip:#ffffff] [--chart-tooltip-border:#cbd5e1] ' +
  'dark:[--chart-stable:#60a5fa] dark:[--chart-canary:#fb923c] dark:[--chart-threshold:#f87171] dark:[--chart-tooltip:#1e293b] dark:[--chart-tooltip-border:#475569]';

function MetricChart({ spec, points, hasCanary }: { spec: ChartSpec; points: ChartPoint[]; hasCanary: boolean }) {
  const format = (value: unknown) =>
    typeof value === 'number' ? `${value.toFixed(spec.digits)} ${spec.unit}` : 'no data';
  return (
    <figure className="min-w-0">
      <figcaption className="mb-1 text-sm font-medium">
        {spec.title} ({spec.unit})
      </figcaption>
      <LineChart
        responsive
        style={{ width: '100%', height: 190 }}
        data={points}
        margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
        title={`${spec.title} of stable${hasCanary ? ' and canary' : ''}`}
        desc={spec.threshold === undefined ? undefined : `Threshold ${format(spec.threshold)}`}
      >
        <CartesianGrid {...CHART_GRID} />
        <XAxis {...timeAxis()} />
        <YAxis
          tick={CHART_TICK}
          stroke="currentColor"
          width={52}
          tickFormatter={(v: number) => v.toFixed(spec.digits)}
        />
        <Tooltip
          labelFormatter={(t) => `${formatAxisTime(Number(t))} UTC`}
          formatter={format}
          contentStyle={{
            backgroundColor: 'var(--chart-tooltip)',
            borderColor: 'var(--chart-tooltip-border)',
            fontSize: 12,
          }}
          isAnimationActive={false}
        />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        <Line
          name="Stable"
          dataKey={(p: ChartPoint) => p.stable[spec.stat]}
          stroke="var(--chart-stable)"
          strokeWidth={2}
          dot={false}
          isAnimationActive={false}
        />
        {hasCanary ? (
          <Line
            name="Canary"
            dataKey={(p: ChartPoint) => p.canary[spec.stat]}
            stroke="var(--chart-canary)"
            strokeWidth={2}
            strokeDasharray="6 3"
            dot={false}
            isAnimationActive={false}
          />
        ) : null}
        {spec.threshold !== undefined ? (
          <ReferenceLine
            y={spec.threshold}
            stroke="var(--chart-threshold)"
            strokeDasharray="2 4"
            ifOverflow="extendDomain"
            label={{ value: 'threshold', position: 'insideTopRight', fill: 'currentColor', fontSize: 11 }}
          />
        ) : null}
      </LineChart>
    </figure>
  );
}

/** Request rate, error rate, p50 and p99 of stable and canary over time, with the thresholds drawn in. */
export function MetricCharts({
  points,
  hasCanary,
  thresholds,
}: {
  points: ChartPoint[];
  hasCanary: boolean;
  thresholds: Thresholds;
}) {
  const specs: ChartSpec[] = [
    { stat: 'requestRate', title: 'Request rate', unit: 'req/s', digits: 1 },
    { stat: 'errorPercent', title: 'Error rate', unit: '%', digits: 2, threshold: thresholds.maxErrorRate * 100 },
    { stat: 'p50Ms', title: 'Latency p50', unit: 'ms', digits: 0 },
    { stat: 'p99Ms', title: 'Latency p99', unit: 'ms', digits: 0, threshold: thresholds.maxP99Ms },
  ];
  return (
    <div className={`grid gap-6 text-slate-600 md:grid-cols-2 dark:text-slate-300 ${PALETTE}`}>
      {specs.map((spec) => (
        <MetricChart key={spec.stat} spec={spec} points={points} hasCanary={hasCanary} />
      ))}
    </div>
  );
}
