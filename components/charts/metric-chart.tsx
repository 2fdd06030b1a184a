'use client';

import { useId } from 'react';
import { lazyChart } from '@/components/ui/lazy-chart';
import { formatNumber } from '@/lib/format';

const MetricChartDrawing = lazyChart(() => import('./metric-chart-drawing').then((m) => m.MetricChartDrawing));

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
        <MetricChartDrawing title={title} series={series} rows={rows} height={height} />
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
