'use client';

import type { ChartPoint, ChartStat, Thresholds } from '@/lib/rollout/dashboard';
import { lazyChart } from '@/components/ui/lazy-chart';

const StableCanaryDrawing = lazyChart(() => import('./metric-charts-drawing').then((m) => m.StableCanaryDrawing));

export interface ChartSpec {
  stat: ChartStat;
  title: string;
  unit: string;
  digits: number;
  threshold?: number;
}

/**
 * Colours for light and dark mode as CSS variables, so the SVG follows the theme class; the canary
 * is also dashed, so the lines differ without colour.
 */
const PALETTE =
  '[--chart-stable:#1d4ed8] [--chart-canary:#c2410c] [--chart-threshold:#b91c1c] [--chart-tooltip:#ffffff] [--chart-tooltip-border:#cbd5e1] ' +
  'dark:[--chart-stable:#60a5fa] dark:[--chart-canary:#fb923c] dark:[--chart-threshold:#f87171] dark:[--chart-tooltip:#1e293b] dark:[--chart-tooltip-border:#475569]';

function MetricChart({ spec, points, hasCanary }: { spec: ChartSpec; points: ChartPoint[]; hasCanary: boolean }) {
  return (
    <figure className="min-w-0">
      <figcaption className="mb-1 text-sm font-medium">
        {spec.title} ({spec.unit})
      </figcaption>
      <StableCanaryDrawing spec={spec} points={points} hasCanary={hasCanary} height={190} />
    </figure>
  );
}

/** Request rate, error rate, p50 and p99 of stable and canary over time, with the thresholds drawn in. */
export function MetricCharts({
  points,
  hasCanary,
  thresholds,
}: {
  points: ChartPoint[];
  hasCanary: boolean;
  thresholds: Thresholds;
}) {
  const specs: ChartSpec[] = [
    { stat: 'requestRate', title: 'Request rate', unit: 'req/s', digits: 1 },
    { stat: 'errorPercent', title: 'Error rate', unit: '%', digits: 2, threshold: thresholds.maxErrorRate * 100 },
    { stat: 'p50Ms', title: 'Latency p50', unit: 'ms', digits: 0 },
    { stat: 'p99Ms', title: 'Latency p99', unit: 'ms', digits: 0, threshold: thresholds.maxP99Ms },
  ];
  return (
    <div className={`grid gap-6 text-slate-600 md:grid-cols-2 dark:text-slate-300 ${PALETTE}`}>
      {specs.map((spec) => (
        <MetricChart key={spec.stat} spec={spec} points={points} hasCanary={hasCanary} />
      ))}
    </div>
  );
}
