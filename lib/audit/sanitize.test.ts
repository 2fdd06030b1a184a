import { describe, expect, it } from 'vitest';
import { INPUT_JSON_LIMITS, REPLACEMENT, storableJson, storableOptionalText, storableText } from './sanitize';

const hasLoneSurrogate = (text: string) => !text.isWellFormed();

describe('storableText', () => {
  it('leaves ordinary text alone, including pairs of surrogates (emoji)', () => {
    expect(storableText('fraud-detector v3 — 😀 ok', 100)).toBe('fraud-detector v3 — 😀 ok');
  });

  it('replaces NUL and lone surrogates, which PostgreSQL cannot store', () => {
    expect(storableText('a\u0000b', 10)).toBe(`a${REPLACEMENT}b`);
    expect(storableText('\uD800', 10)).toBe(REPLACEMENT);
    expect(storableText('x\uDFFFy\uD83D', 10)).toBe(`x${REPLACEMENT}y${REPLACEMENT}`);
  });

  it('cuts long text, marking the cut, never inside a surrogate pair', () => {
    expect(storableText('a'.repeat(5_000_000), 100)).toHaveLength(100);
    expect(storableText('abcdef', 4)).toBe('abc…');
    const cut = storableText(`ab${'😀'.repeat(10)}`, 4);
    expect(hasLoneSurrogate(cut)).toBe(false);
    expect(cut.length).toBeLessThanOrEqual(4);
  });

  it('keeps null and undefined as null for optional fields', () => {
    expect(storableOptionalText(undefined, 5)).toBeNull();
    expect(storableOptionalText(null, 5)).toBeNull();
    expect(storableOptionalText('a\u0000', 5)).toBe(`a${REPLACEMENT}`);
  });
});

describe('storableJson', () => {
  it('keeps ordinary values as a JSON round trip would', () => {
    const at = new Date('2026-12-07T10:00:00Z');
    expect(storableJson({ a: 1, b: 'x', c: [true, null], d: at, e: undefined, f: 12n })).toEqual({
      a: 1,
      b: 'x',
      c: [true, null],
      d: at.toISOString(),
      f: '12',
    });
    expect(storableJson(undefined)).toBeNull();
    expect(storableJson(null)).toBeNull();
    expect(storableJson(Number.NaN)).toBeNull();
  });

  it('makes every string and key storable, at any depth', () => {
    const stored = storableJson({ 'k\u0000': { list: ['\uD800', { deep: 'v\u0000' }] } });
    const text = JSON.stringify(stored);
    expect(text).not.toContain('\\u0000');
    expect(hasLoneSurrogate(text)).toBe(false);
    expect(stored).toEqual({ [`k${REPLACEMENT}`]: { list: [REPLACEMENT, { deep: `v${REPLACEMENT}` }] } });
  });

  it('bounds strings, arrays, objects, depth and the whole', () => {
    const input = {
      notes: 'n'.repeat(3_000_000),
      many: Array.from({ length: 10_000 }, (_, i) => i),
      wide: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, i])),
      deep: JSON.parse(`${'{"a":'.repeat(100)}1${'}'.repeat(100)}`) as unknown,
    };
    const stored = storableJson(input, INPUT_JSON_LIMITS) as Record<string, unknown>;
    expect(JSON.stringify(stored).length).toBeLessThanOrEqual(INPUT_JSON_LIMITS.total);
  });

  it('summarises a value still too large after cutting', () => {
    const input = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`field${i}`, 'x'.repeat(500)]));
    expect(storableJson(input, INPUT_JSON_LIMITS)).toEqual({
      truncated: true,
      jsonCharacters: expect.any(Number),
      limit: INPUT_JSON_LIMITS.total,
    });
  });

  it('survives cycles', () => {
    const a: Record<string, unknown> = { name: 'a' };
    a.self = a;
    expect(storableJson(a)).toEqual({ name: 'a', self: '[circular]' });
  });
});
