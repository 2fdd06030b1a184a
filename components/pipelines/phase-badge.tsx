import { Badge, type BadgeTone } from '@/components/ui/badge';

const TONES = new Map<string, BadgeTone>([
  ['Succeeded', 'good'],
  ['Failed', 'bad'],
  ['Error', 'bad'],
  ['Running', 'info'],
  ['Pending', 'warn'],
]);

/** A run's Argo phase in colour and words; a phase this page does not know is shown neutral, as named. */
export function PhaseBadge({ phase }: { phase: string | null }) {
  if (phase === null) return <Badge tone="neutral">Not picked up yet</Badge>;
  return <Badge tone={TONES.get(phase) ?? 'neutral'}>{phase}</Badge>;
}
