import { formatPercent } from '@/lib/format';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import type { PendingKind } from '@/lib/quota/workloads';

export const gpuCount = (n: number) => `${n} GPU${n === 1 ? '' : 's'}`;

/** A share as a percentage, or a dash when there is none. */
export function percent(value: number | null): string {
  return value === null ? '—' : formatPercent(value);
}

export function utilText(value: number | null): string {
  return value === null ? '—' : `${Math.round(value)} %`;
}

export function mibText(used: number | null, total: number | null): string {
  if (used === null) return '—';
  const gib = (mib: number) => `${(mib / 1024).toFixed(1)} GiB`;
  return total === null ? gib(used) : `${gib(used)} of ${gib(total)}`;
}

/** Used against a limit, drawn as a bar; the text beside it carries the same numbers. */
export function UsageBar({ share, label }: { share: number | null; label: string }) {
  const width = share === null ? 0 : Math.min(100, Math.round(share * 100));
  const tone =
    share === null
      ? 'bg-slate-400'
      : share > 1
        ? 'bg-red-600'
        : share >= 0.9
          ? 'bg-amber-500'
          : 'bg-blue-600 dark:bg-blue-400';
  return (
    <div
      aria-hidden="true"
      title={label}
      className="h-2.5 w-full min-w-24 overflow-hidden rounded bg-slate-200 dark:bg-slate-700"
    >
      <div className={`h-full ${tone}`} style={{ width: `${width}%` }} />
    </div>
  );
}

/** A figure with its label, for the summary row at the top of a page. */
const PENDING: Record<PendingKind, { label: string; tone: BadgeTone }> = {
  quota: { label: 'Quota', tone: 'bad' },
  capacity: { label: 'Capacity', tone: 'warn' },
  scheduling: { label: 'Placement', tone: 'warn' },
  waiting: { label: 'Scheduling', tone: 'info' },
};

export function PendingBadge({ kind }: { kind: PendingKind }) {
  return <Badge tone={PENDING[kind].tone}>{PENDING[kind].label}</Badge>;
}
