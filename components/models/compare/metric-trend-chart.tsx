'use client';

import { lazyChart } from '@/components/ui/lazy-chart';

/** The trend chart, drawn in the browser once shown: recharts stays out of the route's first load. */
export const MetricTrendChart = lazyChart(() => import('./metric-trend-drawing').then((m) => m.MetricTrendDrawing));
