'use client';

import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { formatAxisTime, formatNumber, formatTime } from '@/lib/format';
import type { SloHistoryPoint, SloRange } from '@/lib/slo/view';
import { CHART_GRID, CHART_TICK, chartValueFormatter, timeAxis } from '@/components/ui/chart-style';
import type { ChartSpec } from './history-charts';
import { RANGE_LABELS } from './format';

/** Axis labels in UTC: the clock for ranges within a day or two, the date beyond. */
function timeLabel(range: SloRange) {
  const long = range === '7d' || range === '28d';
  return (t: number) => formatAxisTime(t, long);
}

/** The recharts part of one SLO history chart, loaded after the page (components/ui/lazy-chart.tsx). */
export function HistoryDrawing({
  spec,
  points,
  range,
  height,
}: {
  spec: ChartSpec;
  points: SloHistoryPoint[];
  range: SloRange;
  height: number;
}) {
  const format = chartValueFormatter(spec);
  const label = timeLabel(range);
  return (
    <LineChart
      responsive
      style={{ width: '100%', height }}
      data={points}
      margin={{ top: 8, right: 16, bottom: 0, left: 0 }}
      title={`${spec.title} over the last ${RANGE_LABELS[range]}`}
      desc={
        spec.reference
          ? `Reference line: ${spec.reference.label} at ${format(spec.reference.y)}. The values are in the data table below the charts.`
          : 'The values are in the data table below the charts.'
      }
    >
      <CartesianGrid {...CHART_GRID} />
      <XAxis {...timeAxis(label, 32)} />
      <YAxis tick={CHART_TICK} stroke="currentColor" width={56} tickFormatter={(v: number) => formatNumber(v)} />
      <Tooltip
        labelFormatter={(t) => formatTime(Number(t))}
        formatter={format}
        contentStyle={{
          backgroundColor: 'var(--slo-tooltip)',
          borderColor: 'var(--slo-tooltip-border)',
          fontSize: 12,
        }}
        isAnimationActive={false}
      />
      {spec.series.length > 1 ? <Legend wrapperStyle={{ fontSize: 12 }} /> : null}
      {spec.series.map((s) => (
        <Line
          key={s.key}
          name={s.name}
          dataKey={s.value}
          stroke={s.colour}
          strokeDasharray={s.dash}
          strokeWidth={2}
          dot={false}
          connectNulls={false}
          isAnimationActive={false}
        />
      ))}
      {spec.reference ? (
        <ReferenceLine
          y={spec.reference.y}
          stroke="var(--slo-ref)"
          strokeDasharray="2 4"
          ifOverflow="extendDomain"
          label={{ value: spec.reference.label, position: 'insideTopRight', fill: 'currentColor', fontSize: 11 }}
        />
      ) : null}
    </LineChart>
  );
}
