'use client';

import { lazyChart } from '@/components/ui/lazy-chart';
import type { DriftSeries } from '@/lib/integrations/prometheus';

const DriftDrawing = lazyChart(() => import('./drift-chart-drawing').then((m) => m.DriftDrawing));

/** Feature colours for light and dark mode (CSS variables, so the SVG follows the theme class); they repeat past eight. */
const PALETTE =
  '[--drift-0:#1d4ed8] [--drift-1:#c2410c] [--drift-2:#047857] [--drift-3:#7c3aed] [--drift-4:#be185d] [--drift-5:#0e7490] [--drift-6:#a16207] [--drift-7:#475569] [--chart-threshold:#b91c1c] [--chart-tooltip:#ffffff] [--chart-tooltip-border:#cbd5e1] ' +
  'dark:[--drift-0:#60a5fa] dark:[--drift-1:#fb923c] dark:[--drift-2:#34d399] dark:[--drift-3:#a78bfa] dark:[--drift-4:#f472b6] dark:[--drift-5:#22d3ee] dark:[--drift-6:#facc15] dark:[--drift-7:#cbd5e1] dark:[--chart-threshold:#f87171] dark:[--chart-tooltip:#1e293b] dark:[--chart-tooltip-border:#475569]';

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
  return (
    <figure className={`min-w-0 text-slate-600 dark:text-slate-300 ${PALETTE}`}>
      <figcaption className="mb-1 text-sm font-medium text-slate-900 dark:text-slate-100">
        Drift score per input feature (0–1)
      </figcaption>
      <DriftDrawing series={series} threshold={threshold} breaching={breaching} height={260} />
    </figure>
  );
}
