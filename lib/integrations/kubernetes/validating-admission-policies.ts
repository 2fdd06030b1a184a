/**
 * ValidatingAdmissionPolicies (`admissionregistration.k8s.io/v1`, cluster-scoped): read as `actor`
 * to tell whether a policy (the admission guard of deploy/admission/) is installed and what it
 * checks. Installing them is the organisation's (or the local platform's) job, not the portal's.
 */
import { z } from 'zod';
import { defaultKubeConnection, type KubeActor, type KubeConnection } from './client';
import { clusterObjectMetaSchema, clusterResource, type ClusterResourceKind } from './cluster-resource';

export const validatingAdmissionPolicySchema = z.looseObject({
  metadata: clusterObjectMetaSchema,
  spec: z.looseObject({
    failurePolicy: z.string().optional(),
    paramKind: z.looseObject({ apiVersion: z.string().optional(), kind: z.string().optional() }).optional(),
    validations: z.array(z.looseObject({ expression: z.string() })).default([]),
  }),
  status: z
    .looseObject({
      observedGeneration: z.number().int().optional(),
      typeChecking: z
        .looseObject({
          expressionWarnings: z.array(z.looseObject({ fieldRef: z.string(), warning: z.string() })).default([]),
        })
        .optional(),
    })
    .optional(),
});

export type ValidatingAdmissionPolicy = z.output<typeof validatingAdmissionPolicySchema>;

const VALIDATING_ADMISSION_POLICY: ClusterResourceKind<ValidatingAdmissionPolicy> = {
  group: 'admissionregistration.k8s.io',
  version: 'v1',
  plural: 'validatingadmissionpolicies',
  kind: 'ValidatingAdmissionPolicy',
  kindPlural: 'ValidatingAdmissionPolicies',
  schema: validatingAdmissionPolicySchema,
};

export interface ValidatingAdmissionPolicyApi {
  /** null when absent. */
  get(name: string): Promise<ValidatingAdmissionPolicy | null>;
}

export function validatingAdmissionPolicies(
  actor: KubeActor,
  connection: KubeConnection = defaultKubeConnection(),
): ValidatingAdmissionPolicyApi {
  const resource = clusterResource(VALIDATING_ADMISSION_POLICY, actor, connection);
  return { get: (name) => resource.get(name) };
}
