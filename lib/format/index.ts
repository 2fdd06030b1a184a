export { formatAge, formatAxisTime, formatDuration, formatDurationBetween, formatTime } from './time';
export {
  formatBytes,
  formatFixedPercent,
  formatNumber,
  formatPercent,
  formatSignedNumber,
  fractionToPercent,
  percentToFraction,
} from './number';
