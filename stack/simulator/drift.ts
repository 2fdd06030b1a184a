/**
 * Model input drift, as a drift exporter (e.g. Evidently's per-column drift metrics pushed to
 * Prometheus) would give it: one gauge per served model and input feature,
 *
 *   model_input_drift_score{namespace="<tenant>",inference_service="<endpoint>",feature="<name>"}
 *
 * a score from 0 (live inputs distributed like the training data) to 1 (nothing in common): the
 * Jensen–Shannon distance between a feature's training distribution and its recent live inputs.
 * A feature at rest wanders at 0.03–0.12; a drifting one sits near 0.3.
 *
 * The seeded endpoints' features are their trainings' real input columns (stack/mlflow/seed.py,
 * TENANTS[].features). The seed's drifting endpoint is pricing/price-elasticity: two features drift
 * from the start of the simulator (and, in the backfilled history, rose over the days before).
 *
 * Control API: `POST /drift {namespace, service, features, score?}` makes features drift (score
 * 0–1, default 0.34), `DELETE /drift?namespace=&service=` stops every feature of the endpoint
 * drifting, `GET /drift` lists every endpoint's drifting features and current scores. Pure, apart
 * from the book's in-memory state and the HTTP handler.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { hash01, sampleLine, type Labels } from './metrics';

export const INPUT_DRIFT_SCORE = 'model_input_drift_score';
export const INPUT_DRIFT_HELP =
  '# HELP model_input_drift_score Jensen-Shannon distance (0-1) between a model input feature in training and in recent live requests.\n' +
  `# TYPE ${INPUT_DRIFT_SCORE} gauge\n`;

/** The seeded endpoints' input features, as their models were trained (stack/mlflow/seed.py). */
export const ENDPOINT_FEATURES: Readonly<Record<string, readonly string[]>> = {
  'fraud/fraud-detector': [
    'amount',
    'amount_zscore_30d',
    'hour_of_day',
    'merchant_risk',
    'merchant_category',
    'card_age_days',
    'txn_count_1h',
    'txn_count_24h',
    'distance_from_home_km',
    'foreign_country',
    'device_change',
    'chargebacks_90d',
  ],
  'pricing/price-elasticity': [
    'base_price',
    'discount_pct',
    'competitor_price_ratio',
    'category_index',
    'season_week',
    'promo_flag',
    'stock_level',
    'store_traffic',
    'price_change_7d',
    'basket_share',
  ],
  'forecast/demand-forecast': [
    'lag_1w',
    'lag_2w',
    'lag_4w',
    'lag_52w',
    'rolling_mean_4w',
    'rolling_std_4w',
    'holiday_flag',
    'promo_flag',
    'week_of_year',
    'store_size',
    'price_index',
  ],
};

export const DEFAULT_DRIFT_SCORE = 0.34;

export interface DriftSetting {
  namespace: string;
  service: string;
  /** The features that drift (others stay at rest). */
  features: string[];
  /** Where a drifting feature's score settles, 0–1. */
  score: number;
}

/** The seed's drift: pricing's inputs have moved away from what the model learned on. */
export const SEEDED_DRIFT: readonly DriftSetting[] = [
  {
    namespace: 'pricing',
    service: 'price-elasticity',
    features: ['competitor_price_ratio', 'discount_pct'],
    score: DEFAULT_DRIFT_SCORE,
  },
];

/** In the backfilled history, a seeded drift rises over these days, reaching its score a day before the end. */
export const DRIFT_RISE_DAYS = 3;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A feature's score at `timeMs`: at rest 0.03–0.12 (a per-feature level, a slow wave of a few
 * hours, and a little noise per minute, all deterministic), or, while it drifts, `drift` (its
 * score) scaled by `strength` (0–1, the share of the rise reached) with the same wave and noise.
 */
export function driftScoreAt(
  namespace: string,
  service: string,
  feature: string,
  timeMs: number,
  drift?: { score: number; strength?: number },
): number {
  const key = `${namespace}/${service}/${feature}`;
  const rest = 0.04 + 0.05 * hash01(`${key}#level`);
  const period = (4 + 8 * hash01(`${key}#period`)) * HOUR;
  const wave = 0.015 * Math.sin((2 * Math.PI * timeMs) / period + 6 * hash01(`${key}#phase`));
  const noise = 0.01 * (hash01(`${key}#${Math.floor(timeMs / MINUTE)}`) - 0.5);
  const strength = Math.min(1, Math.max(0, drift?.strength ?? 1));
  const level = drift ? rest + (drift.score + 0.02 * (hash01(`${key}#drift`) - 0.5) - rest) * strength : rest;
  return Number(Math.min(1, Math.max(0, level + wave + noise)).toFixed(4));
}

/** The history's drift strength at `timeMs` for a window ending at `endMs`: 0 before the rise, 1 after it. */
export function historicalStrength(timeMs: number, endMs: number): number {
  const reachedMs = endMs - DAY;
  const startMs = reachedMs - DRIFT_RISE_DAYS * DAY;
  return Math.min(1, Math.max(0, (timeMs - startMs) / (reachedMs - startMs)));
}

export function driftLabels(namespace: string, service: string, feature: string): Labels {
  return [
    ['namespace', namespace],
    ['inference_service', service],
    ['feature', feature],
  ];
}

export const driftInput = z
  .object({
    namespace: z.string({ error: 'namespace (a string) is required' }).trim().min(1, 'namespace is required'),
    service: z
      .string({ error: 'service (the InferenceService name) is required' })
      .trim()
      .min(1, 'service (the InferenceService name) is required'),
    features: z
      .array(z.string().trim().min(1).max(200), { error: 'features is a list of feature names' })
      .min(1, 'name at least one feature')
      .max(100),
    score: z
      .number({ error: 'score is a number between 0 and 1' })
      .min(0)
      .max(1, 'score is between 0 and 1')
      .default(DEFAULT_DRIFT_SCORE),
  })
  .strict();

/** Which endpoints' features drift now; starts with the seed's drift. */
export class DriftBook {
  private settings = new Map<string, DriftSetting>();

  constructor(initial: readonly DriftSetting[] = SEEDED_DRIFT) {
    for (const s of initial) this.settings.set(`${s.namespace}/${s.service}`, { ...s, features: [...s.features] });
  }

  /** Features not among the endpoint's known ones are refused by the caller (see `unknownFeatures`). */
  set(setting: DriftSetting): DriftSetting {
    this.settings.set(`${setting.namespace}/${setting.service}`, setting);
    return setting;
  }

  clear(namespace: string, service: string): DriftSetting | undefined {
    const key = `${namespace}/${service}`;
    const cleared = this.settings.get(key);
    this.settings.delete(key);
    return cleared;
  }

  forEndpoint(namespace: string, service: string): DriftSetting | undefined {
    return this.settings.get(`${namespace}/${service}`);
  }
}

/** Of `features`, those `namespace/service` has no score for. */
export function unknownFeatures(namespace: string, service: string, features: readonly string[]): string[] {
  const known = ENDPOINT_FEATURES[`${namespace}/${service}`] ?? [];
  return features.filter((f) => !known.includes(f));
}

export interface EndpointDrift {
  namespace: string;
  service: string;
  drifting: string[];
  scores: Record<string, number>;
}

/** Every known endpoint's scores at `timeMs` under `book`. */
export function driftScores(book: DriftBook, timeMs: number): EndpointDrift[] {
  return Object.entries(ENDPOINT_FEATURES).map(([key, features]) => {
    const [namespace, service] = key.split('/') as [string, string];
    const setting = book.forEndpoint(namespace, service);
    const scores = Object.fromEntries(
      features.map((f) => [
        f,
        driftScoreAt(
          namespace,
          service,
          f,
          timeMs,
          setting?.features.includes(f) ? { score: setting.score } : undefined,
        ),
      ]),
    );
    return { namespace, service, drifting: setting?.features ?? [], scores };
  });
}

/** The exposition lines of every score (no HELP/TYPE); `timestampSeconds` for OpenMetrics. */
export function driftLines(drift: readonly EndpointDrift[], timestampSeconds?: number, extra: Labels = []): string[] {
  return drift.flatMap((e) =>
    Object.entries(e.scores).map(([feature, score]) =>
      sampleLine(
        INPUT_DRIFT_SCORE,
        [...driftLabels(e.namespace, e.service, feature), ...extra],
        score,
        timestampSeconds,
      ),
    ),
  );
}

/** The endpoints whose history the backfill writes, and each feature's score at `timeMs` in a window ending at `endMs`. */
export function historicalDrift(endpoints: readonly string[], timeMs: number, endMs: number): EndpointDrift[] {
  const seeded = new DriftBook();
  const strength = historicalStrength(timeMs, endMs);
  return endpoints.flatMap((key) => {
    const features = ENDPOINT_FEATURES[key];
    if (!features) return [];
    const [namespace, service] = key.split('/') as [string, string];
    const setting = seeded.forEndpoint(namespace, service);
    const scores = Object.fromEntries(
      features.map((f) => [
        f,
        driftScoreAt(
          namespace,
          service,
          f,
          timeMs,
          setting?.features.includes(f) ? { score: setting.score, strength } : undefined,
        ),
      ]),
    );
    return [{ namespace, service, drifting: setting?.features ?? [], scores }];
  });
}

/** Serves `/drift` (GET, POST, DELETE); resolves false for any other path. */
export async function handleDrift(
  book: DriftBook,
  req: IncomingMessage,
  res: ServerResponse,
  now: () => number,
  readBody: (req: IncomingMessage) => Promise<string>,
): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://simulator');
  if (url.pathname !== '/drift') return false;
  const send = (status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
    return true;
  };
  if (req.method === 'GET') return send(200, { endpoints: driftScores(book, now()) });
  if (req.method === 'POST') {
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch (error) {
      return send(400, { error: `the body must be JSON: ${error instanceof Error ? error.message : String(error)}` });
    }
    const parsed = driftInput.safeParse(body);
    if (!parsed.success)
      return send(400, {
        error: parsed.error.issues
          .map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message))
          .join('; '),
      });
    const { namespace, service, features, score } = parsed.data;
    if (!ENDPOINT_FEATURES[`${namespace}/${service}`])
      return send(400, {
        error: `the simulator has no drift scores for ${namespace}/${service}; it has ${Object.keys(ENDPOINT_FEATURES).join(', ')}`,
      });
    const unknown = unknownFeatures(namespace, service, features);
    if (unknown.length) return send(400, { error: `${namespace}/${service} has no feature ${unknown.join(', ')}` });
    return send(200, { drift: book.set({ namespace, service, features: [...new Set(features)], score }) });
  }
  if (req.method === 'DELETE') {
    const namespace = url.searchParams.get('namespace')?.trim();
    const service = url.searchParams.get('service')?.trim();
    if (!namespace || !service) return send(400, { error: 'give ?namespace=…&service=…' });
    return send(200, { cleared: book.clear(namespace, service) ?? null });
  }
  res.setHeader('allow', 'GET, POST, DELETE');
  return send(405, { error: 'use GET, POST or DELETE /drift' });
}
