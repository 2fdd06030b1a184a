'use client';

import { lazyChart } from '@/components/ui/lazy-chart';
import type { UtilisationSeries } from '@/lib/integrations/prometheus';

const UtilisationDrawing = lazyChart(() => import('./utilisation-chart-drawing').then((m) => m.UtilisationDrawing));

const mean = (s: UtilisationSeries) => s.points.reduce((sum, p) => sum + p.value, 0) / s.points.length;

/** Mean GPU utilisation per pod over time, with the idle threshold drawn in; the means are also said in words. */
export function UtilisationChart({ series, hours }: { series: UtilisationSeries[]; hours: number }) {
  const summary = series.map((s) => `${s.pod} ${Math.round(mean(s))} %`).join(', ');
  return (
    <figure className="text-slate-600 dark:text-slate-300">
      <figcaption className="mb-1 text-sm font-medium text-slate-900 dark:text-slate-100">
        GPU utilisation per pod, last {hours} hours (%)
      </figcaption>
      <UtilisationDrawing series={series} hours={hours} summary={summary} height={220} />
      <p className="sr-only">
        Mean utilisation over the last {hours} hours: {summary}.
      </p>
    </figure>
  );
}
