import { z } from 'zod';
import { can, type Action, type Resource } from '../auth/authorize';
import { getCurrentUser } from '../auth/session';
import type { SessionUser } from '../auth/users';
import { recordAuditAlone } from '../audit/log';
import { flushAnonymousRefusalsSoon, noteAnonymousRefusal } from '../audit/refusals';
import { INPUT_JSON_LIMITS, storableJson } from '../audit/sanitize';
import { UserFacingError } from '../errors';
import { log } from '../observability/logger';
import { metrics } from '../observability/metrics';
import { currentRequest, currentRequestId } from '../observability/request-context';
import { consumeUserAction } from '../security/rate-limit';

/** What every refusal answers (and an action may, for a change it did not make). */
export type ActionFailure = { ok: false; error: string; fieldErrors?: Record<string, string> };

export type ActionResult =
  | { ok: true; message?: string; /** Where the form should go next, e.g. the record it created. */ href?: string }
  | ActionFailure;

/**
 * A server action as its callers see it, in `useActionState`'s shape: it takes what its zod schema
 * accepts (`Input`), or a form's FormData (parsed by the same schema), and answers what its `run`
 * returns (`Result`) or a refusal. Over HTTP anyone can send anything, so the schema still parses
 * every call; the type is for the portal's own callers.
 */
export type ServerAction<Input, Result extends ActionResult = ActionResult> = (
  previous: unknown,
  data: Input | FormData,
) => Promise<Result | ActionFailure>;

/** Any server action a form can submit its FormData to (every `ServerAction` is one). */
export type FormAction = (previous: unknown, data: FormData) => Promise<ActionResult>;

export interface ActionSpec<S extends z.ZodType, R extends ActionResult> {
  /** Audit and metrics name, e.g. `membership.add`. */
  name: string;
  input: S;
  /** What the caller must be allowed to do, judged on the parsed input. */
  permission: (
    input: z.output<S>,
  ) => { action: Action; resource: Resource } | Promise<{ action: Action; resource: Resource }>;
  /** Does the work, auditing its change in the same transaction. */
  run: (user: SessionUser, input: z.output<S>) => Promise<R>;
  /** The input as a refused or failed call's audit row keeps it, for inputs holding a credential (default: as parsed). */
  auditInput?: (input: z.output<S>) => unknown;
}

/** The longest text any form field may carry; schemas bound each field more tightly still. */
export const MAX_FIELD_CHARACTERS = 20_000;
const MAX_FIELDS = 200;

/** The call's data as sent: whatever its type says, over HTTP it can be anything. */
function toObject(data: unknown): Record<string, unknown> {
  if (data instanceof FormData) {
    const object: Record<string, unknown> = {};
    for (const [key, value] of data.entries()) if (!key.startsWith('$ACTION')) object[key] = value;
    return object;
  }
  return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
}

/** NUL and halves of a surrogate pair: a browser can send them, PostgreSQL cannot store or compare them. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The first field (at any depth) that no form of the portal sends — longer than any, or with
 * characters no text can hold — or a form with absurdly many fields; with what to tell the caller.
 */
function unacceptable(
  value: unknown,
  path: string,
  budget = { fields: MAX_FIELDS },
): { field: string; message: string } | null {
  if (typeof value === 'string') {
    if (value.length > MAX_FIELD_CHARACTERS) return { field: path, message: 'Far too long for this form.' };
    return UNSTORABLE.test(value)
      ? { field: path, message: 'Contains characters that are not text (NUL or a broken Unicode sequence).' }
      : null;
  }
  if (value instanceof Blob)
    return value.size > MAX_FIELD_CHARACTERS ? { field: path, message: 'Far too long for this form.' } : null;
  if (typeof value !== 'object' || value === null) return null;
  for (const [key, item] of Object.entries(value)) {
    if (--budget.fields < 0) return { field: 'form', message: 'Far too many fields for this form.' };
    const found = unacceptable(item, path === 'form' ? key.slice(0, 100) : path, budget);
    if (found) return found;
  }
  return null;
}

/** What `unacceptable` finds in a whole input (a form, or an API call's JSON): the REST API's door refuses the same. */
export function unacceptableInput(value: unknown): { field: string; message: string } | null {
  return unacceptable(value, 'form');
}

function tenantOf(resource: Resource): string | null {
  return 'tenant' in resource ? resource.tenant : null;
}

/** Gives the HTTP response of this server action another status (applied by server.ts). */
function answerWith(status: number, headers?: Record<string, string>): void {
  const context = currentRequest();
  if (context) context.response = { status, headers };
}

/**
 * Every server action is a public HTTP endpoint, so each one goes through the same steps:
 * session → rate limit → parse the input (zod) → authorize (the one authorization module) →
 * act → audit. A call without a session is refused before its input is looked at and leaves
 * only a count per source address and minute (lib/audit/refusals.ts); denied and failed
 * attempts of signed-in people are audited with a bounded copy of their input. The result suits
 * `useActionState`; refusals also answer 401, 403 or 429 (with Retry-After).
 */
export function defineAction<S extends z.ZodType, R extends ActionResult>(
  spec: ActionSpec<S, R>,
): ServerAction<z.input<S>, R> {
  return async function serverAction(_previous: unknown, data: z.input<S> | FormData): Promise<R | ActionFailure> {
    const count = (outcome: string) => metrics().serverActions.inc({ action: spec.name, outcome });
    const context = currentRequest();
    if (context) context.actionStarted = true;

    const user = await getCurrentUser();
    if (!user) {
      count('unauthenticated');
      const address = context?.clientAddress ?? 'unknown';
      await noteAnonymousRefusal({ address, action: spec.name, bytes: context?.bodyBytes ?? 0 }).catch(
        (error: unknown) => log.error('could not count an anonymous server-action call', { error }),
      );
      void flushAnonymousRefusalsSoon();
      log.warn('server action refused: not signed in', { action: spec.name, address });
      answerWith(401);
      return { ok: false, error: 'Your session has ended: sign in again.' };
    }

    const rate = await consumeUserAction(user.id);
    if (!rate.allowed) {
      count('rate-limited');
      log.warn('server action refused: rate limit', {
        action: spec.name,
        user: user.username,
        retryAfterSeconds: rate.retryAfterSeconds,
      });
      answerWith(429, { 'Retry-After': String(rate.retryAfterSeconds) });
      return {
        ok: false,
        error: `Too many changes in a short time: nothing was done. Try again in ${rate.retryAfterSeconds} s.`,
      };
    }

    const raw = toObject(data);
    const refused = unacceptable(raw, 'form');
    if (refused) {
      count('invalid');
      return {
        ok: false,
        error: 'Please correct the highlighted fields.',
        fieldErrors: { [refused.field]: refused.message },
      };
    }
    const parsed = spec.input.safeParse(raw);
    if (!parsed.success) {
      count('invalid');
      const fieldErrors: Record<string, string> = {};
      for (const issue of parsed.error.issues)
        fieldErrors[String(issue.path[0] ?? 'form').slice(0, 100)] ??= issue.message;
      return { ok: false, error: 'Please correct the highlighted fields.', fieldErrors };
    }

    let permission: Awaited<ReturnType<ActionSpec<S, R>['permission']>>;
    try {
      permission = await spec.permission(parsed.data);
    } catch (error) {
      count('failed');
      log.error('server action could not be authorized', { action: spec.name, error });
      return {
        ok: false,
        error: `Something went wrong on our side. Nothing was changed. (request ${currentRequestId() ?? 'unknown'})`,
      };
    }
    const { action, resource } = permission;
    if (!can(user, action, resource)) {
      count('denied');
      await recordAuditAlone({
        actor: { id: user.id, name: user.username },
        action: spec.name,
        tenant: tenantOf(resource),
        outcome: 'denied',
        reason: `not allowed to ${action}`,
        after: { input: storableJson(spec.auditInput ? spec.auditInput(parsed.data) : parsed.data, INPUT_JSON_LIMITS) },
      });
      log.warn('server action denied', { action: spec.name, user: user.username, tenant: tenantOf(resource) });
      answerWith(403);
      return { ok: false, error: 'You are not allowed to do this.' };
    }

    try {
      const result = await spec.run(user, parsed.data);
      count(result.ok ? 'success' : 'failed');
      return result;
    } catch (error) {
      count('failed');
      const known = error instanceof UserFacingError;
      await recordAuditAlone({
        actor: { id: user.id, name: user.username },
        action: spec.name,
        tenant: tenantOf(resource),
        outcome: 'failed',
        reason: known ? error.message : 'internal error',
        after: { input: storableJson(spec.auditInput ? spec.auditInput(parsed.data) : parsed.data, INPUT_JSON_LIMITS) },
      }).catch((auditError: unknown) => log.error('could not audit a failed action', { error: auditError }));
      if (known) {
        return {
          ok: false,
          error: error.message,
          fieldErrors: error.field ? { [error.field]: error.message } : undefined,
        };
      }
      log.error('server action failed', { action: spec.name, error });
      return {
        ok: false,
        error: `Something went wrong on our side. Nothing was changed. (request ${currentRequestId() ?? 'unknown'})`,
      };
    }
  };
}
