/**
 * Lists that grow with the platform (SLOs, findings, the operations board's tenants) come in
 * pages, worst first, so that a page of a 500-tenant platform stays light. Pure.
 */

export interface Paged<T> {
  /** The items of the page shown. */
  items: T[];
  /** 1-based; a page out of range reads as the nearest one. */
  page: number;
  /** At least 1, also when there is nothing to show. */
  pageCount: number;
  /** Items over every page. */
  total: number;
}

/** Page `page` (1-based; anything out of range or not a whole number reads as the nearest page) of `items` in pages of `size`. */
export function pageOf<T>(items: readonly T[], size: number, page: number | undefined): Paged<T> {
  const pageCount = Math.max(1, Math.ceil(items.length / size));
  const shown = Math.min(Math.max(1, Math.floor(page ?? 1) || 1), pageCount);
  return { items: items.slice((shown - 1) * size, shown * size), page: shown, pageCount, total: items.length };
}
