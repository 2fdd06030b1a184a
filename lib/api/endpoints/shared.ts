import { z } from 'zod';
import type { TokenCaller } from '../../api-tokens/service';
import { TOKEN_SCOPE_ACTIONS, type TokenScope } from '../../auth/authorize';
import { currentRequestId } from '../../observability/request-context';
import { findTenant } from '../../tenancy/service';
import { defineApiRoute, type ApiMethod, type RouteHandler } from '../define-route';

/**
 * What every endpoint of /api/v1 is made of: its OpenAPI facts (path, the server action's zod
 * schema it parses with, the zod schemas of its answers) and its handler, built from the same
 * facts by `defineEndpoint` so that the document and the door cannot disagree.
 */

export interface EndpointResponse {
  description: string;
  schema: z.ZodType;
}

export interface Endpoint {
  method: ApiMethod;
  /** OpenAPI path template, e.g. `/api/v1/t/{tenant}/rollouts/{endpoint}`. */
  path: string;
  operationId: string;
  summary: string;
  /** The token scope that allows it (a personal token also needs its owner's role). */
  scope: TokenScope;
  /** The server action's schema; path parameters, query, header fields and body are taken from it. */
  input: z.ZodObject;
  /** The `{name}`s of the path, in order. */
  pathParams: readonly string[];
  /** Input fields sent as request headers (all required), by field: the header's name. */
  headerParams: Readonly<Record<string, string>>;
  /** Its own answers; the refusals every endpoint shares (400, 401, 403, 429, 503) are added by the document. */
  responses: Record<number, EndpointResponse>;
  handler: RouteHandler;
}

export interface EndpointSpec<S extends z.ZodObject> {
  /** Audit and metrics name (`api.` + it), e.g. `rollout.rollback`. */
  name: string;
  method: ApiMethod;
  path: string;
  operationId: string;
  summary: string;
  scope: TokenScope;
  input: S;
  headers?: Readonly<Record<string, string>>;
  responses: Record<number, EndpointResponse>;
  /** Acts through the same service as the page or server action. */
  run: (
    caller: TokenCaller,
    input: z.output<S>,
  ) => Promise<{ status: number; body: unknown; headers?: Record<string, string> }>;
}

/** The tenant as the authorization module judges it: its status decides what may still be done in it. */
export async function tenantResource(tenant: string) {
  const row = await findTenant(tenant);
  return { kind: 'tenant' as const, tenant, status: row?.status };
}

/**
 * An endpoint and its handler. Every endpoint acts in the tenant of its path, and is authorized
 * with `can` for the tenant action its scope allows — the action the page checks, so a personal
 * token needs its owner's role for it and a service token its scope.
 */
export function defineEndpoint<S extends z.ZodObject>(spec: EndpointSpec<S>): Endpoint {
  const [action, ...others] = TOKEN_SCOPE_ACTIONS[spec.scope];
  if (!action || others.length > 0) throw new Error(`scope ${spec.scope} must allow exactly one action`);
  return {
    method: spec.method,
    path: spec.path,
    operationId: spec.operationId,
    summary: spec.summary,
    scope: spec.scope,
    input: spec.input,
    pathParams: [...spec.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!),
    headerParams: spec.headers ?? {},
    responses: spec.responses,
    handler: defineApiRoute({
      name: spec.name,
      method: spec.method,
      input: spec.input,
      headers: spec.headers,
      permission: async (input) => ({
        action,
        resource: await tenantResource((input as { tenant: string }).tenant),
      }),
      run: spec.run,
    }),
  };
}

export const apiErrorSchema = z
  .object({
    error: z.string(),
    fieldErrors: z.record(z.string(), z.string()).optional(),
    requestId: z.string().optional(),
  })
  .meta({ id: 'Error' });
export type ApiErrorBody = z.infer<typeof apiErrorSchema>;

/** An answer of the endpoint's own that refuses: 404 for a record this tenant does not have, … */
export function refusal(status: number, error: string) {
  return { status, body: { error, requestId: currentRequestId() } satisfies ApiErrorBody };
}

/** A read model's upstream could not be read: 503 with Retry-After, like define-route answers an UpstreamError. */
export function unavailable(message: string) {
  return { ...refusal(503, `${message} Try again later.`), headers: { 'Retry-After': '30' } };
}

/** MLflow's times are milliseconds since the epoch; the API says ISO 8601. */
export function isoTime(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString();
}

export const isoTimeSchema = z.iso.datetime();

export const freshnessSchema = z
  .object({
    asOf: isoTimeSchema.meta({ description: 'When the data was last known current' }),
    error: z.string().optional().meta({ description: 'Why it may be out of date; absent while it is current' }),
  })
  .meta({ id: 'Freshness' });

/** The next page's token; pass it as `page` (with the same other parameters) for the next page. */
export const nextPageTokenSchema = z
  .string()
  .nullable()
  .meta({ description: 'Pass as `page` to get the next page; null on the last page' });
