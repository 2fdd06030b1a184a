'use client';

import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChartPoint } from '@/lib/rollout/dashboard';
import { CHART_GRID, CHART_TICK, chartValueFormatter, timeAxis } from '@/components/ui/chart-style';
import { formatAxisTime } from '@/lib/format';
import type { ChartSpec } from './metric-charts';

/** The recharts part of one stable-vs-canary chart, loaded after the page (components/ui/lazy-chart.tsx). */
export function StableCanaryDrawing({
  spec,
  points,
  hasCanary,
  height,
}: {
  spec: ChartSpec;
  points: ChartPoint[];
  hasCanary: boolean;
  height: number;
}) {
  const format = chartValueFormatter(spec);
  return (
    <LineChart
      responsive
      style={{ width: '100%', height }}
      data={points}
      margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
      title={`${spec.title} of stable${hasCanary ? ' and canary' : ''}`}
      desc={spec.threshold === undefined ? undefined : `Threshold ${format(spec.threshold)}`}
    >
      <CartesianGrid {...CHART_GRID} />
      <XAxis {...timeAxis()} />
      <YAxis tick={CHART_TICK} stroke="currentColor" width={52} tickFormatter={(v: number) => v.toFixed(spec.digits)} />
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
  );
}
