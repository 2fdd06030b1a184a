'use client';

import { useId } from 'react';
import { CHART_TICK } from '@/components/ui/chart-style';
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
import { formatNumber } from '@/lib/format';

export interface ChartPoint {
  step: number;
  value: number;
}

export interface ChartSeries {
  /** Stable and unique among the series (e.g. a run id). */
  id: string;
  label: string;
  points: ChartPoint[];
}

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

/** Rows keyed by step, one column per series: the shape a LineChart draws. */
function rowsByStep(series: readonly ChartSeries[]): Record<string, number>[] {
  const rows = new Map<number, Record<string, number>>();
  for (const s of series) {
    for (const p of s.points) {
      const row = rows.get(p.step) ?? { step: p.step };
      row[s.id] = p.value;
      rows.set(p.step, row);
    }
  }
  return [...rows.values()].sort((a, b) => a.step! - b.step!);
}

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

/**
 * A metric's history per step, one line per series (e.g. per run). The numbers behind it are
 * also in a table that screen readers and keyboard users can open.
 */
export function MetricChart({
  title,
  series,
  height = 260,
}: {
  title: string;
  series: readonly ChartSeries[];
  height?: number;
}) {
  const captionId = useId();
  const rows = rowsByStep(series);
  const drawn = series.filter((s) => s.points.length > 0);
  return (
    <figure
      aria-labelledby={captionId}
      className="text-slate-600 dark:text-slate-300"
      data-testid={`metric-chart-${title}`}
    >
      <figcaption id={captionId} className="mb-2 text-sm font-medium text-slate-900 dark:text-slate-100">
        {title}
      </figcaption>
      {drawn.length === 0 ? (
        <p className="text-sm">No values were logged for {title}.</p>
      ) : (
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
      )}
      {drawn.length > 0 ? (
        <details className="mt-2 text-xs">
          <summary className="cursor-pointer">Data table for {title}</summary>
          <div className="mt-2 max-h-64 overflow-auto">
            <table className="w-full text-left">
              <caption className="sr-only">{title} by step</caption>
              <thead>
                <tr>
                  <th scope="col" className="px-2 py-1">
                    Step
                  </th>
                  {drawn.map((s) => (
                    <th key={s.id} scope="col" className="px-2 py-1">
                      {s.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="font-mono">
                {rows.map((row) => (
                  <tr key={row.step}>
                    <th scope="row" className="px-2 py-0.5 font-normal">
                      {row.step}
                    </th>
                    {drawn.map((s) => (
                      <td key={s.id} className="px-2 py-0.5">
                        {row[s.id] === undefined ? '—' : formatNumber(row[s.id]!)}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      ) : null}
    </figure>
  );
}
