/**
 * Creating a tenant provisions it on the platform in ordered, idempotent steps (namespace,
 * quota, role bindings, MLflow workspace, storage prefix). Each step is a plug-in: the tenant
 * service runs whatever steps are registered, records the first failure on the tenant and can
 * be re-run to finish the rest.
 */
export interface TenantRef {
  id: string;
  name: string;
  displayName: string;
}

export interface ProvisioningStep {
  /** Shown in the progress list, e.g. "Kubernetes namespace". */
  title: string;
  /** Makes the tenant exist on the step's system; safe to run again. */
  provision(tenant: TenantRef): Promise<void>;
  /** Archives the tenant on the step's system, keeping its data; safe to run again. */
  archive(tenant: TenantRef): Promise<void>;
}

/** The platform steps, in order. The database record itself is made by the tenant service. */
export function provisioningSteps(): ProvisioningStep[] {
  return [];
}
