/**
 * What input drift is judged from, read once for whoever needs it (platform health, the
 * operations board's serving row, the drift notification): every endpoint's latest drift scores —
 * one Prometheus query whose answer is shared across viewers — and each tenant's threshold from
 * its promotion policy. Each is read on its own, so a failure names its upstream.
 */
import { clusterDriftScores, type DriftScore } from '../integrations/prometheus/drift-metrics';
import { getPolicies } from '../promotion/policy-store';
import { readPanel, type Panel } from '../read-model/panel';
import { driftBreaches, type DriftBreach, type DriftPolicy } from './input-drift';

export const DRIFT_SCORES_SOURCE = 'Prometheus (the input drift scores)';
export const DRIFT_POLICIES_SOURCE = 'the tenants’ policies';

export interface DriftInputs {
  /** Of `tenants` only. */
  scores: Panel<DriftScore[]>;
  policies: Panel<Map<string, DriftPolicy>>;
}

export async function readDriftInputs(tenants: readonly string[]): Promise<DriftInputs> {
  const known = new Set(tenants);
  const [scores, policies] = await Promise.all([
    readPanel(DRIFT_SCORES_SOURCE, async () => (await clusterDriftScores()).scores.filter((s) => known.has(s.tenant))),
    readPanel(DRIFT_POLICIES_SOURCE, async () => {
      const stored = await getPolicies(tenants);
      return new Map(
        [...stored].map(([tenant, s]) => [tenant, { maxInputDrift: s.policy.maxInputDrift, version: s.version }]),
      );
    }),
  ]);
  return { scores, policies };
}

/** The breaches of `tenants`' endpoints now, or why they could not be judged. */
export async function readDriftBreaches(tenants: readonly string[]): Promise<Panel<DriftBreach[]>> {
  const { scores, policies } = await readDriftInputs(tenants);
  if (!scores.ok) return scores;
  if (!policies.ok) return policies;
  return { ok: true, data: driftBreaches(scores.data, policies.data), freshness: scores.freshness };
}
