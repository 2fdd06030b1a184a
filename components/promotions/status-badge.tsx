import { Badge, type BadgeTone } from '@/components/ui/badge';

const TONES: Record<string, BadgeTone> = {
  pending: 'info',
  deploying: 'info',
  deployed: 'good',
  rejected: 'bad',
  failed: 'bad',
  expired: 'neutral',
  cancelled: 'neutral',
};

export function PromotionStatusBadge({ status, stale }: { status: string; stale?: boolean }) {
  return (
    <span className="inline-flex flex-wrap gap-1">
      <Badge tone={TONES[status] ?? 'neutral'}>{status}</Badge>
      {stale ? <Badge tone="warn">waiting over 24 h</Badge> : null}
    </span>
  );
}
