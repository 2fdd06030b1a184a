'use client';

import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { CHART_GRID, CHART_TICK, timeAxis } from '@/components/ui/chart-style';
import type { DriftSeries } from '@/lib/integrations/prometheus';
import { formatAxisTime } from '@/lib/format';

interface Point {
  t: number;
  scores: Record<string, number>;
}

/** The series as one row per time, each with every feature's score then. */
function pointsOf(series: readonly DriftSeries[]): Point[] {
  const byTime = new Map<number, Point>();
  for (const s of series)
    for (const { t, value } of s.points) {
      const point = byTime.get(t) ?? { t, scores: {} };
      point.scores[s.feature] = value;
      byTime.set(t, point);
    }
  return [...byTime.values()].sort((a, b) => a.t - b.t);
}

/** The recharts part of DriftChart, loaded after the page (components/ui/lazy-chart.tsx). */
export function DriftDrawing({
  series,
  threshold,
  breaching,
  height,
}: {
  series: DriftSeries[];
  threshold: number;
  breaching: string[];
  height: number;
}) {
  const points = pointsOf(series);
  const over = new Set(breaching);
  return (
    <LineChart
      responsive
      style={{ width: '100%', height }}
      data={points}
      margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
      title="Input drift score of each feature over time"
      desc={`Threshold ${threshold}. ${breaching.length ? `Above it now: ${breaching.join(', ')}.` : 'No feature is above it now.'}`}
    >
      <CartesianGrid {...CHART_GRID} />
      <XAxis {...timeAxis((t) => formatAxisTime(t, true), 48)} />
      <YAxis
        tick={CHART_TICK}
        stroke="currentColor"
        width={44}
        domain={[0, (max: number) => Math.max(max, threshold) * 1.1]}
        tickFormatter={(v: number) => v.toFixed(2)}
      />
      <Tooltip
        labelFormatter={(t) => `${formatAxisTime(Number(t), true)} UTC`}
        formatter={(value: unknown) => (typeof value === 'number' ? value.toFixed(3) : 'no data')}
        contentStyle={{
          backgroundColor: 'var(--chart-tooltip)',
          borderColor: 'var(--chart-tooltip-border)',
          fontSize: 12,
        }}
        isAnimationActive={false}
      />
      <Legend wrapperStyle={{ fontSize: 12 }} />
      {series.map((s, i) => (
        <Line
          key={s.feature}
          name={s.feature}
          dataKey={(p: Point) => p.scores[s.feature]}
          stroke={`var(--drift-${i % 8})`}
          strokeWidth={over.has(s.feature) ? 3 : 1.5}
          dot={false}
          isAnimationActive={false}
        />
      ))}
      <ReferenceLine
        y={threshold}
        stroke="var(--chart-threshold)"
        strokeDasharray="2 4"
        ifOverflow="extendDomain"
        label={{ value: `threshold ${threshold}`, position: 'insideTopRight', fill: 'currentColor', fontSize: 11 }}
      />
    </LineChart>
  );
}
