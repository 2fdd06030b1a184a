export { defaultPrometheusConnection, prometheusApi, query, queryRange, type InstantSample, type PrometheusApi, type PrometheusConnection, type RangeSeries, type TimeRange } from './client';
export { servingMetrics, type RevisionHistory, type RevisionHistoryPoint, type RevisionMetrics, type ServingMetricsApi } from './serving-metrics';
export { DEFAULT_QUERY_TEMPLATES, queryTemplates, type QueryTemplateName, type QueryTemplates } from './templates';
export { clusterGpuMetrics, gpuMetrics, type ClusterGpuMetricsApi, type GpuDeviceMetrics, type GpuMetricsApi, type UtilisationSeries } from './gpu-metrics';
