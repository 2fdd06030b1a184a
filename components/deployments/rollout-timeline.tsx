import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Card } from '@/components/ui/card';
import type { TimelineEntry } from '@/lib/rollout/dashboard';
import { ValueList } from './labels';
import { Time } from '@/components/ui/time';

const KIND_TONES: Record<string, BadgeTone> = {
  rollback: 'bad',
  promote: 'good',
  step: 'good',
  pause: 'warn',
  start: 'info',
  supersede: 'neutral',
  'break-glass': 'bad',
  intent: 'info',
  failed: 'bad',
};
const CHECK_TONES: Record<string, BadgeTone> = { pass: 'good', fail: 'bad', breach: 'bad' };

function toneOf(entry: TimelineEntry): BadgeTone {
  return entry.kind === 'check' ? (CHECK_TONES[entry.decision] ?? 'neutral') : (KIND_TONES[entry.kind] ?? 'neutral');
}

/** Every recorded decision on the endpoint's rollouts and every break-glass change made outside the portal, newest first, each with the values that drove it. */
export function RolloutTimeline({ entries }: { entries: readonly TimelineEntry[] }) {
  return (
    <Card title="Timeline">
      {entries.length === 0 ? (
        <p className="text-sm">No decisions are recorded for this endpoint yet.</p>
      ) : (
        <ol className="divide-y divide-slate-100 dark:divide-slate-800">
          {entries.map((entry) => (
            <li key={entry.id} className="py-2 text-sm" data-testid="timeline-entry">
              <p className="flex flex-wrap items-center gap-x-2 gap-y-1">
                <Time at={entry.at} />
                <Badge tone={toneOf(entry)}>{entry.decision}</Badge>
                <span className="text-slate-700 dark:text-slate-300">
                  {entry.kind}
                  {entry.version !== null ? ` · v${entry.version}` : ''} · by{' '}
                  {entry.actor === 'worker' ? 'automatic judgment' : <strong>{entry.actor}</strong>}
                </span>
              </p>
              <p className="mt-1">{entry.reason}</p>
              {entry.details.length > 0 ? (
                <details className="mt-1">
                  <summary className="cursor-pointer text-slate-700 dark:text-slate-300">
                    Values behind this decision
                  </summary>
                  <ValueList lines={entry.details} />
                </details>
              ) : null}
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}
