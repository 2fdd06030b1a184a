import { describe, expect, it } from 'vitest';
import { MAX_COMPARED_RUNS, parseCompareRunIds, sideBySide } from './compare';

const id = (n: number) => n.toString(16).padStart(32, '0');

describe('parseCompareRunIds', () => {
  it('reads comma-separated and repeated ids, without duplicates', () => {
    expect(parseCompareRunIds(`${id(1)},${id(2)}, ${id(3)}`)).toEqual([id(1), id(2), id(3)]);
    expect(parseCompareRunIds([id(1), `${id(2)},${id(1)}`])).toEqual([id(1), id(2)]);
  });

  it(`refuses more than ${MAX_COMPARED_RUNS} runs`, () => {
    const ids = Array.from({ length: 11 }, (_, i) => id(i + 1));
    expect(() => parseCompareRunIds(ids.join(','))).toThrow('Compare at most 10 runs at a time; 11 were chosen.');
    expect(parseCompareRunIds(ids.slice(0, 10))).toHaveLength(10);
  });

  it('refuses fewer than two runs', () => {
    expect(() => parseCompareRunIds(undefined)).toThrow('Choose at least two runs');
    expect(() => parseCompareRunIds(id(1))).toThrow('Choose at least two runs');
  });

  it('refuses malformed ids, naming them', () => {
    expect(() => parseCompareRunIds(`${id(1)},../etc,${'A'.repeat(32)}`)).toThrow(/"..\/etc", "A{32}"/);
  });
});

describe('sideBySide', () => {
  it('lines up every key and flags those that differ, a missing value included', () => {
    const rows = sideBySide([
      { max_depth: '6', learning_rate: '0.1', subsample: '0.9' },
      { max_depth: '6', learning_rate: '0.2' },
      { max_depth: '6', learning_rate: '0.1', subsample: '0.9' },
    ]);
    expect(rows).toEqual([
      { key: 'learning_rate', values: ['0.1', '0.2', '0.1'], differs: true },
      { key: 'max_depth', values: ['6', '6', '6'], differs: false },
      { key: 'subsample', values: ['0.9', undefined, '0.9'], differs: true },
    ]);
  });

  it('compares numbers by value', () => {
    expect(sideBySide([{ auc: 0.9 }, { auc: 0.9 }])[0]!.differs).toBe(false);
    expect(sideBySide([{ auc: 0.9 }, { auc: 0.91 }])[0]!.differs).toBe(true);
  });
});
