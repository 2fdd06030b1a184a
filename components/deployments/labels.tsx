import { Fragment } from 'react';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import type { JudgmentView, ServingStatus, TrafficSide, ValueLine } from '@/lib/rollout/dashboard';

/** "v5", or the revision when no version is known. */
export function versionLabel(side: Pick<TrafficSide, 'version' | 'revision'>): string {
  return side.version ? `v${side.version}` : (side.revision ?? 'unknown version');
}

const STATUS_TONES: Record<ServingStatus['kind'], BadgeTone> = { stable: 'good', canary: 'info', 'not-ready': 'bad' };

export function ServingStatusBadge({ status }: { status: ServingStatus }) {
  return <Badge tone={STATUS_TONES[status.kind]}>{status.label}</Badge>;
}

const ACTION_TONES: Record<string, BadgeTone> = {
  wait: 'info',
  step: 'good',
  promote: 'good',
  rollback: 'bad',
  pause: 'warn',
};

export function JudgmentBadge({ judgment }: { judgment: Pick<JudgmentView, 'action' | 'headline'> }) {
  return (
    <Badge tone={judgment.action ? (ACTION_TONES[judgment.action] ?? 'neutral') : 'neutral'}>{judgment.headline}</Badge>
  );
}

/** Recorded values (metrics, thresholds, before → after) as a definition list. */
export function ValueList({ lines }: { lines: readonly ValueLine[] }) {
  return (
    <dl className="mt-2 grid grid-cols-1 gap-x-4 gap-y-1 text-sm sm:grid-cols-[10rem_1fr]">
      {lines.map((line, index) => (
        <Fragment key={`${line.label}-${index}`}>
          <dt className="font-medium text-slate-700 dark:text-slate-300">{line.label}</dt>
          <dd className="break-words">{line.value}</dd>
        </Fragment>
      ))}
    </dl>
  );
}
