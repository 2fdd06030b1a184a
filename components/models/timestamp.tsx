import { NoValue } from '@/components/ui/table';

/** A moment as UTC minutes, the way the portal's other pages show times. */
export function Timestamp({ ms }: { ms: number | undefined }) {
  if (ms === undefined) return <NoValue reason="unknown" />;
  const date = new Date(ms);
  return <time dateTime={date.toISOString()}>{date.toISOString().slice(0, 16).replace('T', ' ')} UTC</time>;
}
