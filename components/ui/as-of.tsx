import type { ReactNode } from 'react';
import type { Freshness } from '@/lib/freshness';
import { formatAge } from '@/lib/format';
import { asSentence, PanelMessage } from './panel-message';
import { Time } from './time';

/**
 * The one way a page says its data may be out of date: why, and as of when — "Prometheus cannot be
 * reached. Showing data as of 2026-12-07 04:12 UTC (3 min ago)." Renders nothing for current data.
 * `now` is the view's own time where it has one (server and browser then render the same text);
 * `inline` for a table cell, else a status block; `children` say what the reader sees instead.
 */
export function AsOf({
  freshness,
  now,
  inline = false,
  children,
}: {
  freshness: Freshness | null | undefined;
  now?: string;
  inline?: boolean;
  children?: ReactNode;
}) {
  if (!freshness?.error) return null;
  const text = (
    <>
      {asSentence(freshness.error)} Showing data as of <Time at={freshness.asOf} /> (
      {formatAge(freshness.asOf, now ?? new Date())} ago).
      {children ? <> {children}</> : null}
    </>
  );
  if (inline)
    return (
      <span className="block text-xs text-amber-900 dark:text-amber-200" data-testid="as-of">
        {text}
      </span>
    );
  return (
    <div role="status" data-testid="as-of">
      <PanelMessage>{text}</PanelMessage>
    </div>
  );
}

/** The freshness of a live view whose last poll failed: its data as of the view's time, and why. */
export function pollFreshness(error: Error | null, viewAt: string): Freshness | null {
  return error ? { asOf: viewAt, error: `Live data could not be refreshed (${error.message})` } : null;
}
