import { mlflowWorkspaces } from '../../integrations/mlflow';
import type { ProvisioningStep, StepSettings } from '../provisioning';

const POLL_MS = 250;

/**
 * The tenant's MLflow workspace. With MLflow's own (SQL) workspace store the portal creates it;
 * with the Kubernetes store a workspace *is* the labelled namespace (the first step made it), so
 * the step waits until MLflow's namespace watch has seen it. Archiving keeps the workspace: its
 * experiments, runs and models stay where they are.
 */
export function mlflowWorkspaceStep(settings: StepSettings): ProvisioningStep {
  const waitMs = settings.workspaceWaitMs ?? 15_000;
  return {
    key: 'mlflow-workspace',
    title: 'MLflow workspace',

    async provision(tenant) {
      const api = mlflowWorkspaces();
      if (await api.get(tenant.name)) return `MLflow workspace ${tenant.name} is in place`;
      const outcome = await api.create(tenant.name, tenant.description || tenant.displayName);
      if (outcome.kind === 'created') return `Created MLflow workspace ${tenant.name}`;
      if (outcome.kind === 'exists') return `MLflow workspace ${tenant.name} is in place`;
      const started = Date.now();
      while (Date.now() - started < waitMs) {
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
        if (await api.get(tenant.name)) {
          return `MLflow workspace ${tenant.name} is in place: MLflow's workspace store makes it from the namespace (seen after ${((Date.now() - started) / 1000).toFixed(1)} s)`;
        }
      }
      throw new Error(
        `MLflow does not show workspace ${tenant.name} after ${waitMs / 1000} s. Its workspaces are made from Kubernetes namespaces (it answered "${outcome.message}" to creating one), ` +
          "and the namespace is there: check the MLflow server's workspace label selector and its access to the cluster, then retry.",
      );
    },

    async archive(tenant) {
      return `MLflow workspace ${tenant.name} kept, with its experiments, runs and models`;
    },
  };
}
