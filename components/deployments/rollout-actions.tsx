'use client';

import { useRef } from 'react';
import { Card } from '@/components/ui/card';
import { ConfirmButton } from '@/components/ui/confirm-button';
import type { ActionResult } from '@/lib/actions/define-action';
import type { RolloutView, Thresholds } from '@/lib/rollout/dashboard';
import { promoteDeploymentAction, rollbackDeploymentAction } from './actions';

type Move = 'rollback' | 'next' | 'full';

/**
 * Rollback and promote for people allowed to operate. Each move carries an idempotency key made
 * once and kept until the move succeeds, so a double click, a retry after a lost answer or a second
 * tab's click with the same key is answered by the server instead of acting twice.
 */
export function RolloutActions({
  tenant,
  endpoint,
  rollout,
  thresholds,
  onOutcome,
}: {
  tenant: string;
  endpoint: string;
  rollout: RolloutView;
  thresholds: Thresholds;
  /** Told how each move ended; it outlives this card, which goes when the rollout ends. */
  onOutcome: (result: ActionResult) => Promise<void>;
}) {
  const keys = useRef(new Map<string, string>());
  const inFlight = useRef(false);

  const run = async (move: Move) => {
    if (inFlight.current) return;
    inFlight.current = true;
    const slot = `${rollout.id}:${move}`;
    const idempotencyKey = keys.current.get(slot) ?? crypto.randomUUID();
    keys.current.set(slot, idempotencyKey);
    const input = { tenant, endpoint, rolloutId: rollout.id, idempotencyKey };
    try {
      const result =
        move === 'rollback'
          ? await rollbackDeploymentAction(null, input)
          : await promoteDeploymentAction(null, { ...input, to: move });
      if (result.ok) keys.current.delete(slot);
      await onOutcome(result);
    } catch {
      await onOutcome({
        ok: false,
        error: 'The portal could not be reached, so the outcome is unknown. Trying again is safe: it cannot act twice.',
      });
    } finally {
      inFlight.current = false;
    }
  };

  const canary = `v${rollout.version}`;
  const stable = rollout.previousVersion ? `v${rollout.previousVersion}` : 'the previous version';
  const next = rollout.nextPercent;
  return (
    <Card title="Actions">
      <div className="flex flex-wrap items-center gap-3">
        {next !== null ? (
          <ConfirmButton
            label={`Promote to ${next} %`}
            title={`Promote ${canary} to ${next} %?`}
            confirmLabel="Promote now"
            tone="primary"
            onConfirm={() => run('next')}
          >
            {canary} gets {next} % of the traffic on {endpoint} instead of {rollout.currentPercent} %; {stable} keeps
            the other {100 - next} %. Automatic judgment goes on at the new step, baking {thresholds.bakeMinutes} min
            before the next.
          </ConfirmButton>
        ) : null}
        <ConfirmButton
          label="Promote to 100 %"
          title={`Promote ${canary} to 100 %?`}
          confirmLabel="Promote now"
          tone="primary"
          onConfirm={() => run('full')}
        >
          {canary} ({rollout.storageUri}) serves all traffic on {endpoint} and {stable} stops serving. The rollout ends
          and automatic judgment stops.
        </ConfirmButton>
        <ConfirmButton
          label="Rollback"
          title={`Roll back ${canary} on ${endpoint}?`}
          confirmLabel="Roll back now"
          onConfirm={() => run('rollback')}
        >
          All traffic goes back to {stable} ({rollout.previousStorageUri}); the canary {canary} gets 0 %. The rollout
          ends and automatic judgment stops.
        </ConfirmButton>
      </div>
    </Card>
  );
}
