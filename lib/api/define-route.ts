import { z } from 'zod';
import { unacceptableInput } from '../actions/define-action';
import { authenticateToken, type TokenCaller } from '../api-tokens/service';
import { can, type Action, type Resource } from '../auth/authorize';
import { recordAuditAlone } from '../audit/log';
import { flushAnonymousRefusalsSoon, noteAnonymousRefusal } from '../audit/refusals';
import { INPUT_JSON_LIMITS, storableJson } from '../audit/sanitize';
import { UserFacingError } from '../errors';
import { UpstreamError } from '../integrations/upstream';
import { log } from '../observability/logger';
import { metrics } from '../observability/metrics';
import { currentRequest, currentRequestId } from '../observability/request-context';
import { consumeUserAction } from '../security/rate-limit';

/**
 * The REST API's door (/api/v1): every endpoint is one `defineApiRoute`, and every call goes the
 * same way as a server action (lib/actions/define-action.ts) — authenticate (an API token; a call
 * without a usable one answers 401 before its body is read) → rate limit → refuse unacceptable
 * fields → parse with the action's own zod schema → authorize with `can` → act through the same
 * service → audit. Every call made with a token is audited with the token's id, allowed or not.
 */

export type ApiMethod = 'GET' | 'POST';

export interface ApiRouteSpec<S extends z.ZodType, Body> {
  /** Audit and metrics name, e.g. `promotion.request`: the server action's name where there is one. */
  name: string;
  method: ApiMethod;
  /** The action's zod schema; fed the path parameters merged with the query (GET) or JSON body (POST). */
  input: S;
  /**
   * Input fields that travel as request headers, by field: e.g. `{ idempotencyKey: 'Idempotency-Key' }`.
   * Taken from the header only (a body or query field of the same name is overridden), and named
   * by the header in field errors.
   */
  headers?: Readonly<Record<string, string>>;
  permission: (
    input: z.output<S>,
  ) => { action: Action; resource: Resource } | Promise<{ action: Action; resource: Resource }>;
  /** Does the work through the same service as the page; audits its own change as the service does. */
  run: (
    caller: TokenCaller,
    input: z.output<S>,
  ) => Promise<{ status: number; body: Body; headers?: Record<string, string> }>;
}

export interface ApiError {
  error: string;
  fieldErrors?: Record<string, string>;
  requestId?: string;
}

export type RouteContext = { params: Promise<Record<string, string | string[] | undefined>> };
export type RouteHandler = (request: Request, context: RouteContext) => Promise<Response>;

const AUDIT_PREFIX = 'api.';

function answer(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return Response.json(body, { status, headers: { 'Cache-Control': 'no-store', ...headers } });
}

function failure(status: number, error: string, extra: Partial<ApiError> = {}, headers?: Record<string, string>) {
  return answer(status, { error, ...extra, requestId: currentRequestId() } satisfies ApiError, headers);
}

const REFUSAL_WORDS: Record<string, string> = {
  missing: 'This API needs a token: send Authorization: Bearer mlp_…',
  malformed: 'That is not a portal API token (Authorization: Bearer mlp_…).',
  unknown: 'This token is not known.',
  expired: 'This token has expired.',
  revoked: 'This token has been revoked.',
  'owner-gone': 'The owner of this token no longer exists.',
};

function tenantOf(resource: Resource): string | null {
  return 'tenant' in resource ? resource.tenant : null;
}

async function readInput(
  request: Request,
  method: ApiMethod,
  params: Record<string, unknown>,
  headers: Readonly<Record<string, string>>,
) {
  const fromPath = Object.fromEntries(Object.entries(params).filter(([, v]) => typeof v === 'string'));
  // A header field is the header's value or nothing: absent, the schema says it is missing.
  const fromHeaders = Object.fromEntries(
    Object.entries(headers).map(([field, header]) => [field, request.headers.get(header) ?? undefined]),
  );
  if (method === 'GET') {
    const query = Object.fromEntries(new URL(request.url).searchParams.entries());
    return { ok: true as const, value: { ...query, ...fromHeaders, ...fromPath } };
  }
  const type = request.headers.get('content-type') ?? '';
  if (!/^application\/json\b/i.test(type))
    return { ok: false as const, error: 'Send a JSON body (Content-Type: application/json).' };
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    return { ok: false as const, error: 'The body is not valid JSON.' };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return { ok: false as const, error: 'The body must be a JSON object.' };
  // The path names the tenant (and record); a body cannot point elsewhere.
  return { ok: true as const, value: { ...(body as Record<string, unknown>), ...fromHeaders, ...fromPath } };
}

export function defineApiRoute<S extends z.ZodType, Body>(spec: ApiRouteSpec<S, Body>): RouteHandler {
  const auditName = AUDIT_PREFIX + spec.name;
  return async function handler(request, context) {
    const count = (outcome: string) => metrics().apiCalls.inc({ operation: spec.name, outcome });
    const address = currentRequest()?.clientAddress ?? 'unknown';

    // 1. Who is calling. Nothing of the request but its Authorization header is read before this.
    const authentication = await authenticateToken(request.headers.get('authorization'));
    if (!authentication.ok) {
      const { reason, token } = authentication;
      // A real token that may no longer be used is worth a line in the audit log with its id —
      // up to the rate limit, so that a leaked revoked token cannot flood the log; beyond it, and
      // for anything else, only a count per source address and minute.
      const auditable = token ? (await consumeUserAction(`token:${token.id}`)).allowed : false;
      if (token && auditable) {
        await recordAuditAlone({
          actor: { name: `token ${token.id}` },
          action: auditName,
          tenant: token.tenant,
          target: { type: 'api-token', id: token.id },
          outcome: 'denied',
          reason: `token ${reason}`,
        });
      } else {
        await noteAnonymousRefusal({ address, action: auditName, bytes: 0 }).catch((error: unknown) =>
          log.error('could not count an anonymous API call', { error }),
        );
        void flushAnonymousRefusalsSoon();
      }
      count('unauthenticated');
      log.warn('API call refused: no usable token', { action: spec.name, reason, address });
      // RFC 6750: a presented token that cannot be used is an `invalid_token`; no token, no error code.
      const challenge = reason === 'missing' ? 'Bearer realm="api"' : 'Bearer realm="api", error="invalid_token"';
      return failure(401, REFUSAL_WORDS[reason] ?? 'Not authenticated.', {}, { 'WWW-Authenticate': challenge });
    }
    const caller = authentication.caller;
    const tokenRef = { id: caller.token.id, kind: caller.token.kind };
    const audit = (
      outcome: 'success' | 'denied' | 'failed',
      tenant: string | null,
      details: { reason?: string; input?: unknown; status?: number } = {},
    ) =>
      recordAuditAlone({
        actor: caller.actor,
        action: auditName,
        tenant,
        target: { type: 'api-token', id: caller.token.id },
        outcome,
        reason: details.reason,
        after: {
          token: tokenRef,
          ...(details.status !== undefined ? { status: details.status } : {}),
          ...(details.input !== undefined ? { input: storableJson(details.input, INPUT_JSON_LIMITS) } : {}),
        },
      });

    // 2. Rate limit: a personal token shares its owner's budget for server actions; a service token has its own.
    const rate = await consumeUserAction(
      caller.token.kind === 'personal' ? caller.principal.id : `token:${caller.token.id}`,
    );
    if (!rate.allowed) {
      count('rate-limited');
      log.warn('API call refused: rate limit', { action: spec.name, token: caller.token.id });
      return failure(
        429,
        `Too many calls in a short time: nothing was done. Try again in ${rate.retryAfterSeconds} s.`,
        {},
        {
          'Retry-After': String(rate.retryAfterSeconds),
        },
      );
    }

    // 3. Parse: the same checks and the same schema as the server action.
    const headerFields = spec.headers ?? {};
    const raw = await readInput(request, spec.method, await context.params, headerFields);
    if (!raw.ok) {
      count('invalid');
      return failure(400, raw.error);
    }
    const refused = unacceptableInput(raw.value);
    if (refused) {
      count('invalid');
      return failure(400, 'The request has fields no client sends.', {
        fieldErrors: { [refused.field]: refused.message },
      });
    }
    const parsed = spec.input.safeParse(raw.value);
    if (!parsed.success) {
      const fieldErrors: Record<string, string> = {};
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? 'body');
        fieldErrors[(headerFields[field] ?? field).slice(0, 100)] ??= issue.message;
      }
      count('invalid');
      return failure(400, 'Some fields are not valid.', { fieldErrors });
    }

    // 4. Authorize with the one authorization module: the token's tenant and scopes, and for a
    //    personal token its owner's roles too.
    let permission: { action: Action; resource: Resource };
    try {
      permission = await spec.permission(parsed.data);
    } catch (error) {
      count('failed');
      log.error('API call could not be authorized', { action: spec.name, error });
      return failure(500, 'Something went wrong on our side. Nothing was changed.');
    }
    const tenant = tenantOf(permission.resource);
    if (!can(caller.principal, permission.action, permission.resource)) {
      count('denied');
      await audit('denied', tenant, { reason: `not allowed to ${permission.action}`, input: parsed.data });
      return failure(403, `This token may not ${permission.action}${tenant ? ` in tenant ${tenant}` : ''}.`);
    }

    // 5. Act and audit.
    try {
      const result = await spec.run(caller, parsed.data);
      // An answer the endpoint gave as a refusal (404, a filing its gates refused) is audited as failed.
      const refusedBy = result.status >= 400 ? `answered ${result.status}` : undefined;
      count(refusedBy ? 'failed' : 'success');
      await audit(refusedBy ? 'failed' : 'success', tenant, { status: result.status, reason: refusedBy });
      return answer(result.status, result.body, result.headers);
    } catch (error) {
      count('failed');
      const known = error instanceof UserFacingError;
      await audit('failed', tenant, {
        reason: known
          ? error.message
          : error instanceof UpstreamError
            ? `${error.system} ${error.kind}`
            : 'internal error',
        input: parsed.data,
      }).catch((auditError: unknown) => log.error('could not audit a failed API call', { error: auditError }));
      if (error instanceof UpstreamError) {
        log.warn('API call failed: upstream', { action: spec.name, system: error.system, kind: error.kind });
        return failure(
          503,
          `${error.system} is not answering the portal just now. Nothing was changed; try again later.`,
          {},
          { 'Retry-After': '30' },
        );
      }
      if (known)
        return failure(422, error.message, error.field ? { fieldErrors: { [error.field]: error.message } } : {});
      log.error('API call failed', { action: spec.name, error });
      return failure(500, 'Something went wrong on our side. Nothing was changed.');
    }
  };
}
