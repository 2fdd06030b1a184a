/**
 * How the portal writes times and spans, everywhere: UTC to the minute (server and browser render
 * the same text), spans in their two largest units ("12 min 5 s", "3 h 5 min", "2 d 4 h").
 */

type Moment = Date | string | number;

const toDate = (moment: Moment) => (moment instanceof Date ? moment : new Date(moment));

/** "2026-12-07 04:15 UTC"; "—" for a missing or unreadable moment. */
export function formatTime(moment: Moment | null | undefined): string {
  // MLflow writes 0 for a time it does not know.
  if (moment === null || moment === undefined || (typeof moment === 'number' && moment <= 0)) return '—';
  const date = toDate(moment);
  if (!Number.isFinite(date.getTime())) return '—';
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A span of milliseconds: "0 s", "350 ms", "2.5 s", "45 s", "12 min 5 s", "3 h", "2 d 4 h" (never negative). */
export function formatDuration(ms: number): string {
  const span = Math.max(0, ms);
  if (span === 0) return '0 s';
  if (span < 1_000) return `${Math.round(span)} ms`;
  if (span < 10_000) return `${Number((span / 1_000).toFixed(1))} s`;
  const seconds = Math.round(span / 1_000);
  const units: [number, string][] = [
    [86_400, 'd'],
    [3_600, 'h'],
    [60, 'min'],
    [1, 's'],
  ];
  const first = units.findIndex(([size]) => seconds >= size);
  const [size, unit] = units[first]!;
  const whole = Math.floor(seconds / size);
  const next = units[first + 1];
  const rest = next ? Math.floor((seconds % size) / next[0]) : 0;
  return rest && next ? `${whole} ${unit} ${rest} ${next[1]}` : `${whole} ${unit}`;
}

/** The span from `start` to `end` (milliseconds since the epoch); "—" when either is unknown or they are out of order. */
export function formatDurationBetween(start: number | undefined, end: number | undefined): string {
  return start && end && end >= start ? formatDuration(end - start) : '—';
}

/** A chart axis label in UTC: the clock ("04:15"), with the date for spans over days ("12-07 04:15"). */
export function formatAxisTime(t: number, withDate = false): string {
  const iso = new Date(t).toISOString();
  return withDate ? `${iso.slice(5, 10)} ${iso.slice(11, 16)}` : iso.slice(11, 16);
}

/** How long before `now` a moment was, to the second: "40 s", "12 min" (for "… ago"). */
export function formatAge(moment: Moment, now: Moment): string {
  return formatDuration(Math.round((toDate(now).getTime() - toDate(moment).getTime()) / 1_000) * 1_000);
}
