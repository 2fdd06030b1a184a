import { describe, expect, it } from 'vitest';
import { pageOf } from './paging';

const items = Array.from({ length: 7 }, (_, i) => i + 1);

describe('pageOf', () => {
  it('cuts the list into pages of the given size, the last one shorter', () => {
    expect(pageOf(items, 3, 1)).toEqual({ items: [1, 2, 3], page: 1, pageCount: 3, total: 7 });
    expect(pageOf(items, 3, 3)).toEqual({ items: [7], page: 3, pageCount: 3, total: 7 });
  });

  it('reads a page out of range, or not a whole number, as the nearest page', () => {
    expect(pageOf(items, 3, 9).page).toBe(3);
    expect(pageOf(items, 3, 0).page).toBe(1);
    expect(pageOf(items, 3, -2).page).toBe(1);
    expect(pageOf(items, 3, Number.NaN).page).toBe(1);
    expect(pageOf(items, 3, 2.7)).toMatchObject({ items: [4, 5, 6], page: 2 });
    expect(pageOf(items, 3, undefined).page).toBe(1);
  });

  it('has one empty page when there is nothing to show', () => {
    expect(pageOf([], 3, 2)).toEqual({ items: [], page: 1, pageCount: 1, total: 0 });
  });
});
