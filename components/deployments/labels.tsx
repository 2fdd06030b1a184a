import { Fragment, type ReactNode } from 'react';
import { ageText } from '@/components/ops/format';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import type { Panel } from '@/lib/read-model/panel';
import type { JudgmentView, ServingStatus, TrafficSide, ValueLine } from '@/lib/rollout/dashboard';

/** "v5", or the revision when no version is known. */
export function versionLabel(side: Pick<TrafficSide, 'version' | 'revision'>): string {
  return side.version ? `v${side.version}` : (side.revision ?? 'unknown version');
}

/** UTC, so the server's and the browser's render agree. */
export function UtcTime({ iso }: { iso: string }) {
  return <time dateTime={iso}>{iso.slice(0, 19).replace('T', ' ')} UTC</time>;
}

const STATUS_TONES: Record<ServingStatus['kind'], BadgeTone> = { stable: 'good', canary: 'info', 'not-ready': 'bad' };

export function ServingStatusBadge({ status }: { status: ServingStatus }) {
  return <Badge tone={STATUS_TONES[status.kind]}>{status.label}</Badge>;
}

const ACTION_TONES: Record<string, BadgeTone> = { wait: 'info', step: 'good', promote: 'good', rollback: 'bad', pause: 'warn' };

export function JudgmentBadge({ judgment }: { judgment: Pick<JudgmentView, 'action' | 'headline'> }) {
  return <Badge tone={judgment.action ? (ACTION_TONES[judgment.action] ?? 'neutral') : 'neutral'}>{judgment.headline}</Badge>;
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

/** A panel whose source could not be read: what is missing and why, in place of its content. */
export function PanelMessage({ children }: { children: ReactNode }) {
  return <p className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">{children}</p>;
}

/** Said above a panel whose data is older than its view (`at`): why, and from when. */
export function StaleNote({ panel, at }: { panel: Panel<unknown>; at: string }) {
  if (!panel.ok || !panel.stale) return null;
  const { message, since } = panel.stale;
  return (
    <div role="status">
      <PanelMessage>
        {message}.{' '}
        {since ? (
          <>
            Showing what was known at <UtcTime iso={since} /> ({ageText(since, at)} ago).
          </>
        ) : null}
      </PanelMessage>
    </div>
  );
}

/** Said above a live view whose last poll failed: it keeps showing the data it has, from `at`. */
export function RefreshFailed({ error, at }: { error: Error | null; at: string }) {
  if (!error) return null;
  return (
    <div role="status">
      <PanelMessage>
        Live data could not be refreshed ({error.message}); showing data from <UtcTime iso={at} />.
      </PanelMessage>
    </div>
  );
}
