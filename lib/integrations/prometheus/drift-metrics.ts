/**
 * Model input drift scores, as a drift exporter gives them to Prometheus: one gauge per
 * InferenceService and input feature, 0 (inputs distributed as in training) to 1 (nothing in
 * common). The latest scores of every endpoint are one cluster query, the same text for everyone,
 * so its answer is shared across viewers and with the platform health check (sharedPrometheus);
 * one endpoint's history is a tenant-scoped range query for its chart.
 */
import type { Freshness } from '../../freshness';
import { tenantNamespace } from '../kubernetes/namespace';
import type { InstantSample, PrometheusApi, RangeSeries, TimeRange } from './client';
import { instantAnswer, rangeAnswer, sharedPrometheus } from './shared-query';
import { queryTemplates, renderQuery, type QueryTemplates } from './templates';

export interface DriftScore {
  /** The tenant (its namespace). */
  tenant: string;
  endpoint: string;
  feature: string;
  /** 0–1. */
  score: number;
}

export interface DriftSeries {
  feature: string;
  /** `t` in milliseconds since the epoch; `value` 0–1. */
  points: { t: number; value: number }[];
}

export type DriftScoresAnswer = { scores: DriftScore[] } & { freshness: Freshness };
export type DriftHistoryAnswer = { series: DriftSeries[] } & { freshness: Freshness };

/** The latest score of every endpoint's features, by tenant, endpoint and feature. Pure; exported for tests. */
export function driftScoresFrom(samples: readonly InstantSample[]): DriftScore[] {
  return samples
    .filter((s) => s.metric.namespace && s.metric.inference_service && s.metric.feature && Number.isFinite(s.value))
    .map((s) => ({
      tenant: s.metric.namespace!,
      endpoint: s.metric.inference_service!,
      feature: s.metric.feature!,
      score: s.value,
    }))
    .sort(
      (a, b) =>
        a.tenant.localeCompare(b.tenant) || a.endpoint.localeCompare(b.endpoint) || a.feature.localeCompare(b.feature),
    );
}

/** Chart series per feature from a range answer. Pure; exported for tests. */
export function driftSeriesFrom(series: readonly RangeSeries[]): DriftSeries[] {
  return series
    .filter((s) => s.metric.feature)
    .map((s) => ({
      feature: s.metric.feature!,
      points: s.points
        .filter((p) => Number.isFinite(p.value))
        .map((p) => ({ t: Math.round(p.time * 1000), value: p.value })),
    }))
    .filter((s) => s.points.length > 0)
    .sort((a, b) => a.feature.localeCompare(b.feature));
}

/** Every endpoint's latest drift scores, in one query shared across viewers (platform health, the ops board). */
export async function clusterDriftScores(
  api: PrometheusApi = sharedPrometheus(),
  templates: QueryTemplates = queryTemplates(),
): Promise<DriftScoresAnswer> {
  const { samples, freshness } = await instantAnswer(api, renderQuery(templates.clusterInputDriftScores, {}));
  return { scores: driftScoresFrom(samples), freshness };
}

/** One endpoint's drift scores per feature over `range`, bound to the tenant's namespace. */
export async function driftHistory(
  tenant: string,
  endpoint: string,
  range: TimeRange,
  api: PrometheusApi = sharedPrometheus(),
  templates: QueryTemplates = queryTemplates(),
): Promise<DriftHistoryAnswer> {
  const promql = renderQuery(templates.inputDriftScores, { namespace: tenantNamespace(tenant), service: endpoint });
  const { series, freshness } = await rangeAnswer(api, promql, range);
  return { series: driftSeriesFrom(series), freshness };
}
