import { formatAxisTime } from '@/lib/format';

// The look every recharts chart of the portal shares, said once: ticks and grid in the text
// colour (so they follow dark mode), and a time axis labelled in UTC.

export const CHART_TICK = { fill: 'currentColor', fontSize: 12 };

export const CHART_GRID = { stroke: 'currentColor', strokeOpacity: 0.15, strokeDasharray: '3 3' };

/** Props of an XAxis over `t` (epoch milliseconds), spread on `<XAxis>`. */
export function timeAxis(tickFormatter: (t: number) => string = (t) => formatAxisTime(t), minTickGap = 24) {
  return {
    dataKey: 't',
    type: 'number' as const,
    scale: 'time' as const,
    domain: ['dataMin', 'dataMax'] as [string, string],
    tickFormatter,
    tick: CHART_TICK,
    stroke: 'currentColor',
    minTickGap,
  };
}

/** A chart's tooltip and threshold text: the value with the chart's digits and unit, or "no data". */
export function chartValueFormatter(spec: { digits: number; unit: string }): (value: unknown) => string {
  return (value) => (typeof value === 'number' ? `${value.toFixed(spec.digits)} ${spec.unit}` : 'no data');
}
