/**
 * How dashboards degrade: each upstream is read on its own and a failure becomes a message on the
 * panels that needed it, so a page always shows what it can. Data a watch could not keep current
 * carries the time it was last known current.
 */
import type { AnswerAge } from '../integrations/answer-cache';
import type { CacheSnapshot } from '../integrations/kubernetes';
import { UpstreamError } from '../integrations/upstream';
import { UserFacingError } from '../errors';
import { log } from '../observability/logger';

/** Data that may be older than now: when it was last known current, and why it is not now. */
export interface Staleness {
  since: string | null;
  message: string;
}

/** One panel's data (perhaps stale), or why it is missing. */
export type Panel<T> = { ok: true; data: T; stale: Staleness | null } | { ok: false; message: string };

// Configuration errors are written for people too.
const PEOPLE_FACING = /^The (kubernetes|prometheus|mlflow) connection is not configured|^The Prometheus query templates/i;

/** An upstream's own message is written for people; anything else is logged and summarised. */
export function failureMessage(what: string, error: unknown): string {
  if (error instanceof UpstreamError || error instanceof UserFacingError) return error.message;
  if (error instanceof Error && PEOPLE_FACING.test(error.message)) return error.message;
  log.error(`dashboard could not read ${what}`, { error });
  return `${capitalised(what)} could not be read; the portal's log has the details.`;
}

const capitalised = (text: string) => `${text[0]!.toUpperCase()}${text.slice(1)}`;

/** The oldest staleness of several watch-cache reads, or null when all are live. */
export function stalenessOf(snapshots: readonly CacheSnapshot<unknown>[]): Staleness | null {
  const stale = snapshots.filter((s) => s.staleSince !== null || s.problem !== null);
  if (stale.length === 0) return null;
  const since = stale
    .map((s) => s.staleSince)
    .filter((d): d is Date => d !== null)
    .sort((a, b) => a.getTime() - b.getTime())[0];
  const problem = stale.find((s) => s.problem)?.problem ?? 'the watch is reconnecting';
  return { since: since?.toISOString() ?? null, message: `Kubernetes data may be out of date: ${problem}` };
}

/** The staleness of several panels together: every stale one's words, from the oldest time; null when all are current. */
export function combinedStaleness(...panels: Panel<unknown>[]): Staleness | null {
  const stale = panels.flatMap((p) => (p.ok && p.stale ? [p.stale] : []));
  if (stale.length === 0) return null;
  const since = stale.flatMap((s) => (s.since ? [s.since] : [])).sort()[0] ?? null;
  return { since, message: [...new Set(stale.map((s) => s.message))].join(' · ') };
}

/** A panel from watch-cache reads: its data with the staleness of the snapshots it came from. */
export async function kubernetesPanel<T>(what: string, read: () => Promise<{ data: T; snapshots: CacheSnapshot<unknown>[] }>): Promise<Panel<T>> {
  try {
    const { data, snapshots } = await read();
    return { ok: true, data, stale: stalenessOf(snapshots) };
  } catch (error) {
    return { ok: false, message: failureMessage(what, error) };
  }
}

/**
 * A panel from a shared answer (lib/integrations/answer-cache.ts): an answer kept because its
 * refresh failed is shown with its time and the failure, like data a watch could not keep current.
 */
export async function answerPanel<A extends AnswerAge, T>(what: string, read: () => Promise<A>, pick: (answer: A) => T): Promise<Panel<T>> {
  try {
    const answer = await read();
    const { at, refreshError } = answer;
    const stale = refreshError === undefined ? null : { since: at.toISOString(), message: `${capitalised(what)} may be out of date: ${failureMessage(what, refreshError)}` };
    return { ok: true, data: pick(answer), stale };
  } catch (error) {
    return { ok: false, message: failureMessage(what, error) };
  }
}

/** A panel from a direct read (Prometheus, MLflow, the database). */
export async function readPanel<T>(what: string, read: () => Promise<T>): Promise<Panel<T>> {
  try {
    return { ok: true, data: await read(), stale: null };
  } catch (error) {
    return { ok: false, message: failureMessage(what, error) };
  }
}
