import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  GENESIS_HASH,
  hashEvent,
  toJsonValue,
  verifyChain,
  type ChainedContent,
  type ChainedEvent,
} from './chain';

function content(id: number, overrides: Partial<ChainedContent> = {}): ChainedContent {
  return {
    id: BigInt(id),
    occurredAt: new Date(Date.UTC(2026, 10, 22, 12, 0, id)),
    actorId: null,
    actor: 'frank',
    action: 'tenant.create',
    tenant: 'fraud',
    targetType: 'tenant',
    targetId: 'fraud',
    before: null,
    after: { name: 'fraud', status: 'active' },
    outcome: 'success',
    reason: null,
    requestId: `req-${id}`,
    ...overrides,
  };
}

function chain(count: number): ChainedEvent[] {
  const events: ChainedEvent[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= count; i++) {
    const c = content(i);
    const hash = hashEvent(prev, c);
    events.push({ ...c, prevHash: prev, hash });
    prev = hash;
  }
  return events;
}

describe('canonicalJson', () => {
  it('orders keys at every depth so equal values hash equally', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[2,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson({ a: undefined, b: 'x' })).toBe('{"b":"x"}');
  });
  it('matches what a JSON column gives back', () => {
    expect(toJsonValue({ at: new Date('2026-01-01T00:00:00Z'), n: 10n, skip: undefined })).toEqual({
      at: '2026-01-01T00:00:00.000Z',
      n: '10',
    });
  });
});

describe('verifyChain', () => {
  it('accepts an intact chain', () => {
    expect(verifyChain(chain(5))).toEqual({ ok: true, checked: 5, lastHash: chain(5)[4]!.hash });
  });

  it('verifies in batches', () => {
    const events = chain(6);
    const first = verifyChain(events.slice(0, 3));
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(verifyChain(events.slice(3), first.lastHash, first.checked)).toMatchObject({ ok: true, checked: 6 });
  });

  it('detects an edited event', () => {
    const events = chain(4);
    events[1] = { ...events[1]!, after: { name: 'fraud', status: 'archived' } };
    expect(verifyChain(events)).toMatchObject({
      ok: false,
      brokenAt: 2n,
      checked: 1,
      problem: expect.stringMatching(/changed/),
    });
  });

  it('detects a removed event', () => {
    const events = chain(4);
    events.splice(2, 1);
    expect(verifyChain(events)).toMatchObject({ ok: false, brokenAt: 4n, problem: expect.stringMatching(/removed/) });
  });

  it('detects a rewritten event whose hash was recomputed', () => {
    const events = chain(3);
    const forged = content(2, { actor: 'mallory' });
    events[1] = { ...forged, prevHash: events[0]!.hash, hash: hashEvent(events[0]!.hash, forged) };
    // The forgery is self-consistent, but the next event no longer follows it.
    expect(verifyChain(events)).toMatchObject({ ok: false, brokenAt: 3n });
  });
});
