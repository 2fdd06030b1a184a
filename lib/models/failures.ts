import { UserFacingError } from '../errors';
import { UpstreamError } from '../integrations/upstream';

/**
 * For `.catch()` where a failure is shown rather than thrown: keeps the failures whose message is
 * written for people (an upstream that is down or refused, a model that does not exist) as a
 * value, and lets anything else — a bug — go on to the error page.
 */
export function explainedFailure(error: unknown): UpstreamError | UserFacingError {
  if (error instanceof UpstreamError || error instanceof UserFacingError) return error;
  throw error;
}
