'use client';

import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type TooltipContentProps,
} from 'recharts';
import { CHART_TICK } from '@/components/ui/chart-style';
import { formatNumber } from '@/lib/format';
import type { ChartSeries } from './metric-chart';

// Ten series at most (ten compared runs); each differs by colour and by dash pattern, so they
// can be told apart without colour too. The colours read on light and dark backgrounds.
const COLOURS = [
  '#2563eb',
  '#dc2626',
  '#16a34a',
  '#d97706',
  '#9333ea',
  '#0891b2',
  '#db2777',
  '#65a30d',
  '#64748b',
  '#ea580c',
];
const DASHES = ['', '6 3', '2 3', '10 3 2 3', '4 4', '1 2', '12 4', '6 2 2 2', '3 6', '8 2'];

function TooltipBox({ active, payload, label }: TooltipContentProps) {
  if (!active || !payload?.length) return null;
  return (
    <div className="rounded-md border border-slate-200 bg-white px-3 py-2 text-xs shadow-md dark:border-slate-700 dark:bg-slate-900">
      <p className="mb-1 font-medium">Step {label}</p>
      <ul>
        {payload.map((entry) => (
          <li key={String(entry.dataKey)} style={{ color: entry.color }}>
            {entry.name}:{' '}
            <span className="font-mono">{typeof entry.value === 'number' ? formatNumber(entry.value) : '—'}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The recharts part of MetricChart, loaded after the page (components/ui/lazy-chart.tsx): one line per series with points. */
export function MetricChartDrawing({
  title,
  series,
  rows,
  height,
}: {
  title: string;
  series: readonly ChartSeries[];
  rows: Record<string, number>[];
  height: number;
}) {
  const drawn = series.filter((s) => s.points.length > 0);
  return (
    <ResponsiveContainer width="100%" height={height}>
      {/* Recharts' accessibility layer makes the chart focusable: arrow keys move the tooltip from step to step. */}
      <LineChart
        data={rows}
        margin={{ top: 8, right: 16, bottom: 8, left: 8 }}
        title={`${title} by step`}
        desc={`${title} of ${drawn.map((s) => s.label).join(', ')} over ${rows.length} steps. Use the arrow keys to read the values step by step.`}
      >
        <CartesianGrid stroke="currentColor" strokeOpacity={0.15} />
        <XAxis
          dataKey="step"
          type="number"
          domain={['dataMin', 'dataMax']}
          stroke="currentColor"
          tick={CHART_TICK}
          allowDecimals={false}
        />
        <YAxis
          stroke="currentColor"
          tick={CHART_TICK}
          tickFormatter={formatNumber}
          width={56}
          domain={['auto', 'auto']}
        />
        <Tooltip content={TooltipBox} />
        {drawn.length > 1 ? <Legend wrapperStyle={{ fontSize: 12 }} /> : null}
        {drawn.map((s) => {
          const index = series.indexOf(s);
          return (
            <Line
              key={s.id}
              dataKey={s.id}
              name={s.label}
              type="monotone"
              stroke={COLOURS[index % COLOURS.length]}
              strokeDasharray={DASHES[index % DASHES.length]}
              strokeWidth={2}
              dot={s.points.length === 1}
              connectNulls
              isAnimationActive={false}
            />
          );
        })}
      </LineChart>
    </ResponsiveContainer>
  );
}
