export {
  defaultPrometheusConnection,
  prometheusApi,
  query,
  queryRange,
  type InstantSample,
  type PrometheusApi,
  type PrometheusConnection,
  type RangeSeries,
  type TimeRange,
} from './client';
export { alignRange, instantAnswer, rangeAnswer, sharedPrometheus, type SharedPrometheusApi } from './shared-query';
export {
  servingMetrics,
  type RevisionHistory,
  type RevisionHistoryPoint,
  type RevisionMetrics,
  type ServingMetricsApi,
} from './serving-metrics';
export { DEFAULT_QUERY_TEMPLATES, queryTemplates, type QueryTemplateName, type QueryTemplates } from './templates';
export {
  clusterGpuMetrics,
  gpuMetrics,
  type ClusterGpuMetricsApi,
  type GpuDeviceMetrics,
  type GpuMetricsApi,
  type UtilisationSeries,
} from './gpu-metrics';
export {
  fleetMetrics,
  type EndpointServingStats,
  type FleetMetricsApi,
  type RevisionServingStats,
  type TenantGpuUtilisation,
} from './fleet-metrics';
export {
  MIN_HISTORY_RATE_WINDOW_SECONDS,
  sloMetrics,
  type EndpointSloCounts,
  type SloCounts,
  type SloHistoryMetricsPoint,
  type SloHistoryOptions,
  type SloHistorySeries,
  type SloMetricsApi,
} from './slo-metrics';
export {
  clusterDriftScores,
  driftHistory,
  type DriftHistoryAnswer,
  type DriftScore,
  type DriftScoresAnswer,
  type DriftSeries,
} from './drift-metrics';
