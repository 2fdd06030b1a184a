import Link from 'next/link';
import { Card } from '@/components/ui/card';
import { PanelMessage, asSentence } from '@/components/ui/panel-message';
import type { EndpointDrift } from '@/lib/platform-health/endpoint-drift';
import { DRIFT_HISTORY_DAYS } from '@/lib/platform-health/endpoint-drift';
import { DriftChart } from './drift-chart';

/** The endpoint's input drift: each feature's score over the last days against the tenant policy's threshold, and in words which features are above it now. */
export function DriftPanel({ drift }: { drift: EndpointDrift }) {
  const policy = drift.policyVersion === 0 ? 'the default policy' : `policy version ${drift.policyVersion}`;
  return (
    <Card title="Input drift">
      <p className="mb-3 text-xs text-slate-600 dark:text-slate-400">
        How far each input feature’s recent live values have moved from the training data (0: alike, 1: nothing in
        common), over the last {DRIFT_HISTORY_DAYS} days, hourly. Threshold {drift.threshold} from the tenant’s{' '}
        <Link href={drift.policyHref} className="underline">
          promotion policy
        </Link>{' '}
        ({policy}).
      </p>
      {!drift.history.ok ? (
        <PanelMessage>{asSentence(drift.history.message)} The drift scores cannot be shown now.</PanelMessage>
      ) : drift.history.data.length === 0 ? (
        <p className="text-sm">No drift scores are exported for this endpoint.</p>
      ) : (
        <>
          <p className="mb-3 text-sm" data-testid="drift-summary">
            {drift.breaching.length === 0
              ? `No feature drifts past the threshold of ${drift.threshold}.`
              : `Above the threshold of ${drift.threshold} now: ${drift.breaching
                  .map((b) => `${b.feature} (${b.score.toFixed(3)})`)
                  .join(', ')}.`}
          </p>
          <DriftChart
            series={drift.history.data}
            threshold={drift.threshold}
            breaching={drift.breaching.map((b) => b.feature)}
          />
        </>
      )}
    </Card>
  );
}
