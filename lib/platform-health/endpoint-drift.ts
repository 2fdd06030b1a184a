/**
 * One endpoint's input drift, for its page: each feature's score over the last days from
 * Prometheus (a range query bound to the tenant's namespace, shared across viewers), the tenant
 * policy's threshold, and the features whose latest score is above it. Prometheus failing leaves
 * the chart out, saying why; the threshold is still shown.
 */
import { driftHistory, type DriftSeries } from '../integrations/prometheus/drift-metrics';
import { getPolicy } from '../promotion/policy-store';
import { readPanel, type Panel } from '../read-model/panel';
import { policyHref } from './input-drift';

/** The chart spans a week, one point an hour: the rise of a drift over days shows, the noise of minutes does not. */
export const DRIFT_HISTORY_DAYS = 7;
export const DRIFT_HISTORY_STEP_SECONDS = 3600;

export interface EndpointDrift {
  threshold: number;
  policyVersion: number;
  policyHref: string;
  history: Panel<DriftSeries[]>;
  /** Features whose latest score is above the threshold, worst first (empty when the history could not be read). */
  breaching: { feature: string; score: number }[];
}

/** Of `series`, the features whose latest point is above `threshold`, worst first. Pure. */
export function breachingFeatures(series: readonly DriftSeries[], threshold: number): EndpointDrift['breaching'] {
  return series
    .flatMap((s) => {
      const latest = s.points.at(-1);
      return latest && latest.value > threshold ? [{ feature: s.feature, score: latest.value }] : [];
    })
    .sort((a, b) => b.score - a.score || a.feature.localeCompare(b.feature));
}

export async function endpointDrift(tenant: string, endpoint: string, now = new Date()): Promise<EndpointDrift> {
  const range = {
    start: new Date(now.getTime() - DRIFT_HISTORY_DAYS * 86_400_000),
    end: now,
    stepSeconds: DRIFT_HISTORY_STEP_SECONDS,
  };
  const [stored, history] = await Promise.all([
    getPolicy(tenant),
    readPanel('Prometheus (the input drift scores)', async () => (await driftHistory(tenant, endpoint, range)).series),
  ]);
  const threshold = stored.policy.maxInputDrift;
  return {
    threshold,
    policyVersion: stored.version,
    policyHref: policyHref(tenant),
    history,
    breaching: history.ok ? breachingFeatures(history.data, threshold) : [],
  };
}
