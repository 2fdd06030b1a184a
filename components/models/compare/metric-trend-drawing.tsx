'use client';

import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { CHART_GRID, CHART_TICK } from '@/components/ui/chart-style';
import { formatNumber } from '@/lib/format';
import type { TrendPoint } from '@/lib/models/compare';

// Line, threshold and the compared versions' marks for light and dark mode (CSS variables, so the SVG follows the theme class).
const PALETTE =
  '[--trend-line:#1d4ed8] [--trend-mark:#6d28d9] [--chart-threshold:#b91c1c] [--chart-tooltip:#ffffff] [--chart-tooltip-border:#cbd5e1] ' +
  'dark:[--trend-line:#60a5fa] dark:[--trend-mark:#c4b5fd] dark:[--chart-threshold:#f87171] dark:[--chart-tooltip:#1e293b] dark:[--chart-tooltip-border:#475569]';

const label = (version: string) => `v${version}`;

/**
 * One metric across every version of a model, with the policy's minimum for it as a dashed line
 * and the two compared versions marked. Loaded only in the browser (components/ui/lazy-chart.tsx).
 */
export function MetricTrendDrawing({
  height,
  metric,
  points,
  threshold,
  a,
  b,
}: {
  height: number;
  metric: string;
  points: TrendPoint[];
  threshold: number | null;
  a: string;
  b: string;
}) {
  const data = points.map((p) => ({ label: label(p.version), value: p.value }));
  const marks =
    a === b
      ? [{ version: a, name: `A = B (${label(a)})` }]
      : [
          { version: a, name: `A (${label(a)})` },
          { version: b, name: `B (${label(b)})` },
        ];
  return (
    <figure className={`min-w-0 text-slate-600 dark:text-slate-300 ${PALETTE}`} data-testid="metric-trend-chart">
      <LineChart
        responsive
        style={{ width: '100%', height }}
        data={data}
        margin={{ top: 16, right: 24, bottom: 0, left: 0 }}
        title={`${metric} of every version`}
        desc={`${threshold === null ? 'The policy sets no minimum for it.' : `The policy requires at least ${threshold}.`} Compared: ${marks.map((m) => m.name).join(' and ')}.`}
      >
        <CartesianGrid {...CHART_GRID} />
        <XAxis dataKey="label" tick={CHART_TICK} stroke="currentColor" />
        <YAxis
          tick={CHART_TICK}
          stroke="currentColor"
          width={52}
          domain={['auto', 'auto']}
          tickFormatter={(v: number) => formatNumber(v)}
        />
        <Tooltip
          formatter={(value: unknown) => (typeof value === 'number' ? formatNumber(value) : 'not logged')}
          contentStyle={{
            backgroundColor: 'var(--chart-tooltip)',
            borderColor: 'var(--chart-tooltip-border)',
            fontSize: 12,
          }}
          isAnimationActive={false}
        />
        {marks.map((mark) => (
          <ReferenceLine
            key={mark.version}
            x={label(mark.version)}
            stroke="var(--trend-mark)"
            strokeWidth={2}
            label={{ value: mark.name, position: 'top', fill: 'currentColor', fontSize: 11 }}
          />
        ))}
        {threshold !== null ? (
          <ReferenceLine
            y={threshold}
            stroke="var(--chart-threshold)"
            strokeDasharray="2 4"
            ifOverflow="extendDomain"
            label={{
              value: `threshold ${threshold}`,
              position: 'insideBottomRight',
              fill: 'currentColor',
              fontSize: 11,
            }}
          />
        ) : null}
        <Line
          name={metric}
          dataKey="value"
          stroke="var(--trend-line)"
          strokeWidth={2}
          dot={{ r: 3 }}
          isAnimationActive={false}
        />
      </LineChart>
    </figure>
  );
}
