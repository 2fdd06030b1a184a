'use client';

import { useState } from 'react';
import { FormStatus } from '@/components/ui/form-status';
import { useLiveData } from '@/components/ui/use-live-data';
import type { ActionResult } from '@/lib/actions/define-action';
import type { Panel } from '@/lib/read-model/panel';
import type { DeploymentDashboard as Dashboard } from '@/lib/rollout/dashboard';
import type { EndpointRollbackTargets } from '@/lib/rollout/rollback-to';
import { JudgmentPanel } from './judgment-panel';
import { MetricsPanel } from './metrics-panel';
import { RollbackToVersion } from './rollback-to-version';
import { RolloutActions } from './rollout-actions';
import { RolloutTimeline } from './rollout-timeline';
import { TrafficPanel } from './traffic-panel';
import { AsOf, pollFreshness } from '@/components/ui/as-of';

/** How often the dashboard asks for fresh data: a rollback by the worker shows within this. */
const REFRESH_MS = 5_000;

/**
 * The canary dashboard: rendered on the server with `initial`, then kept live by polling the
 * endpoint's live route with React Query. Operating buttons appear only for people allowed to
 * operate (`mayOperate`; the actions check again).
 */
export function DeploymentDashboard({
  tenant,
  initial,
  mayOperate,
  rollbackTargets,
}: {
  tenant: string;
  initial: Dashboard;
  mayOperate: boolean;
  /** The earlier versions it may be rolled back to: read for people allowed to operate only. */
  rollbackTargets: Panel<EndpointRollbackTargets | null> | null;
}) {
  const endpoint = initial.detail.name;
  const { data, error, refresh } = useLiveData({
    queryKey: ['deployment-dashboard', tenant, endpoint],
    url: `/t/${tenant}/deployments/${endpoint}/live`,
    initial,
    refreshMs: REFRESH_MS,
    isData: (body) => 'detail' in body,
  });
  const [outcome, setOutcome] = useState<ActionResult | null>(null);
  const { detail, metrics } = data;
  const rollout = detail.rollout;

  return (
    <div className="space-y-6">
      <AsOf freshness={pollFreshness(error, metrics.at)} />
      <div className="grid gap-6 lg:grid-cols-2">
        <TrafficPanel serving={detail.serving} rollout={rollout} />
        <JudgmentPanel rollout={rollout} policySummary={detail.policySummary} />
      </div>
      {mayOperate && rollout?.state === 'progressing' ? (
        <RolloutActions
          tenant={tenant}
          endpoint={endpoint}
          rollout={rollout}
          thresholds={detail.thresholds}
          onOutcome={async (result) => {
            setOutcome(result);
            if (result.ok) await refresh();
          }}
        />
      ) : null}
      {mayOperate && rollbackTargets ? (
        <RollbackToVersion
          tenant={tenant}
          endpoint={endpoint}
          targets={rollbackTargets}
          onOutcome={async (result) => {
            setOutcome(result);
            if (result.ok) await refresh();
          }}
        />
      ) : null}
      <FormStatus state={outcome} />
      <MetricsPanel metrics={metrics} thresholds={detail.thresholds} />
      <RolloutTimeline entries={detail.timeline} />
    </div>
  );
}
