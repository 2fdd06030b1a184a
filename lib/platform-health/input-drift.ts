/**
 * input-drift: a served model whose live inputs have moved away from its training data. A drift
 * exporter scores each input feature of each endpoint from 0 (distributed as in training) to 1;
 * a feature scoring above its tenant policy's `maxInputDrift` is a breach. The model's owners act
 * on it (retrain, or accept the shift), not platform on-call. The breaches also feed the
 * operations board's serving row and the `model.drift` notification. Pure.
 */
import type { DriftScore } from '@/lib/integrations/prometheus/drift-metrics';
import type { Finding } from './finding';
import { endpointHref } from './served-revisions';

export interface DriftPolicy {
  /** The policy's `maxInputDrift`. */
  maxInputDrift: number;
  /** The policy's version; 0 while the tenant runs on the defaults. */
  version: number;
}

export interface DriftBreach {
  tenant: string;
  endpoint: string;
  threshold: number;
  policyVersion: number;
  /** Every feature above the threshold, worst first. */
  features: { feature: string; score: number }[];
}

export const policyHref = (tenant: string) => `/t/${tenant}/policy`;

/** A score as it is shown: three decimals. */
export const formatDriftScore = (score: number) => score.toFixed(3);

/**
 * The endpoints with a feature above their tenant's threshold, by tenant and endpoint. A tenant
 * not in `policies` is not judged (its policy could not be read, or it is not a tenant).
 */
export function driftBreaches(
  scores: readonly DriftScore[],
  policies: ReadonlyMap<string, DriftPolicy>,
): DriftBreach[] {
  const breaches = new Map<string, DriftBreach>();
  for (const s of scores) {
    const policy = policies.get(s.tenant);
    if (!policy || !(s.score > policy.maxInputDrift)) continue;
    const key = `${s.tenant}\u0000${s.endpoint}`;
    const breach = breaches.get(key) ?? {
      tenant: s.tenant,
      endpoint: s.endpoint,
      threshold: policy.maxInputDrift,
      policyVersion: policy.version,
      features: [],
    };
    breach.features.push({ feature: s.feature, score: s.score });
    breaches.set(key, breach);
  }
  return [...breaches.values()]
    .map((b) => ({
      ...b,
      features: b.features.sort((x, y) => y.score - x.score || x.feature.localeCompare(y.feature)),
    }))
    .sort((a, b) => a.tenant.localeCompare(b.tenant) || a.endpoint.localeCompare(b.endpoint));
}

/** "competitor_price_ratio 0.337, discount_pct 0.331". */
export const breachFeatureWords = (b: Pick<DriftBreach, 'features'>) =>
  b.features.map((f) => `${f.feature} ${formatDriftScore(f.score)}`).join(', ');

export function checkInputDrift(scores: readonly DriftScore[], policies: ReadonlyMap<string, DriftPolicy>): Finding[] {
  return driftBreaches(scores, policies).map((b): Finding => {
    const n = b.features.length;
    return {
      checkId: 'input-drift',
      severity: 'warning',
      tenant: b.tenant,
      subject: { kind: 'inference-service', name: b.endpoint },
      title: `${b.tenant}/${b.endpoint}: ${n} input feature${n === 1 ? '' : 's'} drift past ${b.threshold} (${breachFeatureWords(b)})`,
      evidence: [
        { label: 'Endpoint', value: `${b.tenant}/${b.endpoint}`, href: endpointHref(b.tenant, b.endpoint) },
        ...b.features.map((f) => ({
          label: `Feature ${f.feature}`,
          value: `drift score ${formatDriftScore(f.score)} > ${b.threshold}`,
        })),
        {
          label: 'Threshold',
          value: `${b.threshold} (${b.policyVersion === 0 ? 'the default policy' : `policy version ${b.policyVersion}`})`,
          href: policyHref(b.tenant),
        },
      ],
      remedy:
        'Compare the drifting features’ recent inputs with the training data: retrain on recent data and promote the new version, ' +
        'or, if the shift is expected and harmless, raise the tenant’s drift threshold (another admin must accept that change).',
    };
  });
}
