import { Badge, type BadgeTone } from '@/components/ui/badge';

const STATUS_TONES: Record<string, BadgeTone> = {
  FINISHED: 'good',
  RUNNING: 'info',
  SCHEDULED: 'info',
  FAILED: 'bad',
  KILLED: 'warn',
};

export function RunStatus({ status }: { status: string }) {
  return <Badge tone={STATUS_TONES[status] ?? 'neutral'}>{status ? status.toLowerCase() : 'unknown'}</Badge>;
}
