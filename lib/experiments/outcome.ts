import { UserFacingError } from '../errors';
import { UpstreamError, type UpstreamErrorKind } from '../integrations/upstream';
import { log } from '../observability/logger';
import { currentRequestId } from '../observability/request-context';

/**
 * A page shows what it could load and a clear message for what it could not: a slow MLflow or a
 * mistyped id degrades one panel, never the page.
 */
export type Outcome<T> = { ok: true; value: T } | { ok: false; message: string; kind?: UpstreamErrorKind | 'invalid' };

export async function attempt<T>(work: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    return { ok: false, ...describeFailure(error) };
  }
}

/** Messages of our own errors are written for people; anything else is logged and not shown. */
export function describeFailure(error: unknown): { message: string; kind?: UpstreamErrorKind | 'invalid' } {
  if (error instanceof UpstreamError) return { message: error.message, kind: error.kind };
  if (error instanceof UserFacingError) return { message: error.message, kind: 'invalid' };
  log.error('experiments: unexpected failure', { error });
  return { message: `Something went wrong on our side (request ${currentRequestId() ?? 'unknown'}).` };
}
