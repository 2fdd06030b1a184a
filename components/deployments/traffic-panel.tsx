import { Card } from '@/components/ui/card';
import type { EndpointView, Panel, RolloutView, TrafficSide } from '@/lib/rollout/dashboard';
import { ServingStatusBadge, versionLabel } from './labels';
import { PanelMessage } from '@/components/ui/panel-message';
import { Time } from '@/components/ui/time';

function Side({ title, side }: { title: string; side: TrafficSide }) {
  return (
    <div>
      <dt className="font-medium">
        {title}: {versionLabel(side)} · {side.percent} %
      </dt>
      <dd className="text-slate-700 dark:text-slate-300">
        <span className="block">Revision {side.revision ?? 'not reported yet'}</span>
        <span className="block break-all font-mono text-xs">{side.storageUri ?? 'model location not recorded'}</span>
      </dd>
    </div>
  );
}

/** The split drawn as a bar; the text next to it carries the same numbers. */
function SplitBar({ canaryPercent }: { canaryPercent: number }) {
  return (
    <div aria-hidden="true" className="flex h-3 overflow-hidden rounded bg-blue-600 dark:bg-blue-400">
      <div
        className="h-full bg-orange-500 [background-image:repeating-linear-gradient(45deg,transparent_0_4px,rgb(255_255_255/0.35)_4px_8px)]"
        style={{ width: `${canaryPercent}%` }}
      />
    </div>
  );
}

/** What the endpoint serves: versions, traffic split, readiness, and where the rollout is in its steps. */
export function TrafficPanel({
  serving,
  rollout,
}: {
  serving: Panel<EndpointView | null>;
  rollout: RolloutView | null;
}) {
  return (
    <Card title="Traffic">
      {!serving.ok ? (
        <PanelMessage>What the endpoint serves is unknown: {serving.message}</PanelMessage>
      ) : !serving.data ? (
        <PanelMessage>The InferenceService no longer exists in Kubernetes; its rollout history is below.</PanelMessage>
      ) : (
        <div className="space-y-3 text-sm">
          <p className="flex flex-wrap items-center gap-2">
            <ServingStatusBadge status={serving.data.status} />
            {serving.data.canary
              ? `Canary ${versionLabel(serving.data.canary)} gets ${serving.data.canary.percent} %, stable ${versionLabel(serving.data.stable)} ${serving.data.stable.percent} %.`
              : `${versionLabel(serving.data.stable)} serves all traffic.`}
          </p>
          {!serving.data.ready ? (
            <p className="text-red-800 dark:text-red-300">
              Not ready: {serving.data.readyMessage ?? 'KServe does not report it Ready'}
            </p>
          ) : null}
          <SplitBar canaryPercent={serving.data.canary?.percent ?? 0} />
          <dl className="grid gap-3 sm:grid-cols-2">
            {serving.data.canary ? <Side title="Canary" side={serving.data.canary} /> : null}
            <Side title={serving.data.canary ? 'Stable' : 'Serving'} side={serving.data.stable} />
          </dl>
        </div>
      )}
      {rollout?.state === 'progressing' ? (
        <p className="mt-3 text-sm text-slate-700 dark:text-slate-300">
          Rollout of v{rollout.version}: steps {rollout.steps.join(' → ')} %, at {rollout.currentPercent} % since{' '}
          <Time at={rollout.stepStartedAt} />.
        </p>
      ) : null}
    </Card>
  );
}
