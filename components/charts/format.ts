/** Four significant digits: enough to tell values apart, short enough for an axis or a table. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value) || Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(4)));
}
