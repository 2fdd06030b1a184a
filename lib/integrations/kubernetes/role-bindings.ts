/**
 * RoleBindings (`rbac.authorization.k8s.io/v1`) of one tenant's namespace: how the tenant's IdP
 * groups get their access in the cluster. Read, created and changed as `actor`; nothing here
 * deletes one. A RoleBinding's `roleRef` cannot change once made (the API server refuses it).
 */
import { z } from 'zod';
import { defaultKubeConnection, type KubeActor, type KubeConnection } from './client';
import { tenantNamespace } from './namespace';
import { namespacedResource, objectMetaSchema, type ResourceKind } from './resource';

const roleRefSchema = z.looseObject({ apiGroup: z.string(), kind: z.string(), name: z.string() });
const subjectSchema = z.looseObject({
  kind: z.string(),
  name: z.string(),
  apiGroup: z.string().optional(),
  namespace: z.string().optional(),
});

export const roleBindingSchema = z.looseObject({
  metadata: objectMetaSchema,
  roleRef: roleRefSchema,
  subjects: z.array(subjectSchema).default([]),
});

export type RoleBinding = z.output<typeof roleBindingSchema>;
export type RoleBindingSubject = z.output<typeof subjectSchema>;

const ROLE_BINDING: ResourceKind<RoleBinding> = {
  group: 'rbac.authorization.k8s.io',
  version: 'v1',
  plural: 'rolebindings',
  kind: 'RoleBinding',
  kindPlural: 'RoleBindings',
  schema: roleBindingSchema,
};

export interface NewRoleBinding {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  roleRef: z.input<typeof roleRefSchema>;
  subjects: z.input<typeof subjectSchema>[];
}

export interface RoleBindingApi {
  readonly namespace: string;
  list(labelSelector?: string): Promise<RoleBinding[]>;
  get(name: string): Promise<RoleBinding | null>;
  create(binding: NewRoleBinding): Promise<RoleBinding>;
  /** Conflict-safe read-modify-write; `change` returns null when there is nothing to do. */
  update(name: string, change: (current: RoleBinding) => RoleBinding | null): Promise<RoleBinding>;
}

export function roleBindings(
  tenant: string,
  actor: KubeActor,
  connection: KubeConnection = defaultKubeConnection(),
): RoleBindingApi {
  const resource = namespacedResource(ROLE_BINDING, tenantNamespace(tenant), actor, connection);
  return {
    namespace: resource.namespace,
    list: (labelSelector) => resource.list({ labelSelector }),
    get: (name) => resource.get(name),
    create: ({ name, labels = {}, annotations = {}, roleRef, subjects }) =>
      resource.create({ metadata: { name, labels, annotations }, roleRef, subjects }),
    update: (name, change) => resource.update(name, change),
  };
}
