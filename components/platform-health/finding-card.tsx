import { Badge, type BadgeTone } from '@/components/ui/badge';
import { PanelMessage, asSentence } from '@/components/ui/panel-message';
import { CHECKS, type Severity } from '@/lib/platform-health/finding';
import type { UnreadInput } from '@/lib/platform-health/gather';
import type { ShownFinding } from '@/lib/platform-health/view';

export const SEVERITY_LABELS: Record<Severity, string> = { critical: 'Critical', warning: 'Warning', info: 'Info' };
const SEVERITY_TONES: Record<Severity, BadgeTone> = { critical: 'bad', warning: 'warn', info: 'info' };
const SEVERITY_BORDERS: Record<Severity, string> = {
  critical: 'border-l-red-600 dark:border-l-red-400',
  warning: 'border-l-amber-500 dark:border-l-amber-400',
  info: 'border-l-blue-500 dark:border-l-blue-400',
};

const linkClass = 'text-blue-700 underline-offset-2 hover:underline dark:text-blue-300';

/**
 * One finding: what, where, the evidence and what to do. On the platform health page it is its own
 * address (`anchored`: `id` is its key, and it links to itself); elsewhere `link` leads to it there.
 */
export function FindingCard({
  finding,
  anchored = false,
  link,
  titleAs: Title = 'h3',
}: {
  finding: ShownFinding;
  anchored?: boolean;
  /** Where it is shown in full with its own address, if anywhere the viewer may go. */
  link?: { href: string; label: string } | null;
  titleAs?: 'h3' | 'h4';
}) {
  const check = CHECKS[finding.checkId];
  const titleId = `${anchored ? '' : 'checks-'}${finding.key}-title`;
  const self = anchored ? { href: `#${finding.key}`, label: 'Link to this finding' } : link;
  return (
    <li>
      <article
        id={anchored ? finding.key : undefined}
        aria-labelledby={titleId}
        className={`scroll-mt-4 rounded-lg border border-l-4 border-slate-200 bg-white p-4 target:ring-2 target:ring-blue-500 dark:border-slate-700 dark:bg-slate-900 ${SEVERITY_BORDERS[finding.severity]}`}
        data-testid="health-finding"
        data-check={finding.checkId}
        data-severity={finding.severity}
        data-tenant={finding.tenant ?? ''}
      >
        <div className="flex flex-wrap items-center gap-2 text-xs">
          <Badge tone={SEVERITY_TONES[finding.severity]}>{SEVERITY_LABELS[finding.severity]}</Badge>
          <span className="font-medium text-slate-700 dark:text-slate-300">{check.label}</span>
          <span className="font-mono text-slate-600 dark:text-slate-400">{finding.tenant ?? 'platform'}</span>
          <span className="text-slate-600 dark:text-slate-400">
            {check.actor === 'platform' ? 'Platform on-call acts' : 'The model’s owners act'}
          </span>
        </div>
        <Title id={titleId} className="mt-2 text-sm font-semibold">
          {finding.title}
        </Title>
        <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
          {finding.evidence.map((e, i) => (
            <div key={`${e.label}-${i}`} className="contents">
              <dt className="text-slate-600 dark:text-slate-400">{e.label}</dt>
              <dd className="break-all font-mono text-xs leading-5">
                {e.href ? (
                  <a className={`font-medium ${linkClass}`} href={e.href}>
                    {e.value}
                  </a>
                ) : (
                  e.value
                )}
              </dd>
            </div>
          ))}
        </dl>
        <p className="mt-2 text-sm">
          <span className="font-medium">What to do: </span>
          {finding.remedy}
        </p>
        {self ? (
          <p className="mt-2 text-xs">
            <a className={linkClass} href={self.href}>
              {self.label}
              <span className="sr-only">: {finding.title}</span>
            </a>
          </p>
        ) : null}
      </article>
    </li>
  );
}

/** The inputs that could not be read, each with the checks it leaves unjudged. */
export function UnreadInputs({ unread }: { unread: readonly UnreadInput[] }) {
  return (
    <ul className="space-y-2">
      {unread.map((u) => (
        <li key={`${u.tenant ?? ''}/${u.source}`}>
          <PanelMessage>
            {asSentence(u.message)} Not checked{u.tenant ? ` in ${u.tenant}` : ''}:{' '}
            {u.checks.map((id) => CHECKS[id].label).join(', ')}.
          </PanelMessage>
        </li>
      ))}
    </ul>
  );
}
