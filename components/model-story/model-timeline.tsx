import { Badge, type BadgeTone } from '@/components/ui/badge';
import { buttonClass } from '@/components/ui/styles';
import { Time } from '@/components/ui/time';
import { formatNumber } from '@/lib/format';
import {
  STORY_KIND_LABELS,
  timelineHref,
  type StoryEvent,
  type StoryNumber,
  type TimelineFilter,
} from '@/lib/model-story/timeline';

const TONES: Record<NonNullable<StoryEvent['tone']>, BadgeTone> = { good: 'good', bad: 'bad', warn: 'warn' };

function numberWords(value: StoryNumber): string {
  if (value === null) return '—';
  if (typeof value === 'number') return formatNumber(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return value;
}

/**
 * One page of a model's story, newest first: each event with its moment, kind, version, who, what
 * and the numbers behind it, and a link to itself (`#e-<id>`, the page it is on kept in the address).
 * Plain anchors and no hooks: it renders the same anywhere on the server (the benchmark renders it alone).
 * The linked event (`?at=`) is marked by the server: the browser's `:target` is lost once React
 * hydrates the list, so it cannot carry the highlight.
 */
export function ModelTimeline({
  events,
  base,
  filter,
  linked,
}: {
  events: readonly StoryEvent[];
  base: string;
  filter: TimelineFilter;
  /** The id of the event the address links to, if any. */
  linked?: string;
}) {
  return (
    <ol className="divide-y divide-slate-100 dark:divide-slate-800" aria-label="Events">
      {events.map((event) => {
        const numbers = Object.entries(event.numbers);
        return (
          <li
            key={event.id}
            id={`e-${event.id}`}
            data-testid="story-event"
            data-kind={event.kind}
            data-version={event.version ?? ''}
            aria-current={event.id === linked ? 'location' : undefined}
            className="scroll-mt-20 py-3 text-sm aria-[current=location]:rounded-md aria-[current=location]:bg-amber-50 aria-[current=location]:ring-2 aria-[current=location]:ring-amber-400 dark:aria-[current=location]:bg-amber-950"
          >
            <p className="flex flex-wrap items-center gap-x-2 gap-y-1">
              <Time at={event.at} />
              <Badge tone={event.tone ? TONES[event.tone] : 'neutral'}>{STORY_KIND_LABELS[event.kind]}</Badge>
              {event.version !== null ? <span className="font-medium">v{event.version}</span> : null}
              {event.actor ? (
                <span className="text-slate-700 dark:text-slate-300">
                  by {event.actor === 'worker' ? 'automatic judgment' : <strong>{event.actor}</strong>}
                </span>
              ) : null}
              <a
                href={timelineHref(base, filter, { at: event.id })}
                className={`${buttonClass.link} ml-auto text-xs print:hidden`}
                aria-label={`Link to this event: ${event.summary}`}
              >
                #
              </a>
            </p>
            <p className="mt-1">{event.summary}</p>
            {event.detail ? <p className="mt-1 text-slate-700 dark:text-slate-300">{event.detail}</p> : null}
            {numbers.length > 0 ? (
              <dl className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-xs">
                {numbers.map(([name, value]) => (
                  <div key={name} className="flex gap-1">
                    <dt className="text-slate-600 dark:text-slate-400">{name}</dt>
                    <dd className="break-all font-mono">{numberWords(value)}</dd>
                  </div>
                ))}
              </dl>
            ) : null}
            {event.link ? (
              <a href={event.link.href} className={`${buttonClass.link} mt-1 inline-block text-xs`}>
                {event.link.label}
              </a>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
