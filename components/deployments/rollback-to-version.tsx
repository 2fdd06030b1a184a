'use client';

import { useId, useRef, useState } from 'react';
import { Card } from '@/components/ui/card';
import { PanelMessage } from '@/components/ui/panel-message';
import { buttonClass, inputClass } from '@/components/ui/styles';
import { Time } from '@/components/ui/time';
import type { ActionResult } from '@/lib/actions/define-action';
import type { Panel } from '@/lib/read-model/panel';
import type { EndpointRollbackTargets } from '@/lib/rollout/rollback-to';
import { ROLLBACK_REASON } from '@/lib/rollout/rollback-reason';
import type { RollbackTarget } from '@/lib/rollout/rollback-targets';
import { rollbackToVersionAction } from './actions';

/** A target in one line: when it served, its main metric, who approved it. */
function TargetSummary({ target }: { target: RollbackTarget }) {
  return (
    <>
      <span className="font-medium">v{target.version}</span> — served from <Time at={target.servedFrom} />
      {target.servedUntil ? (
        <>
          {' '}
          to <Time at={target.servedUntil} />
        </>
      ) : null}
      ; {target.metric.name} {target.metric.value.toFixed(4)}; approved by {target.approvers.join(', ')}
      {target.rolledBack ? (
        <span className="block text-amber-800 dark:text-amber-300">
          Its canary was rolled back by {target.rolledBack.by} on <Time at={target.rolledBack.at} />:{' '}
          {target.rolledBack.reason}
        </span>
      ) : null}
      {target.artifact.state === 'unreadable' ? (
        <span className="block text-amber-800 dark:text-amber-300">
          Whether its model artifact still exists could not be checked: {target.artifact.problem}
        </span>
      ) : null}
    </>
  );
}

/**
 * "Roll back to a version…": the earlier versions that served this endpoint and passed their
 * gates, a required reason, then a confirmation. Each intended rollback carries an idempotency key
 * kept until it succeeds, so a double click or a retry after a lost answer acts once.
 */
export function RollbackToVersion({
  tenant,
  endpoint,
  targets,
  onOutcome,
}: {
  tenant: string;
  endpoint: string;
  targets: Panel<EndpointRollbackTargets | null>;
  onOutcome: (result: ActionResult) => Promise<void>;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const keys = useRef(new Map<string, string>());
  const inFlight = useRef(false);
  const [version, setVersion] = useState<string | null>(null);
  const [reason, setReason] = useState('');
  const [confirming, setConfirming] = useState(false);
  const [pending, setPending] = useState(false);
  const titleId = useId();
  const reasonId = useId();

  if (!targets.ok) {
    return (
      <Card title="Roll back to a version">
        <PanelMessage>{targets.message}</PanelMessage>
      </Card>
    );
  }
  const found = targets.data;
  if (!found || !found.rolloutId) return null;
  const rolloutId = found.rolloutId;
  const chosen = found.targets.find((t) => t.version === version) ?? null;
  const current = found.serving.version ? `v${found.serving.version}` : 'what it serves now';
  const reasonOk = reason.trim().length >= ROLLBACK_REASON.min;

  const close = () => {
    dialog.current?.close();
    setConfirming(false);
  };

  const run = async (target: RollbackTarget) => {
    if (inFlight.current) return;
    inFlight.current = true;
    setPending(true);
    const slot = `${rolloutId}:${target.version}`;
    const idempotencyKey = keys.current.get(slot) ?? crypto.randomUUID();
    keys.current.set(slot, idempotencyKey);
    try {
      const result = await rollbackToVersionAction(null, {
        tenant,
        endpoint,
        rolloutId,
        version: target.version,
        reason: reason.trim(),
        idempotencyKey,
      });
      if (result.ok) {
        keys.current.delete(slot);
        setVersion(null);
        setReason('');
      }
      await onOutcome(result);
    } catch {
      await onOutcome({
        ok: false,
        error: 'The portal could not be reached, so the outcome is unknown. Trying again is safe: it cannot act twice.',
      });
    } finally {
      inFlight.current = false;
      setPending(false);
      close();
    }
  };

  return (
    <Card title="Roll back to a version">
      <p className="text-sm text-slate-700 dark:text-slate-300">
        {found.targets.length === 0
          ? `No earlier version can be rolled back to: none that served ${endpoint} passed its gates and still has its model artifact.`
          : `${found.targets.length} earlier ${found.targets.length === 1 ? 'version' : 'versions'} that served ${endpoint} and passed ${found.targets.length === 1 ? 'its' : 'their'} gates.`}
      </p>
      {found.targets.length > 0 ? (
        <button
          type="button"
          className={`${buttonClass.secondary} mt-3`}
          disabled={pending}
          onClick={() => dialog.current?.showModal()}
        >
          Roll back to a version…
        </button>
      ) : null}
      {found.refused.length > 0 ? (
        <details className="mt-3 text-sm">
          <summary className="cursor-pointer">Not offered ({found.refused.length})</summary>
          <ul className="mt-2 list-disc space-y-1 pl-5" aria-label="Versions not offered">
            {found.refused.map((r) => (
              <li key={`${r.modelName}@${r.version}`}>
                v{r.version}: {r.reason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        onClose={() => setConfirming(false)}
        className="m-auto w-full max-w-2xl rounded-lg border border-slate-200 bg-white p-6 text-slate-900 shadow-xl backdrop:bg-slate-900/50 dark:border-slate-700 dark:bg-slate-900 dark:text-slate-100"
      >
        <h2 id={titleId} className="text-lg font-semibold">
          {confirming && chosen
            ? `Roll back ${endpoint} from ${current} to v${chosen.version}?`
            : `Roll back ${endpoint} to an earlier version`}
        </h2>
        {confirming && chosen ? (
          <div className="mt-2 space-y-2 text-sm text-slate-700 dark:text-slate-300">
            <p>
              v{chosen.version} ({chosen.storageUri}) takes all traffic on {endpoint} once its revision is ready;{' '}
              {current} stops serving and automatic judgment of the current rollout ends.
            </p>
            <p>
              It carries its own evidence: request {chosen.requestId}, run {chosen.runId}, {chosen.metric.name}{' '}
              {chosen.metric.value.toFixed(4)}, requested by {chosen.requester}, approved by{' '}
              {chosen.approvers.join(', ')}.
            </p>
            <p>Reason: {reason.trim()}</p>
            <div className="mt-6 flex justify-end gap-2">
              <button type="button" className={buttonClass.secondary} onClick={() => setConfirming(false)} autoFocus>
                Back
              </button>
              <button type="button" className={buttonClass.danger} disabled={pending} onClick={() => void run(chosen)}>
                {pending ? 'Working…' : `Roll back to v${chosen.version}`}
              </button>
            </div>
          </div>
        ) : (
          <form
            className="mt-2 space-y-4 text-sm"
            onSubmit={(event) => {
              event.preventDefault();
              if (chosen && reasonOk) setConfirming(true);
            }}
          >
            <fieldset>
              <legend className="font-medium">Version to go back to</legend>
              <ul className="mt-2 space-y-2">
                {found.targets.map((target) => (
                  <li key={target.version}>
                    <label className="flex gap-2">
                      <input
                        type="radio"
                        name="version"
                        value={target.version}
                        checked={version === target.version}
                        onChange={() => setVersion(target.version)}
                        className="mt-1"
                      />
                      <span>
                        <TargetSummary target={target} />
                      </span>
                    </label>
                  </li>
                ))}
              </ul>
            </fieldset>
            <div>
              <label htmlFor={reasonId} className="font-medium">
                Reason (required)
              </label>
              <textarea
                id={reasonId}
                className={`${inputClass} mt-1`}
                rows={3}
                required
                minLength={ROLLBACK_REASON.min}
                maxLength={ROLLBACK_REASON.max}
                value={reason}
                onChange={(event) => setReason(event.target.value)}
              />
              <p className="mt-1 text-slate-600 dark:text-slate-400">
                At least {ROLLBACK_REASON.min} characters; kept on the timeline and in the audit log.
              </p>
            </div>
            <div className="flex justify-end gap-2">
              <button type="button" className={buttonClass.secondary} onClick={close}>
                Cancel
              </button>
              <button type="submit" className={buttonClass.primary} disabled={!chosen || !reasonOk}>
                Review rollback
              </button>
            </div>
          </form>
        )}
      </dialog>
    </Card>
  );
}
