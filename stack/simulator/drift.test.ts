/**
 * The simulated drift exporter: the seeded endpoint drifts in two features and the others stay at
 * rest, the scores are deterministic and in 0–1, the control API sets and clears drift, and the
 * backfilled history rises to the live level.
 */
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  DriftBook,
  ENDPOINT_FEATURES,
  INPUT_DRIFT_SCORE,
  driftLines,
  driftScoreAt,
  driftScores,
  handleDrift,
  historicalDrift,
} from './drift';

const NOW = Date.parse('2026-12-07T12:00:00Z');
const DAY = 86_400_000;

describe('drift scores', () => {
  it('drift for pricing/price-elasticity in two features past 0.2; every other feature stays below', () => {
    const scores = driftScores(new DriftBook(), NOW);
    const pricing = scores.find((e) => e.service === 'price-elasticity')!;
    const over = Object.entries(pricing.scores).filter(([, s]) => s > 0.2);
    expect(over.map(([f]) => f).sort()).toEqual(['competitor_price_ratio', 'discount_pct']);
    for (const e of scores)
      for (const [feature, score] of Object.entries(e.scores)) {
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(1);
        if (!(e.service === 'price-elasticity' && pricing.drifting.includes(feature))) expect(score).toBeLessThan(0.15);
      }
  });

  it('are deterministic for a time and move a little over the day', () => {
    const at = (t: number) => driftScoreAt('fraud', 'fraud-detector', 'amount', t);
    expect(at(NOW)).toBe(at(NOW));
    const day = Array.from({ length: 48 }, (_, i) => at(NOW + i * 1_800_000));
    expect(new Set(day).size).toBeGreaterThan(10);
    expect(Math.max(...day) - Math.min(...day)).toBeLessThan(0.06);
  });

  it('are exposed as one gauge per endpoint and feature with the exporter’s labels', () => {
    const lines = driftLines(driftScores(new DriftBook(), NOW));
    expect(lines).toHaveLength(Object.values(ENDPOINT_FEATURES).flat().length);
    expect(lines.find((l) => l.includes('feature="discount_pct"'))).toMatch(
      new RegExp(
        `^${INPUT_DRIFT_SCORE}\\{namespace="pricing",inference_service="price-elasticity",feature="discount_pct"\\} 0\\.3\\d+\\n$`,
      ),
    );
  });

  it('history rises over the days before its last day and ends at the live level', () => {
    const end = NOW;
    const score = (t: number) => historicalDrift(['pricing/price-elasticity'], t, end)[0]!.scores.discount_pct!;
    expect(score(end - 10 * DAY)).toBeLessThan(0.15);
    expect(score(end - 2.5 * DAY)).toBeGreaterThan(score(end - 3.5 * DAY));
    expect(score(end)).toBeCloseTo(driftScores(new DriftBook(), end)[1]!.scores.discount_pct!, 4);
    expect(historicalDrift(['bench/unknown'], end, end)).toEqual([]);
  });
});

function call(book: DriftBook, method: string, url: string, body?: unknown) {
  const req = Object.assign(new EventEmitter(), { method, url }) as unknown as IncomingMessage;
  let status = 0;
  let text = '';
  const res = {
    setHeader: () => undefined,
    writeHead: (s: number) => {
      status = s;
    },
    end: (t: string) => {
      text = t;
    },
  } as unknown as ServerResponse;
  return handleDrift(
    book,
    req,
    res,
    () => NOW,
    async () => JSON.stringify(body),
  ).then((handled) => ({
    handled,
    status,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
  }));
}

describe('the /drift control', () => {
  it('clears an endpoint’s drift and sets it again', async () => {
    const book = new DriftBook();
    const cleared = await call(book, 'DELETE', '/drift?namespace=pricing&service=price-elasticity');
    expect(cleared.status).toBe(200);
    expect(Math.max(...Object.values(driftScores(book, NOW)[1]!.scores))).toBeLessThan(0.2);

    const set = await call(book, 'POST', '/drift', {
      namespace: 'forecast',
      service: 'demand-forecast',
      features: ['lag_1w'],
      score: 0.5,
    });
    expect(set.status).toBe(200);
    expect(driftScores(book, NOW)[2]!.scores.lag_1w).toBeGreaterThan(0.45);
    const listed = await call(book, 'GET', '/drift');
    expect(listed.body!.endpoints).toContainEqual(
      expect.objectContaining({ namespace: 'forecast', service: 'demand-forecast', drifting: ['lag_1w'] }),
    );
  });

  it('refuses unknown endpoints and features, naming them, and leaves other paths alone', async () => {
    const book = new DriftBook();
    const wrong = await call(book, 'POST', '/drift', {
      namespace: 'pricing',
      service: 'price-elasticity',
      features: ['shoe_size'],
    });
    expect(wrong).toMatchObject({ status: 400, body: { error: 'pricing/price-elasticity has no feature shoe_size' } });
    expect((await call(book, 'POST', '/drift', { namespace: 'x', service: 'y', features: ['a'] })).status).toBe(400);
    expect((await call(book, 'GET', '/faults')).handled).toBe(false);
  });
});
