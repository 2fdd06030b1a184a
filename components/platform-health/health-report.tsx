import Link from 'next/link';
import { AsOf } from '@/components/ui/as-of';
import { Stat } from '@/components/ui/stat';
import { buttonClass } from '@/components/ui/styles';
import { Time } from '@/components/ui/time';
import { formatDuration } from '@/lib/format';
import { CHECKS, CHECK_IDS } from '@/lib/platform-health/finding';
import type { PlatformHealthView } from '@/lib/platform-health/service';
import { FindingCard, SEVERITY_LABELS, UnreadInputs } from './finding-card';
import { HealthFilters } from './health-filters';

export const HEALTH_PATH = '/platform/health';

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
          <UnreadInputs unread={view.unread} />
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
                <FindingCard key={f.key} finding={f} anchored />
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
