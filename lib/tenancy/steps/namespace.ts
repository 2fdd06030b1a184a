import { UserFacingError } from '../../errors';
import { namespaces, type Namespace } from '../../integrations/kubernetes';
import { isUpstreamError } from '../../integrations/upstream';
import {
  activeNamespaceLabels,
  ARCHIVED_AT_ANNOTATION,
  archivedNamespaceLabels,
  DISPLAY_NAME_ANNOTATION,
  namespaceProblem,
  tenantLabels,
  WORKSPACE_DESCRIPTION_ANNOTATION,
} from '../cluster-plan';
import type { ProvisioningStep, TenantRef } from '../provisioning';

const facts = (ns: Namespace) => ({
  name: ns.metadata.name,
  labels: ns.metadata.labels,
  phase: ns.status?.phase,
  deletionTimestamp: ns.metadata.deletionTimestamp,
});

/**
 * The tenant's namespace, labelled as the tenant's (which also makes it its MLflow workspace). An
 * existing namespace is used only if the portal made it for this tenant — e.g. before the portal's
 * database was reset, or when the tenant was archived — never one someone else made.
 */
export function namespaceStep(): ProvisioningStep {
  return {
    key: 'namespace',
    title: 'Kubernetes namespace',

    async preflight(tenant, { kube }) {
      let existing: Namespace | null;
      try {
        existing = await namespaces(kube).get(tenant.name);
      } catch (error) {
        // Unreachable, refused or not configured: say so, and create nothing.
        throw new UserFacingError(
          `The name could not be checked with Kubernetes, so nothing was created: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      const problem = existing && namespaceProblem(facts(existing), tenant.name);
      if (problem) throw new UserFacingError(problem, 'name');
    },

    async provision(tenant: TenantRef, { kube }) {
      const api = namespaces(kube);
      const existing = await api.get(tenant.name);
      if (!existing) {
        try {
          await api.create({
            name: tenant.name,
            labels: tenantLabels(tenant.name),
            annotations: {
              [DISPLAY_NAME_ANNOTATION]: tenant.displayName,
              [WORKSPACE_DESCRIPTION_ANNOTATION]: tenant.description || tenant.displayName,
            },
          });
          return `Created namespace ${tenant.name}`;
        } catch (error) {
          // Made by a concurrent run between the read and the create: check it like any existing one.
          if (!isUpstreamError(error, 'conflict')) throw error;
        }
      }
      let changed = false;
      const updated = await api.update(tenant.name, (current) => {
        const problem = namespaceProblem(facts(current), tenant.name);
        if (problem) throw new UserFacingError(problem);
        const labels = activeNamespaceLabels(current.metadata.labels, tenant.name);
        if (!labels && !(ARCHIVED_AT_ANNOTATION in current.metadata.annotations)) return null;
        changed = true;
        const annotations = { ...current.metadata.annotations };
        delete annotations[ARCHIVED_AT_ANNOTATION];
        return {
          ...current,
          metadata: { ...current.metadata, labels: labels ?? current.metadata.labels, annotations },
        };
      });
      return changed
        ? `Namespace ${updated.metadata.name} was already there (made by the portal); labelled active again`
        : `Namespace ${updated.metadata.name} is in place`;
    },

    async archive(tenant, { kube }) {
      const api = namespaces(kube);
      if (!(await api.get(tenant.name))) return `There is no namespace ${tenant.name}: nothing to archive`;
      let changed = false;
      await api.update(tenant.name, (current) => {
        const problem = namespaceProblem(facts(current), tenant.name);
        if (problem) throw new UserFacingError(`Namespace ${tenant.name} is not the portal's: ${problem}`);
        const labels = archivedNamespaceLabels(current.metadata.labels);
        if (!labels) return null;
        changed = true;
        return {
          ...current,
          metadata: {
            ...current.metadata,
            labels,
            annotations: { ...current.metadata.annotations, [ARCHIVED_AT_ANNOTATION]: new Date().toISOString() },
          },
        };
      });
      return changed
        ? `Labelled namespace ${tenant.name} archived; everything in it is kept`
        : `Namespace ${tenant.name} is labelled archived; everything in it is kept`;
    },
  };
}
