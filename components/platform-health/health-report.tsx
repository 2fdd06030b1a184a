import Link from 'next/link';
import { AsOf } from '@/components/ui/as-of';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { PanelMessage, asSentence } from '@/components/ui/panel-message';
import { Stat } from '@/components/ui/stat';
import { buttonClass } from '@/components/ui/styles';
import { Time } from '@/components/ui/time';
import { formatDuration } from '@/lib/format';
import { CHECKS, CHECK_IDS, type Severity } from '@/lib/platform-health/finding';
import type { PlatformHealthView } from '@/lib/platform-health/service';
import type { ShownFinding } from '@/lib/platform-health/view';
import { HealthFilters } from './health-filters';

export const HEALTH_PATH = '/platform/health';

const SEVERITY_LABELS: Record<Severity, string> = { critical: 'Critical', warning: 'Warning', info: 'Info' };
const SEVERITY_TONES: Record<Severity, BadgeTone> = { critical: 'bad', warning: 'warn', info: 'info' };
const SEVERITY_BORDERS: Record<Severity, string> = {
  critical: 'border-l-red-600 dark:border-l-red-400',
  warning: 'border-l-amber-500 dark:border-l-amber-400',
  info: 'border-l-blue-500 dark:border-l-blue-400',
};

/** One finding: what, where, the evidence and what to do, with its own address (`#<key>`). */
function FindingCard({ finding }: { finding: ShownFinding }) {
  const check = CHECKS[finding.checkId];
  const titleId = `${finding.key}-title`;
  return (
    <li>
      <article
        id={finding.key}
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
        <h3 id={titleId} className="mt-2 text-sm font-semibold">
          {finding.title}
        </h3>
        <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1 text-sm">
          {finding.evidence.map((e, i) => (
            <div key={`${e.label}-${i}`} className="contents">
              <dt className="text-slate-600 dark:text-slate-400">{e.label}</dt>
              <dd className="break-all font-mono text-xs leading-5">
                {e.href ? (
                  <a
                    className="font-medium text-blue-700 underline-offset-2 hover:underline dark:text-blue-300"
                    href={e.href}
                  >
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
        <p className="mt-2 text-xs">
          <a className="text-blue-700 underline-offset-2 hover:underline dark:text-blue-300" href={`#${finding.key}`}>
            Link to this finding<span className="sr-only">: {finding.title}</span>
          </a>
        </p>
      </article>
    </li>
  );
}

function pageHref(view: PlatformHealthView, page: number): string {
  const params = new URLSearchParams();
  if (view.tenant) params.set('tenant', view.tenant);
  if (view.check) params.set('check', view.check);
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return query ? `${HEALTH_PATH}?${query}` : HEALTH_PATH;
}

/** Worse findings on earlier pages, milder on later ones. */
function Pages({ view }: { view: PlatformHealthView }) {
  if (view.pageCount <= 1) return null;
  return (
    <nav aria-label="Pages of findings" className="flex items-center gap-4 text-sm" data-testid="health-pages">
      {view.page > 1 ? (
        <Link className={buttonClass.link} href={pageHref(view, view.page - 1)}>
          ← Worse findings (page {view.page - 1})
        </Link>
      ) : null}
      <span>
        Page {view.page} of {view.pageCount} ({view.total} findings)
      </span>
      {view.page < view.pageCount ? (
        <Link className={buttonClass.link} href={pageHref(view, view.page + 1)}>
          Milder findings (page {view.page + 1}) →
        </Link>
      ) : null}
    </nav>
  );
}

/** The platform health page's content: filters, counts, what could not be checked, the findings worst first. */
export function HealthReport({ view }: { view: PlatformHealthView }) {
  const filtered = view.tenant !== null || view.check !== null;
  return (
    <div className="space-y-6">
      <HealthFilters
        path={HEALTH_PATH}
        tenants={view.tenants}
        tenant={view.tenant}
        check={view.check}
        perCheck={view.perCheck}
      />
      <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="health-checked-at">
        Checked at <Time at={view.at} />, for everyone at once; checked again every {formatDuration(view.refreshMs)}.
      </p>
      <AsOf freshness={view.outdated} now={view.at} />
      <div className="grid gap-3 sm:grid-cols-3">
        {(['critical', 'warning', 'info'] as const).map((severity) => (
          <Stat
            key={severity}
            label={SEVERITY_LABELS[severity]}
            value={view.perSeverity[severity]}
            testId={`health-count-${severity}`}
          />
        ))}
      </div>
      {view.unread.length > 0 ? (
        <section aria-labelledby="health-unread-title" className="space-y-2" data-testid="health-unread">
          <h2 id="health-unread-title" className="text-base font-semibold">
            Not checked
          </h2>
          <ul className="space-y-2">
            {view.unread.map((u) => (
              <li key={`${u.tenant ?? ''}/${u.source}`}>
                <PanelMessage>
                  {asSentence(u.message)} Not checked{u.tenant ? ` in ${u.tenant}` : ''}:{' '}
                  {u.checks.map((id) => CHECKS[id].label).join(', ')}.
                </PanelMessage>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-labelledby="health-findings-title" className="space-y-2">
        <h2 id="health-findings-title" className="text-base font-semibold">
          Findings, worst first
        </h2>
        {view.findings.length > 0 ? (
          <>
            <ol className="space-y-3" data-testid="health-findings">
              {view.findings.map((f) => (
                <FindingCard key={f.key} finding={f} />
              ))}
            </ol>
            <Pages view={view} />
          </>
        ) : (
          <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="health-none">
            {filtered ? 'Nothing found for this filter' : 'Nothing found'}
            {view.unread.length > 0 ? ', among what could be checked.' : '.'}
          </p>
        )}
      </section>
      <section aria-labelledby="health-checks-title" className="space-y-2">
        <h2 id="health-checks-title" className="text-base font-semibold">
          The checks
        </h2>
        <dl className="grid gap-x-4 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]" data-testid="health-checks">
          {CHECK_IDS.map((id) => (
            <div key={id} className="contents">
              <dt className="font-medium">
                {CHECKS[id].label} <span className="font-mono text-xs font-normal">{id}</span>
              </dt>
              <dd className="text-slate-700 dark:text-slate-300">{CHECKS[id].description}</dd>
            </div>
          ))}
        </dl>
      </section>
    </div>
  );
}
