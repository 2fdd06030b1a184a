export { formatAge, formatAxisTime, formatDuration, formatDurationBetween, formatTime } from './time';
export { formatBytes, formatNumber, formatPercent } from './number';
