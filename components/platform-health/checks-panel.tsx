import { AsOf } from '@/components/ui/as-of';
import { PanelMessage, asSentence } from '@/components/ui/panel-message';
import { buttonClass } from '@/components/ui/styles';
import { Time } from '@/components/ui/time';
import type { ChecksView } from '@/lib/platform-health/service';
import { CHECKS_ANCHOR, severityCounts, severityCountsInWords } from '@/lib/platform-health/view';
import type { Panel } from '@/lib/read-model/panel';
import { FindingCard, UnreadInputs } from './finding-card';

/** When the checks ran, and what they found here in a few words. */
function CheckedLine({ view }: { view: ChecksView }) {
  const clean = view.findings.length === 0;
  return (
    <p className="text-sm text-slate-700 dark:text-slate-300" data-testid="checks-checked-at">
      {clean
        ? view.unread.length > 0
          ? 'No problems found among what could be checked'
          : 'No problems found'
        : `${severityCountsInWords(severityCounts(view.findings))}, worst first`}{' '}
      · checked <Time at={view.at} />
    </p>
  );
}

/** One place's findings, worst first, with what could not be checked there and how current it is. */
function ChecksContent({ view, titleAs }: { view: ChecksView; titleAs: 'h3' | 'h4' }) {
  return (
    <div className="space-y-2">
      <CheckedLine view={view} />
      <AsOf freshness={view.outdated} now={view.at} />
      {view.unread.length > 0 ? <UnreadInputs unread={view.unread} /> : null}
      {view.findings.length > 0 ? (
        <ol className="space-y-3">
          {view.findings.map((f) => (
            <FindingCard
              key={f.key}
              finding={f}
              titleAs={titleAs}
              link={
                view.platformHref
                  ? { href: `${view.platformHref}#${f.key}`, label: 'Open on the platform health page' }
                  : null
              }
            />
          ))}
        </ol>
      ) : null}
    </div>
  );
}

/** The checks could not be read: only the panel says so, the page around it shows the rest. */
function ChecksUnavailable({ message }: { message: string }) {
  return <PanelMessage>{asSentence(message)} The platform health checks cannot be shown here now.</PanelMessage>;
}

/**
 * The "Checks" panel of a tenant's or an endpoint's page: what the platform health checks found
 * about it (`checksAt`), or why they cannot be shown.
 */
export function ChecksPanel({ checks, title = 'Checks' }: { checks: Panel<ChecksView>; title?: string }) {
  const platformHref = checks.ok ? checks.data.platformHref : null;
  return (
    <section
      id={CHECKS_ANCHOR}
      aria-labelledby="checks-panel-title"
      className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-700 dark:bg-slate-900"
      data-testid="checks-panel"
    >
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="checks-panel-title" className="text-base font-semibold">
          {title}
        </h2>
        {platformHref ? (
          <a className={`${buttonClass.link} text-sm`} href={platformHref}>
            On the platform health page
          </a>
        ) : null}
      </div>
      {checks.ok ? <ChecksContent view={checks.data} titleAs="h3" /> : <ChecksUnavailable message={checks.message} />}
    </section>
  );
}

/**
 * The checks of each version of a model, where its versions are listed (the model page; a version
 * has no page of its own): per version, what the platform health checks found about it.
 */
export function VersionChecks({ checks }: { checks: Panel<{ version: string; view: ChecksView }[]> }) {
  return (
    <section
      aria-labelledby="version-checks-title"
      className="mt-6 space-y-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm dark:border-slate-700 dark:bg-slate-900"
      data-testid="checks-panel"
    >
      <h2 id="version-checks-title" className="text-base font-semibold">
        Checks per version
      </h2>
      {checks.ok ? (
        <ul className="space-y-4">
          {checks.data.map(({ version, view }) => (
            <li key={version} id={`checks-v${version}`} data-testid={`checks-v${version}`} className="space-y-1">
              <h3 className="text-sm font-semibold">v{version}</h3>
              <ChecksContent view={view} titleAs="h4" />
            </li>
          ))}
        </ul>
      ) : (
        <ChecksUnavailable message={checks.message} />
      )}
    </section>
  );
}
