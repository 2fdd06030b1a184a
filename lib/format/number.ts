/** How the portal writes numbers: short enough for a table or an axis, precise enough to tell values apart. */

/** Four significant digits; whole numbers as they are, and from 1000 up rounded to whole. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value) || Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 1000 ? String(Math.round(value)) : String(Number(value.toPrecision(4)));
}

/** Twelve significant digits: 99.9 / 100 is 0.999, not 0.9990000000000001. */
const clean = (value: number) => Number(value.toPrecision(12));
/** A stored fraction as the percentage people read and type, without floating-point noise: 0.999 → 99.9. */
export const fractionToPercent = (fraction: number) => clean(fraction * 100);
/** A typed percentage as the stored fraction, without floating-point noise: 99.9 → 0.999. */
export const percentToFraction = (percent: number) => clean(percent / 100);

/** A change with its sign always written, minus as a real minus sign: 0.0123 → "+0.0123", −0.5 → "−0.5", 0 → "0". */
export function formatSignedNumber(delta: number): string {
  if (delta === 0) return '0';
  return `${delta > 0 ? '+' : '−'}${formatNumber(Math.abs(delta))}`;
}

/** A ratio as a percentage without trailing zeros, small ones with two decimals: 0.857 → "85.7 %", 0.0035 → "0.35 %". */
export function formatPercent(ratio: number): string {
  const value = ratio * 100;
  return `${Number(value.toFixed(Math.abs(value) < 10 ? 2 : 1))} %`;
}

/** A ratio as a percentage with its decimals kept, so figures line up in a column: 0.004 → "0.40 %", 0.9 → "90.0 %". */
export function formatFixedPercent(ratio: number): string {
  return `${(ratio * 100).toFixed(ratio < 0.1 ? 2 : 1)} %`;
}

/** Bytes in binary units: "512 B", "1.5 KiB", "230 MiB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
