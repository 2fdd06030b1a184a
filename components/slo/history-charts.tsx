'use client';

import { formatTime } from '@/lib/format';
import type { SloObjectives } from '@/lib/slo/definition';
import type { SloHistoryPoint, SloRange } from '@/lib/slo/view';
import { lazyChart } from '@/components/ui/lazy-chart';
import { RANGE_LABELS } from './format';

const HistoryDrawing = lazyChart(() => import('./history-charts-drawing').then((m) => m.HistoryDrawing));

interface SeriesSpec {
  key: string;
  name: string;
  value: (p: SloHistoryPoint) => number | null;
  colour: string;
  dash?: string;
}

export interface ChartSpec {
  id: string;
  title: string;
  unit: string;
  digits: number;
  series: SeriesSpec[];
  reference?: { y: number; label: string };
}

/** Colours per theme as CSS variables, so the SVG follows the theme; the second line is also dashed. */
const PALETTE =
  '[--slo-a:#1d4ed8] [--slo-b:#c2410c] [--slo-ref:#b91c1c] [--slo-tooltip:#ffffff] [--slo-tooltip-border:#cbd5e1] ' +
  'dark:[--slo-a:#60a5fa] dark:[--slo-b:#fb923c] dark:[--slo-ref:#f87171] dark:[--slo-tooltip:#1e293b] dark:[--slo-tooltip-border:#475569]';

const percentOf = (v: number | null) => (v === null ? null : v * 100);

function chartSpecs(objectives: SloObjectives): ChartSpec[] {
  return [
    {
      id: 'budget',
      title: 'Error budget remaining',
      unit: '%',
      digits: 1,
      series: [
        {
          key: 'availabilityBudget',
          name: 'Availability budget',
          value: (p) => percentOf(p.availabilityBudget),
          colour: 'var(--slo-a)',
        },
        {
          key: 'latencyBudget',
          name: 'Latency budget',
          value: (p) => percentOf(p.latencyBudget),
          colour: 'var(--slo-b)',
          dash: '6 3',
        },
      ],
      reference: { y: 0, label: 'spent' },
    },
    {
      id: 'requests',
      title: 'Request rate',
      unit: 'req/s',
      digits: 2,
      series: [{ key: 'requestRate', name: 'Requests', value: (p) => p.requestRate, colour: 'var(--slo-a)' }],
    },
    {
      id: 'errors',
      title: 'Error rate (5xx)',
      unit: '%',
      digits: 2,
      series: [{ key: 'errorRate', name: 'Error rate', value: (p) => percentOf(p.errorRate), colour: 'var(--slo-a)' }],
      reference: { y: Number(((1 - objectives.availabilityObjective) * 100).toPrecision(6)), label: 'burn rate 1' },
    },
    {
      id: 'latency',
      title: 'Latency p95',
      unit: 'ms',
      digits: 0,
      series: [{ key: 'p95Ms', name: 'p95', value: (p) => p.p95Ms, colour: 'var(--slo-a)' }],
      reference: { y: objectives.latencyThresholdMs, label: 'SLO threshold' },
    },
  ];
}

function HistoryChart({ spec, points, range }: { spec: ChartSpec; points: SloHistoryPoint[]; range: SloRange }) {
  return (
    <figure className="min-w-0" data-testid={`slo-chart-${spec.id}`}>
      <figcaption className="mb-1 text-sm font-medium text-slate-900 dark:text-slate-100">
        {spec.title} ({spec.unit})
      </figcaption>
      <HistoryDrawing spec={spec} points={points} range={range} height={200} />
    </figure>
  );
}

const cell = (value: number | null, digits: number) => (value === null ? '—' : value.toFixed(digits));

/**
 * Budget remaining (both SLOs), request rate, error rate and p95 latency over the chosen range,
 * with the objective's lines drawn in, and the numbers in a table for those who read rather than look.
 */
export function HistoryCharts({
  points,
  range,
  objectives,
}: {
  points: SloHistoryPoint[];
  range: SloRange;
  objectives: SloObjectives;
}) {
  const specs = chartSpecs(objectives);
  return (
    <div className="space-y-4">
      <div className={`grid gap-6 text-slate-600 md:grid-cols-2 dark:text-slate-300 ${PALETTE}`}>
        {specs.map((spec) => (
          <HistoryChart key={spec.id} spec={spec} points={points} range={range} />
        ))}
      </div>
      <details className="text-xs">
        <summary className="cursor-pointer text-sm">Data table of the charts ({points.length} points)</summary>
        <div className="mt-2 max-h-72 overflow-auto">
          <table className="w-full text-left">
            <caption className="sr-only">History of the endpoint over the last {RANGE_LABELS[range]}</caption>
            <thead>
              <tr>
                {[
                  'Time (UTC)',
                  'Requests/s',
                  'Error rate %',
                  'p95 ms',
                  'Availability budget %',
                  'Latency budget %',
                ].map((h) => (
                  <th key={h} scope="col" className="px-2 py-1">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="font-mono">
              {points.map((p) => (
                <tr key={p.t}>
                  <th scope="row" className="px-2 py-0.5 font-normal">
                    {formatTime(p.t)}
                  </th>
                  <td className="px-2 py-0.5">{cell(p.requestRate, 2)}</td>
                  <td className="px-2 py-0.5">{cell(percentOf(p.errorRate), 3)}</td>
                  <td className="px-2 py-0.5">{cell(p.p95Ms, 0)}</td>
                  <td className="px-2 py-0.5">{cell(percentOf(p.availabilityBudget), 1)}</td>
                  <td className="px-2 py-0.5">{cell(percentOf(p.latencyBudget), 1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}
