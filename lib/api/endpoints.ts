import { z } from 'zod';
import { TOKEN_SCOPES } from '../auth/authorize';
import {
  createPromotionRequest,
  getPromotionRequest,
  GatesRefusedError,
  listPromotionRequests,
  requestGates,
  type PromotionRequestDetail,
} from '../promotion/requests';
import { promotionListSchema, promotionRequestRef, requestPromotionSchema } from '../promotion/schemas';
import { findTenant } from '../tenancy/service';
import { defineApiRoute, type ApiMethod, type RouteHandler } from './define-route';

/**
 * The endpoints of /api/v1, each with what the OpenAPI document says about it (lib/api/openapi.ts):
 * its path, the server action's zod schema it parses with, and the zod schema of its answer.
 */

async function tenantResource(tenant: string) {
  const row = await findTenant(tenant);
  return { kind: 'tenant' as const, tenant, status: row?.status };
}

const gateSchema = z.object({
  id: z.string().meta({ description: 'Stable id, e.g. `threshold:holdout_auc`' }),
  kind: z.string(),
  label: z.string(),
  passed: z.boolean(),
  blocking: z.boolean().meta({ description: 'A failing blocking gate refuses the request' }),
  detail: z.string().meta({ description: 'One sentence with the numbers' }),
  values: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});

export const promotionRequestView = z
  .object({
    id: z.uuid(),
    tenant: z.string(),
    model: z.string(),
    version: z.string(),
    status: z.enum(['pending', 'rejected', 'expired', 'cancelled', 'deploying', 'deployed', 'failed']),
    endpoint: z.string().meta({ description: 'The InferenceService the version is deployed to' }),
    requester: z.string(),
    requiredApprovals: z.int(),
    approvals: z.array(
      z.object({
        approver: z.string(),
        decision: z.enum(['approve', 'reject']),
        counts: z.boolean(),
        at: z.iso.datetime(),
      }),
    ),
    gates: z.array(gateSchema),
    createdAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    href: z.string().meta({ description: 'The request’s page in the portal' }),
  })
  .meta({ id: 'PromotionRequest' });
export type PromotionRequestView = z.infer<typeof promotionRequestView>;

export const apiErrorSchema = z
  .object({
    error: z.string(),
    fieldErrors: z.record(z.string(), z.string()).optional(),
    requestId: z.string().optional(),
  })
  .meta({ id: 'Error' });

export const gatesRefusedSchema = apiErrorSchema
  .extend({
    gates: z.array(gateSchema).meta({ description: 'Every gate’s result; the blocking failures refused the filing' }),
  })
  .meta({ id: 'GatesRefused' });

export function viewOf(request: PromotionRequestDetail): PromotionRequestView {
  return {
    id: request.id,
    tenant: request.tenant.name,
    model: request.modelName,
    version: request.version,
    status: request.status,
    endpoint: request.endpoint,
    requester: request.requesterName,
    requiredApprovals: request.requiredApprovals,
    approvals: request.approvals.map((a) => ({
      approver: a.approverName,
      decision: a.decision,
      counts: a.counts,
      at: a.createdAt.toISOString(),
    })),
    gates: requestGates(request),
    createdAt: request.createdAt.toISOString(),
    expiresAt: request.expiresAt.toISOString(),
    href: `/t/${request.tenant.name}/promotions/${request.id}`,
  };
}

export interface Endpoint {
  method: ApiMethod;
  /** OpenAPI path template. */
  path: string;
  operationId: string;
  summary: string;
  /** The token scope that allows it (a personal token also needs its owner's role). */
  scope: (typeof TOKEN_SCOPES)[number];
  /** The server action's schema; path parameters are taken from it too. */
  input: z.ZodObject;
  pathParams: readonly string[];
  responses: Record<number, { description: string; schema: z.ZodType }>;
  handler: RouteHandler;
}

export const filePromotion: Endpoint = {
  method: 'POST',
  path: '/api/v1/t/{tenant}/promotions',
  operationId: 'filePromotionRequest',
  summary: 'File a promotion request; every gate is evaluated on the server and returned',
  scope: 'promotion.request',
  input: requestPromotionSchema,
  pathParams: ['tenant'],
  responses: {
    201: { description: 'Filed; the request with its gate results', schema: promotionRequestView },
    422: {
      description:
        'Refused: a blocking gate failed (every gate’s result in `gates`), the version is unknown or already has an open request',
      schema: gatesRefusedSchema,
    },
  },
  handler: defineApiRoute({
    name: 'promotion.request',
    method: 'POST',
    input: requestPromotionSchema,
    permission: async (input) => ({ action: 'promotion.request', resource: await tenantResource(input.tenant) }),
    async run(
      caller,
      input,
    ): Promise<{ status: number; body: PromotionRequestView | z.infer<typeof gatesRefusedSchema> }> {
      try {
        const request = await createPromotionRequest(
          caller.actor,
          input.tenant,
          {
            modelName: input.model,
            version: input.version,
            modelCardUrl: input.modelCardUrl,
            notes: input.notes,
            pipeline: input.pipeline,
          },
          { kind: 'token', token: caller.token },
        );
        const detail = await getPromotionRequest(input.tenant, request.id);
        return { status: 201, body: viewOf(detail!) };
      } catch (error) {
        // The pipeline learns which gates failed, with their numbers, not only a sentence.
        if (error instanceof GatesRefusedError)
          return { status: 422, body: { error: error.message, gates: error.gates } };
        throw error;
      }
    },
  }),
};

export const readPromotion: Endpoint = {
  method: 'GET',
  path: '/api/v1/t/{tenant}/promotions/{requestId}',
  operationId: 'getPromotionRequest',
  summary: 'Read a promotion request: status, gates, approvals',
  scope: 'promotion.read',
  input: promotionRequestRef,
  pathParams: ['tenant', 'requestId'],
  responses: {
    200: { description: 'The request', schema: promotionRequestView },
    404: { description: 'No such request in this tenant', schema: apiErrorSchema },
  },
  handler: defineApiRoute({
    name: 'promotion.read',
    method: 'GET',
    input: promotionRequestRef,
    permission: async (input) => ({ action: 'promotion.read', resource: await tenantResource(input.tenant) }),
    async run(_caller, input): Promise<{ status: number; body: PromotionRequestView | { error: string } }> {
      const request = await getPromotionRequest(input.tenant, input.requestId);
      return request
        ? { status: 200, body: viewOf(request) }
        : { status: 404, body: { error: 'There is no such promotion request in this tenant.' } };
    },
  }),
};

export const listPromotions: Endpoint = {
  method: 'GET',
  path: '/api/v1/t/{tenant}/promotions',
  operationId: 'listPromotionRequests',
  summary: 'List promotion requests, newest first (at most 200), with the page’s filter',
  scope: 'promotion.read',
  input: promotionListSchema,
  pathParams: ['tenant'],
  responses: {
    200: {
      description: 'The requests',
      schema: z.object({ requests: z.array(promotionRequestView) }),
    },
  },
  handler: defineApiRoute({
    name: 'promotion.list',
    method: 'GET',
    input: promotionListSchema,
    permission: async (input) => ({ action: 'promotion.read', resource: await tenantResource(input.tenant) }),
    async run(_caller, input) {
      const requests = await listPromotionRequests(input.tenant, { status: input.status });
      return { status: 200, body: { requests: requests.map(viewOf) } };
    },
  }),
};

export const ENDPOINTS: readonly Endpoint[] = [filePromotion, listPromotions, readPromotion];
