import { z } from 'zod';
import {
  createPromotionRequest,
  getPromotionRequest,
  GatesRefusedError,
  listPromotionRequests,
  requestDeployGates,
  requestGates,
  type PromotionRequestDetail,
} from '../../promotion/requests';
import { promotionListSchema, promotionRequestRef, requestPromotionSchema } from '../../promotion/schemas';
import { apiErrorSchema, defineEndpoint, isoTimeSchema, refusal } from './shared';

/** Promotion requests: file one (its gates evaluated on the server), read one, list them. */

const gateSchema = z.object({
  id: z.string().meta({ description: 'Stable id, e.g. `threshold:holdout_auc`' }),
  kind: z
    .string()
    .meta({ description: 'threshold, regression, provenance, artifact, signature, evidence or target-health' }),
  label: z.string(),
  passed: z.boolean(),
  blocking: z.boolean().meta({ description: 'A failing blocking gate refuses the request' }),
  detail: z.string().meta({ description: 'One sentence with the numbers' }),
  values: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  evidence: z
    .array(z.object({ label: z.string(), value: z.string(), href: z.string().optional() }))
    .optional()
    .meta({ description: 'What the gate looked at, with links to the portal’s pages (target-health: each finding)' }),
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
    pipeline: z
      .string()
      .nullable()
      .meta({ description: 'The pipeline run that filed it (named by a service token), else null' }),
    requiredApprovals: z.int(),
    approvals: z.array(
      z.object({
        approver: z.string(),
        decision: z.enum(['approve', 'reject']),
        counts: z.boolean(),
        at: isoTimeSchema,
      }),
    ),
    gates: z.array(gateSchema),
    deployGates: z.array(gateSchema).meta({
      description:
        'The gates judged again just before deploying (target-health), from the latest attempt; empty before one',
    }),
    createdAt: isoTimeSchema,
    expiresAt: isoTimeSchema,
    href: z.string().meta({ description: 'The request’s page in the portal' }),
  })
  .meta({ id: 'PromotionRequest' });
export type PromotionRequestView = z.infer<typeof promotionRequestView>;

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
    pipeline: request.pipeline,
    requiredApprovals: request.requiredApprovals,
    approvals: request.approvals.map((a) => ({
      approver: a.approverName,
      decision: a.decision,
      counts: a.counts,
      at: a.createdAt.toISOString(),
    })),
    gates: requestGates(request),
    deployGates: requestDeployGates(request),
    createdAt: request.createdAt.toISOString(),
    expiresAt: request.expiresAt.toISOString(),
    href: `/t/${request.tenant.name}/promotions/${request.id}`,
  };
}

export const filePromotion = defineEndpoint({
  name: 'promotion.request',
  method: 'POST',
  path: '/api/v1/t/{tenant}/promotions',
  operationId: 'filePromotionRequest',
  summary: 'File a promotion request; every gate is evaluated on the server and returned',
  scope: 'promotion.request',
  input: requestPromotionSchema,
  responses: {
    201: { description: 'Filed; the request with its gate results', schema: promotionRequestView },
    422: {
      description:
        'Refused: a blocking gate failed (every gate’s result in `gates`), the version is unknown or already has an open request',
      schema: gatesRefusedSchema,
    },
  },
  async run(caller, input) {
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
});

export const readPromotion = defineEndpoint({
  name: 'promotion.read',
  method: 'GET',
  path: '/api/v1/t/{tenant}/promotions/{requestId}',
  operationId: 'getPromotionRequest',
  summary: 'Read a promotion request: status, gates, approvals',
  scope: 'promotion.read',
  input: promotionRequestRef,
  responses: {
    200: { description: 'The request', schema: promotionRequestView },
    404: { description: 'No such request in this tenant', schema: apiErrorSchema },
  },
  async run(_caller, input) {
    const request = await getPromotionRequest(input.tenant, input.requestId);
    return request
      ? { status: 200, body: viewOf(request) }
      : refusal(404, 'There is no such promotion request in this tenant.');
  },
});

export const listPromotions = defineEndpoint({
  name: 'promotion.list',
  method: 'GET',
  path: '/api/v1/t/{tenant}/promotions',
  operationId: 'listPromotionRequests',
  summary: 'List promotion requests, newest first (at most 200), with the page’s filter',
  scope: 'promotion.read',
  input: promotionListSchema,
  responses: {
    200: {
      description: 'The requests',
      schema: z.object({ requests: z.array(promotionRequestView) }),
    },
  },
  async run(_caller, input) {
    const requests = await listPromotionRequests(input.tenant, { status: input.status });
    return { status: 200, body: { requests: requests.map(viewOf) } };
  },
});
