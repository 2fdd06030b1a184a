'use server';

import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/actions/define-action';
import { deployPromotion } from '@/lib/promotion/deploy';
import { createPromotionRequest, decidePromotion, getPromotionRequest } from '@/lib/promotion/requests';
import { decidePromotionSchema, promotionRequestRef, requestPromotionSchema } from '@/lib/promotion/schemas';
import { findTenant } from '@/lib/tenancy/service';

async function tenantResource(tenant: string) {
  const row = await findTenant(tenant);
  return { kind: 'tenant' as const, tenant, status: row?.status };
}

export const requestPromotionAction = defineAction({
  name: 'promotion.request',
  input: requestPromotionSchema,
  permission: async (input) => ({ action: 'promotion.request', resource: await tenantResource(input.tenant) }),
  async run(user, input) {
    const request = await createPromotionRequest({ id: user.id, name: user.username }, input.tenant, {
      modelName: input.model,
      version: input.version,
      modelCardUrl: input.modelCardUrl,
      notes: input.notes,
      // The form never sends one; a forged call naming a pipeline is refused by the service.
      pipeline: input.pipeline,
    });
    revalidatePath(`/t/${input.tenant}/promotions`);
    return {
      ok: true,
      message: `Requested promotion of ${input.model} v${input.version}.`,
      href: `/t/${input.tenant}/promotions/${request.id}`,
    };
  },
});

export const decidePromotionAction = defineAction({
  name: 'promotion.decide',
  input: decidePromotionSchema,
  // The requester is part of the resource: the authorization module refuses self-approval.
  permission: async (input) => {
    const [resource, request] = await Promise.all([
      tenantResource(input.tenant),
      getPromotionRequest(input.tenant, input.requestId),
    ]);
    return {
      action: 'promotion.approve',
      resource: { ...resource, kind: 'promotion', requesterId: request?.requesterId ?? '' },
    };
  },
  async run(user, input) {
    const actor = { id: user.id, name: user.username };
    const outcome = await decidePromotion(actor, input.tenant, input.requestId, {
      decision: input.decision,
      comment: input.comment,
    });
    revalidatePath(`/t/${input.tenant}/promotions`);
    if (input.decision === 'reject') return { ok: true, message: 'Rejected. The requester sees your comment.' };
    if (!outcome.counts)
      return {
        ok: false,
        error: `Your approval is recorded, but it does not count. ${outcome.standing.replace(/^Does not count: /, '')}`,
      };
    if (!outcome.finallyApproved)
      return { ok: true, message: 'Approved. More approvals are needed before it is deployed.' };
    const deployed = await deployPromotion(input.requestId, actor);
    revalidatePath(`/t/${input.tenant}/promotions/${input.requestId}`);
    return deployed.ok
      ? { ok: true, message: 'Approved and deployed as a canary.' }
      : {
          ok: false,
          error: `Approved, but ${deployed.error[0]!.toLowerCase()}${deployed.error.slice(1)} An admin can retry from this page.`,
        };
  },
});

export const retryDeploymentAction = defineAction({
  name: 'promotion.retry-deploy',
  input: promotionRequestRef,
  permission: async (input) => ({ action: 'deployment.operate', resource: await tenantResource(input.tenant) }),
  async run(user, input) {
    const request = await getPromotionRequest(input.tenant, input.requestId);
    if (!request || (request.status !== 'failed' && request.status !== 'deploying')) {
      return { ok: false, error: 'Only a deployment that stopped part-way can be finished.' };
    }
    const result = await deployPromotion(request.id, { id: user.id, name: user.username });
    revalidatePath(`/t/${input.tenant}/promotions/${input.requestId}`);
    return result.ok ? { ok: true, message: 'Deployment finished.' } : { ok: false, error: result.error };
  },
});
