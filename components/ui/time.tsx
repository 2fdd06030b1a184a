import { formatTime } from '@/lib/format';
import { NoValue } from './table';

/** A moment as the portal writes it (UTC to the minute); the exact time in `dateTime` and on hover. */
export function Time({ at }: { at: Date | string | number | null | undefined }) {
  const date = at === null || at === undefined ? null : new Date(at);
  if (!date || !Number.isFinite(date.getTime())) return <NoValue reason="unknown" />;
  return (
    <time dateTime={date.toISOString()} title={date.toISOString()}>
      {formatTime(date)}
    </time>
  );
}
