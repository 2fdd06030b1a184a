'use client';

import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { FormStatus } from '@/components/ui/form-status';
import type { ActionResult, ServerAction } from '@/lib/actions/define-action';
import type { DeploymentDashboard as Dashboard } from '@/lib/rollout/dashboard';
import { JudgmentPanel } from './judgment-panel';
import { PanelMessage, UtcTime } from './labels';
import { MetricsPanel } from './metrics-panel';
import { RolloutActions } from './rollout-actions';
import { RolloutTimeline } from './rollout-timeline';
import { TrafficPanel } from './traffic-panel';

/** How often the dashboard asks for fresh data: a rollback by the worker shows within this. */
const REFRESH_MS = 5_000;

async function fetchDashboard(url: string, signal: AbortSignal): Promise<Dashboard> {
  const response = await fetch(url, { signal, cache: 'no-store', headers: { accept: 'application/json' } });
  const body: unknown = await response.json().catch(() => null);
  if (response.ok && body && typeof body === 'object' && 'detail' in body) return body as Dashboard;
  const error = body && typeof body === 'object' && 'error' in body && typeof body.error === 'string' ? body.error : `the portal answered ${response.status}`;
  throw new Error(error);
}

/**
 * The canary dashboard: rendered on the server with `initial`, then kept live by polling the
 * endpoint's live route with React Query. Operating buttons appear only when `actions` is given
 * (the page passes them to people allowed to operate; the actions check again).
 */
export function DeploymentDashboard({
  tenant,
  initial,
  actions,
}: {
  tenant: string;
  initial: Dashboard;
  actions: { rollback: ServerAction; promote: ServerAction } | null;
}) {
  const endpoint = initial.detail.name;
  const queryKey = ['deployment-dashboard', tenant, endpoint];
  const queryClient = useQueryClient();
  const { data, error } = useQuery({
    queryKey,
    queryFn: ({ signal }) => fetchDashboard(`/t/${tenant}/deployments/${endpoint}/live`, signal),
    initialData: initial,
    refetchInterval: REFRESH_MS,
  });
  const [outcome, setOutcome] = useState<ActionResult | null>(null);
  const { detail, metrics } = data;
  const rollout = detail.rollout;

  return (
    <div className="space-y-6">
      {error ? (
        <div role="status">
          <PanelMessage>
            Live data could not be refreshed ({error.message}); showing data from <UtcTime iso={metrics.at} />.
          </PanelMessage>
        </div>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-2">
        <TrafficPanel serving={detail.serving} rollout={rollout} />
        <JudgmentPanel rollout={rollout} policySummary={detail.policySummary} />
      </div>
      {actions && rollout?.state === 'progressing' ? (
        <RolloutActions
          tenant={tenant}
          endpoint={endpoint}
          rollout={rollout}
          thresholds={detail.thresholds}
          actions={actions}
          onOutcome={async (result) => {
            setOutcome(result);
            if (result.ok) await queryClient.invalidateQueries({ queryKey });
          }}
        />
      ) : null}
      <FormStatus state={outcome} />
      <MetricsPanel metrics={metrics} thresholds={detail.thresholds} />
      <RolloutTimeline entries={detail.timeline} />
    </div>
  );
}
