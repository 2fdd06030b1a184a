'use client';

import dynamic from 'next/dynamic';

/**
 * The trend chart, fetched by the browser once the page is shown: recharts stays out of the
 * route's first-load JavaScript, and the table beside the chart says the same meanwhile.
 */
export const LazyMetricTrendChart = dynamic(() => import('./metric-trend-chart').then((m) => m.MetricTrendChart), {
  ssr: false,
  loading: () => (
    <p className="flex h-[260px] items-center justify-center text-sm text-slate-600 dark:text-slate-400">
      Loading the chart…
    </p>
  ),
});
