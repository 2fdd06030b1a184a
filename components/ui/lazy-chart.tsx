'use client';

import { useEffect, useState, type ComponentType } from 'react';

/**
 * The way every chart of the portal is drawn: recharts (about 100 kB of gzipped JavaScript) stays
 * out of each route's first load. The drawing — the only kind of module that imports recharts,
 * named `*-drawing.tsx` (eslint.config.mjs refuses recharts elsewhere) — is fetched by the
 * `import()` in `load` once the chart is on screen in the browser, not rendered on the server;
 * until it arrives a placeholder of the drawing's own `height` holds its place, so nothing moves.
 * Keep the chart's caption and its data table outside the drawing: they render with the page.
 *
 *     const LatencyDrawing = lazyChart(() => import('./latency-drawing').then((m) => m.LatencyDrawing));
 */
export function lazyChart<P extends { height: number }>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  // One fetch however many charts of the kind a page shows.
  let loading: Promise<ComponentType<P>> | undefined;

  function LazyChart(props: P) {
    const [drawing, setDrawing] = useState<{ Drawing: ComponentType<P> } | 'failed' | null>(null);
    useEffect(() => {
      let mounted = true;
      loading ??= load();
      loading.then(
        (Drawing) => mounted && setDrawing({ Drawing }),
        () => {
          loading = undefined;
          if (mounted) setDrawing('failed');
        },
      );
      return () => {
        mounted = false;
      };
    }, []);

    if (drawing === null) return <ChartPlaceholder height={props.height} />;
    if (drawing === 'failed')
      return (
        <ChartPlaceholder height={props.height}>
          The chart could not be loaded; reload the page to try again.
        </ChartPlaceholder>
      );
    const { Drawing } = drawing;
    return <Drawing {...props} />;
  }
  return LazyChart;
}

function ChartPlaceholder({ height, children }: { height: number; children?: string }) {
  return (
    <div
      style={{ height }}
      data-testid="chart-placeholder"
      className={`flex w-full items-center justify-center rounded bg-slate-50 text-sm text-slate-600 dark:bg-slate-800/50 dark:text-slate-300 ${children ? '' : 'animate-pulse'}`}
    >
      {children}
    </div>
  );
}
