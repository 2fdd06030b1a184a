import pg from 'pg';
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import { log } from '../observability/logger';
import { processSingleton } from '../process-singleton';

/**
 * Rate limits on mutations, counted in the portal's PostgreSQL (table `rate_limits`, made by a
 * migration) so that every replica shares them: per signed-in user for server actions, per
 * source address for every mutating request. When the database cannot be reached, each process
 * counts on its own instead of refusing everyone (rate-limiter-flexible's insurance limiter).
 */

export type RateLimitDecision = { allowed: true; remaining: number } | { allowed: false; retryAfterSeconds: number };

export interface RateLimitSpec {
  /** Names the limit; part of every key. */
  name: string;
  /** Requests allowed per window. */
  points: number;
  windowSeconds: number;
}

export interface RateLimiter {
  consume(key: string): Promise<RateLimitDecision>;
}

const TABLE = 'rate_limits';
const MAX_KEY = 200;

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/** Server actions per signed-in user and minute (`RATE_LIMIT_USER_ACTIONS_PER_MINUTE`, 60). */
export function userActionsLimit(): RateLimitSpec {
  return { name: 'user-actions', points: positive('RATE_LIMIT_USER_ACTIONS_PER_MINUTE', 60), windowSeconds: 60 };
}

/** Mutating requests (POST, PUT, PATCH, DELETE) per source address and minute (`RATE_LIMIT_ADDRESS_MUTATIONS_PER_MINUTE`, 300). */
export function addressMutationsLimit(): RateLimitSpec {
  return {
    name: 'address-mutations',
    points: positive('RATE_LIMIT_ADDRESS_MUTATIONS_PER_MINUTE', 300),
    windowSeconds: 60,
  };
}

/** A limiter over `pool`'s database; several (one per replica) share their counts. */
export function createRateLimiter(pool: pg.Pool, spec: RateLimitSpec): RateLimiter {
  const options = { keyPrefix: spec.name, points: spec.points, duration: spec.windowSeconds };
  const limiter = new RateLimiterPostgres({
    ...options,
    storeClient: pool,
    storeType: 'pool',
    tableName: TABLE,
    tableCreated: true,
    insuranceLimiter: new RateLimiterMemory(options),
  });
  return {
    async consume(key) {
      try {
        const result = await limiter.consume(key.slice(0, MAX_KEY), 1);
        return { allowed: true, remaining: result.remainingPoints };
      } catch (outcome) {
        if (outcome instanceof RateLimiterRes)
          return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(outcome.msBeforeNext / 1000)) };
        // Neither the database nor the insurance limiter answered: let the request through.
        log.error('rate limit could not be checked', { limit: spec.name, error: outcome });
        return { allowed: true, remaining: 0 };
      }
    },
  };
}

// One pool and one limiter per limit per process, for the current DATABASE_URL.
type SharedLimits = { url?: string; pool?: pg.Pool; limiters: Map<string, RateLimiter> };

function shared(spec: RateLimitSpec): RateLimiter {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  const held = processSingleton('security.rate-limits', (): SharedLimits => ({ limiters: new Map() }));
  if (!held.pool || held.url !== url) {
    const pool = new pg.Pool({
      connectionString: url,
      max: 3,
      idleTimeoutMillis: 30_000,
      connectionTimeoutMillis: 2_000,
    });
    pool.on('error', (error) => log.warn('rate-limit database connection lost', { error }));
    Object.assign(held, { url, pool, limiters: new Map() });
  }
  const { pool, limiters } = held as Required<SharedLimits>;
  const id = `${spec.name}:${spec.points}/${spec.windowSeconds}`;
  let limiter = limiters.get(id);
  if (!limiter) {
    limiter = createRateLimiter(pool, spec);
    limiters.set(id, limiter);
  }
  return limiter;
}

/** Counts one server action of `userId`. */
export function consumeUserAction(userId: string): Promise<RateLimitDecision> {
  return shared(userActionsLimit()).consume(userId);
}

/** Counts one mutating request from `address`. */
export function consumeAddressMutation(address: string): Promise<RateLimitDecision> {
  return shared(addressMutationsLimit()).consume(address);
}

/** Closes the shared pool (tests, shutdown). */
export async function closeRateLimits(): Promise<void> {
  const held = processSingleton('security.rate-limits', (): SharedLimits => ({ limiters: new Map() }));
  const pool = held.pool;
  Object.assign(held, { url: undefined, pool: undefined, limiters: new Map() });
  await pool?.end();
}
