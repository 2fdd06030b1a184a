/**
 * How dashboards degrade: each upstream is read on its own and a failure becomes a message on the
 * panels that needed it, so a page always shows what it can. Data a cache could not keep current
 * carries its freshness: when it was last known current, and why not since.
 */
import type { SharedAnswer } from '../cache/answer-cache';
import { currentFreshness, oldestOutdated, type Freshness } from '../freshness';
import type { CacheSnapshot } from '../integrations/kubernetes';
import { failureMessage } from '../integrations/upstream';

export { failureMessage };

/** One panel's data with its freshness, or why it is missing. */
export type Panel<T> = { ok: true; data: T; freshness: Freshness } | { ok: false; message: string };

/** The freshness of several panels' data together: as of the oldest out-of-date one, with every such one's words; null when all are current. */
export function outdatedOf(...panels: Panel<unknown>[]): (Freshness & { error: string }) | null {
  return oldestOutdated(...panels.map((p) => (p.ok ? p.freshness : null)));
}

/** A panel from watch-cache reads: its data as of the oldest snapshot it came from. */
export async function kubernetesPanel<T>(
  what: string,
  read: () => Promise<{ data: T; snapshots: CacheSnapshot<unknown>[] }>,
): Promise<Panel<T>> {
  try {
    const { data, snapshots } = await read();
    return { ok: true, data, freshness: oldestOutdated(...snapshots.map((s) => s.freshness)) ?? currentFreshness() };
  } catch (error) {
    return { ok: false, message: failureMessage(what, error) };
  }
}

/**
 * A panel from a shared answer (lib/cache/answer-cache.ts): an answer kept because its refresh
 * failed is shown with its time and the failure, like data a watch could not keep current.
 */
export async function answerPanel<A extends Pick<SharedAnswer<unknown>, 'freshness'>, T>(
  what: string,
  read: () => Promise<A>,
  pick: (answer: A) => T,
): Promise<Panel<T>> {
  try {
    const answer = await read();
    const { asOf, error } = answer.freshness;
    const freshness =
      error === undefined ? { asOf } : { asOf, error: `${capitalised(what)} may be out of date: ${error}` };
    return { ok: true, data: pick(answer), freshness };
  } catch (error) {
    return { ok: false, message: failureMessage(what, error) };
  }
}

const capitalised = (text: string) => `${text[0]!.toUpperCase()}${text.slice(1)}`;

/** A panel from a direct read (Prometheus, MLflow, the database). */
export async function readPanel<T>(what: string, read: () => Promise<T>): Promise<Panel<T>> {
  try {
    return { ok: true, data: await read(), freshness: currentFreshness() };
  } catch (error) {
    return { ok: false, message: failureMessage(what, error) };
  }
}
