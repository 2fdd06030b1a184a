'use client';

import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { CHART_GRID, CHART_TICK, timeAxis } from '@/components/ui/chart-style';
import type { DriftSeries } from '@/lib/integrations/prometheus';
import { formatAxisTime } from '@/lib/format';

/** Feature colours for light and dark mode (CSS variables, so the SVG follows the theme class); they repeat past eight. */
const PALETTE =
  '[--drift-0:#1d4ed8] [--drift-1:#c2410c] [--drift-2:#047857] [--drift-3:#7c3aed] [--drift-4:#be185d] [--drift-5:#0e7490] [--drift-6:#a16207] [--drift-7:#475569] [--chart-threshold:#b91c1c] [--chart-tooltip:#ffffff] [--chart-tooltip-border:#cbd5e1] ' +
  'dark:[--drift-0:#60a5fa] dark:[--drift-1:#fb923c] dark:[--drift-2:#34d399] dark:[--drift-3:#a78bfa] dark:[--drift-4:#f472b6] dark:[--drift-5:#22d3ee] dark:[--drift-6:#facc15] dark:[--drift-7:#cbd5e1] dark:[--chart-threshold:#f87171] dark:[--chart-tooltip:#1e293b] dark:[--chart-tooltip-border:#475569]';

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

/** Each feature's drift score over time, the breaching ones drawn thicker, with the policy's threshold as a line. */
export function DriftChart({
  series,
  threshold,
  breaching,
}: {
  series: DriftSeries[];
  threshold: number;
  breaching: string[];
}) {
  const points = pointsOf(series);
  const over = new Set(breaching);
  return (
    <figure className={`min-w-0 text-slate-600 dark:text-slate-300 ${PALETTE}`}>
      <figcaption className="mb-1 text-sm font-medium text-slate-900 dark:text-slate-100">
        Drift score per input feature (0–1)
      </figcaption>
      <LineChart
        responsive
        style={{ width: '100%', height: 260 }}
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
    </figure>
  );
}
