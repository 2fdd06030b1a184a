import { config } from '../../config';
import { UserFacingError } from '../../errors';
import { roleBindings } from '../../integrations/kubernetes';
import { isUpstreamError } from '../../integrations/upstream';
import {
  bindingWithGroup,
  bindingWithoutGroup,
  DEFAULT_TENANT_GROUP_PATTERN,
  roleRefProblem,
  TENANT_ROLE_BINDINGS,
  tenantGroup,
  tenantLabels,
} from '../cluster-plan';
import type { ProvisioningStep, StepSettings } from '../provisioning';

/**
 * ROLE_TENANT_GROUP_PATTERN as the portal reads it; where the rest of the portal's configuration
 * (sign-in) is not set — the demo seeder, scripts — the variable or its default.
 */
function configuredPattern(): string {
  try {
    return config().groupMapping.tenantGroupPattern;
  } catch {
    return process.env.ROLE_TENANT_GROUP_PATTERN || DEFAULT_TENANT_GROUP_PATTERN;
  }
}

/**
 * RoleBindings `mlp-viewer|member|approver|admin` that give each tenant role's IdP group its
 * access in the tenant's namespace (view, edit, edit, admin). Archiving takes the groups out of
 * the bindings — members lose access in the cluster as in the portal — and keeps the bindings.
 */
export function roleBindingsStep(settings: StepSettings): ProvisioningStep {
  const pattern = () => settings.tenantGroupPattern ?? configuredPattern();

  return {
    key: 'role-bindings',
    title: 'Role bindings for the IdP groups',

    async provision(tenant, { kube }) {
      const api = roleBindings(tenant.name, kube);
      const done: string[] = [];
      for (const wanted of TENANT_ROLE_BINDINGS) {
        const group = tenantGroup(pattern(), tenant.name, wanted.role);
        const existing = await api.get(wanted.name);
        if (!existing) {
          try {
            await api.create({
              name: wanted.name,
              labels: tenantLabels(tenant.name),
              roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: wanted.clusterRole },
              subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: group }],
            });
            done.push(`${group} → ${wanted.clusterRole} (created)`);
            continue;
          } catch (error) {
            if (!isUpstreamError(error, 'conflict')) throw error;
          }
        }
        let changed = false;
        await api.update(wanted.name, (current) => {
          const problem = roleRefProblem(current, wanted, tenant.name);
          if (problem) throw new UserFacingError(problem);
          const next = bindingWithGroup(current, group);
          changed = next !== null;
          return next;
        });
        done.push(`${group} → ${wanted.clusterRole}${changed ? ' (updated)' : ''}`);
      }
      return `Bound ${done.join(', ')}`;
    },

    async archive(tenant, { kube }) {
      const api = roleBindings(tenant.name, kube);
      const now = new Date();
      const removed: string[] = [];
      for (const wanted of TENANT_ROLE_BINDINGS) {
        if (!(await api.get(wanted.name))) continue;
        const group = tenantGroup(pattern(), tenant.name, wanted.role);
        await api.update(wanted.name, (current) => {
          const next = bindingWithoutGroup(current, group, now);
          if (next && current.subjects.some((s) => s.kind === 'Group' && s.name === group)) removed.push(group);
          return next;
        });
      }
      return removed.length
        ? `Took ${removed.join(', ')} out of the tenant's RoleBindings (the bindings are kept)`
        : "The tenant's IdP groups have no access in the namespace any more (the bindings are kept)";
    },
  };
}
