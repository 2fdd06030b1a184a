import type { SloObjectives } from '@/lib/slo/definition';
import { objectiveText } from './format';
import { Time } from '@/components/ui/time';

/** The objectives for those who may read but not change them. */
export function ObjectivesList({
  objectives,
  version,
  updatedBy,
  updatedAt,
}: {
  objectives: SloObjectives;
  version: number;
  updatedBy: string | null;
  updatedAt: string | null;
}) {
  return (
    <div className="text-sm" data-testid="slo-objectives">
      <dl className="grid grid-cols-1 gap-x-4 gap-y-1 sm:grid-cols-[14rem_1fr]">
        <dt className="font-medium">Availability objective</dt>
        <dd>{objectiveText(objectives.availabilityObjective)} of requests without a server error</dd>
        <dt className="font-medium">Latency objective</dt>
        <dd>
          {objectiveText(objectives.latencyObjective)} of requests within {objectives.latencyThresholdMs} ms
        </dd>
        <dt className="font-medium">Window</dt>
        <dd>{objectives.windowDays} days, rolling</dd>
      </dl>
      <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">
        {updatedAt ? (
          <>
            Version {version}, last changed by {updatedBy ?? 'someone'} at <Time at={updatedAt} />.
          </>
        ) : (
          'The platform defaults: nobody has set objectives for this endpoint yet.'
        )}
      </p>
    </div>
  );
}
