/**
 * A portal process for lib/rollout/actions.int.test.ts (never imported by the product): erin rolls
 * back a rollout, and the process stops at one point between the action's steps — `after-intent`
 * (the intent is committed, the API server not written) or `after-write` (the API server took the
 * change, its outcome is not recorded) — prints `stopped at <point>` and waits there, to be
 * SIGKILLed by its parent. It uses the parent's DATABASE_URL and the local platform's settings.
 *
 *   node --import tsx test/rollout-crash-child.ts <tenant> <rolloutId> <after-intent|after-write> <idempotencyKey>
 */
import { userActor } from '../lib/integrations/kubernetes';
import { rollbackRollout } from '../lib/rollout/service';
import { loadStackEnv } from './stack';

const STOPPED_AT = 'stopped at ';
type StopPoint = 'after-intent' | 'after-write';

async function main(): Promise<void> {
  loadStackEnv();
  const [tenant, rolloutId, stopAt, key] = process.argv.slice(2);
  if (!tenant || !rolloutId || (stopAt !== 'after-intent' && stopAt !== 'after-write') || !key)
    throw new Error('usage: rollout-crash-child.ts <tenant> <rolloutId> <after-intent|after-write> <key>');
  const stop = async (point: StopPoint) => {
    if (point !== stopAt) return;
    process.stdout.write(`${STOPPED_AT}${point}\n`);
    // Held here, with the event loop kept alive, until the parent kills the process.
    setInterval(() => {}, 60_000);
    await new Promise<never>(() => {});
  };
  await rollbackRollout(
    { actor: { name: 'erin' }, kube: userActor('erin', ['mlp:oncall']) },
    tenant,
    rolloutId,
    { idempotencyKey: key, reason: 'Rolled back by erin from the canary dashboard' },
    { afterIntent: () => stop('after-intent'), afterClusterWrite: () => stop('after-write') },
  );
  process.stdout.write('finished without stopping\n');
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
