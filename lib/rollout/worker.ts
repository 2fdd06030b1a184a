import pg from 'pg';
import { recordBreakGlassChanges, syncAllAdmissionParams } from '../admission/service';
import { deployPromotion, findInterruptedDeployments } from '../promotion/deploy';
import { expireRequests } from '../promotion/requests';
import { startDeliveryLoop } from '../notifications/delivery';
import { OUTBOX_CHANNEL } from '../notifications/outbox';
import { watchConditions } from '../notifications/watch';
import { log } from '../observability/logger';
import { workerMetrics } from '../observability/metrics';
import { finishUnfinishedActions } from './actions';
import { liveRollouts } from './records';
import { checkRollout } from './service';

/**
 * The background worker: canary judgment, request expiry, finishing interrupted deployments and
 * rollout actions (rollback, promote) whose outcome was never recorded, keeping the cluster's
 * admission guard (its parameters; break-glass changes on the timelines), watching GPU quota use
 * and SLO burn for notifications, and — beside the tick — delivering webhooks from the outbox
 * (lib/notifications/delivery.ts), woken as soon as an event commits.
 * Any number may run; only the one holding a PostgreSQL advisory lock acts. The lock lives on a
 * dedicated connection, so a worker that dies (or loses its connection) releases it at once and
 * another takes over at its next attempt.
 */

const LEADER_LOCK_KEY = 4_242_002;

/**
 * The lock connection's TCP keepalives, set on PostgreSQL's side of it: a leader whose machine
 * vanishes (no FIN, no RST) loses the lock once PostgreSQL gives up on it — after at most
 * idle + interval × count seconds. A leader that dies (killed, crashed) loses it at once: its
 * kernel closes the connection.
 */
const LOCK_KEEPALIVE = { idleSeconds: 10, intervalSeconds: 5, count: 3 };
/** The longest the lock outlives a leader that vanished: failover takes at most this plus one check interval. */
export const LEADER_LOCK_TIMEOUT_SECONDS =
  LOCK_KEEPALIVE.idleSeconds + LOCK_KEEPALIVE.intervalSeconds * LOCK_KEEPALIVE.count;

export const DEFAULT_RESUME_ACTIONS_AFTER_MS = 15_000;

export interface WorkerOptions {
  databaseUrl: string;
  intervalMs: number;
  /** How long a deployment may sit in `deploying` before the worker assumes a crash and finishes it. */
  resumeDeploymentsAfterMs: number;
  /**
   * How long a rollback or promote may stay without a recorded outcome before the worker settles
   * it from the live InferenceService (lib/rollout/actions.ts); longer than an action takes.
   */
  resumeActionsAfterMs?: number;
  name: string;
}

export interface WorkerHandle {
  /**
   * Stops: no further tick; waits for the tick under way (at most `timeoutMs`), then releases the
   * leader lock and closes its connection.
   */
  stop(timeoutMs?: number): Promise<void>;
  isLeader(): boolean;
}

async function tick(options: WorkerOptions): Promise<void> {
  const expired = await expireRequests();
  if (expired) log.info('promotion requests expired', { count: expired });
  for (const id of await findInterruptedDeployments(options.resumeDeploymentsAfterMs)) {
    log.warn('finishing an interrupted promotion deployment', { request: id });
    await deployPromotion(id, { name: 'worker' });
  }
  // Before judgment: a rollout with an action pending is not judged until the action is settled.
  await finishUnfinishedActions(options.resumeActionsAfterMs ?? DEFAULT_RESUME_ACTIONS_AFTER_MS);
  await keepAdmissionGuard();
  const rollouts = await liveRollouts();
  const endTimer = workerMetrics().judgmentDuration.startTimer();
  // One endpoint's trouble (an unreachable API, a bad spec) must not stop the judgment of the others.
  await Promise.all(
    rollouts.map(async (rollout) => {
      try {
        const decision = await checkRollout(rollout);
        log.info('canary judged', {
          tenant: rollout.tenant.name,
          endpoint: rollout.endpoint,
          version: rollout.version,
          action: decision.action,
          reason: decision.reason,
        });
      } catch (error) {
        log.error('canary check failed', { tenant: rollout.tenant.name, endpoint: rollout.endpoint, error });
      }
    }),
  );
  endTimer();
  await watchNotificationConditions();
}

/** GPU quota above 90 % and SLO fast burn: an event when a condition opens (lib/notifications/watch.ts). Never stops the tick. */
async function watchNotificationConditions(): Promise<void> {
  try {
    const { unread } = await watchConditions();
    for (const problem of unread) log.warn('notification conditions could not be read', { problem });
  } catch (error) {
    log.error('notification conditions could not be checked', { error });
  }
}

/**
 * The cluster's admission guard (lib/admission): each tenant's parameters follow its promotion
 * policy, and break-glass changes seen in the InferenceService watch cache are recorded once for
 * the endpoints' timelines. Neither may stop canary judgment.
 */
async function keepAdmissionGuard(): Promise<void> {
  try {
    const { changed, failed } = await syncAllAdmissionParams();
    if (changed.length) log.info('admission guard parameters brought up to date', { tenants: changed });
    for (const failure of failed) log.warn('admission guard parameters could not be written', failure);
  } catch (error) {
    log.error('admission guard parameters could not be checked', { error });
  }
  try {
    for (const use of await recordBreakGlassChanges()) {
      log.warn('break-glass change recorded', {
        tenant: use.namespace,
        endpoint: use.endpoint,
        by: use.by,
        at: use.at,
        reason: use.reason,
      });
    }
  } catch (error) {
    log.error('break-glass changes could not be read', { error });
  }
}

export function startWorker(options: WorkerOptions): WorkerHandle {
  let client: pg.Client | null = null;
  let leader = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const leaderGauge = workerMetrics().leader;
  leaderGauge.set(0);
  // One leader delivers webhooks, beside the tick so that a long tick never holds a delivery back.
  const delivery = startDeliveryLoop({ isLeader: () => leader, name: options.name });

  const dropLeadership = async (reason: string) => {
    if (leader) log.warn('worker lost leadership', { worker: options.name, reason });
    leader = false;
    leaderGauge.set(0);
    const old = client;
    client = null;
    await old?.end().catch(() => {});
  };

  const elect = async () => {
    if (leader) return;
    if (!client) {
      const fresh = new pg.Client({
        connectionString: options.databaseUrl,
        application_name: `mlp-worker ${options.name}`,
      });
      fresh.on('error', (error) => void dropLeadership(error.message));
      await fresh.connect();
      const { idleSeconds, intervalSeconds, count } = LOCK_KEEPALIVE;
      await fresh
        .query(
          `SET tcp_keepalives_idle = ${idleSeconds}; SET tcp_keepalives_interval = ${intervalSeconds}; SET tcp_keepalives_count = ${count}`,
        )
        .catch((error: unknown) => log.warn('the leader lock connection keeps no TCP keepalives', { error }));
      client = fresh;
    }
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [
      LEADER_LOCK_KEY,
    ]);
    leader = rows[0]?.locked === true;
    if (leader) {
      leaderGauge.set(1);
      log.info('worker is the leader', { worker: options.name });
      // An event committed anywhere (a web replica's approval, this tick's rollback) wakes the delivery at once.
      client.on('notification', (message) => {
        if (message.channel === OUTBOX_CHANNEL) delivery.wake();
      });
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      delivery.wake();
    }
  };

  const loop = async () => {
    try {
      await elect();
      if (leader) await tick(options);
    } catch (error) {
      log.error('worker iteration failed', { worker: options.name, error });
      if (!leader) await dropLeadership('could not reach the database');
    }
    if (!stopped) timer = setTimeout(() => (running = loop()), options.intervalMs);
  };
  running = loop();

  return {
    isLeader: () => leader,
    async stop(timeoutMs = 20_000) {
      stopped = true;
      clearTimeout(timer);
      const deliveryStopped = delivery.stop(timeoutMs);
      let waiting: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        running.then(() => true),
        new Promise<boolean>((resolve) => (waiting = setTimeout(() => resolve(false), timeoutMs))),
      ]);
      clearTimeout(waiting);
      await deliveryStopped;
      if (!finished) log.warn('worker stopping in the middle of a tick', { worker: options.name, timeoutMs });
      // Released before the connection closes, so that another worker may lead at its next attempt.
      if (leader && client) {
        await client
          .query('SELECT pg_advisory_unlock($1)', [LEADER_LOCK_KEY])
          .then(() => {
            leader = false;
            log.info('worker released the leader lock', { worker: options.name });
          })
          .catch((error: unknown) => log.warn('could not release the leader lock', { worker: options.name, error }));
      }
      await dropLeadership('stopped');
    },
  };
}
