import { Card } from '@/components/ui/card';
import type { RolloutView } from '@/lib/rollout/dashboard';
import { JudgmentBadge, ValueList } from './labels';
import { Time } from '@/components/ui/time';

/** What automatic judgment decided last and why, with the numbers and thresholds behind it. */
export function JudgmentPanel({ rollout, policySummary }: { rollout: RolloutView | null; policySummary: string }) {
  return (
    <Card title="Judgment">
      {!rollout ? (
        <p className="text-sm">
          No rollout is recorded for this endpoint, so nothing is judged. A canary starts, and is judged every check
          interval, when a promotion request for a new version is approved.
        </p>
      ) : (
        <div className="space-y-2 text-sm">
          <p className="flex flex-wrap items-center gap-2">
            <JudgmentBadge judgment={rollout.judgment} />
            <span className="text-slate-700 dark:text-slate-300">
              v{rollout.version} of {rollout.modelName}
              {rollout.judgment.at ? (
                <>
                  {' '}
                  · <Time at={rollout.judgment.at} />
                </>
              ) : null}
            </span>
          </p>
          <p data-testid="judgment-reason">{rollout.judgment.reason}</p>
          {rollout.judgment.details.length > 0 ? <ValueList lines={rollout.judgment.details} /> : null}
          <p className="text-xs text-slate-600 dark:text-slate-400">Policy now: {policySummary}.</p>
        </div>
      )}
    </Card>
  );
}
