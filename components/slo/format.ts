import type { BadgeTone } from '@/components/ui/badge';
import { fractionToPercent } from '@/lib/format';
import { SLO_RANGES, type BurnRateView, type SloRange, type SloSummary } from '@/lib/slo/view';

/** "99.9 %": an objective as people write it. */
export function objectiveText(objective: number): string {
  return `${fractionToPercent(objective)} %`;
}

/** Decimals enough to compare an indicator with its objective: one more than the objective has, at least two. */
function decimalsFor(objective: number): number {
  const [, decimals = ''] = String(fractionToPercent(objective)).split('.');
  return Math.max(2, decimals.length + 1);
}

/** The indicator next to its objective, e.g. "99.87 %"; "no traffic" without requests. */
export function sliText(sli: number | null, objective: number): string {
  return sli === null ? 'no traffic' : `${(sli * 100).toFixed(decimalsFor(objective))} %`;
}

/** What the SLO promises, in words: "99.9 % availability over 28 d", "95 % within 200 ms over 28 d". */
export function sloTitle(slo: Pick<SloSummary, 'kind' | 'objective' | 'windowDays' | 'latencyThresholdMs'>): string {
  const what = slo.kind === 'availability' ? 'availability' : `within ${slo.latencyThresholdMs ?? '?'} ms`;
  return `${objectiveText(slo.objective)} ${what} over ${slo.windowDays} d`;
}

/** What the indicator measures: "Availability" or "Within 200 ms". */
export function sliLabel(slo: Pick<SloSummary, 'kind' | 'latencyThresholdMs'>): string {
  return slo.kind === 'availability' ? 'Availability' : `Within ${slo.latencyThresholdMs ?? '?'} ms`;
}

/** Budget left in percent, with a real minus sign when overspent: "58.2 %", "−12.0 %". */
export function budgetText(budget: number | null): string {
  if (budget === null) return 'unknown';
  const percent = (Math.abs(budget) * 100).toFixed(1);
  return budget < 0 && percent !== '0.0' ? `−${percent} %` : `${percent} %`;
}

export type BudgetLevel = 'unknown' | 'spent' | 'low' | 'healthy';

/** Spent at or below zero; low under a quarter left. */
export function budgetLevel(budget: number | null): BudgetLevel {
  if (budget === null) return 'unknown';
  if (budget <= 0) return 'spent';
  return budget < 0.25 ? 'low' : 'healthy';
}

export const BUDGET_LEVELS: Record<BudgetLevel, { label: string; tone: BadgeTone; bar: string }> = {
  unknown: { label: 'Unknown', tone: 'neutral', bar: 'bg-slate-400' },
  spent: { label: 'Spent', tone: 'bad', bar: 'bg-red-600' },
  low: { label: 'Low', tone: 'warn', bar: 'bg-amber-500' },
  healthy: { label: 'Healthy', tone: 'good', bar: 'bg-green-600 dark:bg-green-500' },
};

/** "14.40×"; "no traffic" without requests in the window. */
export function burnRateText(rate: number | null): string {
  if (rate === null) return 'no traffic';
  return `${rate < 10 ? rate.toFixed(2) : rate.toFixed(1)}×`;
}

export type BurnVerdict = 'firing' | 'quiet' | 'no-traffic';

export function burnVerdict(burn: Pick<BurnRateView, 'firing' | 'longRate' | 'shortRate'>): BurnVerdict {
  if (burn.firing) return 'firing';
  return burn.longRate === null && burn.shortRate === null ? 'no-traffic' : 'quiet';
}

export const BURN_VERDICTS: Record<BurnVerdict, { label: string; tone: BadgeTone }> = {
  firing: { label: 'Would alert', tone: 'bad' },
  quiet: { label: 'Quiet', tone: 'good' },
  'no-traffic': { label: 'No traffic', tone: 'neutral' },
};

/** The window pairs whose alert fires, e.g. ["1h / 5m", "6h / 30m"]. */
export function firingWindows(burnRates: readonly Pick<BurnRateView, 'label' | 'firing'>[]): string[] {
  return burnRates.filter((b) => b.firing).map((b) => b.label);
}

// Made once: a NumberFormat is costly to create, and a page formats a count per row.
const COUNT_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** "1,234,567" (request counts from rates are not whole): the same on the server and in any browser. */
export function countText(n: number): string {
  return COUNT_FORMAT.format(n);
}

export const RANGE_LABELS: Record<SloRange, string> = {
  '1h': '1 hour',
  '6h': '6 hours',
  '1d': '1 day',
  '7d': '7 days',
  '28d': '28 days',
};
export const DEFAULT_RANGE: SloRange = '1d';

/** The `range` query parameter; anything else is the default. */
export function rangeParam(value: string | string[] | null | undefined): SloRange {
  const first = Array.isArray(value) ? value[0] : value;
  return (SLO_RANGES as readonly string[]).includes(first ?? '') ? (first as SloRange) : DEFAULT_RANGE;
}

/** An endpoint's SLO page (and its live route, with `/live`). */
export function sloDetailPath(tenant: string, endpoint: string, suffix = ''): string {
  return `/slo/${encodeURIComponent(tenant)}/${encodeURIComponent(endpoint)}${suffix}`;
}
