import { z } from 'zod';
import { tenantNameSchema } from '../tenancy/names';

/**
 * The inputs of the promotion actions, one schema per action for both doors: the server actions
 * (components/promotions/actions.ts) and the REST API (/api/v1, lib/api/endpoints.ts), whose
 * OpenAPI document is generated from these same schemas.
 */

export const modelNameSchema = z
  .string()
  .trim()
  .min(1, 'Choose a model')
  .max(256)
  .meta({ description: 'Registered model name' });
const versionSchema = z
  .string()
  .trim()
  .regex(/^[1-9][0-9]{0,8}$/, 'A version is a whole number, e.g. 5')
  .meta({ description: 'Model version number, e.g. "5"' });

/** A pipeline run's name as Kubernetes names a Workflow (or a Kubeflow run): a DNS-1123 subdomain. */
export const pipelineRunSchema = z
  .string()
  .trim()
  .min(1, 'Name the pipeline run')
  .max(253, 'At most 253 characters (a Kubernetes object name)')
  .regex(
    /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/,
    'A pipeline run is named like a Kubernetes object: lower-case letters, digits, "-" and "."',
  )
  .meta({
    description:
      'The pipeline run filing the request, e.g. the Argo Workflow’s `{{workflow.name}}`: shown as “filed by pipeline …”. Accepted only from a tenant service token.',
  });

export const requestPromotionSchema = z.object({
  tenant: tenantNameSchema,
  model: modelNameSchema,
  version: versionSchema,
  // A form always sends both fields; an API caller may leave them out.
  modelCardUrl: z.string().trim().max(2000, 'The model card URL is too long').default(''),
  notes: z.string().trim().max(5000, 'Notes are limited to 5,000 characters').default(''),
  // Only a tenant service token may name the pipeline run filing the request (lib/promotion/filed-via.ts);
  // the browser's form never sends it.
  pipeline: pipelineRunSchema.optional(),
});

export const promotionRequestRef = z.object({
  tenant: tenantNameSchema,
  requestId: z.uuid('That is not a promotion request id'),
});

export const decidePromotionSchema = promotionRequestRef.extend({
  decision: z.enum(['approve', 'reject'], { message: 'Choose approve or reject' }),
  comment: z.string().trim().max(2000),
});

/** The promotions list's filter, as the page reads `?status=` and the API its query: anything else is `open`. */
export const PROMOTION_LIST_FILTERS = ['open', 'pending', 'all'] as const;
export const promotionListSchema = z.object({
  tenant: tenantNameSchema,
  status: z
    .enum(PROMOTION_LIST_FILTERS)
    .default('open')
    .catch('open')
    .meta({ description: 'open (pending, deploying, failed), pending (waiting for approval) or all; default open' }),
});
