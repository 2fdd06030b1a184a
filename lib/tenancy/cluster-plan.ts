/**
 * What a tenant looks like in the cluster, and what to change to get there — pure decisions with
 * no I/O, so each step's idempotence is tested without a cluster: a step reads, asks one of these
 * functions what to write, and writes only when the answer is not null.
 *
 * Conventions (the same as the local platform's seeder):
 * - the namespace is labelled `mlp.example.com/tenant=<name>` (which also makes it the tenant's
 *   MLflow workspace) and `mlp.example.com/managed-by=ml-platform-portal`; archived, it also
 *   carries `mlp.example.com/archived=true`;
 * - RoleBindings `mlp-<role>` bind the IdP group of each tenant role to a ClusterRole:
 *   viewer → view, member → edit, approver → edit, admin → admin.
 */
import type { TenantRole } from '../auth/authorize';

export const TENANT_LABEL = 'mlp.example.com/tenant';
export const MANAGED_BY_LABEL = 'mlp.example.com/managed-by';
export const MANAGED_BY = 'ml-platform-portal';
export const ARCHIVED_LABEL = 'mlp.example.com/archived';
export const ARCHIVED_AT_ANNOTATION = 'mlp.example.com/archived-at';
export const DISPLAY_NAME_ANNOTATION = 'mlp.example.com/display-name';
/** The MLflow Kubernetes workspace store shows this annotation as the workspace's description. */
export const WORKSPACE_DESCRIPTION_ANNOTATION = 'mlflow.kubeflow.org/workspace-description';
/** On an archived tenant's quota: the limits it had, so they can be given back. */
export const HARD_BEFORE_ARCHIVE_ANNOTATION = 'mlp.example.com/hard-before-archive';

export function tenantLabels(tenant: string): Record<string, string> {
  return { [TENANT_LABEL]: tenant, [MANAGED_BY_LABEL]: MANAGED_BY };
}

// ---------------------------------------------------------------------------------------------
// Namespace

export interface NamespaceFacts {
  name: string;
  labels: Record<string, string>;
  phase?: string;
  deletionTimestamp?: string;
}

/**
 * Why an existing namespace cannot become (or stay) this tenant's, or null when it can: it must
 * carry the portal's labels for this very tenant — a namespace someone else made is never taken
 * over — and must not be on its way out.
 */
export function namespaceProblem(namespace: NamespaceFacts, tenant: string): string | null {
  const { labels } = namespace;
  if (labels[MANAGED_BY_LABEL] !== MANAGED_BY || labels[TENANT_LABEL] !== tenant) {
    const owner =
      labels[TENANT_LABEL] && labels[TENANT_LABEL] !== tenant
        ? ` (it belongs to tenant "${labels[TENANT_LABEL]}")`
        : '';
    return (
      `A Kubernetes namespace named "${namespace.name}" already exists and was not created by the portal for this tenant${owner}. ` +
      `Choose another name — the portal never takes over a namespace it did not make (one it made carries the labels ${MANAGED_BY_LABEL}=${MANAGED_BY} and ${TENANT_LABEL}=${tenant}).`
    );
  }
  if (namespace.deletionTimestamp || namespace.phase === 'Terminating') {
    return `The Kubernetes namespace "${namespace.name}" is being deleted; wait until it is gone, or choose another name.`;
  }
  return null;
}

/** Labels of a namespace in use by its tenant, or null when they already say so. */
export function activeNamespaceLabels(labels: Record<string, string>, tenant: string): Record<string, string> | null {
  const wanted = { ...labels, ...tenantLabels(tenant) };
  delete wanted[ARCHIVED_LABEL];
  return sameMap(wanted, labels) ? null : wanted;
}

/** Labels of an archived tenant's namespace (tenant label kept: its MLflow workspace stays), or null when already so. */
export function archivedNamespaceLabels(labels: Record<string, string>): Record<string, string> | null {
  return labels[ARCHIVED_LABEL] === 'true' ? null : { ...labels, [ARCHIVED_LABEL]: 'true' };
}

// ---------------------------------------------------------------------------------------------
// Role bindings

export interface TenantRoleBinding {
  role: TenantRole;
  /** The RoleBinding's name in the tenant's namespace. */
  name: string;
  clusterRole: string;
}

export const TENANT_ROLE_BINDINGS: readonly TenantRoleBinding[] = [
  { role: 'viewer', name: 'mlp-viewer', clusterRole: 'view' },
  { role: 'member', name: 'mlp-member', clusterRole: 'edit' },
  { role: 'approver', name: 'mlp-approver', clusterRole: 'edit' },
  { role: 'admin', name: 'mlp-admin', clusterRole: 'admin' },
];

/** lib/config.ts's default for ROLE_TENANT_GROUP_PATTERN. */
export const DEFAULT_TENANT_GROUP_PATTERN = 'mlp:{tenant}:{role}';

/** The IdP group of a tenant role, by ROLE_TENANT_GROUP_PATTERN (e.g. `mlp:{tenant}:{role}`). */
export function tenantGroup(pattern: string, tenant: string, role: TenantRole): string {
  return pattern.replaceAll('{tenant}', tenant).replaceAll('{role}', role);
}

export interface BindingFacts {
  metadata: { name: string; labels: Record<string, string>; annotations: Record<string, string> };
  roleRef: { apiGroup: string; kind: string; name: string };
  subjects: { kind: string; name: string; apiGroup?: string; namespace?: string }[];
}

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** A RoleBinding's roleRef cannot be changed; one that binds another role is refused, never replaced. */
export function roleRefProblem(binding: BindingFacts, wanted: TenantRoleBinding, namespace: string): string | null {
  const { roleRef } = binding;
  if (roleRef.kind === 'ClusterRole' && roleRef.name === wanted.clusterRole) return null;
  return (
    `RoleBinding ${namespace}/${wanted.name} already exists and binds ${roleRef.kind} ${roleRef.name}, not ClusterRole ${wanted.clusterRole}. ` +
    'A RoleBinding cannot change its role; a cluster admin must remove or rename it, then retry.'
  );
}

const isGroup = (group: string) => (s: BindingFacts['subjects'][number]) => s.kind === 'Group' && s.name === group;

/**
 * The binding with the tenant's group among its subjects and the portal's managed-by label, or
 * null when it has both (other subjects and labels are kept; the tenant label is set when the
 * portal creates a binding, not required of one made by someone else with the same meaning).
 */
export function bindingWithGroup<T extends BindingFacts>(binding: T, group: string): T | null {
  const hasGroup = binding.subjects.some(isGroup(group));
  const labels = { ...binding.metadata.labels, [MANAGED_BY_LABEL]: MANAGED_BY };
  const archived = ARCHIVED_AT_ANNOTATION in binding.metadata.annotations;
  if (hasGroup && sameMap(labels, binding.metadata.labels) && !archived) return null;
  const annotations = { ...binding.metadata.annotations };
  delete annotations[ARCHIVED_AT_ANNOTATION];
  return {
    ...binding,
    metadata: { ...binding.metadata, labels, annotations },
    subjects: hasGroup ? binding.subjects : [...binding.subjects, { kind: 'Group', apiGroup: RBAC_GROUP, name: group }],
  };
}

/** The binding without the tenant's group (its members lose access; the binding itself is kept), or null when already so. */
export function bindingWithoutGroup<T extends BindingFacts>(binding: T, group: string, now: Date): T | null {
  const hasGroup = binding.subjects.some(isGroup(group));
  if (!hasGroup && ARCHIVED_AT_ANNOTATION in binding.metadata.annotations) return null;
  return {
    ...binding,
    metadata: {
      ...binding.metadata,
      annotations: {
        ...binding.metadata.annotations,
        [ARCHIVED_AT_ANNOTATION]: binding.metadata.annotations[ARCHIVED_AT_ANNOTATION] ?? now.toISOString(),
      },
    },
    subjects: binding.subjects.filter((s) => !isGroup(group)(s)),
  };
}

function sameMap(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}
