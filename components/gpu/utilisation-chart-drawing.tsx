'use client';

import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { UtilisationSeries } from '@/lib/integrations/prometheus';
import { IDLE_UTIL_PERCENT } from '@/lib/quota/gpu';
import { CHART_GRID, CHART_TICK, timeAxis } from '@/components/ui/chart-style';
import { formatAxisTime } from '@/lib/format';

// Distinct by colour and by dash, readable in light and dark mode.
const COLOURS = ['#2563eb', '#c2410c', '#15803d', '#9333ea', '#0e7490', '#be185d', '#4d7c0f', '#64748b'];
const DASHES = ['', '6 3', '2 3', '10 3 2 3', '4 4', '1 2', '12 4', '6 2 2 2'];

/** Rows keyed by time, one column per pod. */
function rows(series: readonly UtilisationSeries[]): Record<string, number>[] {
  const byTime = new Map<number, Record<string, number>>();
  for (const s of series)
    for (const p of s.points) byTime.set(p.t, { ...(byTime.get(p.t) ?? { t: p.t }), [s.pod]: p.value });
  return [...byTime.values()].sort((a, b) => a.t! - b.t!);
}

/** The recharts part of UtilisationChart, loaded after the page (components/ui/lazy-chart.tsx). */
export function UtilisationDrawing({
  series,
  hours,
  summary,
  height,
}: {
  series: UtilisationSeries[];
  hours: number;
  summary: string;
  height: number;
}) {
  return (
    <LineChart
      responsive
      style={{ width: '100%', height }}
      data={rows(series)}
      margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
      title={`GPU utilisation per pod over the last ${hours} hours`}
      desc={`Mean over the period: ${summary}`}
    >
      <CartesianGrid {...CHART_GRID} />
      <XAxis {...timeAxis()} />
      <YAxis domain={[0, 100]} tick={CHART_TICK} stroke="currentColor" width={40} />
      <Tooltip
        labelFormatter={(t) => `${formatAxisTime(Number(t))} UTC`}
        formatter={(v) => (typeof v === 'number' ? `${Math.round(v)} %` : 'no data')}
        contentStyle={{ fontSize: 12 }}
        isAnimationActive={false}
      />
      <Legend wrapperStyle={{ fontSize: 12 }} />
      <ReferenceLine
        y={IDLE_UTIL_PERCENT}
        stroke="currentColor"
        strokeDasharray="2 4"
        label={{ value: 'idle below', position: 'insideTopRight', fill: 'currentColor', fontSize: 11 }}
      />
      {series.map((s, i) => (
        <Line
          key={s.pod}
          name={s.pod}
          dataKey={s.pod}
          stroke={COLOURS[i % COLOURS.length]}
          strokeDasharray={DASHES[i % DASHES.length]}
          strokeWidth={2}
          dot={false}
          connectNulls
          isAnimationActive={false}
        />
      ))}
    </LineChart>
  );
}
