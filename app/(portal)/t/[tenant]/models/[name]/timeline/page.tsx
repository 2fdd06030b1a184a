import { notFound } from 'next/navigation';
import type { Metadata } from 'next';
import { ModelTimeline } from '@/components/model-story/model-timeline';
import { AliasBadges } from '@/components/models/alias-badges';
import { Card } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { asSentence, PanelMessage } from '@/components/ui/panel-message';
import { buttonClass, inputClass } from '@/components/ui/styles';
import { orderAliases } from '@/lib/models/versions';
import { modelHref, modelNameFromParam } from '@/lib/models/links';
import { IMPOSSIBLE_MODEL_NAME } from '@/lib/models/service';
import { modelStory } from '@/lib/model-story/service';
import {
  filterTimeline,
  parseTimelineFilter,
  STORY_KIND_LABELS,
  STORY_KINDS,
  timelineHref,
  timelinePage,
} from '@/lib/model-story/timeline';
import { openTenantPage, type TenantPageProps } from '../../../tenant-page';

type Props = TenantPageProps<{ name: string }>;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `${modelNameFromParam((await params).name)} · timeline` };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** A model's story across its versions, newest first, filtered by version and kind from the address. */
export default async function ModelTimelinePage({ params, searchParams }: Props) {
  const { user, tenant, name } = await openTenantPage(params, 'model.read');
  const modelName = modelNameFromParam(name);
  if (IMPOSSIBLE_MODEL_NAME.test(modelName)) notFound();
  const search = await searchParams;
  const filter = parseTimelineFilter(search);
  const story = await modelStory(user, tenant.name, modelName);
  const matching = filterTimeline(story.events, filter);
  const page = timelinePage(matching, { page: Number(single(search.page) ?? 1), at: single(search.at) });
  const base = `${modelHref(tenant.name, modelName)}/timeline`;
  const selectedKind = filter.kinds?.length === 1 ? filter.kinds[0] : '';

  return (
    <>
      <PageHeader
        title={modelName}
        description={`Every version's story: runs, requests, gates, approvals, canaries, judgments and rollbacks. Main metric: ${story.primaryMetric}.`}
      />
      {story.aliases.length > 0 ? (
        <p className="mb-4 flex items-center gap-2 text-sm">
          Now: <AliasBadges aliases={orderAliases(story.aliases)} />
        </p>
      ) : null}
      {story.mlflowProblem ? (
        <div className="mb-4">
          <PanelMessage>
            Runs, registrations and alias moves are missing: {asSentence(story.mlflowProblem)} The portal&apos;s own
            records are shown.
          </PanelMessage>
        </div>
      ) : null}
      {story.truncated ? (
        <div className="mb-4">
          <PanelMessage>This model has more records than one timeline reads; the oldest are left out.</PanelMessage>
        </div>
      ) : null}
      <Card>
        <form
          method="get"
          action={base}
          className="mb-3 flex flex-wrap items-end gap-3"
          aria-label="Filter the timeline"
        >
          <label className="text-sm">
            <span className="mb-1 block font-medium">Version</span>
            <select name="version" defaultValue={filter.version ?? ''} className={inputClass}>
              <option value="">All versions</option>
              {story.versions.map((v) => (
                <option key={v} value={v}>
                  v{v}
                </option>
              ))}
            </select>
          </label>
          <label className="text-sm">
            <span className="mb-1 block font-medium">Kind</span>
            <select name="kind" defaultValue={selectedKind} className={inputClass}>
              <option value="">All kinds</option>
              {STORY_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {STORY_KIND_LABELS[kind]}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className={buttonClass.secondary}>
            Show
          </button>
          {filter.version || filter.kinds ? (
            <a href={base} className={buttonClass.link}>
              Clear filters
            </a>
          ) : null}
        </form>
        <p className="mb-2 text-sm text-slate-700 dark:text-slate-300" aria-live="polite">
          {page.total} event{page.total === 1 ? '' : 's'}
          {page.pages > 1 ? ` · page ${page.page} of ${page.pages}` : ''}
        </p>
        {page.total === 0 ? (
          <EmptyState title={story.events.length === 0 ? 'Nothing has happened to this model yet' : 'No events match'}>
            {story.events.length === 0
              ? 'Register a version in MLflow and request its promotion: its story starts here.'
              : 'Choose another version or kind, or clear the filters.'}
          </EmptyState>
        ) : (
          <ModelTimeline events={page.events} base={base} filter={filter} linked={single(search.at)} />
        )}
        {page.pages > 1 ? (
          <nav aria-label="Timeline pages" className="mt-4 flex gap-2">
            {page.page > 1 ? (
              <a
                href={timelineHref(base, filter, { page: page.page - 1 })}
                className={buttonClass.secondary}
                rel="prev"
              >
                Newer
              </a>
            ) : null}
            {page.page < page.pages ? (
              <a
                href={timelineHref(base, filter, { page: page.page + 1 })}
                className={buttonClass.secondary}
                rel="next"
              >
                Older
              </a>
            ) : null}
          </nav>
        ) : null}
      </Card>
      <p className="mt-4 text-sm">
        <a className={buttonClass.link} href={modelHref(tenant.name, modelName)}>
          The versions table
        </a>
      </p>
    </>
  );
}
