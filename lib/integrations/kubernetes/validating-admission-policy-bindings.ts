/**
 * ValidatingAdmissionPolicyBindings (`admissionregistration.k8s.io/v1`, cluster-scoped): what puts
 * a ValidatingAdmissionPolicy in force, where (namespace selector), with which parameters and
 * actions. Read as `actor`; never written by the portal.
 */
import { z } from 'zod';
import { defaultKubeConnection, type KubeActor, type KubeConnection } from './client';
import { clusterObjectMetaSchema, clusterResource, type ClusterResourceKind } from './cluster-resource';

const labelSelectorSchema = z.looseObject({
  matchLabels: z.record(z.string(), z.string()).optional(),
  matchExpressions: z
    .array(z.looseObject({ key: z.string(), operator: z.string(), values: z.array(z.string()).optional() }))
    .optional(),
});

export const validatingAdmissionPolicyBindingSchema = z.looseObject({
  metadata: clusterObjectMetaSchema,
  spec: z.looseObject({
    policyName: z.string().optional(),
    validationActions: z.array(z.string()).default([]),
    paramRef: z
      .looseObject({
        name: z.string().optional(),
        namespace: z.string().optional(),
        parameterNotFoundAction: z.string().optional(),
      })
      .optional(),
    matchResources: z.looseObject({ namespaceSelector: labelSelectorSchema.optional() }).optional(),
  }),
});

export type ValidatingAdmissionPolicyBinding = z.output<typeof validatingAdmissionPolicyBindingSchema>;
export type LabelSelector = z.output<typeof labelSelectorSchema>;

const VALIDATING_ADMISSION_POLICY_BINDING: ClusterResourceKind<ValidatingAdmissionPolicyBinding> = {
  group: 'admissionregistration.k8s.io',
  version: 'v1',
  plural: 'validatingadmissionpolicybindings',
  kind: 'ValidatingAdmissionPolicyBinding',
  kindPlural: 'ValidatingAdmissionPolicyBindings',
  schema: validatingAdmissionPolicyBindingSchema,
};

export interface ValidatingAdmissionPolicyBindingApi {
  /** null when absent. */
  get(name: string): Promise<ValidatingAdmissionPolicyBinding | null>;
}

export function validatingAdmissionPolicyBindings(
  actor: KubeActor,
  connection: KubeConnection = defaultKubeConnection(),
): ValidatingAdmissionPolicyBindingApi {
  const resource = clusterResource(VALIDATING_ADMISSION_POLICY_BINDING, actor, connection);
  return { get: (name) => resource.get(name) };
}
